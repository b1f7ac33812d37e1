"""The commented template loads and validates as it stands, for any framework with elements."""

from __future__ import annotations

import pytest
import yaml

from cityeval import get_framework
from cityeval.masterplan import Term, loads_masterplan, masterplan_template
from cityeval.masterplan.template import slug


@pytest.mark.parametrize("framework_id", ["gerakan100", "banyuasin"])
def test_the_template_is_a_valid_masterplan(framework_id: str) -> None:
    fw = get_framework(framework_id)
    text = masterplan_template("Ogan Ilir", fw, start_year=2024, code="16.10")
    mp = loads_masterplan(text)
    assert mp.id == "ogan-ilir" and mp.framework == framework_id
    assert mp.regency.code == "16.10" and mp.regency.province is None
    assert (mp.period.start_year, mp.period.end_year) == (2024, 2028)
    assert [p.dimension for p in mp.programmes] == [d.id for d in fw.dimensions]
    for prog in mp.programmes:
        assert fw.parent(prog.element) == prog.dimension
    assert mp.programmes[0].term is Term.QUICK_WIN
    assert set(mp.goals) == {d.id for d in fw.dimensions}


def test_every_field_is_explained() -> None:
    text = masterplan_template("Tegal", get_framework("gerakan100"), start_year=2024, kind="kota")
    data = yaml.safe_load(text)
    for key in data:
        assert f"# {key}:" in text, key
    for key in ("opds:", "term:", "start_year, end_year:", "budget:", "indicators:"):
        assert f"#   {key}" in text, key
    for key in ("name:", "province", "code:", "kind:"):
        assert f"  # {key}" in text, key
    assert "organisasi perangkat daerah" in text and "quick_win (program percepatan)" in text
    assert "EXAMPLES" in text
    assert loads_masterplan(text).regency.title == "Kota Tegal"


def test_a_one_year_masterplan() -> None:
    mp = loads_masterplan(
        masterplan_template("X", get_framework("gerakan100"), start_year=2024, years=1)
    )
    assert all(set(i.targets) == {2024} for _, i in mp.items())


def test_a_framework_without_elements_is_refused() -> None:
    with pytest.raises(ValueError, match="has no elements"):
        masterplan_template("X", get_framework("gerakan100-evaluation"), start_year=2024)


def test_slug() -> None:
    assert slug("Kota Tegal") == "kota-tegal"
    assert slug("Banyuasin ") == "banyuasin"
    assert slug("!!") == "masterplan"

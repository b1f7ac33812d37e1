"""The U4SSC KPIs: the official structure, 91 KPIs by code, grades per verification."""

from __future__ import annotations

import pytest

from cityeval import Direction, Framework, Grade, get_framework
from cityeval.plugins import get_host
from cityeval.testing.conformance import check_framework_plugin


@pytest.fixture(scope="module")
def fw() -> Framework:
    return get_framework("u4ssc")


def test_registered_through_the_entry_point() -> None:
    assert get_host().frameworks.get("u4ssc").plugin == "u4ssc"


def test_conformance() -> None:
    assert "scores generated data" in check_framework_plugin("u4ssc").checks


def test_three_dimensions_seven_sub_dimensions(fw: Framework) -> None:
    assert [d.label.en for d in fw.dimensions] == ["Economy", "Environment", "Society and Culture"]
    subs = [s.label.en for d in fw.dimensions for s in d.children]
    assert subs == [
        "ICT",
        "Productivity",
        "Infrastructure",
        "Environment",
        "Energy",
        "Education, Health and Culture",
        "Safety, Housing and Social Inclusion",
    ]
    assert all(s.grade is Grade.A for s in fw.sources)


def test_91_kpis_55_core_36_advanced(fw: Framework) -> None:
    kpis = fw.indicators()
    assert len(kpis) == 91
    assert sum(k.id.endswith("c") for k in kpis) == 55
    assert sum(k.id.endswith("a") for k in kpis) == 36
    per_sub = [sum(1 for _ in _leaves(s)) for d in fw.dimensions for s in d.children]
    assert per_sub == [17, 7, 21, 13, 4, 12, 17]


def _leaves(node: object) -> list[object]:
    from cityeval import Dimension

    if isinstance(node, Dimension):
        return [leaf for m in node.members for leaf in _leaves(m)]
    return [node]


def test_grades_follow_verification(fw: Framework) -> None:
    verified = {k.id for k in fw.indicators() if any(s.grade is Grade.A for s in k.sources)}
    assert verified == {
        "ec.ict.ict.1c",
        "ec.ict.ict.2c",
        "ec.ict.d.1a",
        "ec.ict.es.1c",
        "sc.eh.ed.1c",
        "sc.eh.ed.2c",
        "sc.eh.ed.4c",
        "sc.eh.ed.5a",
    }
    for kpi in fw.indicators():
        assert kpi.sources[0].grade is Grade.C
    assert fw.note is not None and "cityeval's reading (U)" in fw.note
    assert fw.node("sc.sh.sa.8c").direction is Direction.LOWER  # type: ignore[union-attr]

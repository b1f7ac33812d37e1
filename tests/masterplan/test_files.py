"""Masterplans and rounds survive a trip through YAML, JSON and TOML, and plugins ship them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cityeval import Direction, InputError, NotFoundError, get_framework
from cityeval.masterplan import (
    EntryStatus,
    FrozenMap,
    Masterplan,
    Term,
    dumps_masterplan,
    dumps_round,
    get_masterplan,
    load_masterplan,
    load_round,
    loads_masterplan,
    loads_round,
    masterplan_to_dict,
    save_masterplan,
    save_round,
)

from .conftest import ROUND


def test_fields_are_read(masterplan: Masterplan) -> None:
    prog = masterplan.programme("puskesmas")
    assert prog.term is Term.MEDIUM and prog.opds == ("dinkes", "diskominfo")
    ind = prog.indicator("waiting-days")
    assert ind.direction is Direction.LOWER
    assert ind.targets == {2019: 3.0, 2021: 1.0} and ind.target(2020) is None
    assert masterplan.regency.title == "Kabupaten Contoh"
    assert [p.id for p in masterplan.programmes_of("diskominfo")] == ["perizinan", "puskesmas"]
    assert len(list(masterplan.items())) == 3


@pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
def test_masterplan_round_trip(masterplan: Masterplan, fmt: str) -> None:
    text = dumps_masterplan(masterplan, fmt)  # type: ignore[arg-type]
    assert loads_masterplan(text, fmt) == masterplan  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
def test_round_round_trip(masterplan: Masterplan, fmt: str) -> None:
    rnd = loads_round(ROUND, masterplan=masterplan)
    text = dumps_round(rnd, fmt)  # type: ignore[arg-type]
    again = loads_round(text, fmt, masterplan=masterplan)  # type: ignore[arg-type]
    assert again == rnd
    assert again.date == dt.date(2019, 6, 11)
    assert again.entry("perizinan", "permits-online") is not None
    assert again.entries[0].status is EntryStatus.COMPLETED


def test_the_yaml_is_readable(masterplan: Masterplan) -> None:
    text = dumps_masterplan(masterplan)
    assert "targets:\n      2018: 40\n      2019: 60\n" in text  # year keys, whole numbers
    assert text.index("framework: gerakan100") < text.index("vision:") < text.index("opds:")
    rnd_text = dumps_round(loads_round(ROUND))
    assert "date: 2019-06-11\n" in rnd_text


def test_a_frozen_map_is_hashable_and_compares_as_a_mapping() -> None:
    a = FrozenMap({2019: 1.0, 2018: 2.0})
    assert a == FrozenMap({2018: 2.0, 2019: 1.0}) and hash(a) == hash(FrozenMap(a.items()))
    assert list(a) == [2019, 2018]
    assert hash(get_masterplan("banyuasin"))


def test_save_and_load(masterplan: Masterplan, tmp_path: Path) -> None:
    path = tmp_path / "out" / "rencana.yaml"
    save_masterplan(masterplan, path)
    assert load_masterplan(path) == masterplan
    rnd = loads_round(ROUND)
    save_round(rnd, tmp_path / "round.json")
    assert load_round(tmp_path / "round.json", masterplan=masterplan) == rnd
    assert not list(tmp_path.glob("**/.*.tmp"))


def test_json_targets_with_text_years(masterplan: Masterplan) -> None:
    data = masterplan_to_dict(masterplan)
    assert data["programmes"][0]["indicators"][0]["targets"] == {2018: 40.0, 2019: 60.0}
    text = dumps_masterplan(masterplan, "json")
    assert '"2018": 40' in text


def test_a_framework_file_relative_to_the_masterplan(masterplan_file: Path) -> None:
    from cityeval import save_framework

    save_framework(get_framework("gerakan100"), masterplan_file.parent / "kerangka.yaml")
    text = masterplan_file.read_text().replace("framework: gerakan100", "framework: kerangka.yaml")
    masterplan_file.write_text(text)
    assert load_masterplan(masterplan_file).framework == "kerangka.yaml"


def test_get_masterplan_by_file_or_id(masterplan_file: Path) -> None:
    assert get_masterplan(masterplan_file).id == "contoh"
    assert get_masterplan(str(masterplan_file)).id == "contoh"
    assert get_masterplan("banyuasin").regency.code == "16.07"
    with pytest.raises(NotFoundError, match=r"^unknown masterplan 'contoh' \(registered: "):
        get_masterplan("contoh")
    with pytest.raises(InputError, match=r"^missing\.yaml: file not found$"):
        get_masterplan("missing.yaml")


def test_importing_masterplans_loads_neither_yaml_nor_openpyxl() -> None:
    import json
    import subprocess
    import sys

    script = (
        "import sys, json; import cityeval, cityeval.masterplan; "
        "print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(result.stdout))
    assert not loaded & {"yaml", "openpyxl", "typer"}

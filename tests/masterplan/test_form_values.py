"""Reading a filled form distrusts every cell: scale and bounds, Indonesian thousands,
formulas, huge numbers, zip bombs; all problems of a workbook at once, each at its cell."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

openpyxl = pytest.importorskip("openpyxl")

from cityeval.masterplan import Masterplan, loads_masterplan  # noqa: E402
from cityeval.masterplan.forms import (  # noqa: E402
    FormError,
    read_forms,
    write_form,
    zipguard,
)
from cityeval.masterplan.forms.cells import number_cell  # noqa: E402
from cityeval.masterplan.model import value_problem  # noqa: E402
from cityeval.model import Bounds, Scale, ScaleKind  # noqa: E402

from .conftest import GOOD  # noqa: E402

ROUND_ID = "2019-tahap-3"
DATE = dt.date(2019, 6, 11)

# The masterplan of conftest, with a bounded indicator and an ordinal one.
BOUNDED = GOOD.replace(
    """        unit: hari
        direction: lower""",
    """        unit: hari
        bounds: {lower: 0, upper: 60}
        direction: lower""",
).replace(
    """        unit: puskesmas
        baseline: {value: 0, year: 2017}""",
    """        unit: level
        scale: {kind: ordinal, levels: [{value: 0, label: nol}, {value: 10, label: sepuluh},
                {value: 25, label: penuh}]}
        baseline: {value: 0, year: 2017}""",
)


@pytest.fixture
def bounded() -> Masterplan:
    return loads_masterplan(BOUNDED, source="bounded.yaml")


def _form(mp: Masterplan, tmp_path: Path, cells: dict[str, dict[str, object]]) -> Path:
    path = tmp_path / "form.xlsx"
    write_form(mp, ROUND_ID, path, year=2019, date=DATE)
    wb = openpyxl.load_workbook(path)
    for sheet, values in cells.items():
        for ref, value in values.items():
            wb[sheet][ref] = value
    wb.save(path)
    return path


def _errors(path: Path, mp: Masterplan) -> list[str]:
    with pytest.raises(FormError) as exc:
        read_forms([path], mp, ROUND_ID)
    return str(exc.value).splitlines()


def test_every_out_of_scale_value_is_reported_at_its_cell_in_one_run(
    bounded: Masterplan, tmp_path: Path
) -> None:
    path = _form(
        bounded,
        tmp_path,
        {
            # Diskominfo: perizinan (percentage), then puskesmas' two indicators
            "Diskominfo": {"G4": 150, "H4": "sedang berjalan"},
            "Dinkes": {"G4": 9, "H4": "sedang berjalan", "G5": -3, "H5": "sedang berjalan"},
        },
    )
    assert _errors(path, bounded) == [
        "form.xlsx: Diskominfo!G4: 150 lies outside the percentage scale [0, 100]",
        "form.xlsx: Dinkes!G4: 9 is not a level of the ordinal scale (0, 10, 25)",
        "form.xlsx: Dinkes!G5: -3 lies outside the bounds [0, 60]",
    ]


def test_values_inside_scale_and_bounds_are_read(bounded: Masterplan, tmp_path: Path) -> None:
    path = _form(
        bounded,
        tmp_path,
        {"Dinkes": {"G4": 10, "H4": "sedang berjalan", "G5": "60", "H5": "selesai"}},
    )
    rnd = read_forms([path], bounded, ROUND_ID)
    assert [e.realised for e in rnd.entries] == [10.0, 60.0]


def test_a_masterplan_whose_targets_leave_the_scale_is_refused() -> None:
    from cityeval.errors import InputError

    with pytest.raises(InputError) as exc:
        loads_masterplan(
            GOOD.replace("targets: {2018: 40, 2019: 60}", "targets: {2018: 40, 2019: 160}"),
            source="m.yaml",
        )
    assert (
        "programmes[0].indicators[0].targets.2019: 160 lies outside the percentage scale [0, 100]"
        in str(exc.value)
    )


def test_a_growth_rate_may_pass_100_when_declared_a_ratio() -> None:
    text = GOOD.replace('unit: "%"', 'unit: "%"\n        scale: {kind: ratio}').replace(
        "targets: {2018: 40, 2019: 60}", "targets: {2018: 40, 2019: 160}"
    )
    mp = loads_masterplan(text, source="m.yaml")
    assert mp.programmes[0].indicators[0].value_problem(250.0) is None


@pytest.mark.parametrize(
    ("text", "plain"), [("1.250", "1250"), ("1.250.000", "1250000"), ("12.500,5", "12500,5")]
)
def test_dot_grouped_thousands_are_refused_with_a_hint(
    masterplan: Masterplan, tmp_path: Path, text: str, plain: str
) -> None:
    path = _form(masterplan, tmp_path, {"Dinkes": {"G4": text, "H4": "sedang berjalan"}})
    (line,) = _errors(path, masterplan)
    assert line.startswith(
        f"form.xlsx: Dinkes!G4: {text!r} is written with a dot between thousands"
    )
    assert f"({plain})" in line and "1,25" in line


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("42", 42.0), ("42,5", 42.5), ("42.5", 42.5), ("0.250", 0.25), ("1.25", 1.25), (7, 7.0),
     ("  ", None), (None, None)],
)  # fmt: skip
def test_numbers_a_form_accepts(raw: object, expected: float | None) -> None:
    assert number_cell(raw) == expected


@pytest.mark.parametrize(
    ("raw", "problem"),
    [("=40+2", "the formula '=40+2'"), (1e300, "not a usable number"),
     (float("inf"), "not a usable number"), ("1e999", "expected a number"),
     (True, "a boolean"), (dt.date(2019, 1, 1), "expected a number")],
)  # fmt: skip
def test_cells_a_form_refuses(raw: object, problem: str) -> None:
    result = number_cell(raw)
    assert isinstance(result, str) and problem in result


def test_a_formula_typed_in_a_realised_cell_is_refused(
    masterplan: Masterplan, tmp_path: Path
) -> None:
    path = _form(masterplan, tmp_path, {"Dinkes": {"G4": "=4+2", "H4": "sedang berjalan"}})
    assert _errors(path, masterplan) == [
        "form.xlsx: Dinkes!G4: expected a number, got the formula '=4+2'; type the value itself"
    ]


def test_a_row_added_by_hand_is_reported_where_it_was_filled(
    masterplan: Masterplan, tmp_path: Path
) -> None:
    path = _form(masterplan, tmp_path, {"Dinkes": {"H9": "selesai", "I9": "baris baru"}})
    assert _errors(path, masterplan) == [
        "form.xlsx: Dinkes!H9: a filled row without its programme and indicator ids; do not add "
        "rows or edit the hidden columns"
    ]


def test_the_value_check_in_one_function() -> None:
    pct = Scale(ScaleKind.PERCENTAGE)
    assert value_problem(100.0, pct, None) is None
    assert value_problem(0.5, Scale(ScaleKind.BINARY), None) == (
        "0.5 is not a value of the binary scale (0 or 1)"
    )
    assert value_problem(70.0, pct, Bounds(0, 60)) == "70 lies outside the bounds [0, 60]"
    assert value_problem(1e9, Scale(), None) is None  # a ratio scale without bounds: no limit


# -- zip bombs ------------------------------------------------------------------------------


def _bomb(path: Path, size: int) -> None:
    """A zip whose one part inflates from a few kilobytes to ``size`` bytes of zeros."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * (1 << 20)
            for _ in range(size // len(chunk)):
                part.write(chunk)
        zf.writestr("[Content_Types].xml", "<Types/>")


def test_a_zip_bomb_is_refused_before_decompressing(
    masterplan: Masterplan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = tmp_path / "bomb.xlsx"
    _bomb(bomb, 64 << 20)  # 64 MiB of zeros, about 64 KiB on disk
    assert bomb.stat().st_size < 1 << 20

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was asked to open a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    (line,) = _errors(bomb, masterplan)
    assert line.startswith("bomb.xlsx: the workbook's part 'xl/worksheets/sheet1.xml' would ")
    assert "decompress to 64 MiB, more than the 50 MiB allowed (a zip bomb?)" in line


def test_a_highly_compressed_part_is_refused(masterplan: Masterplan, tmp_path: Path) -> None:
    bomb = tmp_path / "dense.xlsx"
    _bomb(bomb, 8 << 20)  # under the size limit, but a thousand to one
    (line,) = _errors(bomb, masterplan)
    assert "is compressed more than 200 to 1 (a zip bomb?)" in line


def test_the_total_and_the_number_of_parts_are_limited(
    masterplan: Masterplan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many = tmp_path / "many.xlsx"
    with zipfile.ZipFile(many, "w") as zf:
        for i in range(30):
            zf.writestr(f"part{i}.xml", "x")
    monkeypatch.setattr(zipguard, "MAX_PARTS", 20)
    assert "holds 30 parts, more than the 20 allowed" in _errors(many, masterplan)[0]
    monkeypatch.setattr(zipguard, "MAX_PARTS", 1000)
    monkeypatch.setattr(zipguard, "MAX_TOTAL_BYTES", 10)
    assert "would decompress to 0 MiB, more than the 0 MiB allowed" in _errors(many, masterplan)[0]


def test_a_file_too_large_is_refused(
    masterplan: Masterplan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _form(masterplan, tmp_path, {})
    monkeypatch.setattr(zipguard, "MAX_FORM_BYTES", 100)
    assert "more than the 0 MiB a form may be" in _errors(path, masterplan)[0]


def test_a_real_form_passes_the_guard(masterplan: Masterplan, tmp_path: Path) -> None:
    assert zipguard.xlsx_problem(_form(masterplan, tmp_path, {})) is None


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet2.xml", "xl/styles.xml"])
def test_a_broken_part_leaves_no_file_open(
    masterplan: Masterplan, tmp_path: Path, part: str
) -> None:
    """openpyxl keeps its archive open when it fails; the reader hands it bytes instead."""
    import gc

    good = _form(masterplan, tmp_path, {})
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(broken, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, b"<" if info.filename == part else zin.read(info))
    with pytest.raises(FormError):
        read_forms([broken], masterplan, ROUND_ID)
    gc.collect()  # an unclosed file would warn here, and warnings are errors in this suite

"""Excel forms: written per OPD, read back exactly, every bad cell reported by sheet and cell."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

openpyxl = pytest.importorskip("openpyxl")

from cityeval.masterplan import (  # noqa: E402
    EntryStatus,
    Masterplan,
    get_masterplan,
    get_round,
    loads_round,
)
from cityeval.masterplan.forms import (  # noqa: E402
    STATUS_LABELS,
    FormError,
    read_forms,
    stored_masterplan,
    write_form,
)

from .conftest import ROUND  # noqa: E402

ROUND_ID = "2019-tahap-3"


@pytest.fixture
def form(masterplan: Masterplan, tmp_path: Path) -> Path:
    path = tmp_path / "form.xlsx"
    write_form(masterplan, ROUND_ID, path, year=2019, date=dt.date(2019, 6, 11))
    return path


def fill(path: Path, sheet: str, cells: dict[str, object]) -> None:
    wb = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(path)


def errors(paths: list[Path], masterplan: Masterplan, round_id: str = ROUND_ID) -> str:
    with pytest.raises(FormError) as exc:
        read_forms(paths, masterplan, round_id)
    return str(exc.value)


def test_one_sheet_per_opd_after_the_instructions(form: Path) -> None:
    wb = openpyxl.load_workbook(form)
    assert wb.sheetnames == ["Petunjuk", "Diskominfo", "Dinkes", "_cityeval"]
    assert wb["_cityeval"].sheet_state == "veryHidden"
    guide = "\n".join(str(c.value) for c in wb["Petunjuk"]["A"] if c.value)
    assert "Petunjuk pengisian" in guide and "Realisasi" in guide and ROUND_ID in guide
    dinkes = wb["Dinkes"]
    rows = [[c.value for c in row] for row in dinkes.iter_rows(min_row=3, max_row=5)]
    assert rows[0] == [
        "Program", "Indikator", "Satuan", "Baseline", "Tahun baseline", "Target 2019",
        "Realisasi 2019", "Status", "Bukti / keterangan", "id program", "id indikator",
    ]  # fmt: skip
    assert rows[1][:6] == ["Puskesmas terhubung", "Puskesmas terhubung", "puskesmas", 0, 2017, 10]
    assert rows[1][9:] == ["puskesmas", "connected"]
    assert dinkes.column_dimensions["J"].hidden and dinkes.column_dimensions["K"].hidden
    assert dinkes.protection.sheet and not dinkes["G4"].protection.locked
    assert dinkes["A4"].protection.locked
    # a programme of two OPDs is on both sheets
    assert [r[0].value for r in wb["Diskominfo"].iter_rows(min_row=4, max_col=1)] == [
        "Perizinan daring",
        "Puskesmas terhubung",
        "Puskesmas terhubung",
    ]


def test_number_and_status_cells_are_validated(form: Path) -> None:
    ws = openpyxl.load_workbook(form)["Dinkes"]
    kinds = {dv.type: str(dv.sqref) for dv in ws.data_validations.dataValidation}
    assert kinds == {"decimal": "G4:G5", "list": "H4:H5"}
    status = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list")
    assert status.formula1 == '"belum dimulai,sedang berjalan,selesai,dibatalkan"'


def test_the_round_and_masterplan_are_stored(form: Path) -> None:
    assert stored_masterplan(form) == "contoh"
    meta = {
        r[0]: r[1] for r in openpyxl.load_workbook(form)["_cityeval"].iter_rows(values_only=True)
    }
    assert meta["round"] == ROUND_ID and meta["year"] == 2019 and meta["format"] == 1


def test_filled_forms_are_read_back(form: Path, masterplan: Masterplan) -> None:
    fill(form, "Dinkes", {"G4": 6, "H4": "sedang berjalan", "G5": "2,5", "H5": "selesai"})
    fill(form, "Diskominfo", {"G4": 62, "H4": "completed", "I4": "SK Bupati 12/2019"})
    rnd = read_forms([form], masterplan, ROUND_ID)
    assert rnd.date == dt.date(2019, 6, 11) and rnd.year is None
    got = [
        (e.programme, e.indicator, e.status, e.realised, e.evidence, e.opd) for e in rnd.entries
    ]
    assert got == [
        ("perizinan", "permits-online", EntryStatus.COMPLETED, 62.0, "SK Bupati 12/2019",
         "diskominfo"),
        ("puskesmas", "connected", EntryStatus.IN_PROGRESS, 6.0, None, "dinkes"),
        ("puskesmas", "waiting-days", EntryStatus.COMPLETED, 2.5, None, "dinkes"),
    ]  # fmt: skip
    assert rnd.check_against(masterplan) == []


def test_a_round_written_and_read_back_is_the_same(masterplan: Masterplan, tmp_path: Path) -> None:
    rnd = loads_round(ROUND, masterplan=masterplan)
    path = tmp_path / "prefilled.xlsx"
    write_form(masterplan, rnd.id, path, year=2019, date=rnd.date, label=rnd.label, prefill=rnd)
    assert read_forms([path], masterplan, rnd.id) == rnd


def test_the_banyuasin_rounds_survive_a_form(tmp_path: Path) -> None:
    mp = get_masterplan("banyuasin")
    for round_id in ("2018-tahap-1", "2018-tahap-2", "2019-tahap-3"):
        rnd = get_round(mp, round_id)
        path = tmp_path / f"{round_id}.xlsx"
        write_form(
            mp, rnd.id, path, year=rnd.target_year, date=rnd.date, label=rnd.label, prefill=rnd
        )
        again = read_forms([path], mp, round_id)
        assert again.entries == rnd.entries and again.date == rnd.date


def test_forms_from_several_opds_are_merged(masterplan: Masterplan, tmp_path: Path) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for path in (a, b):
        write_form(masterplan, ROUND_ID, path, year=2019)
    fill(a, "Diskominfo", {"G4": 62, "H4": "selesai", "G5": 6, "H5": "sedang berjalan"})
    fill(b, "Dinkes", {"G4": 6, "H4": "sedang berjalan"})
    rnd = read_forms([a, b], masterplan, ROUND_ID, date=dt.date(2019, 6, 12))
    assert [(e.programme, e.indicator, e.opd) for e in rnd.entries] == [
        ("perizinan", "permits-online", "diskominfo"),
        ("puskesmas", "connected", "dinkes"),  # the programme's lead OPD, though read second
    ]


def test_conflicting_reports_are_refused(masterplan: Masterplan, tmp_path: Path) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for path in (a, b):
        write_form(masterplan, ROUND_ID, path, year=2019)
    fill(a, "Diskominfo", {"G5": 6, "H5": "sedang berjalan"})
    fill(b, "Dinkes", {"G4": 7, "H4": "sedang berjalan"})
    assert errors([a, b], masterplan) == (
        "b.xlsx: Dinkes!G4: programme 'puskesmas', indicator 'connected' is reported "
        "differently in a.xlsx: Diskominfo!G5 ('7' here, '6' there)"
    )


def test_bad_cells_are_reported_by_sheet_and_cell(form: Path, masterplan: Masterplan) -> None:
    fill(
        form,
        "Dinkes",
        {"G4": "lima puluh", "H4": "sedang berjalan", "G5": 3, "H5": "hampir selesai"},
    )
    fill(form, "Diskominfo", {"H4": "selesai", "I4": "lihat laporan"})
    assert errors([form], masterplan).splitlines() == [
        "form.xlsx: Diskominfo!G4: status 'selesai' (completed) needs a realised value",
        "form.xlsx: Dinkes!G4: expected a number, got 'lima puluh'",
        "form.xlsx: Dinkes!H5: expected one of 'belum dimulai', 'sedang berjalan', 'selesai', "
        "'dibatalkan', got 'hampir selesai'",
    ]


def test_a_value_without_a_status(form: Path, masterplan: Masterplan) -> None:
    fill(form, "Dinkes", {"G4": 4})
    assert errors([form], masterplan) == (
        "form.xlsx: Dinkes!H4: choose a status: a realised value or evidence is given"
    )


def test_tampered_ids(form: Path, masterplan: Masterplan) -> None:
    fill(
        form,
        "Dinkes",
        {"G4": 4, "H4": "selesai", "J4": "posyandu", "G5": 1, "H5": "selesai", "K5": "x"},
    )
    assert errors([form], masterplan).splitlines() == [
        "form.xlsx: Dinkes!J4: unknown programme 'posyandu' in masterplan 'contoh'",
        "form.xlsx: Dinkes!K5: programme 'puskesmas' has no indicator 'x'",
    ]


def test_not_a_workbook(masterplan: Masterplan, tmp_path: Path) -> None:
    empty = tmp_path / "form.xlsx"
    empty.write_bytes(b"")
    text = tmp_path / "text.xlsx"
    text.write_text("Program,Realisasi\n")
    zipped = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert errors([empty, text, zipped, tmp_path / "none.xlsx"], masterplan).splitlines() == [
        "form.xlsx: not a valid Excel workbook (.xlsx)",
        "text.xlsx: not a valid Excel workbook (.xlsx)",
        "zip.xlsx: not a valid Excel workbook (.xlsx)",
        "none.xlsx: file not found",
    ]


def test_a_workbook_that_is_not_a_form(masterplan: Masterplan, tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(path)
    assert errors([path], masterplan) == (
        "other.xlsx: not a cityeval evaluation form (its hidden sheet '_cityeval' is missing); "
        "write forms with `cityeval masterplan form`"
    )


def test_a_form_for_another_round(form: Path, masterplan: Masterplan) -> None:
    assert errors([form], masterplan, "2020-tahap-4") == (
        "form.xlsx: the form is for round '2019-tahap-3', not '2020-tahap-4'"
    )


def test_a_form_for_another_masterplan(form: Path) -> None:
    assert errors([form], get_masterplan("banyuasin")) == (
        "form.xlsx: the form is for masterplan 'contoh', not 'banyuasin'"
    )


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+62 811", "-5 hari", "@SUM(A1)"])
def test_text_that_looks_like_a_formula_stays_text(
    masterplan: Masterplan, tmp_path: Path, text: str
) -> None:
    rnd = loads_round(ROUND.replace("opd: dinkes}", f"opd: dinkes, evidence: '{text}'}}"))
    path = tmp_path / "form.xlsx"
    write_form(masterplan, rnd.id, path, year=2019, date=rnd.date, prefill=rnd)
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet3.xml").decode()  # Dinkes
        styles = zf.read("xl/styles.xml").decode()
    assert "<f>" not in sheet
    assert 'quotePrefix="1"' in styles
    cell = openpyxl.load_workbook(path)["Dinkes"]["I4"]
    assert cell.data_type == "s" and cell.value == text and cell.quotePrefix
    assert read_forms([path], masterplan, rnd.id).entry("puskesmas", "connected").evidence == text  # type: ignore[union-attr]


def test_status_labels_cover_every_status() -> None:
    assert set(STATUS_LABELS) == set(EntryStatus)

"""Collecting a round from one workbook per OPD: merged, conflicts named by both cells, and
the OPDs and programmes still missing listed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

openpyxl = pytest.importorskip("openpyxl")

from cityeval.errors import OutputError  # noqa: E402
from cityeval.masterplan import Masterplan, get_masterplan, get_round  # noqa: E402
from cityeval.masterplan.forms import (  # noqa: E402
    FormError,
    collect_forms,
    form_paths,
    write_forms,
)

ROUND_ID = "2019-tahap-3"
DATE = dt.date(2019, 6, 11)


def fill(path: Path, sheet: str, cells: dict[str, object]) -> None:
    wb = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(path)


@pytest.fixture
def forms(masterplan: Masterplan, tmp_path: Path) -> Path:
    folder = tmp_path / "forms"
    write_forms(masterplan, ROUND_ID, folder, year=2019, date=DATE)
    return folder


def test_one_workbook_per_opd_with_only_its_programmes(
    masterplan: Masterplan, forms: Path
) -> None:
    assert sorted(p.name for p in forms.iterdir()) == ["form-dinkes.xlsx", "form-diskominfo.xlsx"]
    dinkes = openpyxl.load_workbook(forms / "form-dinkes.xlsx")
    assert dinkes.sheetnames == ["Petunjuk", "Dinkes", "_cityeval"]
    ids = [r[0].value for r in dinkes["Dinkes"].iter_rows(min_row=4, min_col=10, max_col=10)]
    assert ids == ["puskesmas", "puskesmas"]
    kominfo = openpyxl.load_workbook(forms / "form-diskominfo.xlsx")["Diskominfo"]
    ids = [r[0].value for r in kominfo.iter_rows(min_row=4, min_col=10, max_col=10)]
    assert ids == ["perizinan", "puskesmas", "puskesmas"]  # its own, and the shared one


def test_combined_writes_one_workbook(masterplan: Masterplan, tmp_path: Path) -> None:
    (written,) = write_forms(masterplan, ROUND_ID, tmp_path, year=2019, combined=True)
    assert written.file == "form.xlsx"
    assert written.sheets == (("diskominfo", "Diskominfo"), ("dinkes", "Dinkes"))


def test_the_forms_are_written_as_one_set(
    masterplan: Masterplan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure on the second workbook leaves no first workbook behind."""
    from cityeval.masterplan.forms import write as write_module

    real = write_module.form_workbook_bytes
    calls = []

    def failing(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(write_module, "form_workbook_bytes", failing)
    with pytest.raises(OSError, match="No space left"):
        write_forms(masterplan, ROUND_ID, tmp_path / "forms", year=2019)
    assert not (tmp_path / "forms").exists()
    assert [p.name for p in tmp_path.iterdir()] == []


def test_a_folder_that_is_a_file_is_an_output_error(
    masterplan: Masterplan, tmp_path: Path
) -> None:
    file = tmp_path / "forms"
    file.write_text("")
    with pytest.raises(OutputError):
        write_forms(masterplan, ROUND_ID, file, year=2019)


def test_one_opd_missing_is_reported(masterplan: Masterplan, forms: Path) -> None:
    fill(forms / "form-diskominfo.xlsx", "Diskominfo", {"G4": 62, "H4": "selesai"})
    col = collect_forms([forms / "form-diskominfo.xlsx"], masterplan, ROUND_ID)
    assert col.returned == ("diskominfo",) and col.missing == ("dinkes",)
    assert col.round.date == DATE
    assert col.unrealised == (("puskesmas", ("connected", "waiting-days")),)
    # the empty form of Dinkes, sent back as it was, does not count as an answer
    col = collect_forms([forms], masterplan, ROUND_ID)
    assert col.files == ("form-dinkes.xlsx", "form-diskominfo.xlsx") and col.missing == ("dinkes",)


def test_every_opd_back_and_cancelled_programmes_need_no_value(
    masterplan: Masterplan, forms: Path
) -> None:
    fill(forms / "form-diskominfo.xlsx", "Diskominfo", {"G4": 62, "H4": "selesai"})
    fill(
        forms / "form-dinkes.xlsx",
        "Dinkes",
        {"G4": 6, "H4": "sedang berjalan", "H5": "dibatalkan"},
    )
    col = collect_forms([forms], masterplan, ROUND_ID)
    assert col.missing == () and col.returned == ("diskominfo", "dinkes")
    assert col.unrealised == ()


def test_a_conflict_names_both_cells(masterplan: Masterplan, forms: Path) -> None:
    fill(forms / "form-diskominfo.xlsx", "Diskominfo", {"G5": 6, "H5": "sedang berjalan"})
    fill(forms / "form-dinkes.xlsx", "Dinkes", {"G4": 6, "H4": "selesai"})
    with pytest.raises(FormError) as exc:
        collect_forms([forms], masterplan, ROUND_ID)
    assert str(exc.value) == (
        "form-diskominfo.xlsx: Diskominfo!H5: programme 'puskesmas', indicator 'connected' is "
        "reported differently in form-dinkes.xlsx: Dinkes!H4 ('sedang berjalan' here, "
        "'selesai' there)"
    )
    (problem,) = exc.value.problems
    assert (problem.file, problem.sheet, problem.cell) == (
        "form-diskominfo.xlsx",
        "Diskominfo",
        "H5",
    )


def test_the_same_workbook_twice_is_merged(masterplan: Masterplan, forms: Path) -> None:
    path = forms / "form-dinkes.xlsx"
    fill(path, "Dinkes", {"G4": 6, "H4": "sedang berjalan"})
    assert len(collect_forms([path, path], masterplan, ROUND_ID).round.entries) == 1


def test_no_date_anywhere_is_refused_not_stamped_today(
    masterplan: Masterplan, tmp_path: Path
) -> None:
    folder = tmp_path / "nodate"
    write_forms(masterplan, ROUND_ID, folder, year=2019)
    fill(folder / "form-dinkes.xlsx", "Dinkes", {"G4": 6, "H4": "sedang berjalan"})
    with pytest.raises(FormError) as exc:
        collect_forms([folder], masterplan, ROUND_ID)
    assert "give the date the round took place (--date YYYY-MM-DD)" in str(exc.value)
    assert collect_forms([folder], masterplan, ROUND_ID, date=DATE).round.date == DATE


def test_problems_of_several_workbooks_in_one_run(masterplan: Masterplan, forms: Path) -> None:
    fill(forms / "form-diskominfo.xlsx", "Diskominfo", {"G4": "banyak", "H4": "selesai"})
    fill(forms / "form-dinkes.xlsx", "Dinkes", {"G4": 6, "H4": "hampir"})
    with pytest.raises(FormError) as exc:
        collect_forms([forms], masterplan, ROUND_ID)
    assert [(p.file, p.cell) for p in exc.value.problems] == [
        ("form-dinkes.xlsx", "H4"),
        ("form-diskominfo.xlsx", "G4"),
    ]


def test_folders_skip_lock_files_and_other_files(tmp_path: Path) -> None:
    (tmp_path / "form-a.xlsx").write_bytes(b"")
    (tmp_path / "~$form-a.xlsx").write_bytes(b"")
    (tmp_path / ".hidden.xlsx").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("")
    other = tmp_path / "other.xlsx"
    assert form_paths([tmp_path, other]) == [tmp_path / "form-a.xlsx", other]


def test_banyuasin_forms_per_opd_round_trip(tmp_path: Path) -> None:
    mp = get_masterplan("banyuasin")
    rnd = get_round(mp, ROUND_ID)
    written = write_forms(mp, rnd.id, tmp_path, year=rnd.target_year, date=rnd.date, prefill=rnd)
    assert len(written) == len([o for o in mp.opds if mp.programmes_of(o.id)])
    col = collect_forms([tmp_path], mp, rnd.id, label=rnd.label)
    assert col.round.entries == rnd.entries and col.round.date == rnd.date

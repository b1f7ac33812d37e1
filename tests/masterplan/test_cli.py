"""``cityeval masterplan``: init, validate, form, collect, through the real error boundary."""

from __future__ import annotations

from pathlib import Path

import pytest

from cityeval.cli import app as app_module
from cityeval.cli import masterplan as masterplan_cli
from cityeval.masterplan import get_round, load_masterplan, load_round

pytest.importorskip("openpyxl")


@pytest.fixture(autouse=True)
def mounted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Mount the group as ``cityeval masterplan``, as the application will."""
    build = app_module.build_app

    def build_with_masterplan(*args: object) -> object:
        app = build(*args)
        app.add_typer(masterplan_cli.app, name="masterplan")
        return app

    monkeypatch.setattr(app_module, "build_app", build_with_masterplan)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = app_module.run(["masterplan", *map(str, args)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_init_validate_form_collect(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    mp_file = tmp_path / "masterplan.yaml"
    status, out, _ = run(
        capsys, "init", "--regency", "Ogan Ilir", "--code", "16.10", "--start", "2024",
        "--out", mp_file,
    )  # fmt: skip
    assert status == 0
    assert out == (
        f"{mp_file}: wrote masterplan 'ogan-ilir' of Kabupaten Ogan Ilir (2024-2028, framework "
        "'gerakan100'): 6 programmes under 6 dimensions, 6 indicators, 2 OPDs\n"
    )
    assert run(capsys, "init", "--regency", "X", "--out", mp_file)[2] == (
        f"error: {mp_file}: already exists; add --force to replace it\n"
    )
    assert run(capsys, "validate", mp_file)[:2] == (
        0,
        "masterplan.yaml: valid masterplan 'ogan-ilir' of Kabupaten Ogan Ilir (2024-2028, "
        "framework 'gerakan100'): 6 programmes under 6 dimensions, 6 indicators, 2 OPDs\n",
    )
    forms = tmp_path / "forms"
    status, out, _ = run(capsys, "form", mp_file, "--round", "2025-tahap-1", "--out", forms)
    assert status == 0
    assert out.splitlines() == [
        f"evaluation forms for round '2025-tahap-1' (2025) of masterplan 'ogan-ilir': "
        f"2 workbooks in {forms}",
        f"  {forms / 'form-bappeda.xlsx'}: Bappeda",
        f"  {forms / 'form-diskominfo.xlsx'}: Diskominfo",
    ]
    form = forms / "form-bappeda.xlsx"
    wb = openpyxl.load_workbook(form)
    assert wb.sheetnames == ["Petunjuk", "Bappeda", "_cityeval"]
    wb["Bappeda"]["G4"] = 30
    wb["Bappeda"]["H4"] = "sedang berjalan"
    wb.save(form)
    round_file = tmp_path / "round.yaml"
    assert run(capsys, "collect", form, "--round", "2025-tahap-1", "--out", round_file)[2] == (
        "error: unknown masterplan 'ogan-ilir' (registered: banyuasin); give the masterplan "
        "file with --masterplan\n"
    )
    # the form was written without a date: collecting asks for one instead of stamping today
    status, _, err = run(
        capsys, "collect", form, "--round", "2025-tahap-1", "--masterplan", mp_file,
        "--out", round_file,
    )  # fmt: skip
    assert status == 2 and not round_file.exists()
    assert err == (
        "error: form-bappeda.xlsx: the forms record no date for round '2025-tahap-1'; give the "
        "date the round took place (--date YYYY-MM-DD)\n"
    )
    status, out, _ = run(
        capsys, "collect", forms, "--round", "2025-tahap-1", "--date", "2025-06-30",
        "--masterplan", mp_file, "--out", round_file,
    )  # fmt: skip
    assert status == 0
    assert out.splitlines()[:2] == [
        f"{round_file}: wrote round '2025-tahap-1' (2025-06-30): 1 entries (1 in progress)",
        "forms back from 1 of 2 OPDs: Bappeda",
    ]
    assert out.splitlines()[2].startswith("OPDs whose forms have not come back: Diskominfo (")
    assert "programmes with no realisation yet:" in out
    rnd = load_round(round_file, masterplan=load_masterplan(mp_file))
    assert rnd.entries[0].realised == 30 and rnd.entries[0].opd == "bappeda"


def test_form_refuses_a_workbook_name_without_combined(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run(
        capsys, "form", "banyuasin", "--round", "2019-tahap-3", "--out", tmp_path / "f.xlsx"
    )
    assert status == 2 and "add --combined for one workbook" in err
    assert list(tmp_path.iterdir()) == []


def test_form_combined_and_lang(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    out_file = tmp_path / "semua.xlsx"
    status, out, _ = run(
        capsys, "form", "banyuasin", "--round", "2019-tahap-3", "--combined", "--out", out_file,
        "--lang", "en",
    )  # fmt: skip
    assert status == 0 and out.splitlines()[1].startswith(
        f"  {out_file}: Bappeda Litbang, Diskominfo, "
    )
    assert len(openpyxl.load_workbook(out_file).sheetnames) > 5
    assert (
        run(
            capsys, "form", "banyuasin", "--round", "2019-tahap-3", "--combined", "--out", out_file
        )[2]
        == f"error: {out_file}: already exists; add --force to replace it\n"
    )
    status, _, err = run(capsys, "validate", "banyuasin", "--lang", "fr")
    assert status == 2 and "expected id or en, got 'fr'" in err


def test_validate_prints_every_problem_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.yaml"
    run(capsys, "init", "--regency", "X", "--start", "2024", "--out", path)
    text = path.read_text().replace('"governance.service"', '"living.health"')
    path.write_text(text.replace("targets: {2025: 50", "targets: {2025: lima puluh", 1))
    status, out, err = run(capsys, "validate", path)
    assert status == 2 and out == ""
    assert err.splitlines() == [
        "error: bad.yaml: programmes[0].indicators[0].targets.2025: expected a number, got "
        "'lima puluh'",
    ]
    path.write_text(text)
    assert run(capsys, "validate", path)[2].splitlines() == [
        "error: bad.yaml: programmes[0].element: 'living.health' is an element of 'living', not "
        "of 'governance' (elements of 'governance': governance.service, governance.bureaucracy, "
        "governance.policy)",
    ]


def test_validate_a_registered_masterplan_and_its_rounds(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "validate", "banyuasin", "--round", "2019-tahap-3")
    assert status == 0
    assert out.splitlines()[1] == (
        "2019-tahap-3: valid round '2019-tahap-3' (2019-06-11): 19 entries (1 cancelled, "
        "4 completed, 12 in progress, 2 not started)"
    )
    assert run(capsys, "validate", "banyuasin", "--round", "2020-tahap-4")[2] == (
        "error: unknown round '2020-tahap-4' (rounds: 2018-tahap-1, 2018-tahap-2, 2019-tahap-3)\n"
    )


def test_collect_writes_nothing_when_a_cell_is_bad(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    forms = tmp_path / "forms"
    assert run(capsys, "form", "banyuasin", "--round", "2019-tahap-3", "--out", forms)[0] == 0
    form = forms / "form-dinkes.xlsx"
    wb = openpyxl.load_workbook(form)
    wb["Dinkes"]["G4"] = "lima puluh"
    wb.save(form)
    out_file = tmp_path / "round.yaml"
    status, _, err = run(capsys, "collect", forms, "--round", "2019-tahap-3", "--out", out_file)
    assert status == 2
    assert err == "error: form-dinkes.xlsx: Dinkes!G4: expected a number, got 'lima puluh'\n"
    assert not out_file.exists() and list(tmp_path.iterdir()) == [forms]


def test_a_registered_round_prefills_the_forms_and_keeps_its_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    forms = tmp_path / "forms"
    run(capsys, "form", "banyuasin", "--round", "2018-tahap-2", "--out", forms)
    out_file = tmp_path / "round.yaml"
    status, _o, _ = run(capsys, "collect", forms, "--round", "2018-tahap-2", "--out", out_file)
    assert status == 0
    from cityeval.masterplan import get_masterplan

    mp = get_masterplan("banyuasin")
    known = get_round(mp, "2018-tahap-2")
    collected = load_round(out_file, masterplan=mp)
    assert collected.entries == known.entries and collected.date == known.date


def test_collect_takes_a_registered_rounds_date_over_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A form written without --date for a past, registered round gets that round's date."""
    import openpyxl

    forms = tmp_path / "forms"
    run(capsys, "form", "banyuasin", "--round", "2019-tahap-3", "--out", forms)
    for form in forms.iterdir():  # as if written before the round had a date
        wb = openpyxl.load_workbook(form)
        meta = wb["_cityeval"]
        for row in meta.iter_rows():
            if row[0].value == "date":
                row[1].value = None
        wb.save(form)
    out_file = tmp_path / "round.yaml"
    assert run(capsys, "collect", forms, "--round", "2019-tahap-3", "--out", out_file)[0] == 0
    from cityeval.masterplan import get_masterplan

    mp = get_masterplan("banyuasin")
    assert load_round(out_file, masterplan=mp).date == get_round(mp, "2019-tahap-3").date


def test_a_new_round_needs_a_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "form", "banyuasin", "--round", "tahap-4", "--out", tmp_path)
    assert status == 2 and "cannot tell the year of round 'tahap-4'" in err


def test_labels_with_escape_sequences_are_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    mp_file = tmp_path / "masterplan.yaml"
    run(capsys, "init", "--regency", "X", "--start", "2024", "--out", mp_file)
    text = mp_file.read_text().replace(
        '"Dinas Komunikasi dan Informatika"', '"Dinas \\u001b[31mMerah\\u001b[0m"'
    )
    mp_file.write_text(text)
    forms = tmp_path / "forms"
    assert run(capsys, "form", mp_file, "--round", "2025-tahap-1", "--date", "2025-06-30",
               "--out", forms)[0] == 0  # fmt: skip
    kominfo = openpyxl.load_workbook(forms / "form-diskominfo.xlsx")["Diskominfo"]
    assert kominfo["A1"].value == "Dinas \\x1b[31mMerah\\x1b[0m (Diskominfo)"  # no crash
    wb = openpyxl.load_workbook(forms / "form-bappeda.xlsx")
    wb["Bappeda"]["G4"] = 10
    wb["Bappeda"]["H4"] = "sedang berjalan"
    wb.save(forms / "form-bappeda.xlsx")
    status, out, _ = run(
        capsys, "collect", forms, "--round", "2025-tahap-1", "--masterplan", mp_file,
        "--out", tmp_path / "r.yaml", "--lang", "id",
    )  # fmt: skip
    assert status == 0
    assert "\x1b" not in out and "Dinas \\x1b[31mMerah\\x1b[0m" in out

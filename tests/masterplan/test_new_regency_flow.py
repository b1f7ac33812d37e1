"""A new regency, as the tutorial walks it: init, validate, form, collect, evaluate, no code.

Every step is the command line a Diskominfo officer types; the only Python here fills the
Excel form, standing in for the OPDs.
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import pytest

from cityeval.cli import main

openpyxl = pytest.importorskip("openpyxl")


def run(*args: str) -> int:
    return main(list(args))


def test_from_an_empty_folder_to_the_first_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(
        "masterplan", "init", "--regency", "Ogan Ilir", "--province", "Sumatera Selatan",
        "--code", "16.10", "--start", "2024", "--out", "masterplan.yaml",
    ) == 0  # fmt: skip
    assert run("masterplan", "validate", "masterplan.yaml") == 0
    assert (
        run(
            "masterplan",
            "form",
            "masterplan.yaml",
            "--round",
            "2025-tahap-1",
            "--out",
            "form.xlsx",
        )
        == 0
    )

    # the OPDs fill in their sheets
    workbook = openpyxl.load_workbook("form.xlsx")
    values = itertools.cycle([40, 55, 20, 50, 10, 35])
    filled = 0
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible" or sheet.title == "Petunjuk":
            continue
        header = [c.value for c in sheet[3]]
        col = {name: header.index(name) + 1 for name in header if name}
        realised = next(k for k in col if str(k).startswith("Realisasi"))
        for row in range(4, sheet.max_row + 1):
            if sheet.cell(row, col["id program"]).value:
                v = next(values)
                sheet.cell(row, col[realised]).value = v
                sheet.cell(row, col["Status"]).value = "selesai" if v >= 50 else "sedang berjalan"
                sheet.cell(row, col["Bukti / keterangan"]).value = "laporan triwulan"
                filled += 1
    workbook.save("form-filled.xlsx")
    assert filled > 0

    assert run(
        "masterplan", "collect", "form-filled.xlsx", "--round", "2025-tahap-1",
        "--masterplan", "masterplan.yaml", "--date", "2025-06-30", "--out", "round-2025-1.yaml",
    ) == 0  # fmt: skip
    capsys.readouterr()
    assert (
        run(
            "evaluate",
            "masterplan.yaml",
            "--round",
            "round-2025-1.yaml",
            "--lang",
            "id",
            "--out",
            "laporan",
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "Kabupaten Ogan Ilir" in printed
    assert sorted(os.listdir("laporan")) == [
        "report.docx",
        "report.html",
        "scorecard.csv",
        "scorecard.json",
        "scorecard.xlsx",
        "summary.md",
    ]
    card = json.loads(Path("laporan/scorecard.json").read_text(encoding="utf-8"))
    assert card["round"]["id"] == "2025-tahap-1"
    assert card["overall"]["score"] is not None
    assert len([n for n in card["nodes"] if n["level"] == "dimension"]) == 6

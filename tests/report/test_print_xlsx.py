"""The xlsx scorecard and the OPDs' forms carry A4 page setup: read back with openpyxl."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from cityeval.masterplan import get_masterplan, get_round
from cityeval.masterplan.evaluation import Scorecard
from cityeval.masterplan.forms import write_forms
from cityeval.masterplan.forms.print_setup import PAPER_A4, header_text
from cityeval.report.scorecard_files import scorecard_xlsx
from cityeval.report.xlsx_print import PORTRAIT_WIDTH, print_width

openpyxl = pytest.importorskip("openpyxl")


def _assert_a4(ws: Any, *, landscape: bool, title_rows: str | None, left: str, right: str) -> None:
    setup = ws.page_setup
    assert int(setup.paperSize) == PAPER_A4, ws.title
    assert setup.orientation == ("landscape" if landscape else "portrait"), ws.title
    # fitToWidth left out means 1, its default in ECMA-376 (XlsxWriter writes only the height).
    assert int(setup.fitToWidth or 1) == 1 and int(setup.fitToHeight) == 0, ws.title
    assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    assert ws.print_title_rows == title_rows, ws.title
    assert ws.oddHeader.left.text == header_text(left), ws.title
    assert ws.oddHeader.right.text == header_text(right), ws.title
    assert ws.oddFooter.center.text == "&P / &N", ws.title


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_scorecard_sheet_prints_on_a4(banyuasin: Scorecard, lang: str) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(scorecard_xlsx(banyuasin, lang)))  # type: ignore[arg-type]
    round_word = "Tahap evaluasi" if lang == "id" else "Evaluation round"
    right = f"{round_word}: {banyuasin.round.label.text(lang)} ({banyuasin.round.id})"  # type: ignore[arg-type]
    orientations = set()
    for ws in wb.worksheets:
        wide = print_width(ws) > PORTRAIT_WIDTH
        orientations.add(wide)
        _assert_a4(ws, landscape=wide, title_rows="$1:$1", left="Kabupaten Banyuasin", right=right)
    assert orientations == {True, False}  # the programme lists are wide, the summary is not
    programmes = wb.worksheets[2]
    assert programmes.page_setup.orientation == "landscape"


def test_every_form_sheet_prints_on_a4(tmp_path: Path) -> None:
    mp = get_masterplan("banyuasin")
    rnd = get_round(mp, "2019-tahap-3")
    written = write_forms(mp, rnd.id, tmp_path, year=2019, date=rnd.date, prefill=rnd)
    right = "Putaran evaluasi 2019-tahap-3, tahun 2019"
    for form in written:
        wb = openpyxl.load_workbook(tmp_path / form.file)
        guide = wb["Petunjuk"]
        _assert_a4(guide, landscape=False, title_rows=None, left=mp.regency.title, right=right)
        for _opd, sheet in form.sheets:
            ws = wb[sheet]
            _assert_a4(ws, landscape=True, title_rows="$3:$3", left=mp.regency.title, right=right)
            assert ws.print_area == f"'{sheet}'!$A$1:$I${ws.max_row}"  # hidden id columns out


def test_an_ampersand_in_a_name_is_not_a_header_code() -> None:
    assert header_text("Dinas A & B") == "Dinas A && B"

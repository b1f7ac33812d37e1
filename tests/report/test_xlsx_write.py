"""The XlsxWriter workbook writer: cells, formats and page setup as openpyxl reads them back."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cityeval.report.xlsx_write import Sheet, cell_text, page_header, workbook_bytes

openpyxl = pytest.importorskip("openpyxl")


def _book(*sheets: Sheet, left: str = "Kabupaten A & B", right: str = "Round 1") -> object:
    data = workbook_bytes(sheets, header_left=left, header_right=right, portrait_width=120.0)
    return openpyxl.load_workbook(io.BytesIO(data))


def test_cells_read_back_as_written() -> None:
    sheet = Sheet("Data")
    sheet.add(["Name", "Count", "Score"], header=True)
    sheet.add(["=1+1", 3, 2.25])
    sheet.add(["esc\x1bape", None, True])
    sheet.add(["https://example.org", -1, float("nan")])
    ws = _book(sheet)["Data"]  # type: ignore[index]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["Name", "Count", "Score"]
    assert rows[1] == ["=1+1", 3, 2.25]
    assert rows[2] == ["esc\\x1bape", None, "True"]  # control characters escaped, as put_text
    assert rows[3][:2] == ["https://example.org", -1]
    assert ws["A2"].data_type == "s" and ws["A2"].quotePrefix  # a formula stays text
    assert ws["A4"].hyperlink is None  # a link stays text
    assert ws["B2"].number_format == "0" and ws["C2"].number_format == "0.0"
    assert ws["A1"].font.bold and not ws["A2"].font.bold


def test_all_decimal_and_frozen_header() -> None:
    sheet = Sheet("Why", all_decimal=True, freeze_header=True)
    sheet.add(["Node", "Change"], header=True, fit=False)
    sheet.add(["a", 2])
    ws = _book(sheet)["Why"]  # type: ignore[index]
    assert ws["B2"].number_format == "0.0"
    assert ws.freeze_panes == "A2"


def test_widths_and_orientation() -> None:
    narrow, wide = Sheet("Narrow"), Sheet("Wide")
    narrow.add(["x" * 10, "y"])
    wide.add(["x" * 70] * 3)  # three columns of 60: wider than 120
    wb = _book(narrow, wide)
    assert wb["Narrow"].page_setup.orientation == "portrait"  # type: ignore[index]
    assert wb["Wide"].page_setup.orientation == "landscape"  # type: ignore[index]
    assert narrow.widths == {1: 12, 2: 8} and wide.print_width() == 180
    assert wb["Narrow"].column_dimensions["A"].width == pytest.approx(12, abs=1)  # type: ignore[index]


def test_page_header_doubles_ampersands_and_fits_excel() -> None:
    ws = _book(Sheet("S"))["S"]  # type: ignore[index]
    assert ws.oddHeader.left.text == "Kabupaten A && B"
    assert ws.oddHeader.right.text == "Round 1"
    assert ws.oddFooter.center.text == "&P / &N"
    long = page_header("A&" * 200, "B" * 300)
    assert len(long) <= 255 and long.startswith("&L&9A&&A&&")
    assert "&R&9B" in long


@given(st.text(max_size=20))
def test_cell_text_follows_put_text(text: str) -> None:
    from cityeval.masterplan.forms import put_text

    cell = openpyxl.Workbook().active.cell(row=1, column=1)
    put_text(cell, text)
    value, quote = cell_text(text)
    assert value == cell.value
    assert quote == bool(cell.quotePrefix)

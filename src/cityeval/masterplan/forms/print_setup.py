"""A4 page setup for an openpyxl worksheet: what a form or a scorecard sheet needs to print.

Paper A4, portrait or landscape, scaled to one page wide (as many pages tall as it takes),
the header rows repeated on every page, the regency and the round in the page header and
"page N of M" in the footer. Works on any openpyxl worksheet; imports nothing heavy itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["PAPER_A4", "a4_page_setup", "header_text"]

#: The paper size code of A4 in SpreadsheetML (ECMA-376 ``ST_PaperSize``).
PAPER_A4 = 9


def header_text(text: str) -> str:
    """``text`` safe for an Excel page header: ``&`` starts a header code, so it is doubled."""
    return text.replace("&", "&&")


def a4_page_setup(
    ws: Worksheet,
    *,
    landscape: bool,
    header_rows: tuple[int, int] | None,
    header_left: str,
    header_right: str,
) -> None:
    """Set ``ws`` to print on A4, one page wide, with a running header and page numbers.

    Parameters
    ----------
    ws : openpyxl Worksheet
        Changed in place.
    landscape : bool
        Landscape for wide sheets, portrait otherwise.
    header_rows : (int, int), optional
        The first and last row to repeat at the top of every page (1-based).
    header_left, header_right : str
        The page header's left part (the regency) and right part (the round); plain text.
    """
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    from openpyxl.worksheet.properties import PageSetupProperties

    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    if header_rows is not None:
        first, last = header_rows
        ws.print_title_rows = f"{first}:{last}"
    # Only the odd-page header and footer: openpyxl uses them for every page unless
    # different first or even pages are switched on.
    header, footer = ws.oddHeader, ws.oddFooter
    assert header is not None and footer is not None
    assert header.left is not None and header.right is not None and footer.center is not None
    header.left.text = header_text(header_left)
    header.left.size = header.right.size = 9
    header.right.text = header_text(header_right)
    footer.center.text = "&P / &N"
    footer.center.size = 9

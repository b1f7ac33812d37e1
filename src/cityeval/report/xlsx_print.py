"""Page setup of the Excel scorecard: every sheet prints on A4, one page wide.

Wide sheets (the programme lists) print landscape, narrow ones portrait; the header row is
repeated on every page, the regency and the round stand in the page header and the page
number in the footer (:func:`cityeval.report.xlsx_write.workbook_bytes` sets them, with the
settings :func:`~cityeval.masterplan.forms.print_setup.a4_page_setup` gives the OPDs' forms).
:func:`print_width` measures a worksheet read back with openpyxl the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cityeval.masterplan.evaluation import Scorecard
from cityeval.model import Lang
from cityeval.report.i18n import word

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["PORTRAIT_WIDTH", "print_header", "print_width"]

#: The widest sheet (in Excel's column-width units, about 1.9 mm each at the default font)
#: that prints portrait: fitted to A4's 190 mm it is shrunk to about 80%, still readable;
#: wider sheets print landscape.
PORTRAIT_WIDTH = 120.0

_DEFAULT_WIDTH = 8.43  # Excel's default column width


def print_width(ws: Worksheet) -> float:
    """The width of the used columns of the openpyxl worksheet ``ws``, in Excel's column-width
    units (a width given to a range of columns, ``<col min="3" max="4">``, counts for each)."""
    widths: dict[int, float | None] = {}
    for dim in ws.column_dimensions.values():
        first, last = dim.min or 0, dim.max or dim.min or 0
        for col in range(first, last + 1):
            widths[col] = None if dim.hidden else float(dim.width or _DEFAULT_WIDTH)
    total = 0.0
    for col in range(1, ws.max_column + 1):
        width = widths.get(col, _DEFAULT_WIDTH)
        if width is not None:
            total += width
    return total


def print_header(sc: Scorecard, lang: Lang) -> tuple[str, str]:
    """The page header's left part (the regency) and right part (the round) of every sheet."""
    rnd = sc.round
    left = sc.masterplan.regency.title
    right = f"{word('round', lang)}: {rnd.label.text(lang)} ({rnd.id})"
    return left, right

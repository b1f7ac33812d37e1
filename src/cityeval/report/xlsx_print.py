"""Page setup of the Excel scorecard: every sheet prints on A4, one page wide.

Wide sheets (the programme lists) print landscape, narrow ones portrait; the header row is
repeated on every page, the regency and the round stand in the page header and the page
number in the footer. The sheet-level work is
:func:`~cityeval.masterplan.forms.print_setup.a4_page_setup`, shared with the OPDs' forms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cityeval.masterplan.evaluation import Scorecard
from cityeval.masterplan.forms.print_setup import a4_page_setup
from cityeval.model import Lang
from cityeval.report.i18n import word

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["PORTRAIT_WIDTH", "print_width", "scorecard_print_setup"]

#: The widest sheet (in Excel's column-width units, about 1.9 mm each at the default font)
#: that prints portrait: fitted to A4's 190 mm it is shrunk to about 80%, still readable;
#: wider sheets print landscape.
PORTRAIT_WIDTH = 120.0

_DEFAULT_WIDTH = 8.43  # Excel's default column width


def print_width(ws: Worksheet) -> float:
    """The width of the used columns of ``ws``, in Excel's column-width units."""
    from openpyxl.utils import get_column_letter

    total = 0.0
    for col in range(1, ws.max_column + 1):
        dim = ws.column_dimensions.get(get_column_letter(col))
        if dim is not None and dim.hidden:
            continue
        width = dim.width if dim is not None and dim.width else _DEFAULT_WIDTH
        total += float(width)
    return total


def scorecard_print_setup(wb: Workbook, sc: Scorecard, lang: Lang) -> None:
    """Set every sheet of the scorecard workbook ``wb`` to print on A4.

    The first row of each sheet (its title or its table header) repeats on every page.
    """
    rnd = sc.round
    left = sc.masterplan.regency.title
    right = f"{word('round', lang)}: {rnd.label.text(lang)} ({rnd.id})"
    for ws in wb.worksheets:
        a4_page_setup(
            ws,
            landscape=print_width(ws) > PORTRAIT_WIDTH,
            header_rows=(1, 1),
            header_left=left,
            header_right=right,
        )

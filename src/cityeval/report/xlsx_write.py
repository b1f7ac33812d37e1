"""Sheets of rows to an ``.xlsx`` workbook, with XlsxWriter: text never a formula, A4 pages.

The scorecard's workbook (:func:`cityeval.report.scorecard_files.scorecard_xlsx`) is built as
plain :class:`Sheet` objects (rows of values) and written here in one go. XlsxWriter (the
``report`` extra) imports in about a third of openpyxl's time and writes a workbook this
size several times faster; the workbook holds the same cells, number formats, bold headers,
column widths and page setup as the openpyxl one did, and reads back the same with openpyxl.

Cells:

- a number (``int`` or ``float``, not ``bool``) is a number, shown with no decimal (an
  ``int``) or one (a ``float``; or every number of a sheet with ``all_decimal``);
- anything else is text, written as a string (never a formula, a number or a link), with
  Excel's quote prefix when it begins like a formula (``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return: :data:`FORMULA_START`, the rule of
  :func:`cityeval.masterplan.forms.put_text`), and with the control characters a workbook
  cannot hold written escaped (``\\x1b``), as ``put_text`` does;
- ``None`` leaves the cell empty.

Every sheet prints on A4 (:func:`cityeval.masterplan.forms.print_setup.a4_page_setup`'s
settings): one page wide, landscape when its columns are wider than
:data:`~cityeval.report.xlsx_print.PORTRAIT_WIDTH`, its first row repeated on every page, a
running header and page numbers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from attrs import define, field

from cityeval.errors import CityevalError
from cityeval.i18n import _

__all__ = ["FORMULA_START", "Sheet", "cell_text", "workbook_bytes"]

#: Text beginning with one of these would be read as a formula: it gets the quote prefix.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: Characters a workbook cannot hold (openpyxl's ``ILLEGAL_CHARACTERS_RE``).
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

#: Excel's default column width, in its column-width units.
DEFAULT_WIDTH = 8.43

#: Excel's limit on a page header's length; longer texts are shortened to fit.
_HEADER_LIMIT = 255

#: The paper size code of A4 in SpreadsheetML (ECMA-376 ``ST_PaperSize``).
_PAPER_A4 = 9


def cell_text(text: str) -> tuple[str, bool]:
    """``text`` as a workbook holds it, and whether it needs the quote prefix.

    >>> cell_text("=1+1")
    ('=1+1', True)
    >>> cell_text("a\\x1bb")
    ('a\\\\x1bb', False)
    """
    text = _ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text, text.startswith(FORMULA_START)


@define
class Sheet:
    """One sheet's rows, written by :func:`workbook_bytes`.

    Attributes
    ----------
    name : str
        The sheet's name (at most 31 characters, none of ``[]:*?/\\``).
    rows : list of (list, bool)
        Each row's values from column A, and whether it is a header row (bold).
    widths : dict of int to float
        Column widths by column number (1-based); columns not named keep Excel's default.
    all_decimal : bool
        Every number shown with one decimal (otherwise an ``int`` has none).
    freeze_header : bool
        The first row stays in view while scrolling.
    """

    name: str
    rows: list[tuple[list[object], bool]] = field(factory=list)
    widths: dict[int, float] = field(factory=dict)
    all_decimal: bool = False
    freeze_header: bool = False

    def add(self, values: Sequence[object], *, header: bool = False, fit: bool = True) -> None:
        """Append a row; with ``fit``, widen its columns to their text (8 to 60 units)."""
        self.rows.append((list(values), header))
        if fit:
            for col, value in enumerate(values, start=1):
                width = len(str(value)) if value is not None else 0
                self.widths[col] = max(self.widths.get(col, 8), min(width + 2, 60))

    def blank(self) -> None:
        """Leave a row empty."""
        self.rows.append(([], False))

    @property
    def max_column(self) -> int:
        """The number of the last column with a value (0 for an empty sheet)."""
        return max((len(values) for values, _ in self.rows), default=0)

    def print_width(self) -> float:
        """The width of the used columns, in Excel's column-width units (as
        :func:`cityeval.report.xlsx_print.print_width` measures a worksheet)."""
        return sum(self.widths.get(c, DEFAULT_WIDTH) for c in range(1, self.max_column + 1))


def _xlsxwriter() -> Any:
    try:
        import xlsxwriter
    except ImportError:  # pragma: no cover - depends on the environment
        raise CityevalError(
            _("the Excel scorecard needs XlsxWriter: pip install 'cityeval[report]'")
        ) from None
    return xlsxwriter


def _header_text(text: str, limit: int) -> str:
    """``text`` for a page header: ``&`` doubled (it starts a header code), at most ``limit``
    characters (a doubled ``&`` is never cut in half)."""
    out = text.replace("&", "&&")
    if len(out) > limit:
        out = out[: max(limit - 1, 0)]
        if out.endswith("&") and (len(out) - len(out.rstrip("&"))) % 2:
            out = out[:-1]
        out += "…"
    return out


def page_header(left: str, right: str) -> str:
    """The page header code: ``left`` and ``right`` in 9 points, within Excel's 255 characters."""
    fixed = len("&L&9&R&9")
    room = _HEADER_LIMIT - fixed
    left_text = _header_text(left, max(room - min(len(right.replace("&", "&&")), room // 2), 0))
    right_text = _header_text(right, room - len(left_text))
    return f"&L&9{left_text}&R&9{right_text}"


def workbook_bytes(
    sheets: Sequence[Sheet], *, header_left: str, header_right: str, portrait_width: float
) -> bytes:
    """The workbook of ``sheets``, in order, as ``.xlsx`` bytes.

    Parameters
    ----------
    sheets : sequence of Sheet
        The sheets, the first one active.
    header_left, header_right : str
        The page header's left part (the regency) and right part (the round); plain text.
    portrait_width : float
        The widest sheet (column-width units) printed portrait; wider ones print landscape.
    """
    xlsxwriter = _xlsxwriter()
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "nan_inf_to_errors": True})
    formats: dict[tuple[bool, str | None, bool], Any] = {}

    def fmt(bold: bool, number: str | None = None, quote: bool = False) -> Any:
        key = (bold, number, quote)
        if not any(key):
            return None
        if key not in formats:
            spec: dict[str, Any] = {}
            if bold:
                spec["bold"] = True
            if number is not None:
                spec["num_format"] = number
            if quote:
                spec["quote_prefix"] = True
            formats[key] = wb.add_format(spec)
        return formats[key]

    header = page_header(header_left, header_right)
    for sheet in sheets:
        ws = wb.add_worksheet(sheet.name)
        for r, (values, bold) in enumerate(sheet.rows):
            for c, value in enumerate(values):
                if value is None:
                    if bold:
                        ws.write_blank(r, c, None, fmt(True))
                    continue
                if isinstance(value, int | float) and not isinstance(value, bool):
                    number = "0" if isinstance(value, int) and not sheet.all_decimal else "0.0"
                    ws.write_number(r, c, value, fmt(bold, number))  # NaN: #NUM!
                else:
                    text, quote = cell_text(str(value))
                    ws.write_string(r, c, text, fmt(bold, None, quote))
        for col, width in sheet.widths.items():
            ws.set_column(col - 1, col - 1, width)
        if sheet.freeze_header:
            ws.freeze_panes(1, 0)
        # A4, one page wide and as many tall as needed, the first row on every page.
        ws.set_paper(_PAPER_A4)
        if sheet.print_width() > portrait_width:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
        ws.center_horizontally()
        ws.repeat_rows(0)
        ws.set_header(header, {"margin": 0.3})
        ws.set_footer("&C&9&P / &N", {"margin": 0.3})
    wb.close()
    return buffer.getvalue()

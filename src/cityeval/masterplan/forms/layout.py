"""What the reader and the writer of evaluation forms agree on: sheets, columns, status labels.

Also the forms' error type, :class:`FormError`, whose problems name the workbook and, where
there is one, the sheet and cell (``form-dinkes.xlsx: Dinkes!G7: ...``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from attrs import frozen

from cityeval.errors import CityevalError
from cityeval.i18n import _
from cityeval.masterplan.model import EntryStatus, Opd

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell

__all__ = [
    "COMBINED_NAME",
    "FORM_VERSION",
    "STATUS_LABELS",
    "CellProblem",
    "FormError",
    "form_file_name",
    "openpyxl_module",
    "put_text",
    "sheet_names",
]

#: The layout version written into every form; the reader refuses newer ones.
FORM_VERSION = 1

#: What the status dropdown shows for each status (the status codes are accepted too). The
#: form is an Indonesian document: these labels are the same in every language.
STATUS_LABELS: dict[EntryStatus, str] = {
    EntryStatus.NOT_STARTED: "belum dimulai",
    EntryStatus.IN_PROGRESS: "sedang berjalan",
    EntryStatus.COMPLETED: "selesai",
    EntryStatus.CANCELLED: "dibatalkan",
}

GUIDE_SHEET = "Petunjuk"
META_SHEET = "_cityeval"
HEADER_ROW = 3
FIRST_ROW = 4  # rows 1-2: title, row 3: headers

#: The name of the one workbook ``masterplan form --combined`` writes.
COMBINED_NAME = "form.xlsx"

# Column letters of an OPD sheet. Ids sit in hidden, locked columns at the right.
COL_PROGRAMME_NAME = "A"
COL_INDICATOR_NAME = "B"
COL_UNIT = "C"
COL_BASELINE = "D"
COL_BASELINE_YEAR = "E"
COL_TARGET = "F"
COL_REALISED = "G"
COL_STATUS = "H"
COL_EVIDENCE = "I"
COL_PROGRAMME_ID = "J"
COL_INDICATOR_ID = "K"
LAST_VISIBLE_COL = COL_EVIDENCE

HEADERS = (
    (COL_PROGRAMME_NAME, "Program", 34),
    (COL_INDICATOR_NAME, "Indikator", 40),
    (COL_UNIT, "Satuan", 14),
    (COL_BASELINE, "Baseline", 11),
    (COL_BASELINE_YEAR, "Tahun baseline", 10),
    (COL_TARGET, "Target {year}", 11),
    (COL_REALISED, "Realisasi {year}", 13),
    (COL_STATUS, "Status", 17),
    (COL_EVIDENCE, "Bukti / keterangan", 44),
    (COL_PROGRAMME_ID, "id program", 10),
    (COL_INDICATOR_ID, "id indikator", 10),
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@frozen
class CellProblem:
    """A problem in a form: the workbook, and the sheet and cell when there is one."""

    file: str
    message: str
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}: " if self.sheet is not None else ""
        return f"{self.file}: {where}{self.message}"


class FormError(CityevalError, ValueError):
    """Filled forms that cannot be read into a round; one line per problem."""

    def __init__(self, problems: Iterable[CellProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def openpyxl_module() -> Any:
    """openpyxl, imported on first use, or the library's error saying how to install it."""
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - depends on the environment
        raise CityevalError(
            _("Excel forms need openpyxl: pip install 'cityeval[excel]'")
        ) from None
    return openpyxl


def put_text(cell: Cell | MergedCell, text: str | None) -> None:
    """Write ``text`` so that a spreadsheet shows it as text, never runs it as a formula.

    A string beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would
    otherwise be read as a formula (CSV/formula injection): such cells are stored as strings
    with Excel's quote prefix. Control characters that a workbook cannot hold (an escape
    sequence in a label) are written escaped, as ``\x1b``.
    """
    if text is not None:
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        text = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    cell.value = text
    if text is not None and text.startswith(_FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def sheet_names(opds: Sequence[Opd]) -> dict[str, str]:
    """A sheet name per OPD id: its short name, made legal and unique (31 characters)."""
    names: dict[str, str] = {}
    used = {GUIDE_SHEET.lower(), META_SHEET.lower()}
    for opd in opds:
        base = re.sub(r"[\[\]:*?/\\']", "-", opd.short).strip() or opd.id
        base = base[:31]
        name, n = base, 2
        while name.lower() in used:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        used.add(name.lower())
        names[opd.id] = name
    return names


def form_file_name(opd: Opd) -> str:
    """The workbook of one OPD: ``form-dinkes.xlsx`` (an OPD id is already a safe name)."""
    return f"form-{opd.id}.xlsx"

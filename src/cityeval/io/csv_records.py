"""CSV records and their cells' count: the shape checks every CSV reader of cityeval shares."""

from __future__ import annotations

import csv
import io

from cityeval.errors import InputError, Problem
from cityeval.i18n import _

__all__ = ["csv_records", "wrong_width"]


def csv_records(text: str, source: str) -> list[list[str]]:
    """The records of CSV text, split by the :mod:`csv` module.

    Raises
    ------
    InputError
        ``not valid CSV: ...``, at the row where the :mod:`csv` module stopped.
    """
    records: list[list[str]] = []
    try:
        records.extend(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        message = _("not valid CSV: {problem}").format(problem=exc)
        raise InputError(source, [Problem((f"row {len(records) + 1}",), message)]) from None
    return records


def wrong_width(row: int, cells: int, width: int) -> Problem:
    """The problem of spreadsheet row ``row`` having ``cells`` cells, not ``width``.

    Returns
    -------
    Problem
        ``row 4: expected 5 cells, got 3 (a truncated row)``, or ``(extra cells)``.
    """
    what = _("a truncated row") if cells < width else _("extra cells")
    return Problem(
        (f"row {row}",),
        _("expected {expected} cells, got {got} ({what})").format(
            expected=width, got=cells, what=what
        ),
    )

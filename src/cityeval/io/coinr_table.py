"""A COINr exchange table (iData or iMeta) as rows of cells, and the checks of its cells.

COINr writes its tables with R's ``write.csv``: a header, one row per unit (iData) or per
column and aggregate (iMeta), numbers without thousands separators, ``NA`` for a missing value.
Rows are numbered as a spreadsheet numbers them (the header is row 1).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from cityeval.errors import InputError, Problem
from cityeval.i18n import _
from cityeval.io.csv_records import csv_records, wrong_width
from cityeval.io.limits import read_bytes

__all__ = ["MAX_TABLE_BYTES", "Row", "cell", "code_problem", "number", "read_table", "where"]

#: The largest iData or iMeta file read, in bytes (256 MiB).
MAX_TABLE_BYTES = 256 * 1024 * 1024

Row = dict[str, str]


def read_table(path: Path) -> tuple[list[str], list[tuple[int, Row]]]:
    """The header and the rows (with their spreadsheet row numbers) of a COINr table.

    Refuses, with the row, a row with fewer cells than the header (a truncated row) or more
    (extra cells), and, with the column, an empty or repeated column name.
    """
    raw = read_bytes(path, MAX_TABLE_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        message = _("not a text file (it is not UTF-8)")
        raise InputError(path.name, [Problem((), message)]) from None
    if not text.strip():
        raise InputError(path.name, [Problem((), _("the file is empty"))])
    records = csv_records(text, path.name)
    header = [c.strip() for c in records[0]]
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for k, name in enumerate(header, start=1):
        if not name:
            problems.append(Problem((f"column {k}",), _("empty column name")))
        elif name in seen:
            problems.append(
                Problem(
                    (f"column {k}",),
                    _("duplicate column {name!r} (first at column {first})").format(
                        name=name, first=seen[name]
                    ),
                )
            )
        else:
            seen[name] = k
    rows: list[tuple[int, Row]] = []
    width = len(header)
    for n, record in enumerate(records[1:], start=2):
        if not "".join(record).strip():
            continue  # a blank line
        if len(record) != width:
            problems.append(wrong_width(n, len(record), width))
            continue
        rows.append((n, dict(zip(header, (c.strip() for c in record), strict=True))))
    if problems:
        raise InputError(path.name, problems)
    return header, rows


def cell(row: Row, col: str) -> str:
    return (row.get(col) or "").strip()


def where(r: int, col: str) -> tuple[str]:
    return (f"row {r}, column {col!r}",)


def number(
    text: str, where: tuple[str, ...], problems: list[Problem], *, allow_empty: bool = True
) -> float | None:
    if text == "" or text.upper() in ("NA", "NAN"):
        if not allow_empty:
            problems.append(Problem(where, _("a value is required")))
        return None
    if not NUMBER.fullmatch(text) and text.lower().lstrip("+-") not in ("inf", "infinity"):
        problems.append(Problem(where, _("expected a number, got {value!r}").format(value=text)))
        return None
    value = float(text)
    if not math.isfinite(value):
        message = _("expected a finite number, got {value!r}").format(value=text)
        problems.append(Problem(where, message))
        return None
    return value


#: A number as COINr's tables write it (R's ``write.csv``): no thousands separators.
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def code_problem(code: str) -> str | None:
    """COINr's rules for codes: no spaces, not starting with a digit; ours: a valid id."""
    if " " in code:
        return _("{code!r} contains a space, which COINr does not allow").format(code=code)
    if code[:1].isdigit():
        return _("{code!r} begins with a number, which COINr does not allow").format(code=code)
    if not CODE.fullmatch(code):
        return _("{code!r} is not a valid code (use letters, digits, '_', '.', '-')").format(
            code=code
        )
    return None


CODE = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*")

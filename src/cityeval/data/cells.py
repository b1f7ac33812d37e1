"""Reading one cell: numbers and text as they arrive from files, mappings and DataFrames.

The rules are shared by every reader of data (the CSV file, plain mappings, DataFrames) and
by the Excel forms of a masterplan (:mod:`cityeval.masterplan.forms`), so that a cell means
the same thing wherever it is typed. Columns of cells are read with a fast path: a column
whose cells are all plain numbers (or missing markers) is checked with one regular
expression and converted in one pass; only a column with a bad cell is read cell by cell,
to name every bad cell.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from cityeval.errors import Problem
from cityeval.i18n import _

__all__ = [
    "MISSING_MARKERS",
    "Cells",
    "number_cell",
    "number_column",
    "parse_number",
    "text_cell",
    "text_column",
]

FloatArray = npt.NDArray[np.float64]

#: Cells read as a missing number (after surrounding spaces are removed); matched exactly.
MISSING_MARKERS = frozenset({"", "NA", "N/A", "n/a", "NaN", "nan", "-", "#N/A"})

_NUMBER_RE = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_NUMBER = re.compile(_NUMBER_RE)
_DOT_GROUPS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3}){2,}")
#: One dot-group: '1.250' may be one thousand two hundred and fifty, typed the Indonesian way.
_ONE_DOT_GROUP = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}")
_SPACE_GROUPS = re.compile(r"[+-]?\d{1,3}(?:[  ]\d{3})+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?(?:\d+(?:,\d*)?|,\d+)")
#: A column of cells: a sequence (text from a file, Python objects) or a 1-D numpy array.
Cells = Sequence[object] | npt.NDArray[Any]

_COMMA_HINT = "use a dot as the decimal separator, and no thousands separators"
_GROUP_HINT = "write numbers without thousands separators"
_PERCENT_HINT = "write the number without '%'"


def parse_number(text: str, *, typed_text: bool = False) -> tuple[float, str | None]:
    """Read one cell of a number column.

    Parameters
    ----------
    text : str
        The cell as text.
    typed_text : bool
        Whether the cell is a number typed as text in a spreadsheet (a text cell of an Excel
        form), where an Indonesian officer writes ``'1.250'`` for one thousand two hundred and
        fifty and ``'1,5'`` for one and a half. Then a decimal comma is read, and a number
        with one dot-group of three digits (``'1.250'``) is refused as ambiguous, with a hint.
        In a CSV file (the default) the dot is the decimal separator and ``'1.250'`` is 1.25.

    Returns
    -------
    value : float
        The number; NaN for a missing value or when the cell is not a number.
    problem : str or None
        Why the cell is not a number, with a hint for decimal commas and thousands
        separators; None when it was read.

    Examples
    --------
    >>> parse_number("12.5")
    (12.5, None)
    >>> parse_number("1.250.000")[1]
    "expected a number, got '1.250.000' (write numbers without thousands separators)"
    """
    s = text.strip()
    if s in MISSING_MARKERS:
        return math.nan, None
    if typed_text and _ONE_DOT_GROUP.fullmatch(s):
        return math.nan, _(
            "{value!r} is ambiguous: 1.250 may be one and a quarter or one thousand two "
            "hundred and fifty; type the number as a number, without thousands separators "
            "(1250, or 1,25 for one and a quarter)"
        ).format(value=s)
    if typed_text and _DECIMAL_COMMA.fullmatch(s) and "," in s:
        s = s.replace(",", ".")
    if _NUMBER.fullmatch(s):
        value = float(s)
        if math.isinf(value):  # such as 1e999
            return math.nan, _("expected a finite number, got {value!r}").format(value=s)
        return value, None
    got = _("expected a number, got {value!r}").format(value=s)
    if "," in s and _NUMBER.fullmatch(s.replace(",", "").replace(".", "")):
        return math.nan, f"{got} ({_(_COMMA_HINT)})"
    if _DOT_GROUPS.fullmatch(s) or _SPACE_GROUPS.fullmatch(s):
        return math.nan, f"{got} ({_(_GROUP_HINT)})"
    if s.endswith("%") and _NUMBER.fullmatch(s[:-1].strip()):
        return math.nan, f"{got} ({_(_PERCENT_HINT)})"
    if s.lower().lstrip("+-") in ("inf", "infinity"):
        return math.nan, _("expected a finite number, got {value!r}").format(value=s)
    return math.nan, got


def number_cell(cell: object, *, typed_text: bool = False) -> tuple[float, str | None]:
    """Read one cell that should hold a number: text, a Python or numpy number, or None.

    Returns
    -------
    value : float
        The number, NaN when missing or bad.
    problem : str or None
        Why the cell is not a number; None when it was read (or is missing).
    """
    if cell is None:
        return math.nan, None
    if isinstance(cell, str):
        return parse_number(cell, typed_text=typed_text)
    if isinstance(cell, bool | np.bool_) or not isinstance(cell, numbers.Real):
        return math.nan, _("expected a number, got {value!r}").format(value=cell)
    try:
        value = float(cell)
    except (OverflowError, ValueError):  # an int beyond the float range
        return math.nan, _("expected a finite number, got {value!r}").format(value=cell)
    if math.isinf(value):
        return math.nan, _("expected a finite number, got {value!r}").format(value=value)
    return value, None


def text_cell(cell: object) -> tuple[str | None, str | None]:
    """Read one cell that should hold text (a unit code, a name, a group label).

    Integers are accepted as text (numeric region codes, such as BPS's ``3201``).
    """
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return None, None
    if isinstance(cell, str):
        s = cell.strip()
        if "\n" in s or "\r" in s:
            return None, _("a line break inside the cell")
        return s or None, None
    if isinstance(cell, bool | np.bool_):
        return None, _("expected text, got {value!r}").format(value=cell)
    if isinstance(cell, numbers.Integral):
        return str(int(cell)), None
    return None, _("expected text, got {value!r}").format(value=cell)


def _where(label: str, column: str) -> tuple[str]:
    return (f"{label}, column {column!r}",)


def number_column(
    cells: Cells, labels: Sequence[str], column: str, problems: list[Problem]
) -> FloatArray:
    """Read a column of number cells; problems are appended, located by row and column.

    Parameters
    ----------
    cells : sequence or array of shape ``(n_rows,)``
        The cells.
    labels : sequence of str
        How messages name each row (``"row 7"``).
    column : str
        The column's name.
    problems : list of Problem
        Where problems go.

    Returns
    -------
    array of shape ``(n_rows,)``
        The values, NaN where missing or bad.
    """
    if isinstance(cells, np.ndarray) and cells.dtype.kind in "iuf":
        out = np.asarray(cells, dtype=np.float64)
        infinite = np.flatnonzero(np.isinf(out))
        problems.extend(
            Problem(
                _where(labels[r], column),
                _("expected a finite number, got {value!r}").format(value=float(out[r])),
            )
            for r in infinite.tolist()
        )
        return np.where(np.isinf(out), np.nan, out) if infinite.size else out
    fast = _plain_column(cells)
    if fast is not None:
        return fast
    out = np.empty(len(cells), dtype=np.float64)
    for r, cell in enumerate(cells):
        out[r], problem = number_cell(cell)
        if problem:
            problems.append(Problem(_where(labels[r], column), problem))
    return out


def _plain_column(cells: Cells) -> FloatArray | None:
    """A column of text cells that are all plain numbers or missing markers, or None.

    The fast path of :func:`number_column`: one scan for characters no plain number or
    marker has, then Python's ``float`` on each cell (which reads exactly the numbers of
    :func:`parse_number` once underscores, ``inf`` and ``nan`` words are ruled out). Any
    doubt (an unreadable cell, an infinite value, a NaN that is not a marker) returns None,
    and the slow path names the cells.
    """
    try:
        joined = ",".join(cells)  # type: ignore[arg-type]
    except TypeError:  # not all text
        return None
    if _NOT_PLAIN.search(joined):
        return None
    missing = MISSING_MARKERS
    out = _json_numbers(cells, joined)
    if out is None:
        nan = math.nan
        try:  # float() ignores surrounding spaces; a marker with spaces falls to the slow path
            values = [nan if c in missing else float(c) for c in cells]  # type: ignore[arg-type]
        except ValueError:
            return None
        out = np.array(values, dtype=np.float64)
    if np.isinf(out).any():  # such as 1e999
        return None
    n_nan = int(np.count_nonzero(np.isnan(out)))
    # 'Nan' reads as NaN but is no marker: count the markers where a NaN could hide one.
    if n_nan and ("a" in joined or "A" in joined) and sum(c in missing for c in cells) != n_nan:
        return None
    return out


def _json_numbers(cells: Cells, joined: str) -> FloatArray | None:
    """The cells read as one JSON array by orjson (the ``fast`` extra), or None.

    orjson reads a number to the same double as ``float`` (both round correctly; tested),
    three times faster. Only cells that are JSON numbers or missing markers are read so:
    anything JSON does not take (``+1``, ``.5``, ``1.``, ``007``, spaces inside a marker)
    returns None and ``float`` reads the column as before; so does ``-0`` (JSON's integer
    zero has no sign, ``float("-0")`` has).
    """
    try:
        import orjson
    except ImportError:
        return None
    if _INTEGER_MINUS_ZERO.search(joined):
        return None
    missing = MISSING_MARKERS
    parts = [("null" if c in missing else c) for c in cells]
    try:
        values = orjson.loads("[" + ",".join(parts) + "]")  # type: ignore[arg-type]
    except orjson.JSONDecodeError:
        return None
    if len(values) != len(cells):  # pragma: no cover - a cell with a comma is not plain
        return None
    try:
        return np.array(values, dtype=np.float64)  # null -> NaN; ints converted exactly
    except (OverflowError, TypeError, ValueError):
        return None


#: ``-0`` (or ``-00``) not followed by a fraction or an exponent.
_INTEGER_MINUS_ZERO = re.compile(r"-0+(?![0-9.eE])")

#: A character that no plain number (digits, '.', 'e', signs) or missing marker has.
_NOT_PLAIN = re.compile(r"[^0-9.eE+\-NAan/#, \t]")


def text_column(
    cells: Cells, labels: Sequence[str], column: str, problems: list[Problem]
) -> list[str | None]:
    """Read a column of text cells; problems are appended, located by row and column."""
    out: list[str | None] = []
    for r, cell in enumerate(cells):
        value, problem = text_cell(cell)
        if problem:
            problems.append(Problem(_where(labels[r], column), problem))
        out.append(value)
    return out

"""The data layout every cityeval command reads, and CSV files written in it.

The layout (``unit``, ``time``, ``name``, ``group:NAME``, ``denominator:NAME``, indicator
columns) is shared by CSV files, plain mappings and DataFrames: each is turned into named
columns of cells and checked here, every problem located by row and column.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from attrs import define, field

from cityeval.data.dataset import (
    DENOMINATOR_PREFIX,
    GROUP_PREFIX,
    Dataset,
    FloatArray,
    Time,
    format_time,
    framework_problems,
)
from cityeval.errors import InputError, ModelError, Problem
from cityeval.io.documents import write_atomic

if TYPE_CHECKING:
    from cityeval.model import Framework

__all__ = [
    "MISSING_MARKERS",
    "dataset_from_mapping",
    "format_csv",
    "parse_csv",
    "parse_number",
    "read_csv",
    "write_csv",
]

#: Cells read as a missing number (after surrounding spaces are removed); matched exactly.
MISSING_MARKERS = frozenset({"", "NA", "N/A", "n/a", "NaN", "nan", "-", "#N/A"})

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DOT_GROUPS = re.compile(r"[+-]?\d{1,3}(?:\.\d{3}){2,}")
_SPACE_GROUPS = re.compile(r"[+-]?\d{1,3}(?:[  ]\d{3})+(?:\.\d+)?")
#: A column of cells: a sequence (text from a file, Python objects) or a 1-D numpy array.
Cells = Sequence[object] | npt.NDArray[Any]

_COMMA_HINT = "use a dot as the decimal separator, and no thousands separators"
_GROUP_HINT = "write numbers without thousands separators"


# -- cells ----------------------------------------------------------------------------------


def parse_number(text: str) -> tuple[float, str | None]:
    """Read one cell of a number column.

    Returns
    -------
    value : float
        The number; NaN for a missing value or when the cell is not a number.
    problem : str or None
        Why the cell is not a number, with a hint for decimal commas and thousands
        separators; None when it was read.
    """
    s = text.strip()
    if s in MISSING_MARKERS:
        return math.nan, None
    if _NUMBER.fullmatch(s):
        value = float(s)
        if math.isinf(value):  # such as 1e999
            return math.nan, f"expected a finite number, got {s!r}"
        return value, None
    got = f"expected a number, got {s!r}"
    if "," in s and _NUMBER.fullmatch(s.replace(",", "").replace(".", "")):
        return math.nan, f"{got} ({_COMMA_HINT})"
    if _DOT_GROUPS.fullmatch(s) or _SPACE_GROUPS.fullmatch(s):
        return math.nan, f"{got} ({_GROUP_HINT})"
    if s.endswith("%") and _NUMBER.fullmatch(s[:-1].strip()):
        return math.nan, f"{got} (write the number without '%')"
    if s.lower().lstrip("+-") in ("inf", "infinity"):
        return math.nan, f"expected a finite number, got {s!r}"
    return math.nan, got


def _number(cell: object) -> tuple[float, str | None]:
    if cell is None:
        return math.nan, None
    if isinstance(cell, str):
        return parse_number(cell)
    if isinstance(cell, bool | np.bool_) or not isinstance(cell, numbers.Real):
        return math.nan, f"expected a number, got {cell!r}"
    value = float(cell)
    if math.isinf(value):
        return math.nan, f"expected a finite number, got {value!r}"
    return value, None


def _text(cell: object) -> tuple[str | None, str | None]:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return None, None
    if isinstance(cell, str):
        s = cell.strip()
        if "\n" in s or "\r" in s:
            return None, "a line break inside the cell"
        return s or None, None
    if isinstance(cell, bool | np.bool_):
        return None, f"expected text, got {cell!r}"
    if isinstance(cell, numbers.Integral):
        return str(int(cell)), None  # numeric region codes, such as BPS's 3201
    return None, f"expected text, got {cell!r}"


def _numbers(
    cells: Cells, labels: Sequence[str], column: str, problems: list[Problem]
) -> FloatArray:
    if isinstance(cells, np.ndarray) and cells.dtype.kind in "iuf":
        out = np.asarray(cells, dtype=np.float64)
        problems.extend(
            Problem((f"{labels[r]}, column {column!r}",), f"expected a finite number, got {x!r}")
            for r, x in enumerate(out.tolist())
            if math.isinf(x)
        )
        return np.where(np.isinf(out), np.nan, out)
    out = np.empty(len(cells), dtype=np.float64)
    for r, cell in enumerate(cells):
        out[r], problem = _number(cell)
        if problem:
            problems.append(Problem((f"{labels[r]}, column {column!r}",), problem))
    return out


def _texts(
    cells: Cells, labels: Sequence[str], column: str, problems: list[Problem]
) -> list[str | None]:
    out: list[str | None] = []
    for r, cell in enumerate(cells):
        value, problem = _text(cell)
        if problem:
            problems.append(Problem((f"{labels[r]}, column {column!r}",), problem))
        out.append(value)
    return out


# -- the header -----------------------------------------------------------------------------


@define
class Layout:
    """Which column plays which part, by position among the columns."""

    unit: int | None = None
    time: int | None = None
    name: int | None = None
    groups: dict[str, int] = field(factory=dict)
    denominators: dict[str, int] = field(factory=dict)
    indicators: dict[str, int] = field(factory=dict)


_RESERVED_WORDS = ("unit", "time", "name")
_PREFIXES = ((GROUP_PREFIX, "group"), (DENOMINATOR_PREFIX, "denominator"))


def read_header(names: Sequence[object], *, ordered: bool) -> tuple[Layout, list[Problem]]:
    """Classify columns by name; ``ordered``: ``unit`` must be first and ``time`` second."""
    layout = Layout()
    problems: list[Problem] = []
    seen: set[str] = set()
    for pos, raw in enumerate(names):
        where = f"column {pos + 1}"
        if not isinstance(raw, str):
            problems.append(Problem((where,), f"column names must be text, got {raw!r}"))
            continue
        name = raw.strip()
        if not name:
            problems.append(Problem((where,), "empty column name"))
            continue
        if "\n" in name or "\r" in name:
            problems.append(Problem((where,), f"a line break inside the column name {name!r}"))
            continue
        kind, key = _classify(name)
        if kind in ("group", "denominator"):
            if not key:
                problems.append(Problem((f"column {name!r}",), f"empty {kind} name"))
                continue
            name = f"{kind}:{key}"
        if name in seen:
            problems.append(Problem((), f"duplicate column {name!r}"))
            continue
        seen.add(name)
        lower = name.lower()
        if kind == "indicator" and (
            lower in _RESERVED_WORDS or lower.startswith((GROUP_PREFIX, DENOMINATOR_PREFIX))
        ):
            written = lower if lower in _RESERVED_WORDS else lower.split(":")[0] + ":"
            problems.append(Problem((f"column {name!r}",), f"write {written!r} in lower case"))
            continue
        if kind == "unit":
            layout.unit = pos
        elif kind == "time":
            if ordered and pos != 1:
                problems.append(
                    Problem(
                        ("column 'time'",),
                        f"must come right after 'unit' (column 2), not at column {pos + 1}",
                    )
                )
            layout.time = pos
        elif kind == "name":
            layout.name = pos
        elif kind == "group":
            layout.groups[key] = pos
        elif kind == "denominator":
            layout.denominators[key] = pos
        else:
            layout.indicators[name] = pos
    if ordered:
        first = names[0] if names else ""
        if layout.unit != 0:
            layout.unit = None
            problems.insert(0, Problem((), f"the first column must be 'unit', got {first!r}"))
    elif layout.unit is None:
        problems.insert(0, Problem((), "there is no 'unit' column (the unit codes)"))
    return layout, problems


def _classify(name: str) -> tuple[str, str]:
    if name in _RESERVED_WORDS:
        return name, name
    for prefix, kind in _PREFIXES:
        if name.startswith(prefix):
            return kind, name[len(prefix) :].strip()
    return "indicator", name


# -- building a dataset from columns of cells -------------------------------------------------


def build_dataset(
    names: Sequence[object],
    columns: Sequence[Cells],
    labels: Sequence[str],
    source: str,
    *,
    ordered: bool,
    framework: Framework | None = None,
    problems: Sequence[Problem] = (),
) -> Dataset:
    """Check columns of cells laid out as the CSV file and build a dataset from them.

    Parameters
    ----------
    names : sequence of str
        Column names, in order.
    columns : sequence of sequences
        One sequence of cells a column, each as long as ``labels``.
    labels : sequence of str
        How messages name each row (``"row 7"`` in a file, ``"index 5"`` in a mapping).
    source : str
        The file or object name messages start with.
    ordered : bool
        Whether ``unit`` must be the first column and ``time`` the second.
    framework : Framework, optional
        Check the columns against it too.
    problems : sequence of Problem
        Problems found before (such as rows of the wrong length), reported first.

    Raises
    ------
    InputError
        With every problem found.
    """
    layout, found = read_header(names, ordered=ordered)
    found = [*found, *problems]
    if not labels and layout.unit is not None:
        found.append(Problem((), "there are no rows of data"))
    dataset = None
    if layout.unit is not None and labels:
        dataset = _assemble(layout, columns, labels, source, found)
    found.sort(key=_reading_order(layout))
    if framework is not None:
        found += framework_problems(layout.indicators, layout.denominators, framework)
    if found or dataset is None:
        raise InputError(source, found)
    return dataset


_LOCATED = re.compile(r"(?:row|index) (\d+)(?:, column (.*))?")


def _reading_order(layout: Layout) -> Callable[[Problem], tuple[int, int]]:
    """Sort key putting problems of the file as a whole first, then cells row by row."""
    position = {"'unit'": layout.unit, "'time'": layout.time, "'name'": layout.name}
    position.update({repr(f"{GROUP_PREFIX}{g}"): k for g, k in layout.groups.items()})
    position.update({repr(f"{DENOMINATOR_PREFIX}{d}"): k for d, k in layout.denominators.items()})
    position.update({repr(i): k for i, k in layout.indicators.items()})

    def key(problem: Problem) -> tuple[int, int]:
        where = problem.path[0] if problem.path else ""
        match = _LOCATED.fullmatch(where) if isinstance(where, str) else None
        if match is None:
            return (-1, -1)
        column = position.get(match[2] or "")
        return (int(match[1]), -1 if column is None else column)

    return key


def _assemble(
    layout: Layout,
    columns: Sequence[Cells],
    labels: Sequence[str],
    source: str,
    problems: list[Problem],
) -> Dataset | None:
    n_before = len(problems)
    assert layout.unit is not None
    unit_problems: list[Problem] = []
    units = _texts(columns[layout.unit], labels, "unit", unit_problems)
    bad = {p.path for p in unit_problems}
    problems += unit_problems
    problems += [
        Problem(where, "empty unit code")
        for r, unit in enumerate(units)
        if unit is None and (where := (f"{labels[r]}, column 'unit'",)) not in bad
    ]
    names: list[str | None] = (
        _texts(columns[layout.name], labels, "name", problems)
        if layout.name is not None
        else [None] * len(labels)
    )
    groups = {
        g: _texts(columns[pos], labels, f"{GROUP_PREFIX}{g}", problems)
        for g, pos in layout.groups.items()
    }
    denominators = {
        d: _numbers(columns[pos], labels, f"{DENOMINATOR_PREFIX}{d}", problems)
        for d, pos in layout.denominators.items()
    }
    matrix = np.empty((len(labels), len(layout.indicators)), dtype=np.float64)
    for j, (ind, pos) in enumerate(layout.indicators.items()):
        matrix[:, j] = _numbers(columns[pos], labels, ind, problems)
    if layout.time is None:
        _check_unique(units, labels, problems)
        if len(problems) > n_before:
            return None
        return _made(
            source,
            problems,
            units=units,
            indicators=tuple(layout.indicators),
            values=matrix,
            names=names,
            groups=groups,
            denominators=denominators,
        )
    time_problems: list[Problem] = []
    times = _numbers(columns[layout.time], labels, "time", time_problems)
    bad = {p.path for p in time_problems}
    problems += time_problems
    problems += [
        Problem(where, "missing time (every row of a panel needs one)")
        for r in np.flatnonzero(np.isnan(times)).tolist()
        if (where := (f"{labels[r]}, column 'time'",)) not in bad
    ]
    if len(problems) > n_before:
        return None
    return _panel(
        layout, units, times, names, groups, denominators, matrix, labels, source, problems
    )


def _check_unique(
    units: Sequence[str | None], labels: Sequence[str], problems: list[Problem]
) -> None:
    first: dict[str, int] = {}
    for r, unit in enumerate(units):
        if unit is None:
            continue
        if unit in first:
            problems.append(
                Problem(
                    (f"{labels[r]}, column 'unit'",),
                    f"duplicate unit code {unit!r} (first at {labels[first[unit]]})",
                )
            )
        else:
            first[unit] = r


def _panel(
    layout: Layout,
    units: list[str | None],
    times: FloatArray,
    names: list[str | None],
    groups: dict[str, list[str | None]],
    denominators: dict[str, FloatArray],
    matrix: FloatArray,
    labels: Sequence[str],
    source: str,
    problems: list[Problem],
) -> Dataset | None:
    time_values = sorted({_as_time(t) for t in times.tolist()})
    t_index = {t: k for k, t in enumerate(time_values)}
    u_index: dict[str, int] = {}
    first_row: dict[str, int] = {}
    seen: dict[tuple[str, Time], int] = {}
    kt = np.empty(len(labels), dtype=np.intp)
    ku = np.empty(len(labels), dtype=np.intp)
    for r, (unit, t) in enumerate(zip(units, times.tolist(), strict=True)):
        assert unit is not None
        time = _as_time(t)
        if (unit, time) in seen:
            problems.append(
                Problem(
                    (f"{labels[r]}, column 'time'",),
                    f"unit {unit!r} appears twice at time {format_time(time)} "
                    f"(first at {labels[seen[unit, time]]})",
                )
            )
        seen.setdefault((unit, time), r)
        first_row.setdefault(unit, r)
        kt[r], ku[r] = t_index[time], u_index.setdefault(unit, len(u_index))
    unit_names = _per_unit(units, names, "name", "name", labels, problems)
    unit_groups = {
        g: _per_unit(units, col, f"{GROUP_PREFIX}{g}", "label", labels, problems)
        for g, col in groups.items()
    }
    if problems:
        return None
    shape = (len(time_values), len(u_index))
    values = np.full((*shape, matrix.shape[1]), np.nan)
    values[kt, ku] = matrix
    dens = {}
    for d, column in denominators.items():
        dens[d] = np.full(shape, np.nan)
        dens[d][kt, ku] = column
    return _made(
        source,
        problems,
        units=list(u_index),
        indicators=tuple(layout.indicators),
        values=values,
        names=[unit_names.get(u) for u in u_index],
        times=time_values,
        groups={g: [labels_.get(u) for u in u_index] for g, labels_ in unit_groups.items()},
        denominators=dens,
    )


def _per_unit(
    units: Sequence[str | None],
    column: Sequence[str | None],
    column_name: str,
    what: str,
    labels: Sequence[str],
    problems: list[Problem],
) -> dict[str, str]:
    """Text that must be the same on every row of a unit (names, group labels)."""
    out: dict[str, str] = {}
    where: dict[str, int] = {}
    for r, (unit, value) in enumerate(zip(units, column, strict=True)):
        if unit is None or value is None:
            continue
        if unit not in out:
            out[unit], where[unit] = value, r
        elif out[unit] != value:
            problems.append(
                Problem(
                    (f"{labels[r]}, column {column_name!r}",),
                    f"unit {unit!r} has {what} {value!r} here but {out[unit]!r} at "
                    f"{labels[where[unit]]}",
                )
            )
    return out


def _as_time(t: float) -> Time:
    return int(t) if t.is_integer() and abs(t) < 2**53 else t


def _made(source: str, problems: list[Problem], **fields: Any) -> Dataset | None:
    """The dataset, or None with the constructor's problems added (a safety net)."""
    try:
        return Dataset(**fields, source=source)
    except ModelError as exc:
        problems.extend(exc.problems)
        return None


# -- CSV files --------------------------------------------------------------------------------


def read_csv(path: str | os.PathLike[str], framework: Framework | None = None) -> Dataset:
    """Read a CSV file in the cityeval layout.

    Parameters
    ----------
    path : str or path-like
        A UTF-8 file (a byte-order mark and CRLF line ends are fine).
    framework : Framework, optional
        When given, every column must be an indicator of the framework (or marked
        ``group:`` or ``denominator:``), every indicator must have a column, and every
        indicator's denominator must have a ``denominator:`` column.

    Returns
    -------
    Dataset
        Columns in file order; ``values`` of shape ``(n_units, n_indicators)``, or
        ``(n_times, n_units, n_indicators)`` when the file has a ``time`` column.

    Raises
    ------
    InputError
        With every problem in the file, each on a line such as
        ``data.csv: row 7, column 'LPI': expected a number, got 'tiga'``.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError(str(p), [Problem((), "file not found")]) from None
    except IsADirectoryError:
        raise InputError(str(p), [Problem((), "is a directory, not a file")]) from None
    except OSError as exc:
        raise InputError(str(p), [Problem((), f"cannot read: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = (
            f"not UTF-8 text (the first bad byte is on line {line}); "
            'save it as "CSV UTF-8 (Comma delimited)"'
        )
        raise InputError(p.name, [Problem((), message)]) from None
    return parse_csv(text, source=p.name, framework=framework)


def parse_csv(text: str, *, source: str = "<text>", framework: Framework | None = None) -> Dataset:
    """Read CSV text in the cityeval layout; see :func:`read_csv`."""
    if not text.strip():
        raise InputError(source, [Problem((), "the file is empty")])
    records: list[list[str]] = []
    try:
        records.extend(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        where = f"row {len(records) + 1}"
        raise InputError(source, [Problem((where,), f"not valid CSV: {exc}")]) from None
    header = [cell.strip() for cell in records[0]]
    if not any(header):
        raise InputError(source, [Problem(("row 1",), "the header row is empty")])
    if len(header) == 1:
        for sep, called in ((";", "';'"), ("\t", "tabs")):
            if sep in header[0]:
                message = (
                    f"the cells are separated by {called}, not commas; "
                    'save the file as "CSV UTF-8 (Comma delimited)"'
                )
                raise InputError(source, [Problem((), message)])
    problems: list[Problem] = []
    rows: list[list[str]] = []
    labels: list[str] = []
    for n, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line, or a row of empty cells as spreadsheets leave
        if len(record) != len(header):
            problems.append(
                Problem((f"row {n}",), f"expected {len(header)} cells, got {len(record)}")
            )
            continue
        rows.append(record)
        labels.append(f"row {n}")
    columns = [list(col) for col in zip(*rows, strict=True)] if rows else [[] for _ in header]
    return build_dataset(
        header, columns, labels, source, ordered=True, framework=framework, problems=problems
    )


def format_csv(dataset: Dataset) -> str:
    """The dataset as CSV text in the cityeval layout (LF line ends, no byte-order mark)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["unit"]
    if dataset.times is not None:
        header.append("time")
    with_names = any(name is not None for name in dataset.names)
    if with_names:
        header.append("name")
    header += [f"{GROUP_PREFIX}{g}" for g in dataset.groups]
    header += [f"{DENOMINATOR_PREFIX}{d}" for d in dataset.denominators]
    header += list(dataset.indicators)
    writer.writerow(header)
    slices: list[tuple[Time | None, FloatArray, list[FloatArray]]]
    if dataset.times is None:
        slices = [(None, dataset.values, list(dataset.denominators.values()))]
    else:
        slices = [
            (t, dataset.values[k], [d[k] for d in dataset.denominators.values()])
            for k, t in enumerate(dataset.times)
        ]
    for t, values, dens in slices:
        numbers_ = np.column_stack([*dens, values]) if dens else values
        for u, unit in enumerate(dataset.units):
            row = [unit]
            if t is not None:
                row.append(format_time(t))
            if with_names:
                row.append(dataset.names[u] or "")
            row += [labels[u] or "" for labels in dataset.groups.values()]
            row += ["" if math.isnan(x) else repr(x) for x in numbers_[u].tolist()]
            writer.writerow(row)
    return out.getvalue()


def write_csv(dataset: Dataset, path: str | os.PathLike[str]) -> None:
    """Write ``dataset`` to ``path`` in the cityeval layout, atomically."""
    write_atomic(path, format_csv(dataset))


# -- plain Python data ----------------------------------------------------------------------


def dataset_from_mapping(
    data: object,
    *,
    source: str = "<mapping>",
    framework: Framework | None = None,
) -> Dataset:
    """Build a dataset from columns or rows; see :meth:`Dataset.from_mapping`."""
    if isinstance(data, Mapping):
        names, columns = _from_columns(data, source)
    elif isinstance(data, Sequence) and not isinstance(data, str | bytes):
        names, columns = _from_rows(data, source)
    else:
        message = f"expected a mapping of columns or a list of rows, got {type(data).__name__}"
        raise InputError(source, [Problem((), message)])
    # A mapping's keys are unordered for its reader: put unit and time where a file has them.
    order = sorted(range(len(names)), key=lambda k: {"unit": 0, "time": 1}.get(names[k], 2))
    n = len(columns[order[0]]) if columns else 0
    return build_dataset(
        [names[k] for k in order],
        [columns[k] for k in order],
        [f"index {i}" for i in range(n)],
        source,
        ordered=False,
        framework=framework,
    )


def _from_columns(data: Mapping[Any, Any], source: str) -> tuple[list[Any], list[Any]]:
    names = list(data)
    columns: list[Any] = []
    problems: list[Problem] = []
    for key in names:
        col = data[key]
        if isinstance(col, np.ndarray) and col.ndim != 1:
            problems.append(
                Problem((f"column {key!r}",), f"expected one value a row, got shape {col.shape}")
            )
        elif not isinstance(col, Sequence | np.ndarray) or isinstance(col, str | bytes):
            problems.append(
                Problem(
                    (f"column {key!r}",),
                    f"expected a list of values, got {type(col).__name__}",
                )
            )
        columns.append(col)
    if not problems and columns:
        ref = "unit" if "unit" in data else names[0]
        n = len(data[ref])
        problems += [
            Problem((f"column {key!r}",), f"has {len(col)} values but column {ref!r} has {n}")
            for key, col in zip(names, columns, strict=True)
            if len(col) != n
        ]
    if problems:
        raise InputError(source, problems)
    return names, columns


def _from_rows(data: Sequence[Any], source: str) -> tuple[list[Any], list[Any]]:
    problems: list[Problem] = []
    for i, row in enumerate(data):
        if not isinstance(row, Mapping):
            problems.append(
                Problem(
                    (f"index {i}",),
                    f"expected a mapping of column to value, got {type(row).__name__}",
                )
            )
    if problems:
        raise InputError(source, problems)
    names = list(data[0]) if data else ["unit"]
    for i, row in enumerate(data):
        missing = [k for k in names if k not in row]
        extra = [k for k in row if k not in data[0]]
        if missing or extra:
            parts = []
            if missing:
                parts.append(f"missing {', '.join(map(repr, missing))}")
            if extra:
                parts.append(f"extra {', '.join(map(repr, extra))}")
            problems.append(
                Problem(
                    (f"index {i}",),
                    f"its keys differ from those of index 0: {'; '.join(parts)}",
                )
            )
    if problems:
        raise InputError(source, problems)
    return names, [[row[k] for row in data] for k in names]

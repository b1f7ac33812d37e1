"""The data layout every cityeval command reads, checked and turned into a :class:`Dataset`.

The layout (``unit``, ``time``, ``name``, ``group:NAME``, ``denominator:NAME``, indicator
columns) is shared by CSV files, plain mappings and DataFrames: each reader turns its input
into named columns of cells and hands them to :func:`build_dataset`, which classifies the
columns, reads the cells (:mod:`cityeval.data.cells`), checks every value against the
framework (:mod:`cityeval.data.checks`) and locates every problem by row and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import define, field

from cityeval.data.cells import Cells, number_column, text_column
from cityeval.data.checks import dataset_value_problems, framework_problems
from cityeval.data.dataset import (
    DENOMINATOR_PREFIX,
    GROUP_PREFIX,
    Dataset,
    FloatArray,
    Time,
    format_time,
)
from cityeval.errors import InputError, ModelError, Problem
from cityeval.i18n import _

if TYPE_CHECKING:
    from cityeval.model import Framework

__all__ = ["Layout", "build_dataset", "read_header"]

_numbers = number_column
_texts = text_column

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
            problems.append(
                Problem((where,), _("column names must be text, got {value!r}").format(value=raw))
            )
            continue
        name = raw.strip()
        if not name:
            problems.append(Problem((where,), _("empty column name")))
            continue
        if "\n" in name or "\r" in name:
            problems.append(
                Problem(
                    (where,), _("a line break inside the column name {name!r}").format(name=name)
                )
            )
            continue
        kind, key = _classify(name)
        if kind in ("group", "denominator"):
            if not key:
                problems.append(
                    Problem(
                        (f"column {name!r}",),
                        _("empty group name") if kind == "group" else _("empty denominator name"),
                    )
                )
                continue
            name = f"{kind}:{key}"
        if name in seen:
            problems.append(Problem((), _("duplicate column {name!r}").format(name=name)))
            continue
        seen.add(name)
        lower = name.lower()
        if kind == "indicator" and (
            lower in _RESERVED_WORDS or lower.startswith((GROUP_PREFIX, DENOMINATOR_PREFIX))
        ):
            written = lower if lower in _RESERVED_WORDS else lower.split(":")[0] + ":"
            problems.append(
                Problem(
                    (f"column {name!r}",), _("write {word!r} in lower case").format(word=written)
                )
            )
            continue
        if kind == "unit":
            layout.unit = pos
        elif kind == "time":
            if ordered and pos != 1:
                problems.append(
                    Problem(
                        ("column 'time'",),
                        _("must come right after 'unit' (column 2), not at column {n}").format(
                            n=pos + 1
                        ),
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
            problems.insert(
                0,
                Problem(
                    (), _("the first column must be 'unit', got {value!r}").format(value=first)
                ),
            )
    elif layout.unit is None:
        problems.insert(0, Problem((), _("there is no 'unit' column (the unit codes)")))
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
    unquote: bool = False,
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
    unquote : bool
        Remove the ``'`` that :func:`~cityeval.data.format_csv` puts before text starting
        with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP's rule against
        CSV injection), so that a written file reads back to the same dataset.

    Raises
    ------
    InputError
        With every problem found.
    """
    layout, found = read_header(names, ordered=ordered)
    found = [*found, *problems]
    if not labels and layout.unit is not None:
        found.append(Problem((), _("there are no rows of data")))
    dataset = None
    if layout.unit is not None and labels:
        if unquote:
            text_positions = [layout.unit, layout.name, *layout.groups.values()]
            columns = list(columns)
            for pos in text_positions:
                if pos is not None:
                    columns[pos] = [_unquote(c) for c in columns[pos]]
        dataset = _assemble(layout, columns, labels, source, found, framework)
    found.sort(key=_reading_order(layout))
    if framework is not None:
        found += framework_problems(layout.indicators, layout.denominators, framework)
    if found or dataset is None:
        raise InputError(source, found)
    return dataset


_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _unquote(cell: object) -> object:
    if isinstance(cell, str) and cell.startswith("'") and cell.lstrip("'").startswith(_TRIGGERS):
        return cell[1:]
    return cell


_LOCATED = re.compile(r"(?:row|index) (\d+)(?: \(.*?\))?(?:, column (.*))?")


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
    framework: Framework | None = None,
) -> Dataset | None:
    n_before = len(problems)
    assert layout.unit is not None
    unit_problems: list[Problem] = []
    units = _texts(columns[layout.unit], labels, "unit", unit_problems)
    bad = {p.path for p in unit_problems}
    problems += unit_problems
    problems += [
        Problem(where, _("empty unit code"))
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
    if framework is not None:
        row_labels = [
            f"{label} ({unit})" if unit is not None else label
            for label, unit in zip(labels, units, strict=True)
        ]
        problems += dataset_value_problems(matrix, tuple(layout.indicators), row_labels, framework)
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
        Problem(where, _("missing time (every row of a panel needs one)"))
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
                    _("duplicate unit code {unit!r} (first at {first})").format(
                        unit=unit, first=labels[first[unit]]
                    ),
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
                    _("unit {unit!r} appears twice at time {time} (first at {first})").format(
                        unit=unit, time=format_time(time), first=labels[seen[unit, time]]
                    ),
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
                    _("unit {unit!r} has {what} {value!r} here but {other!r} at {first}").format(
                        unit=unit,
                        what=_(what),
                        value=value,
                        other=out[unit],
                        first=labels[where[unit]],
                    ),
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

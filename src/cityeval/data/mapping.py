"""Datasets from plain Python data: a mapping of columns, or a list of rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from cityeval.data.dataset import Dataset
from cityeval.data.layout import build_dataset
from cityeval.errors import InputError, Problem
from cityeval.i18n import _

if TYPE_CHECKING:
    from cityeval.model import Framework

__all__ = ["dataset_from_mapping"]


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
        message = _("expected a mapping of columns or a list of rows, got {kind}").format(
            kind=type(data).__name__
        )
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
                Problem(
                    (f"column {key!r}",),
                    _("expected one value a row, got shape {shape}").format(shape=col.shape),
                )
            )
        elif not isinstance(col, Sequence | np.ndarray) or isinstance(col, str | bytes):
            problems.append(
                Problem(
                    (f"column {key!r}",),
                    _("expected a list of values, got {kind}").format(kind=type(col).__name__),
                )
            )
        columns.append(col)
    if not problems and columns:
        ref = "unit" if "unit" in data else names[0]
        n = len(data[ref])
        problems += [
            Problem(
                (f"column {key!r}",),
                _("has {got} values but column {ref!r} has {n}").format(
                    got=len(col), ref=ref, n=n
                ),
            )
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
                    _("expected a mapping of column to value, got {kind}").format(
                        kind=type(row).__name__
                    ),
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
                parts.append(_("missing {keys}").format(keys=", ".join(map(repr, missing))))
            if extra:
                parts.append(_("extra {keys}").format(keys=", ".join(map(repr, extra))))
            problems.append(
                Problem(
                    (f"index {i}",),
                    _("its keys differ from those of index 0: {parts}").format(
                        parts="; ".join(parts)
                    ),
                )
            )
    if problems:
        raise InputError(source, problems)
    return names, [[row[k] for row in data] for k in names]

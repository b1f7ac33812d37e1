"""Writing datasets as CSV files in the cityeval layout.

Numbers are written with ``repr`` precision, so that :func:`cityeval.data.read_csv` reads the
file back to an equal dataset; text cells that a spreadsheet would run as a formula are
neutralised (:func:`cityeval.io.outputs.neutralise_cell`).
"""

from __future__ import annotations

import csv
import io
import math
import os

import numpy as np

from cityeval.data.dataset import (
    DENOMINATOR_PREFIX,
    GROUP_PREFIX,
    Dataset,
    FloatArray,
    Time,
    format_time,
)
from cityeval.io.documents import write_atomic
from cityeval.io.outputs import neutralise_cell

__all__ = ["format_csv", "write_csv"]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(text: str) -> object:
    """A text cell neutralised against formulas, in a way the reader undoes exactly."""
    if text.startswith("'") and text.lstrip("'").startswith(_TRIGGERS):
        return "'" + text  # already looks neutralised: one more quote, which the reader drops
    return neutralise_cell(text)


def format_csv(dataset: Dataset) -> str:
    """The dataset as CSV text in the cityeval layout (LF line ends, no byte-order mark).

    Text cells starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a
    leading ``'`` (OWASP's rule against CSV injection); :func:`~cityeval.data.read_csv`
    removes it again, so the file reads back to the same dataset.
    """
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
            row: list[object] = [_text_cell(unit)]
            if t is not None:
                row.append(format_time(t))
            if with_names:
                row.append(_text_cell(dataset.names[u] or ""))
            row += [_text_cell(labels[u] or "") for labels in dataset.groups.values()]
            row += ["" if math.isnan(x) else repr(x) for x in numbers_[u].tolist()]
            writer.writerow(row)
    return out.getvalue()


def write_csv(dataset: Dataset, path: str | os.PathLike[str]) -> None:
    """Write ``dataset`` to ``path`` in the cityeval layout, atomically."""
    write_atomic(path, format_csv(dataset))

"""Reading data CSV files in the cityeval layout.

The file is read as text (UTF-8, a byte-order mark and CRLF line ends are fine), split into
records by the :mod:`csv` module, checked for its shape (a header, rows of the header's
length, commas as separators) and handed as columns of cells to
:func:`cityeval.data.layout.build_dataset`. Files larger than :data:`MAX_CSV_BYTES` are
refused before they are read.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cityeval.data.dataset import Dataset
from cityeval.data.layout import build_dataset
from cityeval.errors import InputError, Problem
from cityeval.i18n import _
from cityeval.io.csv_records import wrong_width
from cityeval.io.limits import read_bytes, too_large

if TYPE_CHECKING:
    from cityeval.model import Framework

__all__ = ["MAX_CSV_BYTES", "parse_csv", "read_csv"]

#: The largest data CSV read, in bytes (256 MiB; a 514 x 300 file is about 1.5 MB).
MAX_CSV_BYTES = 256 * 1024 * 1024


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
    raw = read_bytes(p, MAX_CSV_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = _(
            "not UTF-8 text (the first bad byte is on line {line}); "
            'save it as "CSV UTF-8 (Comma delimited)"'
        ).format(line=line)
        raise InputError(p.name, [Problem((), message)]) from None
    return parse_csv(text, source=p.name, framework=framework)


def parse_csv(text: str, *, source: str = "<text>", framework: Framework | None = None) -> Dataset:
    """Read CSV text in the cityeval layout; see :func:`read_csv`."""
    if len(text) > MAX_CSV_BYTES:
        raise InputError(source, [Problem((), too_large(len(text), MAX_CSV_BYTES))])
    if not text.strip():
        raise InputError(source, [Problem((), _("the file is empty"))])
    records: list[list[str]] = []
    try:
        records.extend(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        where = f"row {len(records) + 1}"
        message = _("not valid CSV: {problem}").format(problem=exc)
        raise InputError(source, [Problem((where,), message)]) from None
    header = [cell.strip() for cell in records[0]]
    if not any(header):
        raise InputError(source, [Problem(("row 1",), _("the header row is empty"))])
    if len(header) == 1:
        for sep, called in ((";", "';'"), ("\t", _("tabs"))):
            if sep in header[0]:
                message = _(
                    "the cells are separated by {separator}, not commas; "
                    'save the file as "CSV UTF-8 (Comma delimited)"'
                ).format(separator=called)
                raise InputError(source, [Problem((), message)])
    problems: list[Problem] = []
    rows: list[list[str]] = []
    labels: list[str] = []
    width = len(header)
    for n, record in enumerate(records[1:], start=2):
        if len(record) != width:
            if not any(cell.strip() for cell in record):
                continue  # a blank line, or a row of empty cells as spreadsheets leave
            problems.append(wrong_width(n, len(record), width))
            continue
        if not any(record) and not any(cell.strip() for cell in record):
            continue
        rows.append(record)
        labels.append(f"row {n}")
    columns: list[Sequence[str]] = list(zip(*rows, strict=True)) if rows else [[] for _h in header]
    return build_dataset(
        header,
        columns,
        labels,
        source,
        ordered=True,
        framework=framework,
        problems=problems,
        unquote=True,
    )

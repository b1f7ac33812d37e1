"""CSV text that no spreadsheet runs: neutralised text cells, numbers as Python writes them.

Every CSV the library writes goes through :func:`csv_text` (rows of mixed cells) or
:func:`csv_table` (text key columns and a block of numbers, fast for large tables). Text that
Excel, LibreOffice or Google Sheets would run as a formula gets a leading quote (OWASP's "CSV
Injection" rule); numbers are the shortest round-trip text (``repr``). The output transaction
that writes the files is :mod:`cityeval.io.outputs`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from cityeval.i18n import _

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "FORMULA_TRIGGERS",
    "csv_table",
    "csv_text",
    "float_texts",
    "neutralise_cell",
    "number_cells",
]

# OWASP "CSV Injection": a text cell that starts with one of these is run as a formula by
# Excel, LibreOffice and Google Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    single quote, as OWASP recommends; numbers (``-1.5`` is a number, not a formula) and
    other values are returned as they are.

    Parameters
    ----------
    value : object
        The cell; only ``str`` is ever changed.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        if value[0] in "+-":
            try:
                float(value)
            except ValueError:
                return "'" + value
            return value
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[Any]], *, header: Sequence[str] | None = None) -> str:
    """CSV text (``\n`` line ends) with every text cell neutralised by :func:`neutralise_cell`.

    Parameters
    ----------
    rows : iterable of sequences
        The data rows; numbers are written with ``repr`` precision by :mod:`csv`.
    header : sequence of str, optional
        A first row, neutralised like the others.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header is not None:
        writer.writerow([neutralise_cell(c) for c in header])
    for row in rows:
        writer.writerow([neutralise_cell(c) for c in row])
    return buf.getvalue()


def number_cells(values: npt.NDArray[np.float64], *, integers: bool = False) -> list[str]:
    """Every number of a 2-D table as text, row by row: shortest round-trip ``repr`` (or a
    whole number with ``integers``), ``nan`` where missing (``inf``, ``-inf`` as such).

    Formatting is the costly part of writing a large table; the list can be handed to
    :func:`csv_table` and reused for JSON (columns are the slices ``cells[k::n_columns]``).
    """
    import numpy as np

    table = np.asarray(values, dtype=np.float64)
    flat = table.ravel()
    if not integers:
        return float_texts(flat)
    finite = np.isfinite(flat)
    texts = list(map(str, np.where(finite, flat, 0).astype(np.int64).tolist()))
    if not finite.all():
        for i in np.flatnonzero(~finite).tolist():
            texts[i] = repr(float(flat[i]))
    return texts


def float_texts(values: npt.NDArray[np.float64]) -> list[str]:
    """``repr`` of every number of a 1-D array, in order: Python's shortest round-trip text.

    With orjson installed (the ``fast`` extra) the numbers are formatted by orjson, four
    times faster: it writes the same shortest round-trip digits, and the same text wherever
    Python's ``repr`` writes no exponent, which is for every magnitude in [1e-3, 1e15) and
    zero; every other number (smaller, larger, ``nan``, ``inf``) is written by ``repr``.
    The result is the same with and without orjson (tested against ``repr``).
    """
    import numpy as np

    flat = np.asarray(values, dtype=np.float64).ravel()
    numbers = flat.tolist()
    try:
        import orjson
    except ImportError:
        return list(map(repr, numbers))
    magnitude = np.abs(flat)
    with np.errstate(invalid="ignore"):
        plain = (magnitude < 1e15) & ((magnitude >= 1e-3) | (magnitude == 0))
    others = np.flatnonzero(~plain).tolist()
    shown = np.where(plain, flat, 0.0).tolist() if others else numbers
    cells = orjson.dumps(shown).decode("ascii")[1:-1].split(",") if numbers else []
    for i in others:
        cells[i] = repr(numbers[i])
    return cells


def _quoted(cell: str) -> str:
    # The csv module's QUOTE_MINIMAL rule for the excel dialect.
    if any(c in cell for c in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def csv_table(
    header: Sequence[str],
    keys: Sequence[Sequence[str]],
    values: npt.NDArray[np.float64],
    *,
    integers: bool = False,
    cells: Sequence[str] | None = None,
) -> str:
    """A CSV table of text key columns followed by number columns, fast for large tables.

    Every text cell (the header and the key columns) goes through :func:`neutralise_cell`;
    numbers are written as Python writes them (shortest round-trip ``repr``), or as whole
    numbers with ``integers``; a missing (NaN) or infinite value is an empty cell. The text
    is what :func:`csv_text` gives for rows ``[*key_row, *number_row]`` with the numbers so
    formatted (LF line ends, minimal quoting; a carriage return is quoted too).

    Parameters
    ----------
    header : sequence of str
        Names of the key columns, then of the number columns.
    keys : sequence of sequences of str
        For each row its key cells (such as unit code and time): ``n_rows`` rows.
    values : array of shape ``(n_rows, n_columns)``
        The numbers.
    integers : bool
        Write finite numbers as whole numbers (ranks).
    cells : sequence of str, optional
        :func:`number_cells` of ``values``, when the caller has them already.
    """
    import numpy as np

    table = np.asarray(values, dtype=np.float64)
    if table.ndim != 2 or table.shape[0] != len(keys):
        raise ValueError(
            _("values must have shape ({rows}, n_columns), got {shape}").format(
                rows=len(keys), shape=table.shape
            )
        )
    n_cols = table.shape[1]
    texts = number_cells(table, integers=integers) if cells is None else cells
    lines = [",".join(_quoted(str(neutralise_cell(c))) for c in header)]
    clean = bool(np.isfinite(table).all())
    for r, key_row in enumerate(keys):
        numbers = ",".join(texts[r * n_cols : (r + 1) * n_cols])
        if not clean:  # only numbers here: 'nan', 'inf' are whole cells
            numbers = numbers.replace("-inf", "").replace("inf", "").replace("nan", "")
        prefix = ",".join(_quoted(str(neutralise_cell(k))) for k in key_row)
        lines.append(f"{prefix},{numbers}" if key_row and n_cols else prefix + numbers)
    # A row of one empty cell is written '""', as the csv module does (else it is no row).
    return "\n".join(line or '""' for line in lines) + "\n"

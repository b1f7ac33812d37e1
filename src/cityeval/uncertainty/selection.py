"""Order statistics of many rows at once, exact: the values a full sort puts at some positions.

Two kernels give the same numbers: :func:`order_statistics` partitions each row in place (at
the middle wanted position, then each side at the middle of the ones it holds), and
:func:`binned_order_statistics` counts (equal bins between each row's extremes, only the
bins holding a wanted position sorted), which is faster on the score percentiles of an
uncertainty analysis and leaves the rows as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["SELECT_BINS", "SELECT_CHUNK", "binned_order_statistics", "order_statistics"]

#: Bins per row of :func:`binned_order_statistics`.
SELECT_BINS = 4096
#: Values binned at once by :func:`binned_order_statistics` (the working arrays stay in the
#: processor's cache).
SELECT_CHUNK = 1 << 16


def order_statistics(
    rows: npt.NDArray[np.floating[Any]], positions: Sequence[int]
) -> dict[int, npt.NDArray[np.floating[Any]]]:
    """The values at ``positions`` of each row ``(r, n)`` once sorted; ``rows`` is reordered.

    Exact, and the same numbers a full sort gives, in less time: the rows are partitioned at
    the middle wanted position, then each side at the middle of the positions it holds, and
    so on; a wanted position at the edge of its segment is that segment's minimum or maximum.
    Rows must hold no NaN.

    Returns
    -------
    dict of int to ndarray of shape ``(r,)``
    """
    found: dict[int, npt.NDArray[np.floating[Any]]] = {}

    def visit(a: int, b: int, wanted: list[int]) -> None:
        if not wanted:
            return
        segment = rows[:, a:b]
        if wanted == [a]:
            found[a] = segment.min(axis=-1)
            return
        if wanted == [b - 1]:
            found[b - 1] = segment.max(axis=-1)
            return
        k = wanted[len(wanted) // 2]
        segment.partition(k - a, axis=-1)
        found[k] = rows[:, k].copy()
        visit(a, k, [w for w in wanted if w < k])
        visit(k + 1, b, [w for w in wanted if w > k])

    visit(0, rows.shape[-1], sorted(set(positions)))
    return found


def binned_order_statistics(
    rows: npt.NDArray[np.floating[Any]], positions: Sequence[int], n_bins: int = SELECT_BINS
) -> dict[int, npt.NDArray[np.floating[Any]]]:
    """The values at ``positions`` of each row ``(r, n)`` once sorted; ``rows`` is unchanged.

    The same numbers as :func:`order_statistics` (and a full sort), by counting: each row's
    values are put in ``n_bins`` equal bins between the row's minimum and maximum (``floor((x
    - min) * n_bins / (max - min))``, a map that never reverses an order, so every value of a
    bin lies between those of the bins beside it), the bins counted, and only the values of the
    bins holding a wanted position sorted (row by row, padded with infinity to the row with
    most). A few rows at a time, so the working arrays stay in cache. Rows must hold no NaN;
    with an infinite value (or a span too small to divide by) they go to
    :func:`order_statistics`, on a copy.

    Returns
    -------
    dict of int to ndarray of shape ``(r,)``
    """
    r, n = rows.shape
    wanted = sorted(set(positions))
    found = {k: np.empty(r, dtype=rows.dtype) for k in wanted}
    if r == 0 or not wanted:
        return found
    low = rows.min(axis=1).astype(np.float64)
    span = rows.max(axis=1).astype(np.float64) - low
    with np.errstate(over="ignore"):  # a subnormal span: left to the partitions
        scale = np.divide(n_bins, span, out=np.zeros_like(span), where=span > 0)
    if not bool(np.isfinite(span).all() and np.isfinite(scale).all()):
        return order_statistics(rows.copy(), wanted)
    step = min(r, max(1, SELECT_CHUNK // max(1, n)))
    ks = np.asarray(wanted, dtype=np.int64)[np.newaxis, :]
    # The maximum lands in bin n_bins (or just below): one bin more than asked, no clipping.
    width = n_bins + 1
    offsets = (np.arange(step, dtype=np.intp) * width)[:, np.newaxis]
    scaled_buf = np.empty((step, n))
    codes_buf = np.empty((step, n), dtype=np.intp)
    for a in range(0, r, step):
        b = min(a + step, r)
        m = b - a
        part = rows[a:b]
        scaled = scaled_buf[:m]
        np.subtract(part, low[a:b, np.newaxis], out=scaled)
        scaled *= scale[a:b, np.newaxis]
        codes = codes_buf[:m]
        np.copyto(codes, scaled, casting="unsafe")  # floor: the values are >= 0
        codes += offsets[:m]
        flat = codes.ravel()
        counts = np.bincount(flat, minlength=m * width).reshape(m, width)
        cum = np.cumsum(counts, axis=1)
        # The bin of each wanted position and how many values lie in the bins before it.
        bins = (cum[:, np.newaxis, :] > ks[:, :, np.newaxis]).argmax(axis=2)
        before = np.take_along_axis(cum, bins, axis=1) - np.take_along_axis(counts, bins, axis=1)
        keep = np.zeros((m, width), dtype=bool)
        np.put_along_axis(keep, bins, True, axis=1)
        # The kept values of a row, sorted, hold the kept bins in order: a wanted position
        # lies past the kept values of the kept bins before its own.
        kept = np.where(keep, counts, 0)
        kept_cum = np.cumsum(kept, axis=1)
        prior = np.take_along_axis(kept_cum, bins, axis=1) - np.take_along_axis(kept, bins, axis=1)
        per_row = kept_cum[:, -1]
        where = np.flatnonzero(keep.ravel()[flat])  # row by row
        row = where // n
        within = np.arange(where.shape[0]) - np.repeat(np.cumsum(per_row) - per_row, per_row)
        sorted_kept = np.full((m, int(per_row.max())), np.inf, dtype=rows.dtype)
        sorted_kept[row, within] = part.ravel()[where]
        sorted_kept.sort(axis=1)
        picked = np.take_along_axis(sorted_kept, prior + (ks - before), axis=1)
        for j, k in enumerate(wanted):
            found[k][a:b] = picked[:, j]
    return found

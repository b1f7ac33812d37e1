"""Exact, order-independent summaries of many draws with memory bounded by the batch.

Two devices keep the statistics exact whatever the batching or the executor:

* values known as *distinct values with counts* (integer ranks as histograms accumulated batch
  by batch; the scores of nodes below the first varying level, one value per (variant, method)
  group) give their median and percentiles as order statistics read off cumulative counts, the
  same numbers ``numpy.quantile`` gives on the expanded sample;
* the other scores (and the ranks, when the histograms would be too large) are written, slot
  by slot, to a temporary file laid out node by node, and read back one node (and block of
  units) at a time at the end.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import numpy.typing as npt
from attrs import define

from cityeval.i18n import _
from cityeval.uncertainty.selection import binned_order_statistics, order_statistics

__all__ = [
    "QUANTILES",
    "DrawStore",
    "RankHistograms",
    "SpoolLayout",
    "SpooledCodes",
    "Summary",
    "binned_order_statistics",
    "counted_summary",
    "histogram_summary",
    "order_statistics",
    "sample_summary",
]

FloatArray = npt.NDArray[np.float64]

#: The quantiles reported: 5th percentile, median, 95th percentile.
QUANTILES = (0.05, 0.5, 0.95)
#: Draws per tile when a block of draws is transposed to one row per unit.
TRANSPOSE_TILE = 64

Summary = tuple[FloatArray, FloatArray, FloatArray, FloatArray]
"""``(q05, median, q95, mean)``, each of shape ``(n_units,)``."""


def _lerp(a: FloatArray, b: FloatArray, t: FloatArray) -> FloatArray:
    # numpy's own interpolation (lib/_function_base_impl.py `_lerp`), so the numbers match
    # numpy.quantile's default "linear" method bit for bit where the order statistics agree.
    diff = b - a
    out = a + diff * t
    return np.where(t >= 0.5, b - diff * (1 - t), out)


def _from_order_statistics(
    order_stat: Callable[[npt.NDArray[np.int64]], FloatArray],
    n: npt.NDArray[np.int64],
    total: FloatArray,
) -> Summary:
    """``q05, median, q95, mean`` per unit from its order statistics.

    ``order_stat(k)`` is each unit's ``k``-th smallest value (``k`` of shape ``(n_units,)``),
    ``n`` each unit's sample size and ``total`` its sum: the quantiles are linear between
    order statistics, as ``numpy.quantile``; ``NaN`` for a unit with no sample.
    """
    has = n > 0
    out: list[FloatArray] = []
    for q in QUANTILES:
        h = (np.maximum(n, 1) - 1) * q
        lo = np.floor(h).astype(np.int64)
        hi = np.minimum(lo + 1, np.maximum(n, 1) - 1)
        value = _lerp(order_stat(lo), order_stat(hi), h - lo)
        out.append(np.where(has, value, np.nan))
    mean = np.where(has, total / np.maximum(n, 1), np.nan)
    return out[0], out[1], out[2], mean


def counted_summary(values: FloatArray, counts: npt.NDArray[np.integer[Any]]) -> Summary:
    """Quantiles and mean of samples given as distinct values with multiplicities.

    Signature ``(k, u), (k, u) -> 4 x (u,)``.

    Parameters
    ----------
    values : ndarray of shape ``(k, n_units)`` (or ``(k, 1)``, broadcast)
        Candidate values per unit; ``NaN`` candidates are ignored.
    counts : ndarray of int, shape ``(k, n_units)``
        How many draws took each value.

    Returns
    -------
    tuple of ndarray
        ``q05, median, q95, mean`` per unit, equal to ``numpy.quantile`` (linear) and
        ``numpy.mean`` of the expanded sample; ``NaN`` for a unit without any count.
    """
    v = np.broadcast_to(values, counts.shape).astype(np.float64)
    c = np.where(np.isnan(v), 0, counts).astype(np.int64)
    order = np.argsort(np.where(np.isnan(v), np.inf, v), axis=0, kind="stable")
    v = np.take_along_axis(v, order, axis=0)
    c = np.take_along_axis(c, order, axis=0)
    cum = np.cumsum(c, axis=0)
    n = cum[-1]

    def order_stat(k: npt.NDArray[np.int64]) -> FloatArray:
        pos = np.argmax(cum > k[np.newaxis, :], axis=0)
        return np.asarray(np.take_along_axis(v, pos[np.newaxis, :], axis=0)[0], np.float64)

    total = np.sum(np.where(c > 0, v, 0.0) * c, axis=0)
    return _from_order_statistics(order_stat, n, total)


class RankHistograms:
    """Counts of each rank of each unit in each node, accumulated batch by batch.

    Integer counts do not depend on the order in which batches arrive. Codes
    (``rank * n_units + unit``) are buffered and counted ``budget`` bytes at a time, so the
    cost of a count pass over the ``(n_nodes, n_units + 1, n_units)`` table is shared by many
    batches.
    """

    def __init__(self, n_nodes: int, n_units: int, n_slots: int, budget: int = 64 << 20) -> None:
        dtype = np.int32 if n_slots < 2**31 else np.int64
        self.n_units = n_units
        self.counts = np.zeros((n_nodes, n_units + 1, n_units), dtype=dtype)
        self._pending: list[npt.NDArray[np.signedinteger[Any]]] = []
        self._pending_bytes = 0
        self._budget = budget

    @staticmethod
    def nbytes(n_nodes: int, n_units: int) -> int:
        """Bytes of the table for ``n_nodes`` nodes and ``n_units`` units."""
        return 4 * n_nodes * (n_units + 1) * n_units

    def add(self, codes: npt.NDArray[np.signedinteger[Any]]) -> None:
        """Count codes ``(n_nodes, n_draws, n_units)``."""
        if codes.shape[1] == 0:
            return
        self._pending.append(codes)
        self._pending_bytes += codes.nbytes
        if self._pending_bytes >= self._budget:
            self.flush()

    def flush(self) -> None:
        """Count everything buffered."""
        if not self._pending:
            return
        size = (self.n_units + 1) * self.n_units
        for j in range(self.counts.shape[0]):
            # Straight into intp, which bincount counts without another copy.
            codes = np.concatenate([c[j].ravel() for c in self._pending], dtype=np.intp)
            self.counts[j] += np.bincount(codes, minlength=size).reshape(self.counts[j].shape)
        self._pending = []
        self._pending_bytes = 0

    def summary(self, node: int) -> Summary:
        """The summary of one node's ranks (after :meth:`flush`)."""
        return histogram_summary(self.counts[node])


class SpooledCodes:
    """Rank codes of every draw, spooled to a :class:`DrawStore` by worker processes and
    counted node by node at the end (a node's table, ``(n_units + 1, n_units)``, at a time).
    """

    def __init__(self, store: DrawStore) -> None:
        self.store = store

    def summary(self, node: int) -> Summary:
        """The summary of one node's ranks (after ``store.flush()``)."""
        u = self.store.n_units
        size = (u + 1) * u
        counts = np.zeros(size, dtype=np.int64)
        for block in range(len(self.store.blocks)):
            codes = np.asarray(self.store.read(node, block)).ravel()
            counts += np.bincount(codes, minlength=size)
        return histogram_summary(counts.reshape(u + 1, u))


def rank_histogram(ranks: npt.NDArray[np.int64], n_ranks: int) -> npt.NDArray[np.int64]:
    """Counts of each rank per unit: ``(n, u) -> (n_ranks + 1, u)``; row 0 counts missing."""
    u = ranks.shape[1]
    flat = ranks.astype(np.int64) * u + np.arange(u)
    return np.bincount(flat.ravel(), minlength=(n_ranks + 1) * u).reshape(n_ranks + 1, u)


def rank_summary(ranks: npt.NDArray[np.int64], n_ranks: int) -> Summary:
    """Summary of integer ranks ``(n_draws, n_units)`` (0 = missing) through a histogram."""
    return histogram_summary(rank_histogram(ranks, n_ranks))


def histogram_summary(counts: npt.NDArray[np.integer[Any]]) -> Summary:
    """Summary of ranks given as counts ``(n_ranks + 1, n_units)``; row 0 counts missing.

    :func:`counted_summary` of the ranks ``1 .. n_ranks`` (missing left out), without its
    sort: the ranks are in order already. The same numbers, bit for bit.
    """
    c = np.asarray(counts[1:], dtype=np.int64)
    n_units = counts.shape[1]
    if c.shape[0] == 0:
        nothing = np.full(n_units, np.nan)
        return nothing, nothing.copy(), nothing.copy(), nothing.copy()
    values = np.arange(1, counts.shape[0], dtype=np.float64)
    cum = np.cumsum(c, axis=0)
    n = cum[-1]

    def order_stat(k: npt.NDArray[np.int64]) -> FloatArray:
        return np.asarray(values[np.argmax(cum > k[np.newaxis, :], axis=0)], dtype=np.float64)

    total = np.sum(np.where(c > 0, values[:, np.newaxis], 0.0) * c, axis=0)
    return _from_order_statistics(order_stat, n, total)


def sample_summary(
    block: npt.NDArray[np.floating[Any]], work: npt.NDArray[np.floating[Any]] | None = None
) -> Summary:
    """Summary of scores ``(n_draws, n_units)`` (``NaN`` = missing, left out).

    ``block`` may be single or double precision; the summary is double precision, computed
    from the values as given.

    ``work``, of shape ``(n_units, n_draws)``, is scratch space for the selection (reused
    across calls, since touching fresh pages costs as much as the selection itself).
    """
    n = block.shape[0]
    if n == 0:
        nothing = np.full(block.shape[1], np.nan)
        return nothing, nothing.copy(), nothing.copy(), nothing.copy()
    if bool(np.isnan(block.min())):
        has = np.asarray((~np.isnan(block)).any(axis=0))
        safe = np.where(has[np.newaxis, :], block, 0.0)
        q = np.nanquantile(safe, QUANTILES, axis=0)
        mean = np.nanmean(safe, axis=0)
        q = np.where(has[np.newaxis, :], q, np.nan)
        return q[0], q[1], q[2], np.where(has, mean, np.nan)
    # Each unit's draws as a contiguous row, copied tile by tile (a whole-array transposed
    # copy misses the cache on every element).
    ordered = np.empty(block.shape[::-1], dtype=block.dtype) if work is None else work
    for start in range(0, n, TRANSPOSE_TILE):
        stop = start + TRANSPOSE_TILE
        np.copyto(ordered[:, start:stop], block[start:stop].T)
    # Summed in draw order, in double precision: the same whatever the batching.
    mean = np.mean(ordered, axis=-1, dtype=np.float64)
    picks = []
    for quantile in QUANTILES:
        h = (n - 1) * quantile
        lo = int(np.floor(h))
        picks.append((h, lo, min(lo + 1, n - 1)))
    values = binned_order_statistics(ordered, [k for _, lo, hi in picks for k in (lo, hi)])
    out = []
    for h, lo, hi in picks:
        t = np.full(ordered.shape[0], h - lo)
        a, b = (np.asarray(values[k], dtype=np.float64) for k in (lo, hi))
        out.append(_lerp(a, b, t))
    return out[0], out[1], out[2], mean


@define(frozen=True)
class SpoolLayout:
    """Where each value of a :class:`DrawStore` lives in its file; picklable, so that worker
    processes on the same machine can write their batches straight into the file.

    Attributes
    ----------
    path : str
        The file.
    n_slots, n_units, n_nodes : int
        The array ``(n_slots, n_units, n_nodes)`` stored.
    dtype : str
        Element type.
    blocks : tuple of (int, int)
        The blocks of units, each stored as an ``(n_slots, n_block_units)`` array per node.
    """

    path: str
    n_slots: int
    n_units: int
    n_nodes: int
    dtype: str
    blocks: tuple[tuple[int, int], ...]

    def offset(self, node: int, block: int, slot: int) -> int:
        """Byte offset of ``slot`` in the array of ``node`` and ``block``."""
        a, b = self.blocks[block]
        start = (node * self.n_units + a) * self.n_slots + slot * (b - a)
        return start * np.dtype(self.dtype).itemsize

    def write(self, fd: int, slot0: int, by_node: npt.NDArray[np.generic]) -> None:
        """Store ``by_node`` ``(n_nodes, n, n_units)`` at slots ``slot0 ..`` through ``fd``.

        Positioned writes (``pwrite``), so threads and processes may store different batches
        at once.
        """
        if by_node.shape[1] == 0:
            return
        by_node = np.asarray(by_node, dtype=self.dtype)
        for node in range(self.n_nodes):
            for bi, (a, b) in enumerate(self.blocks):
                chunk = by_node[node] if len(self.blocks) == 1 else by_node[node, :, a:b]
                data = memoryview(np.ascontiguousarray(chunk).data).cast("B")
                offset = self.offset(node, bi, slot0)
                while data:
                    done = os.pwrite(fd, data, offset)
                    data, offset = data[done:], offset + done

    def write_file(self, slot0: int, by_node: npt.NDArray[np.generic]) -> None:
        """Like :meth:`write`, opening the file (from another process)."""
        if self.n_nodes == 0 or by_node.shape[1] == 0:
            return
        fd = os.open(self.path, os.O_WRONLY)
        try:
            self.write(fd, slot0, by_node)
        finally:
            os.close(fd)


class DrawStore:
    """Per-draw values of some nodes in a temporary file, node by node.

    The file holds, for each node and each block of units, an ``(n_slots, n_block_units)``
    array: a batch writes one contiguous run per node and block, and the end reads one block
    at a time, so memory stays bounded by ``budget`` bytes whatever the number of draws.

    Parameters
    ----------
    directory : str or Path
        Where the file goes (removed on :meth:`close`).
    n_slots, n_units, n_nodes : int
        The array ``(n_slots, n_units, n_nodes)`` stored.
    dtype : numpy dtype
        Element type.
    budget : int
        Bytes of one block read back.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        n_slots: int,
        n_units: int,
        n_nodes: int,
        dtype: npt.DTypeLike,
        budget: int = 64 << 20,
    ) -> None:
        self.dtype = np.dtype(dtype)
        self.n_slots, self.n_units, self.n_nodes = n_slots, n_units, n_nodes
        per_unit = max(1, n_slots * self.dtype.itemsize)
        width = int(max(1, min(n_units, budget // per_unit)))
        self.blocks = [(a, min(a + width, n_units)) for a in range(0, n_units, width)]
        fd, name = tempfile.mkstemp(prefix="cityeval-draws-", suffix=".bin", dir=directory)
        os.close(fd)
        self.path = Path(name)
        self.layout = SpoolLayout(
            str(self.path), n_slots, n_units, n_nodes, self.dtype.str, tuple(self.blocks)
        )
        self._file = open(self.path, "r+b")  # noqa: SIM115 - closed in close()

    def write(self, slot0: int, by_node: npt.NDArray[np.generic]) -> None:
        """Store ``by_node`` of shape ``(n_nodes, n, n_units)`` at slots ``slot0 .. slot0 + n``."""
        self.layout.write(self._file.fileno(), slot0, by_node)

    def read(self, node: int, block: int) -> npt.NDArray[np.generic]:
        """The ``(n_slots, n_block_units)`` values of one node and block of units.

        Call :meth:`flush` after the last write first.
        """
        a, b = self.blocks[block]
        count = self.n_slots * (b - a)
        # pread: positioned, so threads may read different nodes at once.
        offset = self.layout.offset(node, block, 0)
        raw = os.pread(self._file.fileno(), count * self.dtype.itemsize, offset)
        return np.frombuffer(raw, dtype=self.dtype).reshape(self.n_slots, b - a)

    def read_into(self, node: int, block: int, out: npt.NDArray[np.generic]) -> None:
        """Like :meth:`read`, into ``out`` of shape ``(n_slots, n_block_units)``."""
        target = memoryview(out.data).cast("B")
        done = os.preadv(self._file.fileno(), [target], self.layout.offset(node, block, 0))
        if done != out.nbytes:
            raise OSError(
                _("short read from {path}: {done} of {size} bytes").format(
                    path=self.path, done=done, size=out.nbytes
                )
            )

    def flush(self) -> None:
        """Push buffered writes to the file (before reading)."""
        self._file.flush()

    def close(self) -> None:
        """Close and delete the file."""
        self._file.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> DrawStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

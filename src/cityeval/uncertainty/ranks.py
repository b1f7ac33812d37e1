"""Rank many rows of scores at once, with the engine's rounding and ties rule.

The engine ranks scores rounded to nine decimals, best first, ties sharing the best rank
(:func:`cityeval.methods.ranking.rank_descending` on ``round(scores, 9)``). Here each rounded
score is packed with its unit's index into one int64 key, ``-round(score * 1e9) * 2^b + unit``,
and the keys of every row sorted with numpy's vectorised integer sort: one unstable sort gives
both the order and, because the unit index only breaks ties between equal rounded scores, the
ties. The rank statistics need only ``(unit, rank)`` pairs, which come straight out of the
sorted keys, so most rows are never scattered back into unit order.

For the histograms, :func:`rank_codes` first tries 32-bit keys, which sort twice as fast: the
rounded scores of a row mapped onto ``2^(32 - b)`` levels between its extremes. The map keeps
every order, so a row whose units all land on different levels is ranked exactly by it; a row
where two units share a level (always the case for tied scores) is ranked again with the
64-bit keys.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from cityeval.methods.ranking import rank_descending

__all__ = ["SortedRanks", "rank_codes", "rank_rows", "sorted_ranks"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Largest score (in absolute value) the packed keys handle; beyond it the general kernel runs.
PACK_LIMIT = 2.0**52 / 1e9
#: Rows ranked together by :func:`rank_codes`: about 1 MiB of keys for 514 units.
ROW_BLOCK = 256


class SortedRanks(NamedTuple):
    """Each row's units best first and their ranks.

    Attributes
    ----------
    unit : ndarray of int64, shape ``(n_rows, n_units)``
        The units of each row in rank order (missing scores last).
    rank : ndarray of int64, shape ``(n_rows, n_units)``
        ``rank[r, k]`` is the rank of unit ``unit[r, k]``; 0 for a missing score.
    """

    unit: IntArray
    rank: IntArray


def _sorted_keys(
    rows: FloatArray, unit_out: npt.NDArray[np.signedinteger[Any]] | None = None
) -> tuple[npt.NDArray[np.signedinteger[Any]], IntArray, int | None] | None:
    """Each row's units best first and their rounded scores' keys; None if too large.

    Returns ``(unit, key, missing_key)``, each row of ``key`` ascending (best first);
    ``missing_key`` is None when every score is present. ``unit`` is written to ``unit_out``
    when given.
    """
    r, u = rows.shape
    if u == 0 or r == 0:
        return None
    bits = max(1, int(u).bit_length())
    # Two reductions say both whether every score is finite (NaN and inf carry through) and
    # how large the keys get.
    low, high = float(rows.min()), float(rows.max())
    complete = bool(np.isfinite(low) and np.isfinite(high))
    if complete:
        safe, finite = rows, None
        largest = max(-low, high)
    else:
        finite = np.isfinite(rows)
        safe = np.where(finite, rows, 0.0)
        largest = float(np.abs(safe).max(initial=0.0))
    if largest * 2.0**bits >= PACK_LIMIT:
        return None
    # numpy's round(x, 9) is rint(x * 1e9) / 1e9: equal rounded scores are equal integers.
    scaled = np.multiply(safe, -1e9)
    np.rint(scaled, out=scaled)
    keys = scaled.astype(np.int64)
    missing_key = np.iinfo(np.int64).max >> bits  # missing sorts last
    if finite is not None:
        keys[~finite] = missing_key
    keys <<= bits
    keys |= np.arange(u, dtype=np.int64)
    keys.sort(axis=-1)
    unit = np.bitwise_and(keys, (1 << bits) - 1, out=unit_out)
    keys >>= bits
    return unit, keys, None if finite is None else missing_key


def _run_starts(keys: IntArray) -> IntArray | None:
    """Rank of each position of sorted rows ``keys`` (ties: where the run starts); None when
    no row has ties (every rank is its position plus one)."""
    r, u = keys.shape
    differs = np.not_equal(keys[:, 1:], keys[:, :-1])
    if bool(differs.all()):
        return None
    starts = np.ones((r, u), dtype=bool)
    starts[:, 1:] = differs
    position = np.arange(r * u, dtype=np.int64).reshape(r, u)
    run = np.maximum.accumulate(np.where(starts, position, 0).ravel()).reshape(r, u)
    run -= position[:, :1]
    run += 1
    return run


def sorted_ranks(rows: FloatArray) -> SortedRanks | None:
    """Ranks of rows ``(R, u)`` of scores, in rank order; None when a score is too large.

    Equal to ``rank_descending(round(rows, 9))`` row by row (NaN: missing, rank 0).
    """
    found = _sorted_keys(rows)
    if found is None:
        return None
    unit, keys, missing_key = found
    r, u = rows.shape
    rank = _run_starts(keys)
    if rank is None:
        rank = np.broadcast_to(np.arange(1, u + 1, dtype=np.int64), (r, u)).copy()
    if missing_key is not None:
        rank[keys == missing_key] = 0
    return SortedRanks(unit, rank)


def rank_rows(rows: FloatArray) -> FloatArray:
    """Ranks ``(R, u)`` of rows of scores in unit order (NaN for a missing score)."""
    ranked = sorted_ranks(rows)
    if ranked is None:
        return np.asarray(rank_descending(np.round(rows, 9)), dtype=np.float64)
    out = np.empty(rows.shape, dtype=np.float64)
    np.put_along_axis(out, ranked.unit, ranked.rank.astype(np.float64), axis=-1)
    out[out == 0] = np.nan
    return out


def rank_codes(rows: FloatArray) -> npt.NDArray[np.signedinteger[Any]]:
    """``rank * n_units + unit`` of every score of rows ``(R, u)``, in any order within a row.

    What the rank histograms count (rank 0: missing). Rows are ranked :data:`ROW_BLOCK` at a
    time, so that the half-dozen passes over the keys stay in the processor's cache (a row's
    codes do not depend on the rows ranked with it).
    """
    r, u = rows.shape
    # int32 while codes fit: half the memory to buffer and count.
    out = np.empty((r, u), dtype=np.int32 if (u + 1) * u < 2**31 else np.int64)
    # (position + 1) * u: the codes of tie-free rows, in the codes' own type (no casts).
    step = (np.arange(u, dtype=np.int64) * u + u).astype(out.dtype)
    for start in range(0, r, ROW_BLOCK):
        block, codes = rows[start : start + ROW_BLOCK], out[start : start + ROW_BLOCK]
        if not _coarse_codes_into(block, codes, step):
            _rank_codes_into(block, codes, step)
    return out


def _coarse_codes_into(
    rows: FloatArray, out: npt.NDArray[np.signedinteger[Any]], step: IntArray
) -> bool:
    """Rank codes through 32-bit keys, which sort twice as fast as the exact 64-bit ones.

    Each row's rounded scores are mapped onto ``2^q`` levels between the row's extremes
    (``q = 32 - bits of the unit index``); the map never reverses an order, so where no two
    units of a row share a level, that row's order by level is its exact order and it has no
    ties. Rows where two units share a level (equal rounded scores among them) are ranked
    again by the exact kernel. Returns False, having written nothing, when the rows need the
    exact kernel whole (missing or very large scores, or too many units).
    """
    r, u = rows.shape
    bits = max(1, int(u).bit_length())
    levels_bits = 32 - bits
    if r == 0 or u < 2 or levels_bits < 16:
        return False
    low, high = float(rows.min()), float(rows.max())
    if not (np.isfinite(low) and np.isfinite(high)) or max(-low, high) * 2.0**bits >= PACK_LIMIT:
        return False
    scaled = np.multiply(rows, -1e9)  # best first; numpy's round(x, 9) is rint(x * 1e9) / 1e9
    np.rint(scaled, out=scaled)
    lo = scaled.min(axis=1, keepdims=True)
    span = scaled.max(axis=1, keepdims=True)
    span -= lo
    scaled -= lo  # whole numbers below 2^53: exact
    scaled *= (2.0**levels_bits - 1) / np.maximum(span, 1.0)
    keys = scaled.astype(np.uint32)  # floor of values in [0, 2^levels_bits)
    keys <<= np.uint32(bits)
    keys |= np.arange(u, dtype=np.uint32)
    keys.sort(axis=-1)
    # Into the codes' memory as unsigned words when they are 32-bit (a cast would be slow).
    np.bitwise_and(
        keys, np.uint32((1 << bits) - 1), out=out.view(np.uint32) if out.itemsize == 4 else out
    )
    keys >>= np.uint32(bits)
    out += step
    shared = np.equal(keys[:, 1:], keys[:, :-1]).any(axis=1)
    if bool(shared.any()):
        again = np.flatnonzero(shared)
        exact = np.empty((again.shape[0], u), dtype=out.dtype)
        _rank_codes_into(rows[again], exact, step)
        out[again] = exact
    return True


def _rank_codes_into(
    rows: FloatArray, out: npt.NDArray[np.signedinteger[Any]], step: IntArray
) -> None:
    u = rows.shape[-1]
    found = _sorted_keys(rows, unit_out=out)
    if found is None:
        rank = np.nan_to_num(rank_descending(np.round(rows, 9)), nan=0.0).astype(np.int64)
        np.multiply(rank, u, out=out)
        out += np.arange(u, dtype=np.int64)
        return
    _, keys, missing_key = found
    run = _run_starts(keys)
    if run is None:
        out += step
    else:
        run *= u
        out += run
    if missing_key is not None:
        missing = keys == missing_key
        out[missing] %= u

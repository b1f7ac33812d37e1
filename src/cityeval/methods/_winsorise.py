"""COINr's Winsorisation passes, run for many indicators at once.

Winsorising only ever clamps a column: after some passes its values are the original ones
clipped to ``[floor, ceiling]``, both original values. On a column sorted once, a pass
moves the ceiling (or the floor) to the next distinct value, and the power sums of the clipped
column follow from prefix sums in O(1): each pass costs a few operations per *column*, not per
value. The statistics that decide whether to go on are computed from those sums; when they
fall within a hair of a threshold, the column's exact statistics (the formula of
:func:`~cityeval.methods._stats.nan_skew_kurt`) decide instead, so the decisions are those of
recomputing everything at every pass.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from cityeval.methods._stats import nan_skew_kurt

__all__ = ["winsorise"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

#: Relative distance to a threshold under which the exact statistics decide.
_MARGIN = 1e-8


def _fails(skew: FloatArray, kurt: FloatArray, st: float, kt: float) -> BoolArray:
    with np.errstate(invalid="ignore"):
        return (np.abs(skew) > st) & (kurt > kt)


def _near(value: FloatArray, threshold: float) -> BoolArray:
    with np.errstate(invalid="ignore"):
        return np.abs(value - threshold) <= _MARGIN * np.maximum(1.0, np.abs(value))


def _moments(
    sums: tuple[FloatArray, FloatArray, FloatArray, FloatArray], count: IntArray
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Skewness and excess kurtosis from the power sums of centred values (pandas' G1, G2).

    Also says where the estimate cannot be trusted: the central moments come from sums that
    may cancel (a column whose spread is tiny next to its distance from the centre), and where
    the bound on that rounding is not far below the margin, the exact statistics must decide.
    """
    s1, s2, s3, s4 = sums
    n = count.astype(np.float64)
    mean = s1 / n
    m2 = s2 - s1 * mean
    m3 = s3 - 3.0 * s2 * mean + 2.0 * s1 * mean * mean
    m4 = s4 - 4.0 * s3 * mean + 6.0 * s2 * mean * mean - 3.0 * s1 * mean**3
    am = np.abs(mean)
    # Generous bounds on the rounding error of each central moment (64 ulps of its terms).
    eps = 64 * np.finfo(np.float64).eps
    err2 = eps * (s2 + np.abs(s1) * am)
    err3 = eps * (np.abs(s3) + 3.0 * s2 * am + 2.0 * np.abs(s1) * am * am)
    err4 = eps * (s4 + 4.0 * np.abs(s3) * am + 6.0 * s2 * am * am + 3.0 * np.abs(s1) * am**3)
    with np.errstate(invalid="ignore", divide="ignore"):
        g1 = m3 / (m2 * np.sqrt(m2)) * (n * np.sqrt(n - 1.0) / (n - 2.0))
        g2 = ((n - 1.0) / ((n - 2.0) * (n - 3.0))) * (
            n * (n + 1.0) * m4 / (m2 * m2) - 3.0 * (n - 1.0)
        )
        rel2 = err2 / m2
        doubtful = (rel2 > _MARGIN / 10) | (err3 / np.abs(m3) + 1.5 * rel2 > _MARGIN / 10)
        doubtful |= err4 / m4 + 2.0 * rel2 > _MARGIN / 10
    spread = m2 > 0
    doubtful |= ~spread
    return np.where(spread, g1, np.nan), np.where(spread, g2, np.nan), doubtful


def winsorise(
    x: FloatArray,
    skew: FloatArray,
    limit: int,
    skew_threshold: float,
    kurt_threshold: float,
) -> tuple[FloatArray, IntArray, FloatArray, FloatArray]:
    """Winsorise failing columns until they pass or at least ``limit`` values were changed.

    Signature ``(u, k), (k,) -> (u, k), (k,), (k,), (k,)``. Missing values (NaN) stay missing
    and take no part in the statistics.

    Parameters
    ----------
    x : array of shape ``(n_units, k)``
        Columns that fail the check (so each has at least two distinct observed values).
    skew : array of shape ``(k,)``
        Their current skewness (its sign picks the side of the first cut).
    limit : int
        COINr's ``winmax``: passes go on while fewer than ``limit`` values of the column have
        been changed (tied extremes are changed together, so one pass may take the count
        past ``limit``).
    skew_threshold, kurt_threshold : float

    Returns
    -------
    values : array of shape ``(n_units, k)``
        The Winsorised columns.
    passes : int array of shape ``(k,)``
    skew, kurt : arrays of shape ``(k,)``
        Exact statistics of the returned columns.
    """
    n_units, k = x.shape
    complete = not np.isnan(x).any()
    n_obs = (~np.isnan(x)).sum(axis=0)  # observed values per column; NaN sorts last
    srt = np.sort(x, axis=0)
    y = srt - (srt.mean(axis=0) if complete else np.nanmean(srt, axis=0))
    if not complete:
        y = np.where(np.isnan(y), 0.0, y)  # missing values add nothing to the sums
    y2 = y * y
    zero = np.zeros((4, 1, k))
    # prefix[p - 1, j, c]: sum of the p-th powers of the j smallest centred values of column c.
    prefix = np.concatenate([zero, np.cumsum(np.stack([y, y2, y2 * y, y2 * y2]), axis=1)], axis=1)
    # The runs of equal values of each sorted column: run r starts at start[r, c].
    new_run = np.ones((n_units, k), dtype=bool)
    new_run[1:] = srt[1:] != srt[:-1]
    new_run &= np.arange(n_units)[:, None] < n_obs  # the missing tail holds no run
    n_runs = new_run.sum(axis=0)
    run_id = np.cumsum(new_run, axis=0) - 1
    start = np.full((n_units + 1, k), n_units, dtype=np.intp)
    rows, where_cols = np.nonzero(new_run)
    start[run_id[rows, where_cols], where_cols] = rows
    cols = np.arange(k)

    def stats(
        tops: IntArray, bottoms: IntArray, c: IntArray
    ) -> tuple[FloatArray, FloatArray, BoolArray, BoolArray]:
        """Estimated statistics after ``tops`` cuts at the top and ``bottoms`` at the bottom.

        The ceiling is run ``n_runs - 1 - tops``, the floor run ``bottoms``; a column whose
        ceiling run is at or below its floor run is constant.
        """
        last = n_runs[c] - 1
        bottoms = np.minimum(bottoms, last)  # cuts past a constant column change nothing
        ceil_run = last - tops
        constant = ceil_run <= bottoms
        ceil_run = np.maximum(ceil_run, bottoms)
        hi = start[ceil_run, c]  # first position at the ceiling
        lo = np.minimum(start[bottoms + 1, c], hi)  # first position above the floor
        top = y[hi, c] ** exponents
        bottom = y[start[bottoms, c], c] ** exponents
        n = n_obs[c]
        sums = prefix[:, hi, c] - prefix[:, lo, c] + (n - hi) * top + lo * bottom
        s_est, k_est, doubtful = _moments((sums[0], sums[1], sums[2], sums[3]), n)
        s_est = np.where(constant, np.nan, s_est)
        k_est = np.where(constant, np.nan, k_est)
        return s_est, k_est, doubtful & ~constant, constant

    def changed(tops: IntArray, bottoms: IntArray, c: IntArray) -> IntArray:
        """How many values the cuts change: those above the ceiling and below the floor.

        This is COINr's ``nwin`` (``length(imax) + length(imin)``): every point that was at
        the maximum when the last cut at the top was made, and likewise at the bottom. With
        tied extremes one cut changes several points.
        """
        last = n_runs[c] - 1
        bottoms = np.minimum(bottoms, last)
        ceil_run = np.maximum(last - tops, bottoms)
        above = np.where(
            ceil_run < last, n_obs[c] - start[np.minimum(ceil_run + 1, n_units), c], 0
        )
        return np.asarray(above + start[bottoms, c], dtype=np.intp)

    def clipped(tops: IntArray, bottoms: IntArray, c: IntArray) -> FloatArray:
        bottoms = np.minimum(bottoms, n_runs[c] - 1)
        ceil_run = np.maximum(n_runs[c] - 1 - tops, bottoms)
        floor = srt[start[bottoms, c], c]
        ceiling = srt[start[ceil_run, c], c]
        return np.clip(x[:, c], floor, ceiling)

    exponents = np.arange(1, 5).reshape(4, *([1] * 1))
    tops = np.zeros(k, dtype=np.intp)
    bottoms = np.zeros(k, dtype=np.intp)
    passes = np.zeros(k, dtype=np.intp)
    active = np.ones(k, dtype=bool)
    sk = skew.astype(np.float64).copy()
    # Each round looks ahead along the current side: every candidate number of further cuts
    # at once, as a (cuts, columns) array, and jumps to the first state where the column
    # passes, its skew changes sign (the side changes), the limit is reached, or the estimate
    # needs the exact statistics.
    while active.any():
        a = np.flatnonzero(active)
        # Every cut changes at least one more value, so at most ``ahead`` more cuts are made.
        ahead = limit - changed(tops[a], bottoms[a], a)
        depth = int(ahead.max())
        step = np.arange(1, depth + 1)[:, None]
        top_side = sk[a] >= 0
        cand_t = tops[a] + np.where(top_side, step, 0)
        cand_b = bottoms[a] + np.where(top_side, 0, step)
        shape = cand_t.shape
        c = np.broadcast_to(a, shape)
        est = stats(cand_t.ravel(), cand_b.ravel(), c.ravel())
        s_est, k_est = est[0].reshape(shape), est[1].reshape(shape)
        doubtful, constant = est[2].reshape(shape), est[3].reshape(shape)
        near = _near(np.abs(s_est), skew_threshold) | _near(k_est, kurt_threshold)
        keeps_going = _fails(s_est, k_est, skew_threshold, kurt_threshold)
        keeps_going &= (s_est >= 0) == top_side[None, :]
        reached = changed(cand_t.ravel(), cand_b.ravel(), c.ravel()).reshape(shape) >= limit
        stop = ~keeps_going | doubtful | (near & ~constant) | reached
        first = np.where(stop.any(axis=0), stop.argmax(axis=0), depth - 1)
        jump = first + 1
        tops[a] = cand_t[jump - 1, np.arange(a.size)]
        bottoms[a] = cand_b[jump - 1, np.arange(a.size)]
        passes[a] += jump
        pick = (jump - 1, np.arange(a.size))
        s_now, k_now = s_est[pick], k_est[pick]
        unsure = doubtful[pick] | (near[pick] & ~constant[pick])
        if unsure.any():
            u = np.flatnonzero(unsure)
            s_now[u], k_now[u] = nan_skew_kurt(
                clipped(tops[a[u]], bottoms[a[u]], a[u]), complete=complete or None
            )
        sk[a] = s_now
        going = _fails(s_now, k_now, skew_threshold, kurt_threshold)
        going &= changed(tops[a], bottoms[a], a) < limit
        active[a] = going
    values = clipped(tops, bottoms, cols)
    final_skew, final_kurt = nan_skew_kurt(values, complete=complete or None)
    return values, passes, final_skew, final_kurt

"""COINr's Winsorisation passes, run for many indicators at once.

Winsorising only ever clamps a column: after some passes its values are the original ones
clipped to ``[floor, ceiling]``, both original values. On a complete column sorted once, a pass
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

__all__ = ["winsorise_complete"]

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
    sums: tuple[FloatArray, FloatArray, FloatArray, FloatArray], n: float
) -> tuple[FloatArray, FloatArray]:
    """Skewness and excess kurtosis from the power sums of centred values (pandas' G1, G2)."""
    s1, s2, s3, s4 = sums
    mean = s1 / n
    m2 = s2 - s1 * mean
    m3 = s3 - 3.0 * s2 * mean + 2.0 * s1 * mean * mean
    m4 = s4 - 4.0 * s3 * mean + 6.0 * s2 * mean * mean - 3.0 * s1 * mean**3
    with np.errstate(invalid="ignore", divide="ignore"):
        g1 = m3 / (m2 * np.sqrt(m2)) * (n * np.sqrt(n - 1.0) / (n - 2.0))
        g2 = ((n - 1.0) / ((n - 2.0) * (n - 3.0))) * (
            n * (n + 1.0) * m4 / (m2 * m2) - 3.0 * (n - 1.0)
        )
    spread = m2 > 0
    return np.where(spread, g1, np.nan), np.where(spread, g2, np.nan)


def winsorise_complete(
    x: FloatArray,
    skew: FloatArray,
    limit: int,
    skew_threshold: float,
    kurt_threshold: float,
) -> tuple[FloatArray, IntArray, BoolArray, FloatArray, FloatArray]:
    """Winsorise failing columns without missing values until they pass or ``limit`` passes.

    Signature ``(u, k), (k,) -> (u, k), (k,), (k,), (k,), (k,)``.

    Parameters
    ----------
    x : array of shape ``(n_units, k)``
        Columns that fail the check, no NaN, at least two distinct values each.
    skew : array of shape ``(k,)``
        Their current skewness (its sign picks the side of the first cut).
    limit : int
        Most passes per column.
    skew_threshold, kurt_threshold : float

    Returns
    -------
    values : array of shape ``(n_units, k)``
        The Winsorised columns.
    passes : int array of shape ``(k,)``
    stuck : bool array of shape ``(k,)``
        A column that ran out of distinct values.
    skew, kurt : arrays of shape ``(k,)``
        Exact statistics of the returned columns.
    """
    n_units, k = x.shape
    n = float(n_units)
    srt = np.sort(x, axis=0)
    centre = srt.mean(axis=0)
    y = srt - centre
    zero = np.zeros((1, k))
    y2 = y * y
    prefix = [np.concatenate([zero, np.cumsum(v, axis=0)]) for v in (y, y2, y2 * y, y2 * y2)]
    position = np.arange(n_units)[:, None]
    new_run = np.ones((n_units, k), dtype=bool)
    new_run[1:] = srt[1:] != srt[:-1]
    run_start = np.maximum.accumulate(np.where(new_run, position, 0), axis=0)
    ends_run = np.ones((n_units, k), dtype=bool)
    ends_run[:-1] = new_run[1:]
    run_end = np.minimum.accumulate(np.where(ends_run, position, n_units)[::-1], axis=0)[::-1]
    cols = np.arange(k)
    # State of each column: positions [hi, n) sit at the ceiling srt[ci], positions [0, lo] at
    # the floor srt[fi], and the positions between them keep their own values.
    hi = run_start[-1].copy()
    lo = run_end[0].copy()
    ci, fi = hi.copy(), lo.copy()
    passes = np.zeros(k, dtype=np.intp)
    stuck = np.zeros(k, dtype=bool)
    active = np.ones(k, dtype=bool)
    sk = skew.astype(np.float64).copy()
    while active.any():
        a = np.flatnonzero(active)
        stuck_now = srt[ci[a], a] == srt[fi[a], a]  # one distinct value left: nothing to cut
        cut_top = ~stuck_now & (sk[a] >= 0)
        cut_bottom = ~stuck_now & (sk[a] < 0)
        middle_left = hi[a] - 1 > lo[a]  # a distinct value between the floor and the ceiling
        # Cut the top: the ceiling falls to the next distinct value (the floor if none).
        t = a[cut_top & middle_left]
        hi[t] = run_start[hi[t] - 1, t]
        ci[t] = hi[t]
        t = a[cut_top & ~middle_left]
        ci[t] = fi[t]
        # Cut the bottom: the floor rises to the next distinct value (the ceiling if none).
        b = a[cut_bottom & middle_left]
        lo[b] = run_end[lo[b] + 1, b]
        fi[b] = lo[b]
        b = a[cut_bottom & ~middle_left]
        fi[b] = ci[b]
        passes[a] += ~stuck_now
        stuck[a] |= stuck_now
        # Power sums of the clipped column, from the prefix sums of the sorted values.
        h, low = hi[a], lo[a]
        top, bottom = y[ci[a], a], y[fi[a], a]
        n_top, n_bottom = n_units - h, low + 1
        top2, bottom2 = top * top, bottom * bottom
        powers = (
            (top, bottom),
            (top2, bottom2),
            (top2 * top, bottom2 * bottom),
            (top2 * top2, bottom2 * bottom2),
        )
        s1, s2, s3, s4 = (
            (pre[h, a] - pre[low + 1, a]) + n_top * t + n_bottom * b
            for pre, (t, b) in zip(prefix, powers, strict=True)
        )
        s_est, k_est = _moments((s1, s2, s3, s4), n)
        unsure = _near(np.abs(s_est), skew_threshold) | _near(k_est, kurt_threshold)
        if unsure.any():
            u = a[unsure]
            clipped = np.clip(x[:, u], srt[fi[u], u], srt[ci[u], u])
            s_est[unsure], k_est[unsure] = nan_skew_kurt(clipped, complete=True)
        sk[a] = s_est
        going = _fails(s_est, k_est, skew_threshold, kurt_threshold) & ~stuck_now
        going &= passes[a] < limit
        active[a] = going
    values = np.clip(x, srt[fi, cols], srt[ci, cols])
    final_skew, final_kurt = nan_skew_kurt(values, complete=True)
    return values, passes, stuck, final_skew, final_kurt

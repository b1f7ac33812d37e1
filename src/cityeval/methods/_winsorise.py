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
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Skewness and excess kurtosis from the power sums of centred values (pandas' G1, G2).

    Also says where the estimate cannot be trusted: the central moments come from sums that
    may cancel (a column whose spread is tiny next to its distance from the centre), and where
    the bound on that rounding is not far below the margin, the exact statistics must decide.
    """
    s1, s2, s3, s4 = sums
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
    zero = np.zeros((4, 1, k))
    # prefix[p - 1, j, c]: sum of the p-th powers of the j smallest centred values of column c.
    prefix = np.concatenate([zero, np.cumsum(np.stack([y, y2, y2 * y, y2 * y2]), axis=1)], axis=1)
    position = np.arange(n_units)[:, None]
    new_run = np.ones((n_units, k), dtype=bool)
    new_run[1:] = srt[1:] != srt[:-1]
    run_start = np.maximum.accumulate(np.where(new_run, position, 0), axis=0)
    ends_run = np.ones((n_units, k), dtype=bool)
    ends_run[:-1] = new_run[1:]
    run_end = np.minimum.accumulate(np.where(ends_run, position, n_units)[::-1], axis=0)[::-1]
    cols = np.arange(k)
    exponents = np.arange(1, 5)[:, None]
    # State of each column: positions [hi, n) sit at the ceiling srt[ci], positions [0, lo] at
    # the floor srt[fi], and the positions between them keep their own values. Every pass
    # updates all k columns with masks (k is small): no per-column loop, few array calls.
    hi = run_start[-1].copy()
    lo = run_end[0].copy()
    ci, fi = hi.copy(), lo.copy()
    passes = np.zeros(k, dtype=np.intp)
    stuck = np.zeros(k, dtype=bool)
    active = np.ones(k, dtype=bool)
    sk = skew.astype(np.float64).copy()
    while active.any():
        stuck_now = active & (srt[ci, cols] == srt[fi, cols])
        cutting = active & ~stuck_now
        cut_top = cutting & (sk >= 0)
        cut_bottom = cutting & (sk < 0)
        middle_left = hi - 1 > lo  # a distinct value between the floor and the ceiling
        next_hi = run_start[np.maximum(hi - 1, 0), cols]
        next_lo = run_end[np.minimum(lo + 1, n_units - 1), cols]
        # Cut the top: the ceiling falls to the next distinct value (the floor if none);
        # cut the bottom: the floor rises to the next distinct value (the ceiling if none).
        hi = np.where(cut_top & middle_left, next_hi, hi)
        lo = np.where(cut_bottom & middle_left, next_lo, lo)
        new_ci = np.where(middle_left, hi, fi)
        new_fi = np.where(middle_left, lo, ci)
        ci = np.where(cut_top, new_ci, ci)
        fi = np.where(cut_bottom, new_fi, fi)
        passes += cutting
        stuck |= stuck_now
        # Power sums of the clipped columns, from the prefix sums of the sorted values.
        top = y[ci, cols] ** exponents
        bottom = y[fi, cols] ** exponents
        sums = (
            prefix[:, hi, cols]
            - prefix[:, lo + 1, cols]
            + (n_units - hi) * top
            + (lo + 1) * bottom
        )
        s_est, k_est, doubtful = _moments((sums[0], sums[1], sums[2], sums[3]), n)
        # A column cut down to one value has no spread: undefined statistics, as exactly.
        constant = srt[ci, cols] == srt[fi, cols]
        s_est[constant], k_est[constant] = np.nan, np.nan
        unsure = active & ~constant & (doubtful | _near(np.abs(s_est), skew_threshold))
        unsure |= active & ~constant & _near(k_est, kurt_threshold)
        if unsure.any():
            u = np.flatnonzero(unsure)
            clipped = np.clip(x[:, u], srt[fi[u], u], srt[ci[u], u])
            s_est[u], k_est[u] = nan_skew_kurt(clipped, complete=True)
        sk = np.where(active, s_est, sk)
        going = _fails(s_est, k_est, skew_threshold, kurt_threshold) & (passes < limit)
        active &= going & ~stuck_now
    values = np.clip(x, srt[fi, cols], srt[ci, cols])
    final_skew, final_kurt = nan_skew_kurt(values, complete=True)
    return values, passes, stuck, final_skew, final_kurt

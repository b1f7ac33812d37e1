"""NaN-aware column statistics shared by the kernels.

Every helper reduces over one axis (the units axis, ``-2``, unless told otherwise), ignores
``NaN`` and never emits numpy's "empty slice" warnings: a reduction over no observed value
gives ``NaN``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = [
    "as_float",
    "broadcast_param",
    "keep_nan",
    "nan_count",
    "nan_kurt",
    "nan_max",
    "nan_mean",
    "nan_median",
    "nan_min",
    "nan_skew",
    "nan_std",
    "orient",
    "rank_min",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]


def as_float(x: npt.ArrayLike) -> FloatArray:
    """Return ``x`` as a float64 array without copying when it already is one."""
    return np.asarray(x, dtype=np.float64)


def broadcast_param(value: npt.ArrayLike, n_indicators: int) -> FloatArray:
    """Broadcast a per-indicator parameter to shape ``(n_indicators,)`` (read-only view)."""
    return np.broadcast_to(np.asarray(value, dtype=np.float64), (n_indicators,))


def nan_count(x: FloatArray, axis: int = -2) -> npt.NDArray[np.intp]:
    """Number of non-missing values along ``axis``."""
    return np.asarray(np.count_nonzero(~np.isnan(x), axis=axis), dtype=np.intp)


def nan_min(x: FloatArray, axis: int = -2) -> FloatArray:
    """Minimum along ``axis`` ignoring NaN; NaN where nothing is observed."""
    if x.shape[axis] == 0:
        return np.full(np.delete(x.shape, axis % x.ndim), np.nan)
    # fmin propagates a number over NaN, so only an all-NaN slice gives NaN (and no warning).
    return np.asarray(np.fmin.reduce(x, axis=axis), dtype=np.float64)


def nan_max(x: FloatArray, axis: int = -2) -> FloatArray:
    """Maximum along ``axis`` ignoring NaN; NaN where nothing is observed."""
    if x.shape[axis] == 0:
        return np.full(np.delete(x.shape, axis % x.ndim), np.nan)
    return np.asarray(np.fmax.reduce(x, axis=axis), dtype=np.float64)


def nan_mean(x: FloatArray, axis: int = -2) -> FloatArray:
    """Mean along ``axis`` ignoring NaN; NaN where nothing is observed."""
    observed = ~np.isnan(x)
    total = np.where(observed, x, 0.0).sum(axis=axis)
    count = observed.sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def nan_std(x: FloatArray, axis: int = -2) -> FloatArray:
    """Sample standard deviation (``ddof=1``, as R's ``sd``) along ``axis`` ignoring NaN.

    NaN where fewer than two values are observed.
    """
    observed = ~np.isnan(x)
    count = observed.sum(axis=axis)
    mean = np.expand_dims(nan_mean(x, axis=axis), axis)
    sq = np.where(observed, (x - mean) ** 2, 0.0).sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 1, np.sqrt(sq / np.maximum(count - 1, 1)), np.nan)


def nan_median(x: FloatArray, axis: int = -2) -> FloatArray:
    """Median along ``axis`` ignoring NaN; NaN where nothing is observed."""
    moved = np.moveaxis(x, axis, -1)
    if moved.shape[-1] == 0:
        return np.full(moved.shape[:-1], np.nan)
    ordered = np.sort(moved, axis=-1)  # NaN sorts last
    count = np.count_nonzero(~np.isnan(moved), axis=-1)
    lo = np.maximum((count - 1) // 2, 0)[..., None]
    hi = np.maximum(count // 2, 0)[..., None]
    hi = np.minimum(hi, moved.shape[-1] - 1)
    a = np.take_along_axis(ordered, lo, axis=-1)[..., 0]
    b = np.take_along_axis(ordered, hi, axis=-1)[..., 0]
    return np.where(count > 0, (a + b) / 2.0, np.nan)


def _central_sums(
    x: FloatArray, axis: int, complete: bool | None = None
) -> tuple[IntArray, FloatArray, FloatArray, FloatArray, BoolArray]:
    """Count and the sums of the 2nd, 3rd and 4th powers of the scaled deviations.

    The deviations are taken as ``n * x - sum(x)``, that is ``n`` times the deviation from the
    mean, so that data on a coarse grid (integers, values with few decimals) give exact
    moments; the factor ``n`` cancels in the skewness and kurtosis ratios.
    """
    # Without missing values the masks are skipped; the sums see the same numbers in the same
    # order, so the results are identical. ``complete`` says so when the caller knows.
    observed = np.ones((), dtype=bool) if complete else ~np.isnan(x)
    if not complete:
        complete = bool(observed.all())
    if complete:
        count = np.full(np.delete(x.shape, axis % x.ndim), x.shape[axis], dtype=np.intp)
    else:
        count = observed.sum(axis=axis)
    total = np.expand_dims((x if complete else np.where(observed, x, 0.0)).sum(axis=axis), axis)
    n = np.expand_dims(count, axis).astype(np.float64)
    dev = n * x - total
    if not complete:
        dev = np.where(observed, dev, 0.0)
    dev2 = dev * dev
    m2 = dev2.sum(axis=axis)
    m3 = (dev2 * dev).sum(axis=axis)
    m4 = (dev2 * dev2).sum(axis=axis)
    # A constant column has no spread at all, whatever rounding the deviations carry.
    if complete and x.shape[axis] > 0:
        constant = x.max(axis=axis) == x.min(axis=axis)
    else:
        constant = nan_max(x, axis=axis) == nan_min(x, axis=axis)
    return count, m2, m3, m4, constant


def nan_skew(x: FloatArray, axis: int = -2) -> FloatArray:
    """Bias-adjusted sample skewness (Fisher-Pearson G1), as pandas ``Series.skew()``.

    ``G1 = m3 / m2**1.5 * n * sqrt(n - 1) / (n - 2)`` with ``m_k`` the sums of the k-th powers
    of the deviations from the mean, evaluated in the order of pandas
    ``_libs/algos.pxd::calc_skew`` (the same statistic as e1071 ``skewness(type = 2)`` used by
    COINr). NaN when fewer than three values are observed or all observed values are equal,
    as in pandas >= 3.

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``
    axis : int
        Axis to reduce, the units axis by default.

    Returns
    -------
    array of the shape of ``x`` without ``axis``.
    """
    count, m2, m3, _, constant = _central_sums(x, axis)
    return _g1(count, m2, m3, constant)


def nan_kurt(x: FloatArray, axis: int = -2) -> FloatArray:
    """Bias-adjusted sample excess kurtosis (G2), as pandas ``Series.kurt()``.

    ``G2 = (n - 1) / ((n - 2)(n - 3)) * (n (n + 1) m4 / m2**2 - 3 (n - 1))`` with ``m_k`` the
    sums of the k-th powers of the deviations, in the order of pandas
    ``_libs/algos.pxd::calc_kurt`` (e1071 ``kurtosis(type = 2)``). About 0 for normal data.
    NaN when fewer than four values are observed or all observed values are equal.

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``
    axis : int
        Axis to reduce, the units axis by default.

    Returns
    -------
    array of the shape of ``x`` without ``axis``.
    """
    count, m2, _, m4, constant = _central_sums(x, axis)
    return _g2(count, m2, m4, constant)


def _g1(count: IntArray, m2: FloatArray, m3: FloatArray, constant: BoolArray) -> FloatArray:
    """G1 from the count and central sums, in pandas' order of operations (``calc_skew``)."""
    n = count.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        moments_ratio = m3 / (m2 * np.sqrt(m2))
        correction = (n * np.sqrt(n - 1.0)) / (n - 2.0)
        g1 = moments_ratio * correction
    return np.where((count < 3) | constant, np.nan, g1)


def _g2(count: IntArray, m2: FloatArray, m4: FloatArray, constant: BoolArray) -> FloatArray:
    """G2 from the count and central sums, in pandas' order of operations (``calc_kurt``)."""
    n = count.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        moments_ratio = m4 / (m2 * m2)
        inner = n * (n + 1.0) * moments_ratio - 3.0 * (n - 1.0)
        correction = (n - 1.0) / ((n - 2.0) * (n - 3.0))
        g2 = correction * inner
    return np.where((count < 4) | constant, np.nan, g2)


def nan_skew_kurt(
    x: FloatArray, axis: int = -2, *, complete: bool | None = None
) -> tuple[FloatArray, FloatArray]:
    """:func:`nan_skew` and :func:`nan_kurt` from one pass over the data (same formulas).

    ``complete=True`` promises there is no NaN in ``x`` and skips the checks.
    """
    count, m2, m3, m4, constant = _central_sums(x, axis, complete)
    return _g1(count, m2, m3, constant), _g2(count, m2, m4, constant)


def rank_min(x: FloatArray, axis: int = -2) -> FloatArray:
    """Ascending ranks along ``axis``, ties sharing the minimum rank, NaN kept as NaN.

    The same as R's ``rank(x, ties.method = "min", na.last = "keep")``: the smallest observed
    value gets rank 1 and a value's rank is one plus the number of observed values strictly
    below it.

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``
    axis : int
        Axis along which to rank, the units axis by default.

    Returns
    -------
    float array of the shape of ``x``.
    """
    moved = np.moveaxis(x, axis, -1)
    n = moved.shape[-1]
    if n == 0:
        return np.moveaxis(np.empty_like(moved), -1, axis)
    order = np.argsort(moved, axis=-1, kind="stable")  # NaN sorts last
    ordered = np.take_along_axis(moved, order, axis=-1)
    position = np.broadcast_to(np.arange(1, n + 1, dtype=np.float64), ordered.shape)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    # Within a run of equal values every member takes the position where the run starts.
    sorted_ranks = np.maximum.accumulate(np.where(starts, position, 0.0), axis=-1)
    sorted_ranks = np.where(np.isnan(ordered), np.nan, sorted_ranks)
    ranks = np.empty_like(sorted_ranks)
    np.put_along_axis(ranks, order, sorted_ranks, axis=-1)
    return np.moveaxis(ranks, -1, axis)


def orient(x: npt.ArrayLike, direction: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Return ``(y, d)``: the oriented data ``direction * x`` and the direction as floats.

    The first step of every normalisation (the direction rule of
    :mod:`cityeval.methods.normalise`): higher ``y`` is better.
    """
    xf = as_float(x)
    d = broadcast_param(direction, xf.shape[-1])
    return xf * d, d


def keep_nan(y: FloatArray, out: FloatArray) -> FloatArray:
    """Put NaN back wherever the input was missing."""
    return np.where(np.isnan(y), np.nan, out)

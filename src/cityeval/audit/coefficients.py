"""Correlation coefficients between columns with missing values, as R's ``cor`` computes them.

COINr calls ``stats::cor(X, Y, method, use = "pairwise.complete.obs")``. For each pair of
columns R keeps the rows where both are present; Pearson and Kendall (tau-b) are computed
on those rows, while Spearman ranks each column over *its own* present values first
(``rank(x, na.last = "keep")``, average ranks for ties) and then takes Pearson's
coefficient of those ranks on the shared rows. That differs from ranking the shared rows
again whenever a column has missing values, so this module follows R.
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "METHODS",
    "Method",
    "coefficient",
    "column_ranks",
    "correlation_matrix",
    "covariance_matrix",
    "pearson_matrix",
]

FloatArray = npt.NDArray[np.float64]
Method = Literal["pearson", "spearman", "kendall"]
METHODS: tuple[Method, ...] = ("pearson", "spearman", "kendall")


def column_ranks(values: FloatArray) -> FloatArray:
    """Average ranks of each column over its present values; NaN stays NaN.

    Parameters
    ----------
    values : array of shape ``(n_units, n_columns)``

    Returns
    -------
    array of shape ``(n_units, n_columns)``
    """
    from scipy.stats import rankdata

    if values.size == 0:
        return np.full(values.shape, np.nan)
    return np.asarray(rankdata(values, method="average", axis=0, nan_policy="omit"), dtype=float)


def _pearson(x: FloatArray, y: FloatArray) -> float:
    # Two-pass formula on centred values, as R's C_cor does.
    if len(x) < 2:
        return float("nan")
    dx, dy = x - x.mean(), y - y.mean()
    sxx, syy = float(dx @ dx), float(dy @ dy)
    if len(x) < 2 or sxx == 0.0 or syy == 0.0:
        return float("nan")
    r = float(dx @ dy) / np.sqrt(sxx * syy)
    return float(min(1.0, max(-1.0, r)))


def coefficient(x: FloatArray, y: FloatArray, method: Method, ranked: bool = False) -> float:
    """The correlation of two columns on the rows where both are present.

    Parameters
    ----------
    x, y : array of shape ``(n_units,)``
        NaN where missing.
    method : ``"pearson"``, ``"spearman"`` or ``"kendall"``
    ranked : bool
        For Spearman: ``x`` and ``y`` are already :func:`column_ranks` of the raw columns.

    Returns
    -------
    float
        NaN with fewer than two shared rows or a constant column (R gives ``NA``).
    """
    both = ~(np.isnan(x) | np.isnan(y))
    if method == "spearman" and not ranked:
        rx, ry = column_ranks(np.column_stack([x, y])).T
        return _pearson(rx[both], ry[both])
    xs, ys = x[both], y[both]
    if method == "pearson" or method == "spearman":
        return _pearson(xs, ys)
    if len(xs) < 2 or np.ptp(xs) == 0 or np.ptp(ys) == 0:
        return float("nan")
    from scipy.stats import kendalltau

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(kendalltau(xs, ys, variant="b").statistic)


def _centred(values: FloatArray, present: npt.NDArray[np.bool_]) -> FloatArray:
    """Each column less its mean over its present values; 0 where missing."""
    filled = np.where(present, values, 0.0)
    count = present.sum(axis=0)
    means = filled.sum(axis=0) / np.maximum(count, 1)
    out: FloatArray = np.where(present, values - means, 0.0)
    return out


def _shared_row_sums(
    values: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """The centred columns and, for every pair of columns, the sums over their shared rows.

    Returns
    -------
    centred : array of shape ``(n_units, n_columns)``
        :func:`_centred` columns (0 where missing).
    present : array of shape ``(n_units, n_columns)``
        1.0 where a value is present, else 0.0.
    n : array of shape ``(n_columns, n_columns)``
        ``n[i, j]``: how many rows columns ``i`` and ``j`` share.
    sx : array of shape ``(n_columns, n_columns)``
        ``sx[i, j]``: the sum of centred column ``i`` over the rows it shares with column ``j``.
    """
    present = ~np.isnan(values)
    m = present.astype(float)
    centred = _centred(values, present)
    return centred, m, m.T @ m, centred.T @ m


def pearson_matrix(values: FloatArray) -> FloatArray:
    """Pearson correlations of every pair of columns on their shared rows, vectorised.

    Columns are centred on their own means first, so the one-pass sums over each pair's
    shared rows lose no precision to cancellation; without missing values this is the
    two-pass formula exactly.

    Parameters
    ----------
    values : array of shape ``(n_units, n_columns)``

    Returns
    -------
    array of shape ``(n_columns, n_columns)``
    """
    centred, m, n, sx = _shared_row_sums(values)
    with np.errstate(invalid="ignore", divide="ignore"):
        sxx = (centred**2).T @ m
        sxy = centred.T @ centred
        cov = sxy - sx * sx.T / n
        vx = sxx - sx**2 / n
        r = cov / np.sqrt(vx * vx.T)
    r[(n < 2) | (vx <= 0) | (vx.T <= 0)] = np.nan
    out: FloatArray = np.clip(r, -1.0, 1.0)
    return out


def covariance_matrix(values: FloatArray) -> FloatArray:
    """Sample covariances (``n - 1``) of every pair of columns on their shared rows.

    R's ``cov(X, use = "pairwise.complete.obs")``: each pair uses its own shared rows and
    their means; the diagonal is each column's variance over its present values.

    Parameters
    ----------
    values : array of shape ``(n_units, n_columns)``

    Returns
    -------
    array of shape ``(n_columns, n_columns)``
        NaN where a pair shares fewer than two rows.
    """
    centred, _m, n, sx = _shared_row_sums(values)
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (centred.T @ centred - sx * sx.T / n) / (n - 1)
    cov[n < 2] = np.nan
    out: FloatArray = cov
    return out


def correlation_matrix(values: FloatArray, method: Method) -> FloatArray:
    """Pairwise correlations of every pair of columns (R's ``cor(X, use = "pairwise...")``).

    Parameters
    ----------
    values : array of shape ``(n_units, n_columns)``

    Returns
    -------
    array of shape ``(n_columns, n_columns)``
        Symmetric; the diagonal is 1 where a column varies, NaN where it is constant.
    """
    if values.shape[1] and values.shape[0] == 0:
        return np.full((values.shape[1],) * 2, np.nan)
    if method == "pearson":
        return pearson_matrix(values)
    if method == "spearman":
        return pearson_matrix(column_ranks(values))
    k = values.shape[1]
    out = np.full((k, k), np.nan)
    for i in range(k):
        for j in range(i, k):
            out[i, j] = out[j, i] = coefficient(values[:, i], values[:, j], "kendall")
    return out

"""Column statistics as COINr's ``get_stats`` computes them, one column at a time.

Every statistic skips missing values (``na.rm = TRUE``). The standard deviation is the
sample one (``n - 1``, R's ``sd``). Skewness and kurtosis are COINr's ``skew`` and ``kurt``,
which are e1071's type 2 (Excel's ``SKEW`` and ``KURT``): the bias-adjusted sample skewness
``G1 = g1 sqrt(n (n - 1)) / (n - 2)`` (needs 3 values) and the bias-adjusted excess kurtosis
``G2 = ((n + 1) g2 + 6) (n - 1) / ((n - 2)(n - 3))`` (needs 4 values), where ``g1`` and ``g2``
are the moment ratios; SciPy's ``skew(bias=False)`` and ``kurtosis(bias=False)``.
"""

from __future__ import annotations

import warnings

import numpy as np
import numpy.typing as npt
from attrs import frozen

__all__ = ["ColumnStats", "column_stats"]

FloatArray = npt.NDArray[np.float64]


@frozen
class ColumnStats:
    """The statistics of each column of a data set; every array has shape ``(n_columns,)``.

    ``n`` is the number of rows (units); the others count or summarise present values.
    """

    n: int
    n_avail: npt.NDArray[np.int64]
    minimum: FloatArray
    maximum: FloatArray
    mean: FloatArray
    median: FloatArray
    sd: FloatArray
    skew: FloatArray
    kurt: FloatArray
    n_nonzero: npt.NDArray[np.int64]
    n_unique: npt.NDArray[np.int64]
    n_same: npt.NDArray[np.int64]


def column_stats(values: FloatArray) -> ColumnStats:
    """Statistics of each column of ``values`` over its present (non-NaN) entries.

    Parameters
    ----------
    values : array of shape ``(n_units, n_columns)``
        NaN where missing.

    Returns
    -------
    ColumnStats
        NaN where a statistic is undefined: no values (every statistic), one value (``sd``),
        fewer than three (``skew``) or four (``kurt``) values, or a constant column
        (``skew`` and ``kurt``).
    """
    from scipy.stats import kurtosis, skew

    n_rows, k = values.shape
    stats = {
        name: np.full(k, np.nan) for name in ("min", "max", "mean", "median", "sd", "sk", "kt")
    }
    n_avail = np.zeros(k, dtype=np.int64)
    n_nonzero = np.zeros(k, dtype=np.int64)
    n_unique = np.zeros(k, dtype=np.int64)
    n_same = np.zeros(k, dtype=np.int64)
    for j in range(k):
        x = values[:, j]
        x = x[~np.isnan(x)]
        m = len(x)
        n_avail[j] = m
        if m == 0:
            continue
        n_nonzero[j] = int(np.count_nonzero(x))
        _, counts = np.unique(x, return_counts=True)
        n_unique[j], n_same[j] = len(counts), int(counts.max())
        stats["min"][j], stats["max"][j] = x.min(), x.max()
        stats["mean"][j], stats["median"][j] = x.mean(), np.median(x)
        if m >= 2:
            stats["sd"][j] = x.std(ddof=1)
        if len(counts) > 1:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                if m >= 3:
                    stats["sk"][j] = skew(x, bias=False)
                if m >= 4:
                    stats["kt"][j] = kurtosis(x, fisher=True, bias=False)
    return ColumnStats(
        n=n_rows,
        n_avail=n_avail,
        minimum=stats["min"],
        maximum=stats["max"],
        mean=stats["mean"],
        median=stats["median"],
        sd=stats["sd"],
        skew=stats["sk"],
        kurt=stats["kt"],
        n_nonzero=n_nonzero,
        n_unique=n_unique,
        n_same=n_same,
    )

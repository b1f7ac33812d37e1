"""Outlier treatment kernel: COINr's skew/kurtosis check, Winsorisation, then log transform.

Follows step 3 of ``reference/coinr-asem-method.md`` exactly (COINr ``Treat`` with the default
``check_SkewKurt`` -> ``winsorise`` -> ``log_CT``, ``R/treat.R``). Each indicator is treated
independently but all at once: each column is sorted once and the passes run on prefix sums
(:mod:`cityeval.methods._winsorise`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from cityeval.methods._stats import as_float, nan_max, nan_min, nan_skew_kurt
from cityeval.methods._winsorise import winsorise

__all__ = ["TreatmentResult", "coinr_treat", "default_winmax"]

FloatArray = npt.NDArray[np.float64]


class TreatmentResult(NamedTuple):
    """Treated data and the per-indicator treatment report.

    Attributes
    ----------
    values : array of shape ``(n_units, n_indicators)``
        Treated data; NaN where the input was NaN.
    winsorised_high, winsorised_low : int arrays of shape ``(n_indicators,)``
        Number of units whose value was lowered (high side) or raised (low side) in the
        returned ``values``. Zero when the log transform replaced the Winsorised column.
    log_applied : bool array of shape ``(n_indicators,)``
    skew_before, kurt_before : arrays of shape ``(n_indicators,)``
        Sample skewness and excess kurtosis of the input column (NaN when undefined).
    skew_after, kurt_after : arrays of shape ``(n_indicators,)``
        The same statistics of the returned column.
    passes : int array of shape ``(n_indicators,)``
        Number of Winsorisation passes made (also when they were discarded for the log).
    failed : bool array of shape ``(n_indicators,)``
        The returned column still fails the check.
    degenerate : bool array of shape ``(n_indicators,)``
        The column had fewer than two distinct observed values when treatment started or
        when a Winsorisation pass needed them; it is reported here and left as it was.
    """

    values: FloatArray
    winsorised_high: npt.NDArray[np.intp]
    winsorised_low: npt.NDArray[np.intp]
    log_applied: npt.NDArray[np.bool_]
    skew_before: FloatArray
    kurt_before: FloatArray
    skew_after: FloatArray
    kurt_after: FloatArray
    passes: npt.NDArray[np.intp]
    failed: npt.NDArray[np.bool_]
    degenerate: npt.NDArray[np.bool_]


def default_winmax(n_units: int) -> int:
    """``ceil(0.1 * n_units)``, the ``winmax`` of ``coinr-asem-method.md`` (6 for 51 units).

    Computed in integers: ``0.1 * 30`` is ``3.0000000000000004`` in floating point.
    """
    return -(-n_units // 10)


def _fails(
    skew: FloatArray, kurt: FloatArray, skew_threshold: float, kurt_threshold: float
) -> npt.NDArray[np.bool_]:
    """COINr ``check_SkewKurt``: fail when |skew| > threshold AND kurtosis > threshold.

    Both comparisons are strict; an undefined (NaN) statistic never fails.
    """
    with np.errstate(invalid="ignore"):
        return (np.abs(skew) > skew_threshold) & (kurt > kurt_threshold)


def coinr_treat(
    x: npt.ArrayLike,
    *,
    winmax: int | None = None,
    skew_threshold: float = 2.0,
    kurt_threshold: float = 3.5,
    log_transform: bool = True,
) -> TreatmentResult:
    """Treat outliers per indicator the way COINr built the ASEM index.

    For each indicator (column), on its observed values:

    1. it *fails* when ``|skew| > skew_threshold`` and ``kurt > kurt_threshold`` (bias-adjusted
       sample skewness and excess kurtosis, as pandas ``skew()``/``kurt()``);
    2. while it fails and fewer than ``winmax`` values have been changed (COINr's ``nwin``,
       ``R/treat.R``: tied extremes are changed together, so a pass may change several
       values and take the count past ``winmax``): if ``skew >= 0`` every value
       equal to the current maximum becomes the next-highest distinct value, otherwise every
       value equal to the current minimum becomes the next-lowest distinct value; the
       statistics are recomputed and the side is chosen again at every pass;
    3. if it still fails and ``log_transform`` is true, the Winsorised values are discarded and
       the *original* column becomes ``ln(x - min + 0.01 * (max - min))`` (COINr ``log_CT``).
       With ``log_transform=False`` the Winsorised column is kept (Winsorise only).

    Parameters
    ----------
    x : array of shape ``(n_units, n_indicators)``
        NaN is missing and stays missing.
    winmax : int, optional
        COINr's limit on the number of Winsorised *points* (not passes): passes go on while
        fewer values than this have been changed. Default ``ceil(0.1 * n_units)`` with
        ``n_units = x.shape[0]``, all units and not only the observed ones, as the method
        text states (after imputation the two agree).
    skew_threshold, kurt_threshold : float
    log_transform : bool

    Returns
    -------
    TreatmentResult
    """
    xf = as_float(x)
    n_units, n_ind = xf.shape
    limit = default_winmax(n_units) if winmax is None else int(winmax)
    skew, kurt = nan_skew_kurt(xf)
    skew_before, kurt_before = skew.copy(), kurt.copy()
    with np.errstate(invalid="ignore"):
        degenerate = ~(nan_max(xf) > nan_min(xf))  # fewer than two distinct observed values
    values = xf.copy()
    high = np.zeros(n_ind, dtype=np.intp)
    low = np.zeros(n_ind, dtype=np.intp)
    passes = np.zeros(n_ind, dtype=np.intp)
    # Every failing indicator at once; each column is sorted once and a pass costs O(1).
    failing = np.flatnonzero(_fails(skew, kurt, skew_threshold, kurt_threshold) & ~degenerate)
    if limit > 0 and failing.size:
        w, p, s, k = winsorise(
            xf[:, failing], skew[failing], limit, skew_threshold, kurt_threshold
        )
        values[:, failing] = w
        passes[failing] = p
        skew[failing], kurt[failing] = s, k
        with np.errstate(invalid="ignore"):
            high[failing] = (w < xf[:, failing]).sum(axis=0)
            low[failing] = (w > xf[:, failing]).sum(axis=0)
    log_applied = np.zeros(n_ind, dtype=bool)
    if log_transform:
        log_applied = _fails(skew, kurt, skew_threshold, kurt_threshold) & ~degenerate
        cols = np.flatnonzero(log_applied)
        if cols.size:
            original = xf[:, cols]
            lo, hi = nan_min(original), nan_max(original)
            # COINr log_CT: shift so the minimum maps to ln(0.01 * range), then log.
            w = np.log(original - lo + 0.01 * (hi - lo))
            values[:, cols] = w
            high[cols] = 0
            low[cols] = 0
            skew[cols], kurt[cols] = nan_skew_kurt(w)
    failed = _fails(skew, kurt, skew_threshold, kurt_threshold) & ~degenerate
    skew_after, kurt_after = skew, kurt

    return TreatmentResult(
        values=values,
        winsorised_high=high,
        winsorised_low=low,
        log_applied=log_applied,
        skew_before=skew_before,
        kurt_before=kurt_before,
        skew_after=skew_after,
        kurt_after=kurt_after,
        passes=passes,
        failed=failed,
        degenerate=degenerate,
    )

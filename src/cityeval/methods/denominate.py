"""Denomination kernel: divide indicators by a per-unit size variable (GDP, population ...).

COINr ``Denominate`` (``R/denominate.R``); step 1 of ``reference/coinr-asem-method.md``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from cityeval.methods._stats import as_float

__all__ = ["DenominationResult", "denominate"]

FloatArray = npt.NDArray[np.float64]


class DenominationResult(NamedTuple):
    """Denominated values and where a division by zero was met.

    Attributes
    ----------
    values : array of shape ``(..., n_units, n_indicators)``
    zero_division : bool array of shape ``(..., n_units, n_indicators)``
        True where an observed value was divided by a zero denominator; those cells are NaN
        in ``values``.
    """

    values: FloatArray
    zero_division: npt.NDArray[np.bool_]


def denominate(
    x: npt.ArrayLike, denominators: npt.ArrayLike, index: npt.ArrayLike
) -> DenominationResult:
    """Divide each denominated indicator by its denominator, unit by unit.

    ``values[..., u, i] = x[..., u, i] / denominators[u, index[i]]`` where ``index[i] >= 0``;
    indicators with ``index[i] == -1`` pass through unchanged. A missing value or a missing
    denominator gives a missing result. A zero denominator also gives NaN, and the cell is
    flagged in ``zero_division`` instead of raising: the kernel does not validate, the caller
    decides whether that is an error and can name the units from the mask.

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``
    denominators : array of shape ``(n_units, n_denominators)``
        (or with the same leading batch axes as ``x``).
    index : int array of shape ``(n_indicators,)``
        Column of ``denominators`` for each indicator; ``-1`` means not denominated.

    Returns
    -------
    DenominationResult
        ``(values, zero_division)``, both of the shape of ``x``.
    """
    xf = as_float(x)
    den = as_float(denominators)
    idx = np.asarray(index, dtype=np.intp).reshape(-1)
    used = idx >= 0
    if den.shape[-1] == 0:
        per_cell = np.ones((*den.shape[:-1], idx.size))
    else:
        per_cell = np.where(used, np.take(den, np.maximum(idx, 0), axis=-1), 1.0)
    zero = (per_cell == 0) & ~np.isnan(xf)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.where(zero, np.nan, xf / np.where(per_cell == 0, 1.0, per_cell))
    return DenominationResult(values, zero)

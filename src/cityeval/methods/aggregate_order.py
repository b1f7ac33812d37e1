"""Order-statistic aggregation: the weighted median and the minimum ("weakest link").

The weighted median is the one COINr's vignette plugs in through
``matrixStats::weightedMedian`` (see :func:`median` for how this definition differs); the
minimum is ProMCDA's. Conventions as in :mod:`cityeval.methods.aggregate`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from cityeval.methods._aggregate_common import MEDIAN_RTOL, FloatArray, prepare

__all__ = ["median", "minimum"]


def median(values: npt.ArrayLike, weights: npt.ArrayLike) -> FloatArray:
    """Weighted median of the used children: the midpoint of the weighted-median interval.

    Signature ``(..., u, c), (..., c) -> (..., u)``.

    Parameters
    ----------
    values : array_like of shape ``(..., n_units, n_children)``
        Child scores; ``NaN`` marks a missing value.
    weights : array_like of shape ``(..., n_children)``
        Non-negative relative weights.

    Returns
    -------
    ndarray of shape ``(..., n_units)``
        The weighted median; ``NaN`` where no child is used.

    Notes
    -----
    Definition. Sort the used values ``x_(1) <= ... <= x_(k)`` with weights ``w_(i)`` and total
    ``W``. The *lower* weighted median is the smallest ``x_(i)`` whose weight at or below it
    reaches half the total, ``sum_{j<=i} w_(j) >= W/2``; the *upper* one is the largest
    ``x_(i)`` whose weight at or above it reaches half, ``sum_{j>=i} w_(j) >= W/2``. The result
    is their midpoint. Every point between them minimises ``sum w_i |x_i - m|``, so this is the
    centre of the set of weighted medians. With equal weights it is the ordinary median
    (the mean of the two middle values for an even count), as ``numpy.median``; with unequal
    weights the two bounds usually coincide. "Reaches half" is tested with a relative tolerance
    of :data:`MEDIAN_RTOL` to absorb rounding in the cumulative sums.

    ``matrixStats::weightedMedian`` (the function COINr's vignette plugs in) instead
    interpolates linearly between order statistics by default, so its result can lie strictly
    between two data values even when one child holds more than half the weight; the
    definition here returns a data value in that case, is monotone in every child and invariant
    to the scale of the weights.
    """
    x, w, used = prepare(values, weights)
    xs = np.where(used, x, np.nan)
    order = np.argsort(xs, axis=-1, kind="stable")  # NaN (unused) last
    xs = np.take_along_axis(xs, order, axis=-1)
    ws = np.take_along_axis(w, order, axis=-1)
    total = np.sum(w, axis=-1)
    half = (0.5 * (1.0 - MEDIAN_RTOL)) * total[..., np.newaxis]
    below = np.cumsum(ws, axis=-1)  # weight at or below position i
    above = np.flip(np.cumsum(np.flip(ws, axis=-1), axis=-1), axis=-1)  # at or above
    lower = np.sum(below < half, axis=-1)
    upper = np.sum(above >= half, axis=-1) - 1
    n = x.shape[-1]
    lower = np.minimum(lower, n - 1)[..., np.newaxis]
    upper = np.clip(upper, 0, n - 1)[..., np.newaxis]
    lo = np.take_along_axis(xs, lower, axis=-1)[..., 0]
    hi = np.take_along_axis(xs, upper, axis=-1)[..., 0]
    out = 0.5 * lo + 0.5 * hi
    return np.where(total > 0, out, np.nan)


def minimum(values: npt.ArrayLike, weights: npt.ArrayLike) -> FloatArray:
    """Minimum over the used children (non-compensatory "weakest link").

    Signature ``(..., u, c), (..., c) -> (..., u)``. Weights only select the children: a child
    with weight ``0`` is ignored, the size of a positive weight does not matter.

    Parameters
    ----------
    values : array_like of shape ``(..., n_units, n_children)``
        Child scores; ``NaN`` marks a missing value.
    weights : array_like of shape ``(..., n_children)``
        Non-negative relative weights.

    Returns
    -------
    ndarray of shape ``(..., n_units)``
        The smallest used value; ``NaN`` where no child is used.
    """
    # ProMCDA's "minimum" aggregation (promcda/enums.py), restricted to used children.
    x, _, used = prepare(values, weights)
    out = np.min(np.where(used, x, np.inf), axis=-1)
    return np.where(used.any(axis=-1), out, np.nan)

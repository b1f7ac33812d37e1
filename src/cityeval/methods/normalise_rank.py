"""Rank-based normalisation: ranks, Borda scores and percentile ranks of the oriented data.

COINr ``n_rank``, ``n_borda`` and ``n_prank``. Conventions (shapes, the direction rule, NaN)
as in :mod:`cityeval.methods.normalise`, which re-exports every name here.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from cityeval.methods._stats import broadcast_param, nan_count, rank_min
from cityeval.methods._stats import keep_nan as _keep_nan
from cityeval.methods._stats import orient as _orient

__all__ = ["borda", "percentile_rank", "rank"]

FloatArray = npt.NDArray[np.float64]


def rank(x: npt.ArrayLike, direction: npt.ArrayLike) -> FloatArray:
    """Ranks of the oriented data, ascending, ties sharing the minimum rank.

    COINr ``n_rank`` (``rank(x, ties.method = "min")`` on the direction-adjusted data): the
    worst unit gets 1 and the best gets the highest number (``n_observed`` when it is not tied),
    so the output is "higher is better".

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``
    direction : array of shape ``(n_indicators,)``

    Returns
    -------
    array of shape ``(..., n_units, n_indicators)`` with values in ``1 .. n_observed``.
    """
    y, _ = _orient(x, direction)
    return rank_min(y)


def borda(x: npt.ArrayLike, direction: npt.ArrayLike) -> FloatArray:
    """Borda score: :func:`rank` minus one, the number of units strictly beaten (``n_borda``).

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``
    direction : array of shape ``(n_indicators,)``

    Returns
    -------
    array of shape ``(..., n_units, n_indicators)`` with values in ``0 .. n_observed - 1``.
    """
    return rank(x, direction) - 1.0


def percentile_rank(
    x: npt.ArrayLike, direction: npt.ArrayLike, *, scale: npt.ArrayLike = 100.0
) -> FloatArray:
    """Percentile rank ``(rank - 1) / (n - 1) * scale`` (COINr ``n_prank``).

    ``n`` is the number of observed units of the indicator. With a single observed unit the
    result is 0 (no other unit is beaten), consistent with ties sharing the minimum rank.

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``
    direction : array of shape ``(n_indicators,)``
    scale : scalar or array broadcastable to ``(n_indicators,)``

    Returns
    -------
    array of shape ``(..., n_units, n_indicators)`` with values in ``[0, scale]``.
    """
    y, d = _orient(x, direction)
    s = broadcast_param(scale, d.shape[0])
    beaten = rank_min(y) - 1.0
    others = (nan_count(y) - 1).astype(np.float64)[..., None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(others > 0, beaten / np.where(others > 0, others, 1.0), 0.0)
    return _keep_nan(y, frac * s)

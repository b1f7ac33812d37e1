"""Data availability: the weight share of each unit's non-missing children.

The engine compares it with COINr's ``dat_thresh`` and blanks an aggregate below the
threshold. Conventions as in :mod:`cityeval.methods.aggregate`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from cityeval.methods._aggregate_common import FloatArray, prepare, safe_divide

__all__ = ["availability"]


def availability(values: npt.ArrayLike, weights: npt.ArrayLike) -> FloatArray:
    """Weight share of the available (non-``NaN``) children of each unit.

    Signature ``(..., u, c), (..., c) -> (..., u)``. The engine compares it with a
    data-availability threshold (COINr ``dat_thresh``) and blanks the aggregate below it.

    Parameters
    ----------
    values : array_like of shape ``(..., n_units, n_children)``
        Child scores; ``NaN`` marks a missing value.
    weights : array_like of shape ``(..., n_children)``
        Non-negative relative weights.

    Returns
    -------
    ndarray of shape ``(..., n_units)``
        ``sum(w * available) / sum(w)`` in ``[0, 1]``; ``NaN`` when all weights are zero.
        With equal weights this is COINr's share of non-missing children.
    """
    x, w, _ = prepare(values, weights)
    w_all = np.broadcast_to(np.asarray(weights, dtype=np.float64)[..., np.newaxis, :], x.shape)
    return safe_divide(np.sum(w, axis=-1), np.sum(w_all, axis=-1))

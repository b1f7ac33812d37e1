"""Ranking kernels: turn scores into ranks, and find each unit's strongest and weakest children.

Both kernels are vectorised over any leading batch axes (Monte Carlo draws) with sorts, never
with a Python loop over units or draws.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from cityeval.i18n import _

__all__ = ["StrongWeak", "rank_descending", "strongest_weakest"]

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.intp]


def rank_descending(scores: npt.ArrayLike) -> FloatArray:
    """Rank units by score, 1 = highest; ties share the best (minimum) rank.

    Signature ``(..., u) -> (..., u)``.

    Parameters
    ----------
    scores : array_like of shape ``(..., n_units)``
        Scores; ``NaN`` marks a unit without a score.

    Returns
    -------
    ndarray of float64, shape ``(..., n_units)``
        ``1 + (number of units with a strictly higher score)``, i.e. R's
        ``rank(-x, ties.method = "min")`` as COINr's ``n_rank``/``get_results`` use it. A ``NaN``
        score gets a ``NaN`` rank and is not counted for the others, so ranks run from 1 to
        the number of scored units (with gaps after ties: 1, 2, 2, 4).
    """
    s = np.asarray(scores, dtype=np.float64)
    if s.ndim < 1:
        raise ValueError(_("scores must have shape (..., n_units); got a scalar"))
    # Ascending sort of -s is a descending sort of s, with NaN still last; C order keeps the
    # sort axis contiguous whatever the layout of the input.
    neg = np.ascontiguousarray(-s)
    # Any sort will do: ties are found as runs of equal values in the sorted order.
    order = np.argsort(neg, axis=-1)
    sorted_neg = np.take_along_axis(neg, order, axis=-1)
    n = s.shape[-1]
    starts_run = np.ones(s.shape, dtype=bool)
    starts_run[..., 1:] = sorted_neg[..., 1:] != sorted_neg[..., :-1]
    position = np.broadcast_to(np.arange(1, n + 1, dtype=np.float64), s.shape)
    # Within a run of equal scores every member takes the position where the run starts.
    run_start = np.maximum.accumulate(np.where(starts_run, position, 0.0), axis=-1)
    ranks = np.empty(s.shape, dtype=np.float64)
    np.put_along_axis(ranks, order, run_start, axis=-1)
    ranks[np.isnan(s)] = np.nan
    return ranks


class StrongWeak(NamedTuple):
    """Indices of each unit's strongest and weakest children.

    Attributes
    ----------
    strongest : ndarray of intp, shape ``(..., n_units, k)``
        Child indices from the highest value down; ``-1`` pads slots beyond the number of
        available children.
    weakest : ndarray of intp, shape ``(..., n_units, k)``
        Child indices from the lowest value up; ``-1`` pads likewise.
    """

    strongest: IndexArray
    weakest: IndexArray


def strongest_weakest(values: npt.ArrayLike, k: int) -> StrongWeak:
    """Per unit, the indices of the ``k`` highest and ``k`` lowest available values.

    Signature ``(..., u, c) -> (..., u, k), (..., u, k)``. This is COINr's ``get_str_weak``
    (each unit's strengths and weaknesses among its indicators) as index arrays.

    Parameters
    ----------
    values : array_like of shape ``(..., n_units, n_children)``
        Scores of the children (e.g. normalised indicators or ranks turned into scores);
        ``NaN`` marks a missing value, which is never reported.
    k : int
        How many children to report on each side; ``k >= 1``. ``k`` may exceed
        ``n_children``; the extra slots hold ``-1``.

    Returns
    -------
    StrongWeak
        ``strongest`` and ``weakest``, each of shape ``(..., n_units, k)``. Equal values are
        reported in child order (lower index first). A unit with fewer than ``k`` available
        children has ``-1`` in the remaining slots.
    """
    x = np.asarray(values, dtype=np.float64)
    if x.ndim < 2:
        raise ValueError(
            _("values must have shape (..., n_units, n_children); got {x_ndim} axis/axes").format(
                x_ndim=x.ndim
            )
        )
    k = int(k)
    if k < 1:
        raise ValueError(_("k must be at least 1; got {k}").format(k=k))
    return StrongWeak(_top_indices(-x, k), _top_indices(x, k))


def _top_indices(key: FloatArray, k: int) -> IndexArray:
    """Indices of the ``k`` smallest non-NaN entries of ``key`` along the last axis."""
    n = key.shape[-1]
    order = np.argsort(key, axis=-1, kind="stable")[..., : min(k, n)]
    picked = np.take_along_axis(key, order, axis=-1)
    order = np.where(np.isnan(picked), -1, order)
    if k > n:
        pad = np.full((*key.shape[:-1], k - n), -1, dtype=np.intp)
        order = np.concatenate([order, pad], axis=-1)
    return order.astype(np.intp, copy=False)

"""Matrix fast paths: every parent of a level aggregated at once.

Instead of one kernel call per parent, the children of a whole level are combined with a
membership matrix (``(..., C, P)``, child ``j``'s weight in parent ``q``) or, when each
parent's children are contiguous, with segment sums. Column ``q`` of each result equals the
per-parent kernel of :mod:`cityeval.methods.aggregate_means` for parent ``q``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from cityeval.i18n import _
from cityeval.methods._aggregate_common import (
    TINY_P,
    BoolArray,
    FloatArray,
    NonPositivePolicy,
    check_domain,
    check_p,
    check_weights,
    safe_divide,
)

__all__ = [
    "aggregate_matrix_arithmetic",
    "aggregate_matrix_geometric",
    "aggregate_matrix_harmonic",
    "aggregate_matrix_power_mean",
    "aggregate_segments_arithmetic",
]


def _prepare_matrix(
    values: npt.ArrayLike, membership: npt.ArrayLike
) -> tuple[FloatArray, FloatArray, BoolArray, BoolArray]:
    """Return ``(x, m, available, used)`` for the matrix kernels.

    ``available`` marks non-NaN values; ``used`` additionally requires the child to have a
    positive weight under at least one parent.
    """
    x = np.asarray(values, dtype=np.float64)
    m = np.asarray(membership, dtype=np.float64)
    if x.ndim < 2:
        raise ValueError(
            _(
                "values must have shape (..., n_units, n_children_total); got {x_ndim} axis/axes"
            ).format(x_ndim=x.ndim)
        )
    if m.ndim < 2:
        raise ValueError(
            _(
                "membership must have shape (..., n_children_total, n_parents); got {m_ndim} "
                "axis/axes"
            ).format(m_ndim=m.ndim)
        )
    if m.shape[-2] != x.shape[-1]:
        raise ValueError(
            _(
                "n_children_total mismatch: values has {x_shape_1} on its last axis, membership "
                "has {m_shape_2} on its second-to-last axis"
            ).format(x_shape_1=x.shape[-1], m_shape_2=m.shape[-2])
        )
    try:
        np.broadcast_shapes(x.shape[:-2], m.shape[:-2])
    except ValueError:
        raise ValueError(
            _("batch axes do not broadcast: values {x_shape_2} vs membership {m_shape_2}").format(
                x_shape_2=x.shape[:-2], m_shape_2=m.shape[:-2]
            )
        ) from None
    check_weights(m, "membership")
    available = ~np.isnan(x)
    is_child = np.asarray((m > 0).any(axis=-1))[..., np.newaxis, :]  # (..., 1, C)
    used = available & is_child
    return x, m, available, used


def aggregate_matrix_arithmetic(values: npt.ArrayLike, membership: npt.ArrayLike) -> FloatArray:
    """Weighted arithmetic means of every parent of a level with two matrix products.

    Signature ``(..., u, C), (..., C, P) -> (..., u, P)``.

    Parameters
    ----------
    values : array_like of shape ``(..., n_units, n_children_total)``
        Scores of all children of the level; ``NaN`` marks a missing value.
    membership : array_like of shape ``(..., n_children_total, n_parents)``
        ``membership[j, q]`` is child ``j``'s weight in parent ``q`` (``0`` if not a child).

    Returns
    -------
    ndarray of shape ``(..., n_units, n_parents)``
        Column ``q`` equals ``arithmetic(values, membership[:, q])``: missing children
        dropped, weights renormalised, ``NaN`` where a parent has no used child.
    """
    x, m, available, _ = _prepare_matrix(values, membership)
    num = np.where(available, x, 0.0) @ m
    den = available.astype(np.float64) @ m
    return safe_divide(num, den)


def aggregate_matrix_geometric(
    values: npt.ArrayLike,
    membership: npt.ArrayLike,
    *,
    nonpositive: NonPositivePolicy = "error",
    epsilon: float = 1e-6,
) -> FloatArray:
    """Weighted geometric means of every parent of a level (log-space matrix products).

    Signature ``(..., u, C), (..., C, P) -> (..., u, P)``. Column ``q`` equals
    ``geometric(values, membership[:, q])``; see :func:`aggregate_matrix_arithmetic` for the
    parameters and :func:`geometric` for ``nonpositive`` and ``epsilon``. A value is checked
    when it is the child of at least one parent.
    """
    x, m, available, used = _prepare_matrix(values, membership)
    x = check_domain(
        x, used, strict=True, nonpositive=nonpositive, epsilon=epsilon, method="geometric"
    )
    logx = np.log(np.where(used, x, 1.0))
    den = available.astype(np.float64) @ m
    return np.exp(safe_divide(logx @ m, den))


def aggregate_matrix_harmonic(
    values: npt.ArrayLike,
    membership: npt.ArrayLike,
    *,
    nonpositive: NonPositivePolicy = "error",
    epsilon: float = 1e-6,
) -> FloatArray:
    """Weighted harmonic means of every parent of a level with two matrix products.

    Signature ``(..., u, C), (..., C, P) -> (..., u, P)``. Column ``q`` equals
    ``harmonic(values, membership[:, q])``; see :func:`aggregate_matrix_geometric`.
    """
    x, m, available, used = _prepare_matrix(values, membership)
    x = check_domain(
        x, used, strict=True, nonpositive=nonpositive, epsilon=epsilon, method="harmonic"
    )
    recip = np.where(used, 1.0 / np.where(used, x, 1.0), 0.0)
    den = available.astype(np.float64) @ m
    return safe_divide(den, recip @ m)


def aggregate_matrix_power_mean(
    values: npt.ArrayLike,
    membership: npt.ArrayLike,
    p: float,
    *,
    nonpositive: NonPositivePolicy = "error",
    epsilon: float = 1e-6,
) -> FloatArray:
    """Weighted power means of order ``p`` of every parent of a level.

    Signature ``(..., u, C), (..., C, P) -> (..., u, P)``. Column ``q`` equals
    ``power_mean(values, membership[:, q], p=p)``; ``p = 0`` is the geometric mean. Unlike
    :func:`power_mean` the powers are not rescaled, so keep ``|p|`` moderate (``x^p`` must
    not overflow); for extreme orders use :func:`power_mean` per parent. Small ``|p|`` is
    handled through ``expm1``/``log1p`` as in :func:`power_mean`.
    """
    p = check_p(p)
    if abs(p) < TINY_P:
        return aggregate_matrix_geometric(
            values, membership, nonpositive=nonpositive, epsilon=epsilon
        )
    if p == 1.0:
        return aggregate_matrix_arithmetic(values, membership)
    x, m, available, used = _prepare_matrix(values, membership)
    x = check_domain(
        x, used, strict=p < 0, nonpositive=nonpositive, epsilon=epsilon, method="power_mean"
    )
    with np.errstate(divide="ignore"):  # ln 0 = -inf, and expm1(-inf) = -1 (x^p = 0)
        t = np.where(used, np.expm1(p * np.log(np.where(used, x, 1.0))), 0.0)
    den = available.astype(np.float64) @ m
    excess = safe_divide(t @ m, den)  # mean(x^p) - 1, see power_mean
    with np.errstate(divide="ignore"):
        return np.exp(np.log1p(excess) / p)


def aggregate_segments_arithmetic(
    values: npt.ArrayLike, weights: npt.ArrayLike, starts: npt.ArrayLike
) -> FloatArray:
    """Weighted arithmetic means of every parent of a level whose children are contiguous.

    Signature ``(..., u, C), (..., C), (P,) -> (..., u, P)``: parent ``p`` owns the children
    ``starts[p]`` up to ``starts[p + 1]`` (the last one up to ``C``). Two segment sums
    (``np.add.reduceat``) instead of matrix products: no BLAS call, and the work is one pass
    over the values. Missing or zero-weight children are dropped and the remaining weights
    renormalised, as in :func:`arithmetic`; a parent with none gets NaN.

    Parameters
    ----------
    values : array of shape ``(..., n_units, n_children_total)``
    weights : array of shape ``(..., n_children_total)``
        Non-negative weights, broadcast against the batch axes of ``values``.
    starts : int array of shape ``(n_parents,)``
        Strictly increasing, starting at 0.

    Returns
    -------
    array of shape ``(..., n_units, n_parents)``
    """
    x = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)[..., None, :]
    idx = np.asarray(starts, dtype=np.intp)
    used = ~np.isnan(x) & (w > 0)
    num = np.add.reduceat(np.where(used, x * w, 0.0), idx, axis=-1)
    den = np.add.reduceat(np.where(used, w, 0.0), idx, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)

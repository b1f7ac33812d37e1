"""Shapley values of an aggregator's children, exact or sampled (vectorised numpy).

The game: a coalition ``S`` of children scores every unit with the aggregator applied to the
children in ``S`` only (the others dropped, as a missing child is dropped, with the weights of
the rest renormalised); the empty coalition scores 0. Child ``i``'s Shapley value is its
average marginal contribution over all orders in which the children can join, and the values
sum to the node's score (efficiency). A child missing for a unit changes no coalition, so its
value is 0; a coalition scoring ``NaN`` (every child in it missing) counts as 0.

* :func:`exact` enumerates the ``2**c`` coalitions (``c <= 12``: at most 4096 aggregator calls,
  batched into one call per block of units).
* :func:`sampled` averages the marginal contributions over ``n_permutations`` random orders.
  Each order's marginal contributions telescope to the score, so the estimate still sums to
  it exactly; the standard error of each value is returned.

References: L. S. Shapley (1953), "A value for n-person games"; S. Castro, D. Gomez and
J. Tejada (2009), "Polynomial calculation of the Shapley value based on sampling".
"""

from __future__ import annotations

from collections.abc import Callable
from math import factorial

import numpy as np
import numpy.typing as npt

__all__ = ["EXACT_MAX_CHILDREN", "exact", "sampled"]

FloatArray = npt.NDArray[np.float64]
Aggregator = Callable[[FloatArray, FloatArray], FloatArray]

#: The most children whose Shapley values are computed exactly (``2**12`` coalitions).
EXACT_MAX_CHILDREN = 12

#: Upper bound on the elements of one batch of coalition values ``(coalitions, units, c)``.
_BLOCK = 1 << 22


def _coalition_values(
    aggregate: Aggregator, values: FloatArray, weights: FloatArray, masks: npt.NDArray[np.bool_]
) -> FloatArray:
    """``v(S)`` for each coalition mask: ``(m, c), (u, c) -> (m, u)``; NaN counts as 0."""
    m = masks.shape[0]
    out = np.empty((m, values.shape[0]))
    step = max(1, _BLOCK // max(1, values.size))
    for start in range(0, m, step):
        block = masks[start : start + step]
        x = np.where(block[:, None, :], values[None, :, :], np.nan)
        v = np.asarray(aggregate(x, weights), dtype=np.float64)
        out[start : start + step] = np.nan_to_num(v, nan=0.0)
    empty = ~masks.any(axis=1)
    out[empty] = 0.0
    return out


def exact(aggregate: Aggregator, values: npt.ArrayLike, weights: npt.ArrayLike) -> FloatArray:
    """Exact Shapley values of the children of one node for every unit.

    Signature ``(u, c), (c,) -> (u, c)``.

    Parameters
    ----------
    aggregate : callable
        The aggregator, ``(..., u, c), (c,) -> (..., u)`` (batched over leading axes).
    values : array of shape ``(n_units, n_children)``
    weights : array of shape ``(n_children,)``

    Returns
    -------
    array of shape ``(n_units, n_children)``
        Summing over children to the aggregator's score (0 where the score is ``NaN``).
    """
    x = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    c = x.shape[-1]
    if c > EXACT_MAX_CHILDREN:
        raise ValueError(f"exact Shapley values need at most {EXACT_MAX_CHILDREN} children")
    codes = np.arange(1 << c)
    masks = ((codes[:, None] >> np.arange(c)) & 1).astype(bool)  # (2**c, c)
    size = masks.sum(axis=1)
    # phi_i = sum_S v(S) [i in S] g(|S|-1) - [i not in S] g(|S|), g(s) = s!(c-s-1)!/c!
    g = np.array([factorial(s) * factorial(c - s - 1) / factorial(c) for s in range(c)])
    plus = np.where(masks, g[np.clip(size - 1, 0, c - 1)][:, None], 0.0)
    minus = np.where(~masks & (size < c)[:, None], g[np.clip(size, 0, c - 1)][:, None], 0.0)
    coef = plus - minus  # (2**c, c)
    v = _coalition_values(aggregate, x, w, masks)  # (2**c, u)
    result: FloatArray = np.where(np.isnan(x), 0.0, v.T @ coef)  # a dummy's value is 0
    return result


def sampled(
    aggregate: Aggregator,
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    *,
    n_permutations: int = 2000,
    seed: int = 0,
) -> tuple[FloatArray, FloatArray]:
    """Shapley values estimated from random orders of the children.

    Signature ``(u, c), (c,) -> (u, c), (u, c)``.

    Returns
    -------
    values : array of shape ``(n_units, n_children)``
        The estimates; they sum over children to the score exactly.
    standard_errors : array of shape ``(n_units, n_children)``
        The standard error of each estimate (sample standard deviation of the marginal
        contributions over ``sqrt(n_permutations)``).
    """
    x = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    c = x.shape[-1]
    rng = np.random.default_rng(seed)
    orders = np.argsort(rng.random((n_permutations, c)), axis=1)  # (p, c)
    ranks = np.argsort(orders, axis=1)
    # prefix k of an order holds the children at positions < k: masks (p, c + 1, c)
    masks = ranks[:, None, :] < np.arange(c + 1)[None, :, None]
    v = _coalition_values(aggregate, x, w, masks.reshape(-1, c)).reshape(n_permutations, c + 1, -1)
    gains = np.diff(v, axis=1)  # (p, c positions, u): gain of the child at each position
    marginal = np.take_along_axis(gains, ranks[:, :, None], axis=1)  # (p, c children, u)
    estimate = marginal.mean(axis=0).T
    spread = marginal.std(axis=0, ddof=1).T if n_permutations > 1 else np.zeros_like(estimate)
    return estimate, spread / np.sqrt(n_permutations)

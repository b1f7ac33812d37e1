"""Contribution kernels: split one node's score into its children's shares (pure numpy).

Every kernel takes the children's scores ``values`` of shape ``(..., n_units, n_children)``
and the node's weights of shape ``(n_children,)`` and returns contributions of shape
``(..., n_units, n_children)`` whose sum over the last axis is the node's score. A child that
is missing (``NaN``) or has no weight contributes 0; a unit whose score is missing gets ``NaN``
everywhere. Kernels never mutate their inputs.

* :func:`additive` - weighted arithmetic mean: ``w_i x_i`` with the weights renormalised over
  the children used (exact by construction).
* :func:`log_shares` - geometric mean: the score is ``exp(sum w_i ln x_i)``; child ``i`` gets
  the share ``w_i ln x_i / sum_j w_j ln x_j`` of the score (exact; the log contributions
  themselves are returned too).
* :func:`propagate` - from child contributions and each child's own indicator
  contributions to the indicators' contributions to the node.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["additive", "log_shares", "propagate", "used_weights"]

FloatArray = npt.NDArray[np.float64]

#: Below this ``|sum of log contributions|`` the log shares are undefined and
#: :func:`log_shares` falls back to the weight shares of the score.
LOG_TINY = 1e-12


def used_weights(values: npt.ArrayLike, weights: npt.ArrayLike) -> FloatArray:
    """Weights renormalised over the children used by each unit.

    Signature ``(..., u, c), (c,) -> (..., u, c)``; 0 for a missing child, ``NaN`` for a
    unit with no used child.
    """
    x = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if w.shape[-1] != x.shape[-1]:
        raise ValueError(
            f"weights have {w.shape[-1]} children on their last axis, values {x.shape[-1]}"
        )
    used = np.where(np.isnan(x), 0.0, np.broadcast_to(w, x.shape))
    total = used.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, used / np.where(total > 0, total, 1.0), np.nan)


def additive(values: npt.ArrayLike, weights: npt.ArrayLike) -> FloatArray:
    """Contributions to a weighted arithmetic mean: ``w_i x_i`` (renormalised weights).

    Signature ``(..., u, c), (c,) -> (..., u, c)``.
    """
    x = np.asarray(values, dtype=np.float64)
    w = used_weights(x, weights)
    return np.where(np.isnan(x) & ~np.isnan(w), 0.0, w * np.nan_to_num(x))


def log_shares(
    values: npt.ArrayLike, weights: npt.ArrayLike, score: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Contributions to a weighted geometric mean, in logs and as shares of the score.

    Signature ``(..., u, c), (c,), (..., u) -> (..., u, c), (..., u, c)``.

    Parameters
    ----------
    values : array of shape ``(..., n_units, n_children)``
        Positive child scores (as the aggregator used them, after any clipping).
    weights : array of shape ``(n_children,)``
    score : array of shape ``(..., n_units)``
        The node's score.

    Returns
    -------
    log_contributions : array of shape ``(..., n_units, n_children)``
        ``w_i ln x_i``, summing to ``ln score``.
    contributions : array of shape ``(..., n_units, n_children)``
        ``score * w_i ln x_i / sum_j w_j ln x_j``, summing to the score; where the sum of
        the logs is 0 (a score of 1) the score is split by the weights.
    """
    x = np.asarray(values, dtype=np.float64)
    s = np.asarray(score, dtype=np.float64)[..., None]
    w = used_weights(x, weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        logs = np.where(np.isnan(x), 0.0, w * np.log(np.where(np.isnan(x), 1.0, x)))
    logs = np.where(np.isnan(w), np.nan, logs)
    total = logs.sum(axis=-1, keepdims=True)
    flat = np.abs(total) < LOG_TINY
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(flat, w, logs / np.where(flat, 1.0, total))
    return logs, np.where(np.isnan(s), np.nan, s * shares)


def propagate(
    child_contributions: npt.ArrayLike,
    child_scores: npt.ArrayLike,
    child_blocks: list[FloatArray],
    child_weight_blocks: list[FloatArray],
) -> FloatArray:
    """The indicators' contributions to a node, from its children's.

    Child ``k`` passes its contribution ``c_k`` on to its own indicators in proportion to
    their contributions to its score, ``d_ki / s_k``; where ``s_k`` is 0 (or missing) it passes
    it on by the indicators' effective weights in the child. The result sums to the sum of
    ``c_k``, so the indicators' contributions sum to the node's score. Only each child's own
    indicators are carried (its block of columns), so a level costs ``O(units x indicators)``.

    Signature ``(..., u, c), (..., u, c), [(..., u, i_k)], [(..., u, i_k)] -> (..., u, sum i_k)``.

    Parameters
    ----------
    child_contributions : array of shape ``(..., n_units, n_children)``
    child_scores : array of shape ``(..., n_units, n_children)``
    child_blocks : list of arrays of shape ``(..., n_units, n_indicators_k)``
        Child ``k``'s indicators' contributions to its own score.
    child_weight_blocks : list of arrays of shape ``(..., n_units, n_indicators_k)``
        Child ``k``'s indicators' effective weights in it (rows sum to 1, or 0 for a child
        with no value).

    Returns
    -------
    array of shape ``(..., n_units, sum of n_indicators_k)``
        The children's blocks side by side.
    """
    c = np.asarray(child_contributions, dtype=np.float64)
    s = np.asarray(child_scores, dtype=np.float64)
    out = []
    with np.errstate(invalid="ignore", divide="ignore"):
        for k, (d, w) in enumerate(zip(child_blocks, child_weight_blocks, strict=True)):
            ck, sk = np.nan_to_num(c[..., k : k + 1]), s[..., k : k + 1]
            zero = ~(np.abs(sk) > 0)  # zero or NaN
            out.append(np.where(zero, ck * w, ck * np.nan_to_num(d) / np.where(zero, 1.0, sk)))
    result: FloatArray = np.concatenate(out, axis=-1)
    missing: npt.NDArray[np.bool_] = np.asarray(np.isnan(c).all(axis=-1))
    return np.where(missing[..., None], np.nan, result)

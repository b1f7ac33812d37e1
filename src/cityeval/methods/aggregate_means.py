"""Compensatory aggregation: the weighted arithmetic, geometric, harmonic and power means.

COINr ``R/aggregate.R``: ``a_amean``, ``a_gmean``, ``a_hmean``, ``a_genmean``. Conventions
(shapes, used children, the ``nonpositive`` policy) as in :mod:`cityeval.methods.aggregate`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from cityeval.methods._aggregate_common import (
    TINY_P,
    FloatArray,
    NonPositivePolicy,
    check_domain,
    check_p,
    prepare,
    safe_divide,
)

__all__ = ["arithmetic", "geometric", "harmonic", "power_mean"]


def arithmetic(values: npt.ArrayLike, weights: npt.ArrayLike) -> FloatArray:
    """Weighted arithmetic mean of the used children.

    Signature ``(..., u, c), (..., c) -> (..., u)``. Fully compensatory: a low child can be
    offset by a high one (JRC step 7: linear aggregation).

    Parameters
    ----------
    values : array_like of shape ``(..., n_units, n_children)``
        Child scores; ``NaN`` marks a missing value.
    weights : array_like of shape ``(..., n_children)``
        Non-negative relative weights; batch axes broadcast against those of ``values``.

    Returns
    -------
    ndarray of shape ``(..., n_units)``
        ``sum(w x) / sum(w)`` over the used children; ``NaN`` where none is used.
    """
    # COINr a_amean: weights of missing children are dropped and the rest renormalised.
    x, w, used = prepare(values, weights)
    num = np.sum(w * np.where(used, x, 0.0), axis=-1)
    return safe_divide(num, np.sum(w, axis=-1))


def geometric(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    *,
    nonpositive: NonPositivePolicy = "error",
    epsilon: float = 1e-6,
) -> FloatArray:
    """Weighted geometric mean of the used children.

    Signature ``(..., u, c), (..., c) -> (..., u)``. Partially compensatory: it rewards
    balanced profiles (JRC step 7).

    Parameters
    ----------
    values : array_like of shape ``(..., n_units, n_children)``
        Child scores; ``NaN`` marks a missing value. Used values must be ``> 0``.
    weights : array_like of shape ``(..., n_children)``
        Non-negative relative weights.
    nonpositive : {"error", "clip"}
        What to do with a used value ``<= 0``: raise :class:`NonPositiveValueError`, or
        raise every used value below ``epsilon`` to ``epsilon``.
    epsilon : float
        The clip value (only read when clipping).

    Returns
    -------
    ndarray of shape ``(..., n_units)``
        ``exp(sum(w log x) / sum(w))``; ``NaN`` where no child is used.

    Raises
    ------
    NonPositiveValueError
        A used value is ``<= 0`` and ``nonpositive="error"``.
    """
    # COINr a_gmean: prod(x^w)^(1/sum w), computed in log space to avoid under/overflow.
    x, w, used = prepare(values, weights)
    x = check_domain(
        x, used, strict=True, nonpositive=nonpositive, epsilon=epsilon, method="geometric"
    )
    logx = np.log(np.where(used, x, 1.0))
    return np.exp(safe_divide(np.sum(w * logx, axis=-1), np.sum(w, axis=-1)))


def harmonic(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    *,
    nonpositive: NonPositivePolicy = "error",
    epsilon: float = 1e-6,
) -> FloatArray:
    """Weighted harmonic mean of the used children.

    Signature ``(..., u, c), (..., c) -> (..., u)``. Less compensatory than the geometric
    mean: low children pull the result down strongly.

    Parameters
    ----------
    values : array_like of shape ``(..., n_units, n_children)``
        Child scores; ``NaN`` marks a missing value. Used values must be ``> 0``.
    weights : array_like of shape ``(..., n_children)``
        Non-negative relative weights.
    nonpositive : {"error", "clip"}
        What to do with a used value ``<= 0`` (see :func:`geometric`).
    epsilon : float
        The clip value (only read when clipping).

    Returns
    -------
    ndarray of shape ``(..., n_units)``
        ``sum(w) / sum(w / x)``; ``NaN`` where no child is used.

    Raises
    ------
    NonPositiveValueError
        A used value is ``<= 0`` and ``nonpositive="error"``.
    """
    # COINr a_hmean: sum(w) / sum(w / x).
    x, w, used = prepare(values, weights)
    x = check_domain(
        x, used, strict=True, nonpositive=nonpositive, epsilon=epsilon, method="harmonic"
    )
    recip = np.sum(w / np.where(used, x, 1.0), axis=-1)
    return safe_divide(np.sum(w, axis=-1), recip)


def power_mean(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    *,
    p: float,
    nonpositive: NonPositivePolicy = "error",
    epsilon: float = 1e-6,
) -> FloatArray:
    """Weighted generalised (power) mean of order ``p`` of the used children.

    Signature ``(..., u, c), (..., c) -> (..., u)``. ``p = 1`` is the arithmetic mean,
    ``p = 0`` the geometric mean (the limit), ``p = -1`` the harmonic mean; the mean grows with
    ``p`` and tends to the minimum (maximum) as ``p -> -inf`` (``+inf``).

    Parameters
    ----------
    values : array_like of shape ``(..., n_units, n_children)``
        Child scores; ``NaN`` marks a missing value. Used values must be ``> 0`` when
        ``p <= 0`` and ``>= 0`` when ``p > 0, p != 1``; any real value when ``p == 1``.
    weights : array_like of shape ``(..., n_children)``
        Non-negative relative weights.
    p : float
        The order; finite.
    nonpositive : {"error", "clip"}
        What to do with a value outside the domain: raise, or raise it to ``epsilon``
        (``p <= 0``) or ``0`` (``p > 0``).
    epsilon : float
        The clip value for ``p <= 0``.

    Returns
    -------
    ndarray of shape ``(..., n_units)``
        ``(sum(w x^p) / sum(w))^(1/p)``; ``NaN`` where no child is used.

    Raises
    ------
    NonPositiveValueError
        A used value is outside the domain and ``nonpositive="error"``.

    Notes
    -----
    COINr ``a_genmean`` refuses ``p = 0``, and returns ``NaN`` for negative values with
    ``p > 0``; here ``p = 0`` is the geometric mean and negative values are refused by the
    policy. The sum is computed on ``x / m`` with ``m`` the largest (``p > 0``) or smallest
    (``p < 0``) used value, so every term is at most 1 and large ``|p|`` cannot overflow, and
    through ``expm1``/``log1p``, so that ``p`` near 0 approaches the geometric mean smoothly
    instead of losing every digit to cancellation.
    """
    p = check_p(p)
    if abs(p) < TINY_P:
        # Within 1e-200 of 0 the power mean equals the geometric mean to far better than
        # double precision, while p * ln(r) would lose its digits to subnormal underflow.
        return geometric(values, weights, nonpositive=nonpositive, epsilon=epsilon)
    if p == 1.0:
        return arithmetic(values, weights)
    x, w, used = prepare(values, weights)
    x = check_domain(
        x, used, strict=p < 0, nonpositive=nonpositive, epsilon=epsilon, method="power_mean"
    )
    total = np.sum(w, axis=-1)
    if p > 0:
        m = np.max(np.where(used, x, 0.0), axis=-1)
    else:
        m = np.min(np.where(used, x, np.inf), axis=-1)
    m_safe = np.where((m > 0) & np.isfinite(m), m, 1.0)
    ratio = np.where(used, x, m_safe[..., np.newaxis]) / m_safe[..., np.newaxis]
    # mean(r^p) = 1 + mean(expm1(p ln r)) and the result is m * exp(log1p(.) / p): the same
    # number as m * mean(r^p)^(1/p), without the cancellation that returns m for tiny |p|.
    with np.errstate(divide="ignore"):  # ln 0 = -inf, and expm1(-inf) = -1 (x^p = 0)
        t = np.expm1(p * np.log(ratio))
    excess = safe_divide(np.sum(w * t, axis=-1), total)
    with np.errstate(divide="ignore"):  # log1p(-1) = -inf: every used child is zero
        return m_safe * np.exp(np.log1p(excess) / p)

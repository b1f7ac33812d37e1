"""Aggregation kernels: combine the children of one parent node into one score per unit.

The methods are those of COINr's ``Aggregate`` (``R/aggregate.R``: ``a_amean``, ``a_gmean``,
``a_hmean``, ``a_genmean``, ``a_copeland``; the weighted median through
``matrixStats::weightedMedian``) and the minimum of ProMCDA, as pure vectorised numpy functions.

Shapes and conventions
----------------------
Every kernel has the signature ``name(values, weights, *, <params>) -> ndarray``, batched as
``(..., u, c), (..., c) -> (..., u)``: ``values`` of shape ``(..., n_units, n_children)``,
``weights`` of shape ``(..., n_children)``, whose leading (batch) axes broadcast against those
of ``values``; the result has shape ``(..., n_units)``.

* **Weights** are relative: they must be finite and non-negative, need not sum to 1, and only
  their ratios matter (multiplying them by a constant changes nothing).
* **Used children.** A child is *used* for a unit when its value is not ``NaN`` and its weight
  is positive. Unused children are dropped for that unit and the weights of the used ones are
  renormalised (COINr ``a_amean`` does the same). A unit with no used child gets ``NaN``.
* **Positivity.** The geometric and harmonic means, and the power mean with ``p <= 0``, need
  positive values (``p > 0`` needs non-negative ones). The ``nonpositive`` policy decides:
  ``"error"`` (default) raises :class:`NonPositiveValueError` naming the offending cells;
  ``"clip"`` raises every used value below ``epsilon`` (``0`` for ``p > 0``) to it. There is never
  a silent ``NaN``. Clipping is a modelling choice: a geometric mean with a clipped zero depends
  on ``log(epsilon)``, so choose ``epsilon`` on the scale of the data.
* Kernels never mutate their inputs. Shape errors are raised up front and name the axis.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "NonPositiveValueError",
    "aggregate_matrix_arithmetic",
    "aggregate_matrix_geometric",
    "aggregate_matrix_harmonic",
    "aggregate_matrix_power_mean",
    "aggregate_segments_arithmetic",
    "arithmetic",
    "availability",
    "copeland",
    "geometric",
    "harmonic",
    "median",
    "minimum",
    "power_mean",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
NonPositivePolicy = Literal["error", "clip"]

#: Relative tolerance under which a cumulative weight counts as exactly half the total in
#: :func:`median` (absorbs rounding in the cumulative sums, so equal weights give the
#: ordinary median).
MEDIAN_RTOL = 1e-10

#: Upper bound on the elements of one ``(chunk, n_units, n_units)`` block in :func:`copeland`.
_COPELAND_BLOCK = 1 << 18  # smaller blocks stay in cache: measured faster than 1 << 22

#: Below this ``|p|`` the power mean is computed as the geometric mean (its limit).
_TINY_P = 1e-200

#: How many offending cells a :class:`NonPositiveValueError` reports.
_MAX_REPORTED_CELLS = 5


class NonPositiveValueError(ValueError):
    """A mean that needs positive (or non-negative) values met one that is not.

    Parameters
    ----------
    method : str
        The kernel that refused, e.g. ``"geometric"``.
    requirement : str
        The domain it needs, e.g. ``"> 0"``.
    cells : tuple of tuple of int
        Full indices ``(*batch, unit, child)`` of the first offending cells (at most five),
        in C order.
    values : tuple of float
        The offending values, one per cell.
    n_offending : int
        How many cells are outside the domain in all.

    Attributes
    ----------
    units, children : tuple of int
        The unit and child index of each reported cell, so the engine can name them.
    """

    def __init__(
        self,
        method: str,
        requirement: str,
        cells: tuple[tuple[int, ...], ...],
        values: tuple[float, ...],
        n_offending: int,
    ) -> None:
        self.method = method
        self.requirement = requirement
        self.cells = cells
        self.values = values
        self.n_offending = n_offending
        self.units = tuple(cell[-2] for cell in cells)
        self.children = tuple(cell[-1] for cell in cells)
        shown = ", ".join(
            f"(unit {c[-2]}, child {c[-1]}"
            + (f", batch {c[:-2]}" if len(c) > 2 else "")
            + f") = {v!r}"
            for c, v in zip(cells, values, strict=True)
        )
        super().__init__(
            f"{method} aggregation needs values {requirement}; {n_offending} cell(s) are not: "
            f"{shown}. Fix the data or pass nonpositive='clip' with an epsilon."
        )


# --------------------------------------------------------------------------------------------
# Shared preparation
# --------------------------------------------------------------------------------------------


def _check_weights(w: FloatArray, name: str) -> None:
    """Reject non-finite or negative weights: masking them would hide a modelling error."""
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} must be finite and non-negative; {name}[{index}] = {float(w[index])!r}"
        )


def _prepare(
    values: npt.ArrayLike, weights: npt.ArrayLike
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Return ``(x, w_used, used)``, all broadcast to shape ``(..., n_units, n_children)``.

    ``used`` marks non-NaN values with a positive weight; ``w_used`` holds the weight where
    ``used`` and ``0`` elsewhere.
    """
    x = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if x.ndim < 2:
        raise ValueError(
            f"values must have shape (..., n_units, n_children); got {x.ndim} axis/axes"
        )
    if w.ndim < 1:
        raise ValueError("weights must have shape (..., n_children); got a scalar")
    if w.shape[-1] != x.shape[-1]:
        raise ValueError(
            f"n_children mismatch: values has {x.shape[-1]} children on its last axis, "
            f"weights has {w.shape[-1]}"
        )
    try:
        batch = np.broadcast_shapes(x.shape[:-2], w.shape[:-1])
    except ValueError:
        raise ValueError(
            f"batch axes do not broadcast: values {x.shape[:-2]} (before n_units, n_children) "
            f"vs weights {w.shape[:-1]} (before n_children)"
        ) from None
    _check_weights(w, "weights")
    full = (*batch, x.shape[-2], x.shape[-1])
    x = np.broadcast_to(x, full)
    wb = np.broadcast_to(w[..., np.newaxis, :], full)
    used = ~np.isnan(x) & (wb > 0)
    w_used = np.where(used, wb, 0.0)
    return x, w_used, used


def _safe_divide(num: FloatArray, den: FloatArray) -> FloatArray:
    """``num / den`` where ``den > 0``, ``NaN`` elsewhere (a unit with no used child)."""
    out = np.full(np.broadcast_shapes(num.shape, den.shape), np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _check_domain(
    x: FloatArray,
    used: BoolArray,
    *,
    strict: bool,
    nonpositive: NonPositivePolicy,
    epsilon: float,
    method: str,
) -> FloatArray:
    """Apply the ``nonpositive`` policy to the used cells of ``x``.

    ``strict=True`` requires ``x > 0`` (clip floor ``epsilon``); ``strict=False`` requires
    ``x >= 0`` (clip floor ``0``). Returns ``x`` (a new array only when clipping).
    """
    if nonpositive not in ("error", "clip"):
        raise ValueError(f"nonpositive must be 'error' or 'clip'; got {nonpositive!r}")
    if nonpositive == "clip":
        if strict and not (np.isfinite(epsilon) and epsilon > 0):
            raise ValueError(f"epsilon must be finite and positive; got {epsilon!r}")
        # Raise every used value below the floor to it (not only the offending ones), so the
        # aggregate stays monotone: a 0 must not end up above a tiny positive value.
        floor = epsilon if strict else 0.0
        return np.where(used, np.maximum(x, floor), x)
    bad = used & ((x <= 0) if strict else (x < 0))
    if not bad.any():
        return x
    idx = np.argwhere(bad)[:_MAX_REPORTED_CELLS]
    cells = tuple(tuple(int(i) for i in row) for row in idx)
    raise NonPositiveValueError(
        method,
        "> 0" if strict else ">= 0",
        cells,
        tuple(float(x[c]) for c in cells),
        int(bad.sum()),
    )


def _check_p(p: float) -> float:
    p = float(p)
    if not np.isfinite(p):
        raise ValueError(f"p must be finite; got {p!r} (use minimum/maximum for the limits)")
    return p


# --------------------------------------------------------------------------------------------
# Means
# --------------------------------------------------------------------------------------------


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
    x, w, used = _prepare(values, weights)
    num = np.sum(w * np.where(used, x, 0.0), axis=-1)
    return _safe_divide(num, np.sum(w, axis=-1))


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
    x, w, used = _prepare(values, weights)
    x = _check_domain(
        x, used, strict=True, nonpositive=nonpositive, epsilon=epsilon, method="geometric"
    )
    logx = np.log(np.where(used, x, 1.0))
    return np.exp(_safe_divide(np.sum(w * logx, axis=-1), np.sum(w, axis=-1)))


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
    x, w, used = _prepare(values, weights)
    x = _check_domain(
        x, used, strict=True, nonpositive=nonpositive, epsilon=epsilon, method="harmonic"
    )
    recip = np.sum(w / np.where(used, x, 1.0), axis=-1)
    return _safe_divide(np.sum(w, axis=-1), recip)


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
    p = _check_p(p)
    if abs(p) < _TINY_P:
        # Within 1e-200 of 0 the power mean equals the geometric mean to far better than
        # double precision, while p * ln(r) would lose its digits to subnormal underflow.
        return geometric(values, weights, nonpositive=nonpositive, epsilon=epsilon)
    if p == 1.0:
        return arithmetic(values, weights)
    x, w, used = _prepare(values, weights)
    x = _check_domain(
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
    excess = _safe_divide(np.sum(w * t, axis=-1), total)
    with np.errstate(divide="ignore"):  # log1p(-1) = -inf: every used child is zero
        return m_safe * np.exp(np.log1p(excess) / p)


# --------------------------------------------------------------------------------------------
# Order statistics
# --------------------------------------------------------------------------------------------


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
    x, w, used = _prepare(values, weights)
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
    x, _, used = _prepare(values, weights)
    out = np.min(np.where(used, x, np.inf), axis=-1)
    return np.where(used.any(axis=-1), out, np.nan)


# --------------------------------------------------------------------------------------------
# Non-compensatory: Copeland
# --------------------------------------------------------------------------------------------


def copeland(values: npt.ArrayLike, weights: npt.ArrayLike) -> FloatArray:
    """Copeland scores from the weighted outranking matrix (non-compensatory).

    Signature ``(..., u, c), (..., c) -> (..., u)``.

    Parameters
    ----------
    values : array_like of shape ``(..., n_units, n_children)``
        Child scores; ``NaN`` marks a missing value.
    weights : array_like of shape ``(..., n_children)``
        Non-negative relative weights (importance coefficients, not trade-offs).

    Returns
    -------
    ndarray of shape ``(..., n_units)``
        Number of units a unit outranks minus the number that outrank it, in
        ``[-(n_units - 1), n_units - 1]``; ``NaN`` for a unit with no used child.

    Notes
    -----
    For units ``a`` and ``b`` let ``W(a>b)`` be the total weight of the children on which
    ``a`` scores strictly higher than ``b`` (COINr ``outrankMatrix``; Munda & Nardo 2009).
    ``a`` outranks ``b`` when ``W(a>b) > W(b>a)``. With complete data and weights summing to 1
    this is COINr's rule (``e_ab = W(a>b) + W(a=b)/2 > 0.5``, ``a_copeland`` maps the matrix to
    ``+1/-1/0`` and sums the rows).

    Missing values: a pair is compared only on the children *both* units have (pairwise
    deletion), each with its own weight. COINr instead keeps the total weight at 1 and fills
    the lower triangle with ``1 - e_ab``, so a child missing for either unit silently counts
    for the unit with the larger row index. A pair with no common child is a tie (``0``). A
    unit with no used child gets ``NaN`` and contributes ``0`` to every other unit's score.

    Cost: ``O(n_units^2 * n_children)`` time; the batch is processed in blocks of at most
    about a quarter of a million unit pairs (one draw at 514 units), so memory stays bounded
    for any number of draws.
    """
    x, _, used = _prepare(values, weights)
    *batch, n_units, n_children = x.shape
    xu = np.where(used, x, np.nan).reshape(-1, n_units, n_children)
    wu = np.broadcast_to(np.asarray(weights, dtype=np.float64), (*batch, n_children)).reshape(
        -1, n_children
    )
    n_batch = xu.shape[0]
    scores = np.empty((n_batch, n_units))
    block = max(1, _COPELAND_BLOCK // max(1, n_units * n_units))
    for start in range(0, n_batch, block):
        stop = min(start + block, n_batch)
        d = np.zeros((stop - start, n_units, n_units))
        buf = np.empty_like(d)
        for k in range(n_children):
            col = xu[start:stop, :, k]
            # sign(x_a - x_b): +1 if a beats b, -1 if b beats a; NaN (either missing) -> 0.
            np.subtract(col[:, :, np.newaxis], col[:, np.newaxis, :], out=buf)
            np.sign(buf, out=buf)
            np.nan_to_num(buf, copy=False, nan=0.0)
            # d_ab = W(a>b) - W(b>a), antisymmetric by construction; unused child: buf == 0.
            np.multiply(buf, wu[start:stop, k, np.newaxis, np.newaxis], out=buf)
            d += buf
        scores[start:stop] = np.sum(np.sign(d), axis=-1)
    out = scores.reshape((*batch, n_units))
    return np.where(used.any(axis=-1), out, np.nan)


# --------------------------------------------------------------------------------------------
# Availability
# --------------------------------------------------------------------------------------------


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
    x, w, _ = _prepare(values, weights)
    w_all = np.broadcast_to(np.asarray(weights, dtype=np.float64)[..., np.newaxis, :], x.shape)
    return _safe_divide(np.sum(w, axis=-1), np.sum(w_all, axis=-1))


# --------------------------------------------------------------------------------------------
# Matrix fast paths: every parent of a level at once
# --------------------------------------------------------------------------------------------


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
            f"values must have shape (..., n_units, n_children_total); got {x.ndim} axis/axes"
        )
    if m.ndim < 2:
        raise ValueError(
            f"membership must have shape (..., n_children_total, n_parents); got {m.ndim} "
            "axis/axes"
        )
    if m.shape[-2] != x.shape[-1]:
        raise ValueError(
            f"n_children_total mismatch: values has {x.shape[-1]} on its last axis, "
            f"membership has {m.shape[-2]} on its second-to-last axis"
        )
    try:
        np.broadcast_shapes(x.shape[:-2], m.shape[:-2])
    except ValueError:
        raise ValueError(
            f"batch axes do not broadcast: values {x.shape[:-2]} vs membership {m.shape[:-2]}"
        ) from None
    _check_weights(m, "membership")
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
    return _safe_divide(num, den)


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
    x = _check_domain(
        x, used, strict=True, nonpositive=nonpositive, epsilon=epsilon, method="geometric"
    )
    logx = np.log(np.where(used, x, 1.0))
    den = available.astype(np.float64) @ m
    return np.exp(_safe_divide(logx @ m, den))


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
    x = _check_domain(
        x, used, strict=True, nonpositive=nonpositive, epsilon=epsilon, method="harmonic"
    )
    recip = np.where(used, 1.0 / np.where(used, x, 1.0), 0.0)
    den = available.astype(np.float64) @ m
    return _safe_divide(den, recip @ m)


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
    p = _check_p(p)
    if abs(p) < _TINY_P:
        return aggregate_matrix_geometric(
            values, membership, nonpositive=nonpositive, epsilon=epsilon
        )
    if p == 1.0:
        return aggregate_matrix_arithmetic(values, membership)
    x, m, available, used = _prepare_matrix(values, membership)
    x = _check_domain(
        x, used, strict=p < 0, nonpositive=nonpositive, epsilon=epsilon, method="power_mean"
    )
    with np.errstate(divide="ignore"):  # ln 0 = -inf, and expm1(-inf) = -1 (x^p = 0)
        t = np.where(used, np.expm1(p * np.log(np.where(used, x, 1.0))), 0.0)
    den = available.astype(np.float64) @ m
    excess = _safe_divide(t @ m, den)  # mean(x^p) - 1, see power_mean
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

"""Normalisation kernels: bring indicators onto a common, "higher is better" scale.

The rank-based kernels (:func:`rank`, :func:`borda`, :func:`percentile_rank`) live in
:mod:`cityeval.methods.normalise_rank` and are re-exported here.

The methods are those of COINr's ``Normalise`` (``R/normalise.R``; see
``reference/composite-indicator-methods.md``), as pure vectorised numpy functions.

Shapes and conventions
----------------------
Every kernel has the signature ``name(x, direction, *, <params>) -> ndarray`` with ``x`` of
shape ``(..., n_units, n_indicators)`` and ``direction`` of shape ``(n_indicators,)``
(``+1`` higher is better, ``-1`` lower is better). Statistics (min, max, mean, ranks ...) are
taken per indicator over the units axis (``-2``), separately for every batch element, ignoring
``NaN``. ``NaN`` in gives ``NaN`` out; an indicator with no observed value gives all ``NaN``.
Per-indicator parameters are scalars or arrays broadcastable to ``(n_indicators,)``. The output
has the shape of ``x`` and is always "higher is better". Kernels never mutate their inputs and
never validate them (the engine does).

The direction rule (one rule, every method)
-------------------------------------------
1. The data are *oriented*: ``y = direction * x``, so that higher ``y`` is better.
2. Every parameter given in the indicator's own units (goalposts, target, fixed bounds,
   ordinal levels) is oriented with the data in the same way. An interval ``[low, high]`` given
   in own units (``low < high`` numerically) therefore becomes ``[low, high]`` for a
   higher-is-better indicator and ``[-high, -low]`` for a lower-is-better one: the bound that is
   *best* is always the top of the output range. For a lower-is-better indicator the goalpost
   score is ``(high - x) / (high - low)``, the distance-to-target score is
   ``(max - x) / (max - target)``. A reference *unit* needs no orientation (it is a row).
3. The method is applied to the oriented data with the oriented parameters.

COINr multiplies the data by the direction but only part of the parameters (its
``get_iMeta_norm_paras`` has the flip of the goalposts partly commented out), which maps the best
value of a lower-is-better indicator to the bottom of a bounded range; the rule above does not.

Ratio-scale methods cannot negate the data (a ratio of negated values is meaningless), so
:func:`fraction_of_max` orients by inverting the ratio: ``x / max`` for higher-is-better and
``min / x`` ("fraction of the best") for lower-is-better. Both lie in ``[0, 1] * scale`` for
non-negative data and give the best unit ``scale``.

Zero-range rules (never a silent NaN or inf)
--------------------------------------------
* :func:`minmax`: all observed values equal -> every observed unit gets the midpoint
  ``(lower + upper) / 2``; :func:`dist_to_max` likewise gives ``scale / 2``.
* :func:`zscore`: standard deviation zero, or a single observed value -> ``mean``.
* :func:`goalposts`, :func:`fixed_bounds`: ``low == high`` -> a step: ``scale`` where the
  (oriented) value is at or beyond the goalpost, ``0`` below it.
* :func:`dist_to_target`, :func:`dist_to_reference`: the target (reference value) is at or
  below the worst observed value, so every unit has reached it -> every observed unit gets
  ``scale``.
* :func:`fraction_of_max`: a unit whose value equals the best value gets ``scale`` (this covers
  ``max == 0`` and ``min / 0``).
* :func:`percentile_rank`: ties share the minimum rank, so a constant indicator, or a single
  observed unit, gives ``0`` (no other unit is beaten).
* :func:`ordinal_levels`: a single level -> ``scale / 2``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from cityeval.i18n import _
from cityeval.methods._stats import (
    as_float,
    broadcast_param,
    nan_max,
    nan_mean,
    nan_min,
    nan_std,
)
from cityeval.methods._stats import keep_nan as _keep_nan
from cityeval.methods._stats import orient as _orient
from cityeval.methods.normalise_rank import borda, percentile_rank, rank

__all__ = [
    "borda",
    "dist_to_max",
    "dist_to_reference",
    "dist_to_target",
    "fixed_bounds",
    "fraction_of_max",
    "goalposts",
    "minmax",
    "ordinal_levels",
    "percentile_rank",
    "progress",
    "rank",
    "zscore",
]

FloatArray = npt.NDArray[np.float64]


def _orient_interval(
    low: npt.ArrayLike, high: npt.ArrayLike, d: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Orient an own-units interval ``[low, high]``: ``[-high, -low]`` when lower is better."""
    lo = broadcast_param(low, d.shape[0])
    hi = broadcast_param(high, d.shape[0])
    return np.where(d > 0, lo, -hi), np.where(d > 0, hi, -lo)


def minmax(
    x: npt.ArrayLike,
    direction: npt.ArrayLike,
    *,
    lower: npt.ArrayLike = 0.0,
    upper: npt.ArrayLike = 100.0,
) -> FloatArray:
    """Min-max rescaling onto ``[lower, upper]``.

    ``lower + (y - min y) / (max y - min y) * (upper - lower)`` on the oriented data ``y``
    (COINr ``n_minmax``; OECD/JRC Handbook 2008, section 5). Zero range gives the midpoint.

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``
    direction : array of shape ``(n_indicators,)``
    lower, upper : scalar or array broadcastable to ``(n_indicators,)``

    Returns
    -------
    array of shape ``(..., n_units, n_indicators)``
    """
    y, d = _orient(x, direction)
    lo = broadcast_param(lower, d.shape[0])
    hi = broadcast_param(upper, d.shape[0])
    ymin = nan_min(y)[..., None, :]
    ymax = nan_max(y)[..., None, :]
    span = ymax - ymin
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(span > 0, (y - ymin) / np.where(span > 0, span, 1.0), 0.5)
    return _keep_nan(y, lo + frac * (hi - lo))


def zscore(
    x: npt.ArrayLike,
    direction: npt.ArrayLike,
    *,
    mean: npt.ArrayLike = 0.0,
    sd: npt.ArrayLike = 1.0,
) -> FloatArray:
    """Standardisation to a given mean and standard deviation.

    ``mean + sd * (y - mean y) / sd y`` with the sample standard deviation (``ddof = 1``, as
    R's ``sd`` in COINr ``n_zscore``). Zero (or undefined) spread gives ``mean``.

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``
    direction : array of shape ``(n_indicators,)``
    mean, sd : scalar or array broadcastable to ``(n_indicators,)``

    Returns
    -------
    array of shape ``(..., n_units, n_indicators)``
    """
    y, d = _orient(x, direction)
    m = broadcast_param(mean, d.shape[0])
    s = broadcast_param(sd, d.shape[0])
    ymean = nan_mean(y)[..., None, :]
    ysd = nan_std(y)[..., None, :]
    ok = ysd > 0  # False for NaN (single observation) too
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(ok, (y - ymean) / np.where(ok, ysd, 1.0), 0.0)
    return _keep_nan(y, m + s * z)


def _fixed_interval_score(
    y: FloatArray, lo: FloatArray, hi: FloatArray, scale: FloatArray, truncate: bool
) -> FloatArray:
    """``(y - lo) / (hi - lo) * scale``, optionally clipped to ``[0, scale]``; step if lo == hi."""
    span = hi - lo
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(span != 0, (y - lo) / np.where(span != 0, span, 1.0), 0.0)
    frac = np.where(span == 0, np.where(y >= hi, 1.0, 0.0), frac)
    if truncate:
        frac = np.clip(frac, 0.0, 1.0)
    return _keep_nan(y, frac * scale)


def goalposts(
    x: npt.ArrayLike,
    direction: npt.ArrayLike,
    *,
    low: npt.ArrayLike,
    high: npt.ArrayLike,
    scale: npt.ArrayLike = 100.0,
    truncate: bool = True,
) -> FloatArray:
    """Goalpost normalisation: the fraction of the way from the worst to the best goalpost.

    Higher is better: ``(x - low) / (high - low) * scale``; lower is better:
    ``(high - x) / (high - low) * scale`` (COINr ``n_goalposts``; the goalposts are in the
    indicator's own units with ``low < high``, whatever the direction). With ``truncate`` the
    fraction is clipped to ``[0, 1]``. ``low == high`` gives a step (see the module docstring).

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``
    direction : array of shape ``(n_indicators,)``
    low, high, scale : scalar or array broadcastable to ``(n_indicators,)``
    truncate : bool
        Clip to the goalposts (COINr ``trunc2posts``).

    Returns
    -------
    array of shape ``(..., n_units, n_indicators)``
    """
    y, d = _orient(x, direction)
    lo, hi = _orient_interval(low, high, d)
    return _fixed_interval_score(y, lo, hi, broadcast_param(scale, d.shape[0]), truncate)


def fixed_bounds(
    x: npt.ArrayLike,
    direction: npt.ArrayLike,
    *,
    low: npt.ArrayLike,
    high: npt.ArrayLike,
    scale: npt.ArrayLike = 100.0,
) -> FloatArray:
    """Rescaling with fixed, not data-driven, bounds and no truncation.

    ``(y - l) / (u - l) * scale`` with the oriented bounds (COINr ``n_scaled``, GII style).
    Values outside ``[low, high]`` fall outside ``[0, scale]``. ``low == high`` gives a step.

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``
    direction : array of shape ``(n_indicators,)``
    low, high, scale : scalar or array broadcastable to ``(n_indicators,)``

    Returns
    -------
    array of shape ``(..., n_units, n_indicators)``
    """
    y, d = _orient(x, direction)
    lo, hi = _orient_interval(low, high, d)
    return _fixed_interval_score(y, lo, hi, broadcast_param(scale, d.shape[0]), False)


def _distance_to(y: FloatArray, goal: FloatArray, cap: bool, scale: FloatArray) -> FloatArray:
    """``(y - min y) / (goal - min y) * scale`` on oriented data; everyone reached -> scale."""
    ymin = nan_min(y)[..., None, :]
    span = goal - ymin
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(span > 0, (y - ymin) / np.where(span > 0, span, 1.0), 1.0)
    if cap:
        frac = np.minimum(frac, 1.0)
    # A missing goal (e.g. a missing reference unit) leaves the whole indicator missing.
    frac = np.where(np.isnan(span), np.nan, frac)
    return _keep_nan(y, frac * scale)


def dist_to_target(
    x: npt.ArrayLike,
    direction: npt.ArrayLike,
    *,
    target: npt.ArrayLike,
    cap: bool = True,
    scale: npt.ArrayLike = 100.0,
) -> FloatArray:
    """Distance to a target, as a fraction of the way from the worst unit to the target.

    Higher is better: ``(x - min) / (target - min)``; lower is better:
    ``(max - x) / (max - target)`` (COINr ``n_dist2targ``), times ``scale``; ``cap`` limits the
    fraction to 1 (units beyond the target score ``scale``). The target is in own units.
    A target at or below the worst value gives every unit ``scale``.

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``
    direction : array of shape ``(n_indicators,)``
    target, scale : scalar or array broadcastable to ``(n_indicators,)``
    cap : bool

    Returns
    -------
    array of shape ``(..., n_units, n_indicators)``
    """
    y, d = _orient(x, direction)
    goal = broadcast_param(target, d.shape[0]) * d
    return _distance_to(y, goal, cap, broadcast_param(scale, d.shape[0]))


def dist_to_reference(
    x: npt.ArrayLike,
    direction: npt.ArrayLike,
    *,
    reference_index: int | npt.ArrayLike,
    cap: bool = False,
    scale: npt.ArrayLike = 100.0,
) -> FloatArray:
    """Distance to a reference unit: ``1 - (y_ref - y) / (y_ref - min y)``, times ``scale``.

    The reference is the unit in row ``reference_index`` (an int, or ints broadcastable to
    ``(n_indicators,)``), in each batch element (COINr ``n_dist2ref``). Equivalent to
    :func:`dist_to_target` with the reference unit's value as target; if that value is missing
    the whole indicator is missing.

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``
    direction : array of shape ``(n_indicators,)``
    reference_index : int or array broadcastable to ``(n_indicators,)``
    cap : bool
        Limit the fraction to 1 (units better than the reference score ``scale``).
    scale : scalar or array broadcastable to ``(n_indicators,)``

    Returns
    -------
    array of shape ``(..., n_units, n_indicators)``
    """
    y, d = _orient(x, direction)
    idx = np.broadcast_to(np.asarray(reference_index, dtype=np.intp), (d.shape[0],))
    index = np.broadcast_to(idx, (*y.shape[:-2], 1, d.shape[0]))
    goal = np.take_along_axis(y, index, axis=-2)
    return _distance_to(y, goal, cap, broadcast_param(scale, d.shape[0]))


def dist_to_max(
    x: npt.ArrayLike, direction: npt.ArrayLike, *, scale: npt.ArrayLike = 100.0
) -> FloatArray:
    """Distance to the best unit: ``1 - (max y - y) / (max y - min y)``, times ``scale``.

    COINr ``n_dist2max``; the same as :func:`minmax` onto ``[0, scale]`` (zero range gives
    ``scale / 2``).

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``
    direction : array of shape ``(n_indicators,)``
    scale : scalar or array broadcastable to ``(n_indicators,)``

    Returns
    -------
    array of shape ``(..., n_units, n_indicators)``
    """
    return minmax(x, direction, lower=0.0, upper=scale)


def fraction_of_max(
    x: npt.ArrayLike, direction: npt.ArrayLike, *, scale: npt.ArrayLike = 100.0
) -> FloatArray:
    """Fraction of the best value: ``x / max`` (higher is better) or ``min / x`` (lower is better).

    COINr ``n_fracmax`` is ``x / max``; for a lower-is-better indicator this kernel takes the
    ratio the other way round (module docstring), so the best unit scores ``scale`` and the
    output stays in ``[0, scale]`` for both directions. Meant for non-negative, ratio-scale
    data; negative values give meaningless (but finite or NaN, never silent) results.
    A unit equal to the best value scores ``scale``.

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``
    direction : array of shape ``(n_indicators,)``
    scale : scalar or array broadcastable to ``(n_indicators,)``

    Returns
    -------
    array of shape ``(..., n_units, n_indicators)``
    """
    xf = as_float(x)
    d = broadcast_param(direction, xf.shape[-1])
    s = broadcast_param(scale, d.shape[0])
    best = np.where(d > 0, nan_max(xf), nan_min(xf))[..., None, :]
    num = np.where(d > 0, xf, best)
    den = np.where(d > 0, best, xf)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(den != 0, num / np.where(den != 0, den, 1.0), 0.0)
    frac = np.where(xf == best, 1.0, frac)
    return _keep_nan(xf, frac * s)


def ordinal_levels(
    x: npt.ArrayLike,
    direction: npt.ArrayLike,
    *,
    levels: npt.ArrayLike,
    scores: npt.ArrayLike | None = None,
    scale: npt.ArrayLike = 100.0,
) -> FloatArray:
    """Map ordinal levels (for example maturity 1..5) onto scores.

    Without ``scores`` the levels are spread evenly over ``[0, scale]`` in the oriented order:
    for ``K`` levels the best level gets ``scale``, the worst 0 and the ``k``-th best from the
    bottom ``k / (K - 1) * scale`` (a single level gets ``scale / 2``). With ``scores``,
    ``levels[j]`` maps to ``scores[j]``: the scores are already outputs ("higher is better", in
    output units, ``scale`` unused), so the direction plays no part.

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``
        Level values; NaN is missing.
    direction : array of shape ``(n_indicators,)``
    levels : array of shape ``(n_levels,)`` or ``(n_indicators, n_levels)``
        The admissible level values in own units, distinct, in any order.
    scores : array of the shape of ``levels``, optional
    scale : scalar or array broadcastable to ``(n_indicators,)``

    Returns
    -------
    array of shape ``(..., n_units, n_indicators)``

    Raises
    ------
    ValueError
        If an observed value is not one of the levels; the message names the value and the
        indicator index.
    """
    xf = as_float(x)
    n_ind = xf.shape[-1]
    d = broadcast_param(direction, n_ind)
    lv = np.asarray(levels, dtype=np.float64)
    lv = np.broadcast_to(lv, (n_ind, lv.shape[-1]))
    n_levels = lv.shape[-1]
    if scores is None:
        # Position of each level in the oriented order: count of levels strictly worse.
        oriented = lv * d[:, None]
        position = (oriented[:, None, :] < oriented[:, :, None]).sum(axis=-1)
        denom = max(n_levels - 1, 1)
        frac = position / denom if n_levels > 1 else np.full(lv.shape, 0.5)
        table = frac * broadcast_param(scale, n_ind)[:, None]
    else:
        table = np.broadcast_to(np.asarray(scores, dtype=np.float64), lv.shape)
    match = xf[..., None] == lv  # (..., n_units, n_indicators, n_levels)
    found = match.any(axis=-1)
    bad = ~found & ~np.isnan(xf)
    if bad.any():
        where = np.argwhere(bad)[0]
        value = float(xf[tuple(where)])
        raise ValueError(
            _(
                "value {value!r} of indicator {indicator} (unit {unit}) is not one of "
                "the levels {levels}"
            ).format(
                value=value,
                indicator=int(where[-1]),
                unit=int(where[-2]),
                levels=lv[int(where[-1])].tolist(),
            )
        )
    out = np.take_along_axis(
        np.broadcast_to(table, match.shape), match.argmax(axis=-1)[..., None], axis=-1
    )[..., 0]
    return np.where(found, out, np.nan)


def progress(
    x: npt.ArrayLike,
    direction: npt.ArrayLike,
    *,
    low: npt.ArrayLike,
    high: npt.ArrayLike,
    cap: float | None = 100.0,
    floor: float = 0.0,
) -> FloatArray:
    """Progress from a baseline toward a target, in percent: masterplan achievement.

    Goalposts in the indicator's own units, ``low < high``: for a higher-is-better indicator
    ``low`` is the baseline and ``high`` the target, and the score is
    ``(x - low) / (high - low) * 100``; for lower-is-better ``high`` is the baseline, ``low``
    the target, and the score is ``(high - x) / (high - low) * 100``. Scores below ``floor``
    (a regression from the baseline) are raised to it; with ``cap`` they are lowered to it
    (over-achievement counts up to ``cap`` percent; ``None``: no cap).

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``
    direction : array of shape ``(n_indicators,)``
    low, high : scalar or array broadcastable to ``(n_indicators,)``
    cap : float or None
        Highest score (100 by default: the target reached).
    floor : float
        Lowest score (0 by default: no progress).

    Returns
    -------
    array of shape ``(..., n_units, n_indicators)``
    """
    y, d = _orient(x, direction)
    lo, hi = _orient_interval(low, high, d)
    score = _fixed_interval_score(y, lo, hi, broadcast_param(100.0, d.shape[0]), False)
    upper = np.inf if cap is None else float(cap)
    return _keep_nan(y, np.clip(score, float(floor), upper))

"""Imputation kernels: fill missing indicator values, never touching observed ones.

The cross-sectional methods follow COINr's ``i_mean``, ``i_median``, ``i_mean_grp`` and
``i_median_grp`` (``R/impute.R``); the panel methods follow ``impute_panel`` (``latest``,
``linear`` and ``linear-constant``). See ``reference/composite-indicator-methods.md``.

Shapes: cross-sectional kernels take ``x`` of shape ``(..., n_units, n_indicators)`` and take
statistics per indicator over the units axis (``-2``) of each batch element; panel kernels take
``x`` of shape ``(..., n_times, n_units, n_indicators)`` with ``times`` of shape
``(n_times,)`` sorted ascending. Every kernel returns a new array of the shape of ``x`` in which
the observed (non-NaN) cells are exactly those of ``x``. A cell is left NaN when its method has
nothing to fill it with: an indicator with no observed unit (``mean``, ``median``), a group with
no observed unit for that indicator (``group_mean``, ``group_median``), no earlier observation
(``latest``) or no observation on one side without extrapolation (``linear``).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from cityeval.methods._stats import as_float, nan_mean, nan_median

__all__ = ["group_mean", "group_median", "latest", "linear", "mean", "median"]

FloatArray = npt.NDArray[np.float64]


def _fill(x: FloatArray, value: FloatArray) -> FloatArray:
    """Fill the NaN cells of ``x`` from ``value`` (broadcast to ``x``), keep the rest."""
    return np.where(np.isnan(x), value, x)


def mean(x: npt.ArrayLike) -> FloatArray:
    """Replace missing values by the indicator's mean over the observed units (COINr ``i_mean``).

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``

    Returns
    -------
    array of shape ``(..., n_units, n_indicators)``
    """
    xf = as_float(x)
    return _fill(xf, nan_mean(xf)[..., None, :])


def median(x: npt.ArrayLike) -> FloatArray:
    """Replace missing values by the indicator's median over the observed units (``i_median``).

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``

    Returns
    -------
    array of shape ``(..., n_units, n_indicators)``
    """
    xf = as_float(x)
    return _fill(xf, nan_median(xf)[..., None, :])


def group_mean(x: npt.ArrayLike, groups: npt.ArrayLike) -> FloatArray:
    """Replace missing values by the mean of the observed units of the same group.

    COINr ``i_mean_grp``; the ASEM index uses it with ``EurAsia_group``. A group with no
    observed value for an indicator leaves that group's missing cells NaN. A unit whose code
    is negative belongs to no group (its label is missing): it neither receives nor gives a
    group mean, and its missing cells stay NaN.

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``
    groups : int array of shape ``(n_units,)``
        Group code of each unit; negative for a unit without a group.

    Returns
    -------
    array of shape ``(..., n_units, n_indicators)``
    """
    xf = as_float(x)
    raw = np.asarray(groups).reshape(-1)
    fill = np.full(xf.shape, np.nan)
    members = np.flatnonzero(raw >= 0)
    if members.size == 0:
        return _fill(xf, fill)
    _, code = np.unique(raw[members], return_inverse=True)
    code = code.reshape(-1)
    # Units sorted by group, then group sums and counts as segment sums over the units axis.
    order = np.argsort(code, kind="stable")
    starts = np.flatnonzero(np.r_[True, code[order][1:] != code[order][:-1]])
    sorted_x = xf[..., members[order], :]
    observed = ~np.isnan(sorted_x)
    totals = np.add.reduceat(np.where(observed, sorted_x, 0.0), starts, axis=-2)
    counts = np.add.reduceat(observed, starts, axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(counts > 0, totals / np.where(counts > 0, counts, 1), np.nan)
    fill[..., members, :] = np.take(means, code, axis=-2)
    return _fill(xf, fill)


def group_median(x: npt.ArrayLike, groups: npt.ArrayLike) -> FloatArray:
    """Replace missing values by the median of the observed units of the same group.

    COINr ``i_median_grp``. A group with no observed value for an indicator leaves that
    group's missing cells NaN; a unit with a negative code belongs to no group and its missing
    cells stay NaN (see :func:`group_mean`).

    Parameters
    ----------
    x : array of shape ``(..., n_units, n_indicators)``
    groups : int array of shape ``(n_units,)``
        Group code of each unit; negative for a unit without a group.

    Returns
    -------
    array of shape ``(..., n_units, n_indicators)``
    """
    xf = as_float(x)
    g = np.asarray(groups).reshape(-1)
    fill = np.full(xf.shape, np.nan)
    for code in np.unique(g[g >= 0]):  # a loop over groups, not units
        rows = np.flatnonzero(g == code)
        fill[..., rows, :] = nan_median(xf[..., rows, :])[..., None, :]
    return _fill(xf, fill)


def _last_observed(observed: npt.NDArray[np.bool_]) -> npt.NDArray[np.intp]:
    """Index along axis -3 of the latest observed time at or before each time; -1 if none."""
    n_times = observed.shape[-3]
    t = np.arange(n_times).reshape(n_times, 1, 1)
    return np.maximum.accumulate(np.where(observed, t, -1), axis=-3)


def _next_observed(observed: npt.NDArray[np.bool_]) -> npt.NDArray[np.intp]:
    """Index along axis -3 of the earliest observed time at or after each time; -1 if none."""
    n_times = observed.shape[-3]
    t = np.arange(n_times).reshape(n_times, 1, 1)
    idx = np.where(observed, t, n_times)
    nxt = np.flip(np.minimum.accumulate(np.flip(idx, axis=-3), axis=-3), axis=-3)
    return np.where(nxt == n_times, -1, nxt)


def latest(x: npt.ArrayLike, times: npt.ArrayLike, *, max_gap: float | None = None) -> FloatArray:
    """Fill each missing cell with the unit's most recent earlier observed value.

    COINr ``impute_panel(imp_type = "latest")``. A cell with no earlier observation stays NaN
    (values are never carried backwards in time). With ``max_gap``, a value is carried forward
    only if ``times[t] - times[source] <= max_gap``.

    Parameters
    ----------
    x : array of shape ``(..., n_times, n_units, n_indicators)``
    times : array of shape ``(n_times,)``, sorted ascending
    max_gap : float, optional

    Returns
    -------
    array of shape ``(..., n_times, n_units, n_indicators)``
    """
    xf = as_float(x)
    tv = as_float(times).reshape(-1, 1, 1)
    prev = _last_observed(~np.isnan(xf))
    source = np.take_along_axis(xf, np.maximum(prev, 0), axis=-3)
    ok = prev >= 0
    if max_gap is not None:
        gap = tv - np.take(tv.reshape(-1), np.maximum(prev, 0))
        ok &= gap <= max_gap
    return _fill(xf, np.where(ok, source, np.nan))


def linear(
    x: npt.ArrayLike,
    times: npt.ArrayLike,
    *,
    extrapolate: Literal["constant"] | None = None,
) -> FloatArray:
    """Linear interpolation in time between a unit's observed values.

    ``v0 + (v1 - v0) * (t - t0) / (t1 - t0)`` between the nearest observed times ``t0 < t < t1``
    (COINr ``impute_panel(imp_type = "linear")``). Before the first or after the last
    observation nothing is filled unless ``extrapolate="constant"``, which carries the nearest
    observed value (COINr ``"linear-constant"``).

    Parameters
    ----------
    x : array of shape ``(..., n_times, n_units, n_indicators)``
    times : array of shape ``(n_times,)``, sorted ascending, distinct
    extrapolate : ``"constant"`` or None

    Returns
    -------
    array of shape ``(..., n_times, n_units, n_indicators)``
    """
    xf = as_float(x)
    tv = as_float(times).reshape(-1)
    observed = ~np.isnan(xf)
    prev = _last_observed(observed)
    nxt = _next_observed(observed)
    v0 = np.take_along_axis(xf, np.maximum(prev, 0), axis=-3)
    v1 = np.take_along_axis(xf, np.maximum(nxt, 0), axis=-3)
    t0 = np.take(tv, np.maximum(prev, 0))
    t1 = np.take(tv, np.maximum(nxt, 0))
    t = tv.reshape(-1, 1, 1)
    both = (prev >= 0) & (nxt >= 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        w = np.where(both & (t1 > t0), (t - t0) / np.where(t1 > t0, t1 - t0, 1.0), 0.0)
    filled = np.where(both, v0 + (v1 - v0) * w, np.nan)
    if extrapolate == "constant":
        filled = np.where(~both & (prev >= 0), v0, filled)
        filled = np.where(~both & (nxt >= 0), v1, filled)
    return _fill(xf, filled)

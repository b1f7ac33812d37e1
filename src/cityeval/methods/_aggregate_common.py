"""Shared preparation of the aggregation kernels: shapes, weights, domains, the error.

Every aggregation module of :mod:`cityeval.methods.aggregate` validates its arguments through
these helpers, so that the shape rules, the "used children" rule and the ``nonpositive``
policy described in that package's docstring are written once.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from cityeval.i18n import _

__all__ = [
    "MEDIAN_RTOL",
    "TINY_P",
    "BoolArray",
    "FloatArray",
    "NonPositivePolicy",
    "NonPositiveValueError",
    "check_domain",
    "check_p",
    "check_weights",
    "prepare",
    "safe_divide",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
NonPositivePolicy = Literal["error", "clip"]

#: Relative tolerance under which a cumulative weight counts as exactly half the total in
#: :func:`~cityeval.methods.aggregate.median` (absorbs rounding in the cumulative sums, so
#: equal weights give the ordinary median).
MEDIAN_RTOL = 1e-10

#: Below this ``|p|`` the power mean is computed as the geometric mean (its limit).
TINY_P = 1e-200

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


def check_weights(w: FloatArray, name: str) -> None:
    """Reject non-finite or negative weights: masking them would hide a modelling error."""
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            _(
                "{name} must be finite and non-negative; {name}[{index}] = {float_w_index!r}"
            ).format(name=name, index=index, float_w_index=float(w[index]))
        )


def prepare(
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
            _("values must have shape (..., n_units, n_children); got {x_ndim} axis/axes").format(
                x_ndim=x.ndim
            )
        )
    if w.ndim < 1:
        raise ValueError(_("weights must have shape (..., n_children); got a scalar"))
    if w.shape[-1] != x.shape[-1]:
        raise ValueError(
            _(
                "n_children mismatch: values has {x_shape_1} children on its last axis, weights "
                "has {w_shape_1}"
            ).format(x_shape_1=x.shape[-1], w_shape_1=w.shape[-1])
        )
    try:
        batch = np.broadcast_shapes(x.shape[:-2], w.shape[:-1])
    except ValueError:
        raise ValueError(
            _(
                "batch axes do not broadcast: values {x_shape_2} (before n_units, n_children) vs "
                "weights {w_shape_1} (before n_children)"
            ).format(x_shape_2=x.shape[:-2], w_shape_1=w.shape[:-1])
        ) from None
    check_weights(w, "weights")
    full = (*batch, x.shape[-2], x.shape[-1])
    x = np.broadcast_to(x, full)
    wb = np.broadcast_to(w[..., np.newaxis, :], full)
    used = ~np.isnan(x) & (wb > 0)
    w_used = np.where(used, wb, 0.0)
    return x, w_used, used


def safe_divide(num: FloatArray, den: FloatArray) -> FloatArray:
    """``num / den`` where ``den > 0``, ``NaN`` elsewhere (a unit with no used child)."""
    out = np.full(np.broadcast_shapes(num.shape, den.shape), np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def check_domain(
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
        raise ValueError(
            _("nonpositive must be 'error' or 'clip'; got {nonpositive!r}").format(
                nonpositive=nonpositive
            )
        )
    if nonpositive == "clip":
        if strict and not (np.isfinite(epsilon) and epsilon > 0):
            raise ValueError(
                _("epsilon must be finite and positive; got {epsilon!r}").format(epsilon=epsilon)
            )
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


def check_p(p: float) -> float:
    p = float(p)
    if not np.isfinite(p):
        raise ValueError(
            _("p must be finite; got {p!r} (use minimum/maximum for the limits)").format(p=p)
        )
    return p

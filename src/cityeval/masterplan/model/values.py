"""One value against an indicator's scale and bounds: the check every realised value passes.

The helper is small on purpose: when the library's shared value check lands (one function for
CSV, DataFrame, form and COINr values), this module points at it and nothing else changes.
"""

from __future__ import annotations

from cityeval.i18n import _
from cityeval.model import Bounds, Scale, ScaleKind

__all__ = ["value_problem"]


def _g(value: float) -> str:
    return f"{value:g}"


def value_problem(value: float, scale: Scale, bounds: Bounds | None) -> str | None:
    """Why ``value`` cannot be a value of an indicator measured on ``scale`` within ``bounds``.

    Parameters
    ----------
    value : float
        A finite number.
    scale : Scale
        A percentage lies in [0, 100], a binary value is 0 or 1, an ordinal value is one of the
        scale's levels; a ratio scale sets no limit of its own.
    bounds : Bounds, optional
        The range declared for the indicator; None sets no limit.

    Returns
    -------
    str or None
        The problem, in the current language, or None when the value is acceptable.

    Examples
    --------
    >>> from cityeval.model import Scale, ScaleKind
    >>> value_problem(150.0, Scale(ScaleKind.PERCENTAGE), None)
    '150 lies outside the percentage scale [0, 100]'
    >>> value_problem(42.0, Scale(ScaleKind.PERCENTAGE), None) is None
    True
    """
    kind = scale.kind
    if kind is ScaleKind.PERCENTAGE and not 0.0 <= value <= 100.0:
        return _("{value} lies outside the percentage scale [0, 100]").format(value=_g(value))
    if kind is ScaleKind.BINARY and value not in (0.0, 1.0):
        return _("{value} is not a value of the binary scale (0 or 1)").format(value=_g(value))
    if kind is ScaleKind.ORDINAL:
        levels = [lv.value for lv in scale.levels]
        if value not in levels:
            return _("{value} is not a level of the ordinal scale ({levels})").format(
                value=_g(value), levels=", ".join(_g(v) for v in levels)
            )
    if bounds is not None and not bounds.contains(value):
        return _("{value} lies outside the bounds [{lower}, {upper}]").format(
            value=_g(value), lower=_g(bounds.lower), upper=_g(bounds.upper)
        )
    return None

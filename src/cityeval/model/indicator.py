"""Indicators: the leaves of a framework tree, each one measured quantity."""

from __future__ import annotations

import enum

from attrs import field, frozen

from cityeval.errors import ModelError, Problem
from cityeval.i18n import _
from cityeval.model._checks import check_finite, check_id, check_optional_finite, check_weight
from cityeval.model.labels import Label
from cityeval.model.sources import Source

__all__ = ["Bounds", "Direction", "Indicator", "OrdinalLevel", "Scale", "ScaleKind"]


class Direction(enum.Enum):
    """Whether a higher or a lower value of an indicator is better."""

    HIGHER = "higher"
    LOWER = "lower"

    @property
    def sign(self) -> int:
        """``+1`` for higher is better, ``-1`` for lower is better (COINr's convention)."""
        return 1 if self is Direction.HIGHER else -1


class ScaleKind(enum.Enum):
    """The measurement scale of an indicator."""

    RATIO = "ratio"
    PERCENTAGE = "percentage"
    ORDINAL = "ordinal"
    BINARY = "binary"


@frozen
class OrdinalLevel:
    """One level of an ordinal scale, such as maturity level 3 "Terdefinisi".

    Parameters
    ----------
    value : float
        The number that represents the level in data.
    label : Label
        What the level means.
    """

    value: float = field(validator=check_finite)
    label: Label


@frozen
class Scale:
    """How an indicator is measured.

    Parameters
    ----------
    kind : ScaleKind
        Ratio, percentage (0 to 100), ordinal (a few labelled levels) or binary (0 or 1).
    levels : tuple of OrdinalLevel
        The levels of an ordinal scale, at least two with distinct values; empty otherwise.
    """

    kind: ScaleKind = ScaleKind.RATIO
    levels: tuple[OrdinalLevel, ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.kind is ScaleKind.ORDINAL:
            if len(self.levels) < 2:
                raise ModelError.at(
                    ("levels",),
                    f"an ordinal scale needs at least two levels, got {len(self.levels)}",
                )
            values = [lv.value for lv in self.levels]
            if len(set(values)) != len(values):
                raise ModelError.at(("levels",), "ordinal level values must be distinct")
        elif self.levels:
            raise ModelError.at(
                ("levels",), f"only an ordinal scale has levels, not {self.kind.value}"
            )

    @classmethod
    def ordinal(cls, *labels: Label | str, start: int = 1) -> Scale:
        """An ordinal scale with levels ``start, start + 1, ...`` and the given labels."""
        levels = tuple(
            OrdinalLevel(float(start + i), lab if isinstance(lab, Label) else Label.neutral(lab))
            for i, lab in enumerate(labels)
        )
        return cls(ScaleKind.ORDINAL, levels)

    def natural_bounds(self) -> tuple[float, float] | None:
        """The range the scale itself implies, or None for a ratio scale."""
        if self.kind is ScaleKind.PERCENTAGE:
            return (0.0, 100.0)
        if self.kind is ScaleKind.BINARY:
            return (0.0, 1.0)
        if self.kind is ScaleKind.ORDINAL:
            values = [lv.value for lv in self.levels]
            return (min(values), max(values))
        return None


@frozen
class Bounds:
    """A closed interval ``[lower, upper]`` with ``lower < upper``.

    Used for the range an indicator can take and for its goalposts.
    """

    lower: float = field(validator=check_finite)
    upper: float = field(validator=check_finite)

    def __attrs_post_init__(self) -> None:
        if not self.lower < self.upper:
            raise ModelError.at(
                ("upper",), f"must be greater than lower ({self.lower:g}), got {self.upper:g}"
            )

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies inside the interval (ends included)."""
        return self.lower <= value <= self.upper


@frozen
class Indicator:
    """A leaf of a framework: one measured quantity.

    Parameters
    ----------
    id : str
        Unique across the framework.
    label : Label
        Bilingual name.
    unit : str, optional
        Unit of measurement ("%", "persons per km²", "level 1-5").
    direction : Direction
        Whether higher or lower values are better.
    scale : Scale
        Ratio (default), percentage, ordinal or binary.
    bounds : Bounds, optional
        The range values can take; must lie inside the scale's own range.
    goalposts : Bounds, optional
        Worst-to-best interval used by goalpost normalisation, inside ``bounds``.
    target : float, optional
        The value aimed at; inside ``bounds`` and not at the worst goalpost.
    weight : float
        Weight relative to sibling indicators (non-negative).
    denominator : str, optional
        Name of a data column this indicator is divided by before scoring.
    unbounded : bool
        Declare that the indicator's values have no bounds: data are then not checked
        against the scale's range (a percentage change may exceed 100). By default every
        value read is checked against ``bounds``, or the scale's own range or levels.
    description, data_source, level, sources, note
        Documentation: what it measures, where data come from, the level name it sits at
        (checked against the framework's levels), citations, free remarks.
    """

    id: str = field(validator=check_id)
    label: Label
    unit: str | None = None
    direction: Direction = Direction.HIGHER
    scale: Scale = field(factory=Scale)
    bounds: Bounds | None = None
    goalposts: Bounds | None = None
    target: float | None = field(default=None, validator=check_optional_finite)
    weight: float = field(default=1.0, validator=check_weight)
    denominator: str | None = None
    unbounded: bool = False
    description: Label | None = None
    data_source: str | None = None
    level: str | None = None
    sources: tuple[Source, ...] = ()
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        problems = list(self._consistency_problems())
        if problems:
            raise ModelError(problems)

    def _consistency_problems(self) -> list[Problem]:
        problems: list[Problem] = []
        if self.unbounded and self.bounds is not None:
            problems.append(
                Problem(
                    ("unbounded",),
                    _("an indicator with bounds cannot be declared unbounded; remove one"),
                )
            )
        natural = self.scale.natural_bounds()
        if natural is not None and self.bounds is not None:
            lo, hi = natural
            if self.bounds.lower < lo or self.bounds.upper > hi:
                problems.append(
                    Problem(
                        ("bounds",),
                        f"[{self.bounds.lower:g}, {self.bounds.upper:g}] lies outside the "
                        f"{self.scale.kind.value} scale's range [{lo:g}, {hi:g}]",
                    )
                )
        outer = self.bounds or (Bounds(*natural) if natural is not None else None)
        if self.goalposts is not None and outer is not None:
            gp = self.goalposts
            if not (outer.contains(gp.lower) and outer.contains(gp.upper)):
                problems.append(
                    Problem(
                        ("goalposts",),
                        f"[{gp.lower:g}, {gp.upper:g}] lies outside the bounds "
                        f"[{outer.lower:g}, {outer.upper:g}]",
                    )
                )
        if self.target is not None:
            if outer is not None and not outer.contains(self.target):
                problems.append(
                    Problem(
                        ("target",),
                        f"{self.target:g} lies outside the bounds "
                        f"[{outer.lower:g}, {outer.upper:g}]",
                    )
                )
            if self.goalposts is not None:
                worst = (
                    self.goalposts.lower
                    if self.direction is Direction.HIGHER
                    else self.goalposts.upper
                )
                if self.target == worst:
                    problems.append(
                        Problem(
                            ("target",),
                            f"{self.target:g} is the worst goalpost for a "
                            f"{self.direction.value}-is-better indicator",
                        )
                    )
                elif (self.target < worst) == (self.direction is Direction.HIGHER):
                    problems.append(
                        Problem(
                            ("target",),
                            f"{self.target:g} is worse than the worst goalpost ({worst:g}) for "
                            f"a {self.direction.value}-is-better indicator",
                        )
                    )
        return problems

"""Dimensions: the inner nodes of a framework tree (dimension, element, sub-element...)."""

from __future__ import annotations

from attrs import field, frozen

from cityeval.errors import ModelError
from cityeval.model._checks import check_id, check_weight
from cityeval.model.bands import Band, band_problems
from cityeval.model.indicator import Indicator
from cityeval.model.labels import Label
from cityeval.model.sources import Source

__all__ = ["Dimension", "Node"]


@frozen
class Dimension:
    """An inner node of a framework at any depth: a dimension, an element, a pillar.

    A dimension holds either sub-dimensions (``children``) or indicators, not both, so that
    every level of the tree holds one kind of node.

    Parameters
    ----------
    id : str
        Unique across the framework.
    label : Label
        Bilingual name.
    weight : float
        Weight relative to its siblings (non-negative).
    children : tuple of Dimension
        Sub-dimensions (for example the elements of a dimension).
    indicators : tuple of Indicator
        The indicators directly below it.
    description, goal : Label, optional
        What the node covers, and the goal (*sasaran*) it serves.
    level : str, optional
        The name of the level it sits at, checked against the framework's levels.
    sources, note
        Citations with their grades, and free remarks (for example where sources disagree).
    bands : tuple of Band
        Named score ranges (predicates) for this node's score.
    """

    id: str = field(validator=check_id)
    label: Label
    weight: float = field(default=1.0, validator=check_weight)
    children: tuple[Dimension, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    description: Label | None = None
    goal: Label | None = None
    level: str | None = None
    sources: tuple[Source, ...] = ()
    note: str | None = None
    bands: tuple[Band, ...] = ()

    def __attrs_post_init__(self) -> None:
        overlaps = band_problems(self.bands)
        if overlaps:
            raise ModelError(p.prefixed(("bands",)) for p in overlaps)
        if self.children and self.indicators:
            raise ModelError.at(
                ("indicators",),
                f"dimension {self.id!r} holds both sub-dimensions and indicators; "
                "put the indicators in a sub-dimension of their own",
            )
        members = self.members
        if members and sum(m.weight for m in members) <= 0:
            key = "children" if self.children else "indicators"
            raise ModelError.at(
                (key,),
                f"the weights of the {key} of {self.id!r} sum to zero; at least one must be > 0",
            )

    @property
    def members(self) -> tuple[Dimension | Indicator, ...]:
        """The nodes directly below: sub-dimensions or indicators."""
        return self.children if self.children else self.indicators


Node = Dimension | Indicator

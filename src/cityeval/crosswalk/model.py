"""Crosswalks: how the nodes of one framework map onto the nodes of another.

A crosswalk is a reading, not a fact of either framework: each link says that a source node's
score informs one or more target nodes, with a weight and a grade saying how far the reading
can be trusted.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from attrs import field, frozen

from cityeval.errors import ModelError, Problem
from cityeval.model import Framework, Grade, Label, Source
from cityeval.model._checks import check_id

__all__ = ["Crosswalk", "Link"]


def _to_targets(value: str | Iterable[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _check_link_weight(instance: object, attribute: object, value: float) -> None:
    if not math.isfinite(value) or value <= 0:
        raise ModelError.at(("weight",), f"must be a finite number > 0, got {value!r}")


@frozen
class Link:
    """One source node informing one or more target nodes.

    Parameters
    ----------
    source : str
        The id of a node (dimension, element or indicator) of the source framework.
    targets : tuple of str
        Ids of the target framework's nodes it informs.
    weight : float
        How much it counts in each target's weighted mean, relative to the other links into
        the same target (``> 0``).
    grade : Grade, optional
        How far this link can be trusted (see :class:`~cityeval.model.Grade`).
    note : str, optional
        Why the nodes correspond, or where the reading is weak.
    """

    source: str
    targets: tuple[str, ...] = field(converter=_to_targets)
    weight: float = field(default=1.0, validator=_check_link_weight)
    grade: Grade | None = None
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        if not self.targets:
            raise ModelError.at(("targets",), "name at least one target node")
        if len(set(self.targets)) != len(self.targets):
            raise ModelError.at(("targets",), "a target node is named twice")


@frozen
class Crosswalk:
    """A declared mapping from the nodes of framework ``source`` onto those of ``target``.

    Parameters
    ----------
    id : str
        The crosswalk's registry name, such as ``"gerakan100-to-giffinger-2007"``.
    source, target : str
        Framework ids.
    mappings : tuple of Link
        The links; a source node appears at most once (list all its targets in one link).
    name, description : Label, optional
        What the crosswalk is.
    grade : Grade, optional
        The grade of the crosswalk as a whole (its weakest link, as a rule).
    sources : tuple of Source
        Where the reading comes from.
    note : str, optional
        Free remarks.
    """

    id: str = field(validator=check_id)
    source: str
    target: str
    mappings: tuple[Link, ...]
    name: Label | None = None
    description: Label | None = None
    grade: Grade | None = None
    sources: tuple[Source, ...] = ()
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not self.mappings:
            problems.append(Problem(("mappings",), "a crosswalk needs at least one mapping"))
        if self.source == self.target:
            problems.append(Problem(("target",), "source and target are the same framework"))
        first: dict[str, int] = {}
        for i, link in enumerate(self.mappings):
            if link.source in first:
                problems.append(
                    Problem(
                        ("mappings", i, "source"),
                        f"source node {link.source!r} is already mapped at "
                        f"mappings[{first[link.source]}]; list all its targets there",
                    )
                )
            first.setdefault(link.source, i)
        if problems:
            raise ModelError(problems)

    def link(self, source_node: str) -> Link | None:
        """The link of a source node, or None."""
        return next((lk for lk in self.mappings if lk.source == source_node), None)

    def targets_of(self, source_node: str) -> tuple[str, ...]:
        """The target nodes a source node informs (empty if it is not mapped)."""
        lk = self.link(source_node)
        return () if lk is None else lk.targets

    def sources_of(self, target_node: str) -> tuple[Link, ...]:
        """The links into a target node."""
        return tuple(lk for lk in self.mappings if target_node in lk.targets)

    def check_against(self, source: Framework, target: Framework) -> list[Problem]:
        """Problems with the crosswalk for these two frameworks (empty when it fits).

        Every link's source must be a node of ``source`` and every target a node of
        ``target``; each problem is located like ``mappings[3].targets[0]``.
        """
        problems: list[Problem] = []
        if source.id != self.source:
            problems.append(
                Problem(("source",), f"crosswalk is from {self.source!r}, not {source.id!r}")
            )
        if target.id != self.target:
            problems.append(
                Problem(("target",), f"crosswalk is onto {self.target!r}, not {target.id!r}")
            )
        for i, link in enumerate(self.mappings):
            if link.source not in source:
                problems.append(
                    Problem(
                        ("mappings", i, "source"),
                        f"framework {source.id!r} has no node {link.source!r}",
                    )
                )
            problems.extend(
                Problem(
                    ("mappings", i, "targets", k),
                    f"framework {target.id!r} has no node {node!r}",
                )
                for k, node in enumerate(link.targets)
                if node not in target
            )
        return problems

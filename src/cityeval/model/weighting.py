"""Weighting schemes: where each node's weight relative to its siblings comes from.

The core provides :class:`ExplicitWeights` (the weights written in the framework, optionally
overridden) and :class:`EqualWeights`; data-driven schemes come through the plugin hooks.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import attrs
from attrs import field, frozen

from cityeval.errors import ModelError, NotFoundError, Problem
from cityeval.model.dimension import Dimension, Node

if TYPE_CHECKING:
    from cityeval.model.framework import Framework

__all__ = [
    "EqualWeights",
    "ExplicitWeights",
    "WeightingScheme",
    "normalise_among_siblings",
    "with_weights",
]


@runtime_checkable
class WeightingScheme(Protocol):
    """Gives every node of a framework a raw weight relative to its siblings.

    Only ratios among siblings matter: the framework normalises them to sum to one.
    """

    name: str

    def weights(self, framework: Framework) -> dict[str, float]:
        """Raw weight of every node (dimensions and indicators), keyed by node id."""
        ...


def _check_overrides(
    instance: object, attribute: object, value: tuple[tuple[str, float], ...]
) -> None:
    for node_id, w in value:
        if not math.isfinite(w) or w < 0:
            raise ModelError.at(("weights", node_id), f"must be a finite number >= 0, got {w}")


def _to_pairs(
    value: Mapping[str, float] | tuple[tuple[str, float], ...],
) -> tuple[tuple[str, float], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((str(k), float(v)) for k, v in items))


@frozen
class ExplicitWeights:
    """The weights declared in the framework, with optional overrides by node id.

    Parameters
    ----------
    overrides : mapping of str to float
        Replacement weights for some nodes; every key must be a node of the framework.

    Examples
    --------
    >>> ExplicitWeights({"governance": 2.0}).name
    'explicit'
    """

    overrides: tuple[tuple[str, float], ...] = field(
        default=(), converter=_to_pairs, validator=_check_overrides
    )
    name: str = field(default="explicit", init=False)

    @classmethod
    def from_set(cls, framework: Framework, name: str) -> ExplicitWeights:
        """The framework's named weight set as overrides of its declared weights."""
        ws = framework.weight_set(name)
        return cls({k: float(v) for k, v in ws.weights.items()})  # type: ignore[arg-type]

    def weights(self, framework: Framework) -> dict[str, float]:
        raw = {node.id: node.weight for node in framework.walk()}
        for node_id, w in self.overrides:
            if node_id not in raw:
                raise NotFoundError(
                    f"weights given for {node_id!r}, which is no node of {framework.id!r}"
                )
            raw[node_id] = w
        return raw


@frozen
class EqualWeights:
    """Every node weighs the same as each of its siblings."""

    name: str = field(default="equal", init=False)

    def weights(self, framework: Framework) -> dict[str, float]:
        return {node.id: 1.0 for node in framework.walk()}


def _sibling_groups(framework: Framework) -> list[tuple[str | None, tuple[Node, ...]]]:
    groups: list[tuple[str | None, tuple[Node, ...]]] = [(None, tuple(framework.dimensions))]
    groups.extend((dim.id, dim.members) for dim in framework.aggregates() if dim.members)
    return groups


def normalise_among_siblings(framework: Framework, raw: Mapping[str, float]) -> dict[str, float]:
    """Scale raw weights so that each group of siblings sums to one.

    Raises
    ------
    ModelError
        If a weight is negative or not finite, or a group of siblings sums to zero.
    """
    out: dict[str, float] = {}
    problems: list[Problem] = []
    for parent, members in _sibling_groups(framework):
        ws = [raw[m.id] for m in members]
        bad = [
            (m.id, w) for m, w in zip(members, ws, strict=True) if not math.isfinite(w) or w < 0
        ]
        for node_id, w in bad:
            problems.append(
                Problem(("weights", node_id), f"must be a finite number >= 0, got {w}")
            )
        total = sum(ws)
        if not bad and total <= 0:
            owner = repr(parent) if parent else "the framework's top dimensions"
            problems.append(Problem(("weights",), f"the weights below {owner} sum to zero"))
            continue
        for m, w in zip(members, ws, strict=True):
            out[m.id] = w / total if total > 0 else math.nan
    if problems:
        raise ModelError(problems)
    return out


def with_weights(framework: Framework, weights: Mapping[str, float]) -> Framework:
    """A copy of ``framework`` whose listed nodes carry new weights."""
    unknown = sorted(set(weights) - {n.id for n in framework.walk()})
    if unknown:
        raise NotFoundError(
            f"framework {framework.id!r} has no node(s) {', '.join(map(repr, unknown))}"
        )

    def weight(node: Node) -> float:
        return float(weights[node.id]) if node.id in weights else node.weight

    def rebuild(dim: Dimension) -> Dimension:
        return attrs.evolve(
            dim,
            weight=weight(dim),
            children=tuple(rebuild(c) for c in dim.children),
            indicators=tuple(attrs.evolve(i, weight=weight(i)) for i in dim.indicators),
        )

    return attrs.evolve(framework, dimensions=tuple(rebuild(d) for d in framework.dimensions))

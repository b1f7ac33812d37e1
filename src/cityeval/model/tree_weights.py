"""Weights on a tree of nodes: normalising among siblings and replacing weights.

These functions work on the top nodes of a framework (a tuple of :class:`Dimension`), not on
the :class:`~cityeval.model.Framework` itself, so that both the framework
(:meth:`Framework.sibling_weights`, :meth:`Framework.replace_weights`) and the weighting
schemes in :mod:`cityeval.model.weighting` can use them while importing only downward.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence

import attrs

from cityeval.errors import ModelError, Problem
from cityeval.i18n import _
from cityeval.model.dimension import Dimension, Node

__all__ = ["normalise_among_siblings", "reweighted", "sibling_groups", "walk_nodes"]


def walk_nodes(top: Sequence[Dimension]) -> Iterator[Node]:
    """Every node below and including ``top``, depth first, parents before children."""
    for dim in top:
        yield dim
        yield from walk_nodes(dim.children)
        yield from dim.indicators


def sibling_groups(top: Sequence[Dimension]) -> list[tuple[str | None, tuple[Node, ...]]]:
    """Each group of siblings with its parent's id (``None`` for the top nodes)."""
    groups: list[tuple[str | None, tuple[Node, ...]]] = [(None, tuple(top))]
    groups.extend(
        (node.id, node.members)
        for node in walk_nodes(top)
        if isinstance(node, Dimension) and node.members
    )
    return groups


def normalise_among_siblings(
    top: Sequence[Dimension], raw: Mapping[str, float]
) -> dict[str, float]:
    """Scale raw weights so that each group of siblings sums to one.

    Parameters
    ----------
    top : sequence of Dimension
        The top nodes of the tree.
    raw : mapping of str to float
        A raw weight for every node id of the tree.

    Raises
    ------
    ModelError
        If a weight is negative or not finite, or a group of siblings sums to zero.
    """
    out: dict[str, float] = {}
    problems: list[Problem] = []
    for parent, members in sibling_groups(top):
        ws = [raw[m.id] for m in members]
        bad = [
            (m.id, w) for m, w in zip(members, ws, strict=True) if not math.isfinite(w) or w < 0
        ]
        for node_id, w in bad:
            problems.append(
                Problem(
                    ("weights", node_id),
                    _("must be a finite number >= 0, got {value}").format(value=w),
                )
            )
        total = sum(ws)
        if not bad and total <= 0:
            if parent:
                message = _("the weights below {parent!r} sum to zero").format(parent=parent)
            else:
                message = _("the weights below the framework's top dimensions sum to zero")
            problems.append(Problem(("weights",), message))
            continue
        for m, w in zip(members, ws, strict=True):
            out[m.id] = w / total if total > 0 else math.nan
    if problems:
        raise ModelError(problems)
    return out


def reweighted(top: Sequence[Dimension], weights: Mapping[str, float]) -> tuple[Dimension, ...]:
    """Copies of the top nodes whose listed descendants carry new weights.

    Ids in ``weights`` that are no node of the tree are ignored here; callers check them.
    """

    def weight(node: Node) -> float:
        return float(weights[node.id]) if node.id in weights else node.weight

    def rebuild(dim: Dimension) -> Dimension:
        return attrs.evolve(
            dim,
            weight=weight(dim),
            children=tuple(rebuild(c) for c in dim.children),
            indicators=tuple(attrs.evolve(i, weight=weight(i)) for i in dim.indicators),
        )

    return tuple(rebuild(d) for d in top)

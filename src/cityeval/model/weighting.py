"""Weighting schemes: where each node's weight relative to its siblings comes from.

The core provides :class:`ExplicitWeights` (the weights written in the framework, optionally
overridden) and :class:`EqualWeights`; data-driven schemes come through the plugin hooks. The
protocol they follow, :class:`WeightingScheme`, is defined with the framework that consumes it
(:mod:`cityeval.model.framework`), and the tree arithmetic in :mod:`cityeval.model.tree_weights`;
this module imports both and neither imports it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from attrs import field, frozen

from cityeval.errors import ModelError, NotFoundError
from cityeval.i18n import _
from cityeval.model.framework import Framework, WeightingScheme
from cityeval.model.tree_weights import normalise_among_siblings as _normalise

__all__ = [
    "EqualWeights",
    "ExplicitWeights",
    "WeightingScheme",
    "normalise_among_siblings",
    "with_weights",
]


def _check_overrides(
    instance: object, attribute: object, value: tuple[tuple[str, float], ...]
) -> None:
    for node_id, w in value:
        if not math.isfinite(w) or w < 0:
            raise ModelError.at(
                ("weights", node_id),
                _("must be a finite number >= 0, got {value}").format(value=w),
            )


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
                    _("weights given for {node!r}, which is no node of {framework!r}").format(
                        node=node_id, framework=framework.id
                    )
                )
            raw[node_id] = w
        return raw


@frozen
class EqualWeights:
    """Every node weighs the same as each of its siblings."""

    name: str = field(default="equal", init=False)

    def weights(self, framework: Framework) -> dict[str, float]:
        return {node.id: 1.0 for node in framework.walk()}


def normalise_among_siblings(framework: Framework, raw: Mapping[str, float]) -> dict[str, float]:
    """Scale raw weights so that each group of siblings of ``framework`` sums to one.

    Raises
    ------
    ModelError
        If a weight is negative or not finite, or a group of siblings sums to zero.
    """
    return _normalise(framework.dimensions, raw)


def with_weights(framework: Framework, weights: Mapping[str, float]) -> Framework:
    """A copy of ``framework`` whose listed nodes carry new weights."""
    return framework.replace_weights(weights)

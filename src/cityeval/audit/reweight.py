"""Re-running a pipeline with other weights: the tool of optimisation and what-if analysis.

The weights a run actually used (declared, a weight set or a data-driven method) are fixed
as explicit weights, and some of them replaced; the pipeline's own ``weight`` step, if any,
gives way to an ``explicit`` step carrying them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from cityeval.model import Pipeline, Step, StepKind

if TYPE_CHECKING:
    from cityeval.engine import Results

__all__ = ["rerun", "used_weights", "with_weights"]


def used_weights(results: Results) -> dict[str, float]:
    """Every node's weight relative to its siblings, as the run used it (normalised)."""
    out: dict[str, float] = {}
    for level in results.compiled.levels:
        for node, kids in zip(level.node_ids, level.child_ids, strict=True):
            out.update(zip(kids, results.weights[node], strict=True))
    return out


def with_weights(results: Results, changes: Mapping[str, float]) -> Pipeline:
    """The run's pipeline with its weights fixed and ``changes`` applied (node id to weight)."""
    weights = {**used_weights(results), **{k: float(v) for k, v in changes.items()}}
    step = Step(StepKind.WEIGHT, "explicit", {"weights": weights})
    steps = [s for s in results.pipeline.steps if s.step is not StepKind.WEIGHT]
    at = next(i for i, s in enumerate(steps) if s.step is StepKind.AGGREGATE)
    steps.insert(at, step)
    return attrs.evolve(results.pipeline, steps=tuple(steps))


def rerun(results: Results, changes: Mapping[str, float]) -> Results:
    """The same framework and data scored again with ``changes`` to the weights."""
    from cityeval.engine import score

    return score(results.compiled.framework, results.dataset, with_weights(results, changes))

"""Whether the engine and the loop-based reference give the same numbers."""

from __future__ import annotations

import numpy as np

from benchmarks.reference_loop import ReferenceResult
from cityeval.engine import Results

__all__ = ["max_difference"]


def max_difference(results: Results, reference: ReferenceResult) -> float:
    """The largest absolute difference over every normalised indicator and every aggregate.

    NaN in one and not in the other counts as an infinite difference.
    """
    worst = 0.0
    pairs = [*reference.normalised.items(), *reference.scores.items()]
    if set(reference.scores) != set(results.aggregate_ids):
        return float("inf")
    for node_id, column in pairs:
        ours = np.asarray(results.score(node_id), dtype=np.float64)
        theirs = np.asarray(column, dtype=np.float64)
        if not np.array_equal(np.isnan(ours), np.isnan(theirs)):
            return float("inf")
        diff = np.abs(ours - theirs)
        worst = max(worst, float(np.max(diff, initial=0.0, where=~np.isnan(diff))))
    return worst

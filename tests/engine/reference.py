"""A plain-loop reference scorer: min-max per indicator, weighted arithmetic means per node.

Loops over units, indicators and nodes, straight from the definitions, sharing no code with
the engine, so that the vectorised engine can be checked against it on generated frameworks.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from cityeval.model import Dimension, Framework

FloatArray = npt.NDArray[np.float64]


def minmax_column(
    col: list[float], direction: int, lower: float = 0.0, upper: float = 100.0
) -> list[float]:
    oriented = [direction * v for v in col]
    seen = [v for v in oriented if not math.isnan(v)]
    if not seen:
        return [math.nan] * len(col)
    lo, hi = min(seen), max(seen)
    out = []
    for v in oriented:
        if math.isnan(v):
            out.append(math.nan)
        elif hi == lo:
            out.append((lower + upper) / 2)
        else:
            out.append(lower + (v - lo) / (hi - lo) * (upper - lower))
    return out


def reference_scores(framework: Framework, values: FloatArray) -> dict[str, list[float]]:
    """Scores of every node (indicators normalised, aggregates as weighted means) per unit."""
    n_units = values.shape[0]
    scores: dict[str, list[float]] = {}
    for j, ind in enumerate(framework.indicators()):
        column = [float(values[u, j]) for u in range(n_units)]
        scores[ind.id] = minmax_column(column, ind.direction.sign)

    def node_score(node: Dimension) -> list[float]:
        kids = node.members
        for kid in kids:
            if isinstance(kid, Dimension):
                scores[kid.id] = node_score(kid)
        out = []
        for u in range(n_units):
            num = den = 0.0
            for kid in kids:
                v = scores[kid.id][u]
                if not math.isnan(v) and kid.weight > 0:
                    num += kid.weight * v
                    den += kid.weight
            out.append(num / den if den > 0 else math.nan)
        return out

    for top in framework.dimensions:
        scores[top.id] = node_score(top)
    if len(framework.dimensions) > 1:
        out = []
        for u in range(n_units):
            num = den = 0.0
            for top in framework.dimensions:
                v = scores[top.id][u]
                if not math.isnan(v) and top.weight > 0:
                    num += top.weight * v
                    den += top.weight
            out.append(num / den if den > 0 else math.nan)
        scores[framework.id] = out
    return scores


def reference_ranks(column: list[float]) -> list[float]:
    """Rank 1 = highest; ties (exactly equal scores) share the best rank; NaN unranked.

    As R's ``rank(-x, ties.method = "min")`` in COINr: the scores are compared exactly, never
    rounded first.
    """
    values = [float(v) for v in column]
    out = []
    for v in values:
        if math.isnan(v):
            out.append(math.nan)
        else:
            out.append(1.0 + sum(1 for w in values if not math.isnan(w) and w > v))
    return out


def separated(column: list[float], rel: float = 1e-9) -> list[bool]:
    """Whether each score is further than rounding (``rel`` relative) from every other one:
    where it is, its rank cannot depend on the order in which sums were taken."""
    values = [float(v) for v in column]
    return [
        not math.isnan(v)
        and all(
            math.isnan(w) or j == i or abs(w - v) > rel * max(1.0, abs(v), abs(w))
            for j, w in enumerate(values)
        )
        for i, v in enumerate(values)
    ]

"""The benchmark pipeline written the way a spreadsheet would compute it: loops and floats.

Province-mean imputation, COINr outlier treatment, min-max onto [lower, upper] and weighted
arithmetic means up the tree, each a loop over indicators and units on Python lists (as
COINr's row-wise ``apply`` or a column of spreadsheet formulas would), written from the method
texts (COINr ``i_mean_grp``, ``Treat`` with ``check_SkewKurt`` -> ``winsorise`` -> ``log_CT``,
``n_minmax``, ``a_amean``) and sharing no code with :mod:`cityeval.methods` or
:mod:`cityeval.engine`. It is the loop-based baseline of the benchmark, and an oracle: the
engine must give the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from cityeval.model import Dimension, Framework, Indicator

__all__ = ["ReferenceResult", "reference_index"]

NAN = math.nan
Column = list[float]


class ReferenceResult:
    """Normalised indicator columns and the scores of every aggregate, by id.

    Attributes
    ----------
    normalised : dict of str to list of float
        Indicator id to its normalised column (one value a unit).
    scores : dict of str to list of float
        Aggregate id (the framework's id for the overall index) to its scores.
    """

    def __init__(self, normalised: dict[str, Column], scores: dict[str, Column]) -> None:
        self.normalised = normalised
        self.scores = scores


def _impute_group_mean(column: Column, groups: Sequence[str]) -> Column:
    totals: dict[str, float] = {}
    counts: dict[str, int] = {}
    for value, group in zip(column, groups, strict=True):
        if not math.isnan(value):
            totals[group] = totals.get(group, 0.0) + value
            counts[group] = counts.get(group, 0) + 1
    out = []
    for value, group in zip(column, groups, strict=True):
        if math.isnan(value):
            out.append(totals[group] / counts[group] if group in counts else NAN)
        else:
            out.append(value)
    return out


def _skew_kurt(values: Column) -> tuple[float, float]:
    """Bias-adjusted sample skewness and excess kurtosis (pandas ``skew()``, ``kurt()``)."""
    n = len(values)
    if n < 3 or max(values) == min(values):
        return NAN, NAN
    mean = sum(values) / n
    m2 = m3 = m4 = 0.0
    for v in values:
        d = v - mean
        m2 += d * d
        m3 += d * d * d
        m4 += d * d * d * d
    skew = m3 / m2**1.5 * n * math.sqrt(n - 1) / (n - 2)
    if n < 4:
        return skew, NAN
    kurt = (n - 1) / ((n - 2) * (n - 3)) * (n * (n + 1) * m4 / (m2 * m2) - 3 * (n - 1))
    return skew, kurt


def _fails(skew: float, kurt: float) -> bool:
    # COINr check_SkewKurt: |skew| > 2 and kurtosis > 3.5; NaN compares False, so never fails.
    return abs(skew) > 2.0 and kurt > 3.5


def _treat_coinr(column: Column, winmax: int) -> Column:
    rows = [u for u, v in enumerate(column) if not math.isnan(v)]
    original = [column[u] for u in rows]
    if len(set(original)) < 2:
        return list(column)
    work = list(original)
    skew, kurt = _skew_kurt(work)
    passes = 0
    while _fails(skew, kurt) and passes < winmax:
        distinct = sorted(set(work))
        if len(distinct) < 2:
            break
        # Every value equal to the extreme becomes the next distinct value on that side.
        old, new = (distinct[-1], distinct[-2]) if skew >= 0 else (distinct[0], distinct[1])
        work = [new if v == old else v for v in work]
        passes += 1
        skew, kurt = _skew_kurt(work)
    if _fails(skew, kurt):  # COINr log_CT on the original values
        lo, hi = min(original), max(original)
        work = [math.log(v - lo + 0.01 * (hi - lo)) for v in original]
    out = list(column)
    for u, v in zip(rows, work, strict=True):
        out[u] = v
    return out


def _minmax(column: Column, sign: int, lower: float, upper: float) -> Column:
    oriented = [sign * v for v in column]
    observed = [v for v in oriented if not math.isnan(v)]
    if not observed:
        return [NAN] * len(column)
    low, high = min(observed), max(observed)
    out = []
    for v in oriented:
        if math.isnan(v):
            out.append(NAN)
        elif high > low:
            out.append(lower + (v - low) / (high - low) * (upper - lower))
        else:
            out.append(lower + 0.5 * (upper - lower))
    return out


def _weighted_mean(children: list[Column], weights: list[float], n_units: int) -> Column:
    # COINr a_amean: a missing child's weight is dropped and the rest renormalised.
    total = sum(weights)
    out = []
    for u in range(n_units):
        num = den = 0.0
        for child, w in zip(children, weights, strict=True):
            if not math.isnan(child[u]) and w > 0:
                num += w / total * child[u]
                den += w / total
        out.append(num / den if den > 0 else NAN)
    return out


def reference_index(
    framework: Framework,
    rows: Sequence[Sequence[float]],
    indicators: Sequence[str],
    groups: Sequence[str],
    *,
    lower: float = 0.0,
    upper: float = 100.0,
) -> ReferenceResult:
    """Build the index with loops: impute, treat, normalise, aggregate.

    Parameters
    ----------
    framework : Framework
        The tree, its weights and directions.
    rows : sequence of sequences of float
        One row a unit, one value an indicator (ordered as ``indicators``), NaN where missing.
    indicators : sequence of str
        The indicator id of each column.
    groups : sequence of str
        Each unit's group (province) for the group-mean imputation.
    lower, upper : float
        The min-max target range.

    Returns
    -------
    ReferenceResult
    """
    n_units = len(rows)
    winmax = -(-n_units // 10)  # ceil(0.1 * n_units), COINr's default pass limit
    position = {ind: j for j, ind in enumerate(indicators)}
    normalised: dict[str, Column] = {}
    for ind in framework.indicators():
        j = position[ind.id]
        column = [float(row[j]) for row in rows]
        column = _impute_group_mean(column, groups)
        column = _treat_coinr(column, winmax)
        normalised[ind.id] = _minmax(column, ind.direction.sign, lower, upper)

    scores: dict[str, Column] = {}

    def node_scores(node: Dimension | Indicator) -> Column:
        if isinstance(node, Indicator):
            return normalised[node.id]
        children = [node_scores(m) for m in node.members]
        scores[node.id] = _weighted_mean(children, [m.weight for m in node.members], n_units)
        return scores[node.id]

    tops = [node_scores(d) for d in framework.dimensions]
    if len(framework.dimensions) > 1:
        weights = [d.weight for d in framework.dimensions]
        scores[framework.id] = _weighted_mean(tops, weights, n_units)
    return ReferenceResult(normalised, scores)

"""A node's change between two runs, split by child, indicator and cause.

With the contributions of both runs (:mod:`cityeval.explain.contributions`), a node's change
is the sum of the changes of its parts' contributions, ``c_after - c_before`` (a part present
in one run only contributes 0 in the other), so every split below sums to the change exactly.

For trees of weighted means, each indicator's change of contribution ``w' x' - w x`` is split
further into the part due to its value and the part due to its effective weight (the weights
move when values go missing or indicators enter or leave the score):
``w' x' - w x = (w + w')/2 * (x' - x) + (w' - w) * (x + x')/2`` (the symmetric, Shapley split of
a product). For a masterplan the value part is split again between the realisation and the
target (a new target year), each the average of its two orders.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from attrs import frozen

from cityeval.explain.contributions import TreeContributions

__all__ = ["CAUSES", "IndicatorChange", "indicator_changes", "split_value"]

FloatArray = npt.NDArray[np.float64]

#: The causes a change is split into, in display order.
CAUSES = ("realisations", "targets", "values", "weights", "coverage")


@frozen
class IndicatorChange:
    """One indicator's contribution to a node in both runs, and the change by cause.

    ``causes`` maps a key of :data:`CAUSES` to its part of ``change``; it is empty when the
    tree is not all weighted means (then only the total change is exact).
    """

    id: str
    before: float | None
    after: float | None
    value_before: float | None
    value_after: float | None
    weight_before: float | None
    weight_after: float | None
    change: float
    causes: dict[str, float]


def split_value(
    before: float, after: float, cross: tuple[float, float] | None
) -> dict[str, float]:
    """Split a value's change between the realisation and the target.

    ``cross`` is ``(f(R', T), f(R, T'))``: the new realisation against the old target and the
    old realisation against the new one. Each part is the average of its effect in both
    orders, and the two sum to ``after - before``.
    """
    if cross is None:
        return {"values": after - before}
    new_real_old_target, old_real_new_target = cross
    realisations = 0.5 * ((new_real_old_target - before) + (after - old_real_new_target))
    return {"realisations": realisations, "targets": (after - before) - realisations}


def indicator_changes(
    before: TreeContributions,
    after: TreeContributions,
    node: str,
    unit_before: int,
    unit_after: int,
    cross: dict[str, tuple[float, float]] | None = None,
) -> list[IndicatorChange]:
    """Every indicator's part in ``node``'s change from ``before`` to ``after``.

    Parameters
    ----------
    before, after : TreeContributions
    node : str
        An aggregate of both runs (or of one: the other counts as 0).
    unit_before, unit_after : int
        The unit's row in each run.
    cross : dict, optional
        For a masterplan, per indicator ``(f(R', T), f(R, T'))`` (see :func:`split_value`).

    Returns
    -------
    list of IndicatorChange
        The indicators of either run (after's order first); their changes sum to the node's.
    """
    ids = list(after.results.indicator_ids) + [
        i for i in before.results.indicator_ids if i not in after.results.indicator_ids
    ]
    additive = before.all_additive and after.all_additive
    out = []
    for ind in ids:
        c0 = before.indicator_value("contribution", node, unit_before, ind)
        c1 = after.indicator_value("contribution", node, unit_after, ind)
        w0 = before.indicator_value("weight", node, unit_before, ind)
        w1 = after.indicator_value("weight", node, unit_after, ind)
        x0 = _value(before, unit_before, ind)
        x1 = _value(after, unit_after, ind)
        if c0 is None and c1 is None:
            continue
        change = (c1 or 0.0) - (c0 or 0.0)
        causes: dict[str, float] = {}
        if additive:
            in_both = None not in (x0, x1) and bool(w0) and bool(w1)
            if in_both:
                assert x0 is not None and x1 is not None and w0 is not None and w1 is not None
                w_mean, x_mean = 0.5 * (w0 + w1), 0.5 * (x0 + x1)
                value_parts = split_value(x0, x1, None if cross is None else cross.get(ind))
                causes = {k: w_mean * v for k, v in value_parts.items()}
                causes["weights"] = (w1 - w0) * x_mean
            else:
                causes = {"coverage": change}
        out.append(IndicatorChange(ind, c0, c1, x0, x1, w0, w1, change, causes))
    return out


def _value(tc: TreeContributions, unit: int, ind: str) -> float | None:
    if ind not in tc.scores:
        return None
    value = float(tc.scores[ind][unit])
    return None if np.isnan(value) else value

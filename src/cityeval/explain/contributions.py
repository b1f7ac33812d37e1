"""Every node's score split into its children's and its indicators' contributions.

For each aggregate node the children's contributions come from the kernel that fits the
node's aggregator (see :data:`TECHNIQUES`); the indicators' contributions are then passed down
the tree by :func:`cityeval.explain.kernels.propagate`. Both sum to the node's score for every
unit. The arrays cover every unit at once; choosing a unit is left to the caller.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from attrs import define

from cityeval.engine.resolve import kernel_kwargs, resolve_pipeline
from cityeval.engine.results import Results
from cityeval.explain import kernels, shapley
from cityeval.i18n import N_
from cityeval.model import StepKind

__all__ = ["TECHNIQUES", "TreeContributions", "technique_for", "tree_contributions"]

FloatArray = npt.NDArray[np.float64]

#: How each technique explains a node, and what it guarantees (shown with ``_()``).
TECHNIQUES: dict[str, str] = {
    "additive": N_(
        "weighted mean: each child contributes its weight times its value (weights "
        "renormalised over the children present); exact"
    ),
    "log": N_(
        "geometric mean: each child contributes its weight times the log of its value; "
        "the score is split in proportion to these log contributions; exact"
    ),
    "shapley": N_(
        "exact Shapley values over the children (every coalition of children evaluated with "
        "the node's own aggregator); exact"
    ),
    "sampled": N_(
        "Shapley values sampled over random orders of the children; they sum to the score "
        "exactly, each value has the standard error stated"
    ),
}


def technique_for(method: str, n_children: int) -> str:
    """The technique that explains a node aggregated by ``method`` with ``n_children``."""
    if method == "arithmetic":
        return "additive"
    if method == "geometric":
        return "log"
    return "shapley" if n_children <= shapley.EXACT_MAX_CHILDREN else "sampled"


@define(frozen=True, eq=False)
class TreeContributions:
    """Contributions to every aggregate node, for every unit at one time point.

    Attributes
    ----------
    results : Results
    time : int or None
        The time index for panel data.
    scores : dict of str to ndarray of shape ``(n_units,)``
        Every node's score.
    children : dict of str to ndarray of shape ``(n_units, n_children)``
        Each aggregate's children's contributions (children as in the compiled tree).
    child_ids : dict of str to tuple of str
    log_children : dict of str to ndarray
        For geometric nodes, the children's contributions in logs (summing to ``ln score``).
    columns : dict of str to ndarray of int
        Each aggregate's own indicators, as columns of ``results.indicator_ids``.
    indicator_blocks : dict of str to ndarray of shape ``(n_units, n_own_indicators)``
        Their contributions to the aggregate (columns as ``columns``).
    weight_blocks : dict of str to ndarray of shape ``(n_units, n_own_indicators)``
        Their effective weights in the aggregate, renormalised over the values present
        (the additive part of the explanation; exact for weighted means).
    methods : dict of str to str
        Each aggregate's aggregation method.
    techniques : dict of str to str
        How each aggregate is explained (a key of :data:`TECHNIQUES`).
    errors : dict of str to ndarray
        For sampled nodes, the standard error of each child's value, ``(n_units, n_children)``.
    """

    results: Results
    time: int | None
    scores: dict[str, FloatArray]
    children: dict[str, FloatArray]
    child_ids: dict[str, tuple[str, ...]]
    log_children: dict[str, FloatArray]
    columns: dict[str, npt.NDArray[np.intp]]
    indicator_blocks: dict[str, FloatArray]
    weight_blocks: dict[str, FloatArray]
    methods: dict[str, str]
    techniques: dict[str, str]
    errors: dict[str, FloatArray]

    def _full(self, blocks: dict[str, FloatArray], node: str) -> FloatArray:
        out = np.zeros((len(self.results.units), len(self.results.indicator_ids)))
        out[:, self.columns[node]] = blocks[node]
        return out

    def indicators(self, node: str) -> FloatArray:
        """The indicators' contributions to ``node``, ``(n_units, n_indicators)``; 0 outside
        the node."""
        return self._full(self.indicator_blocks, node)

    def weights(self, node: str) -> FloatArray:
        """The indicators' effective weights in ``node``, ``(n_units, n_indicators)``."""
        return self._full(self.weight_blocks, node)

    def indicator_value(self, kind: str, node: str, unit: int, indicator: str) -> float | None:
        """One indicator's ``contribution`` or ``weight`` in ``node`` for one unit (None when
        the indicator is not below the node or the value is missing)."""
        ids = self.results.indicator_ids
        if node not in self.columns or indicator not in ids:
            return None
        where = np.flatnonzero(self.columns[node] == ids.index(indicator))
        if not where.size:
            return None
        table = self.indicator_blocks if kind == "contribution" else self.weight_blocks
        value = float(table[node][unit, where[0]])
        return None if np.isnan(value) else value

    @property
    def all_additive(self) -> bool:
        """Whether every node is a weighted mean (contributions are weight times value)."""
        return all(t == "additive" for t in self.techniques.values())


def _at_time(table: FloatArray, time: int | None) -> FloatArray:
    if table.ndim == 3:
        chosen: FloatArray = table[-1 if time is None else time]
        return chosen
    return table


def tree_contributions(
    results: Results, *, time: int | None = None, n_permutations: int = 2000, seed: int = 0
) -> TreeContributions:
    """Split every aggregate's score into its children's and its indicators' contributions.

    Parameters
    ----------
    results : Results
        A pipeline run (``cityeval.score``, or a masterplan scorecard's ``results``).
    time : int, optional
        For panel data, the index of the time point (the latest by default).
    n_permutations, seed : int
        For nodes with more than 12 children aggregated by other than a mean: how many
        random orders the sampled Shapley values average, and the seed (deterministic).
    """
    from cityeval.plugins import get_host

    compiled = results.compiled
    resolved = resolve_pipeline(results.pipeline, compiled, get_host().methods, "pipeline")
    agg_step = resolved.get(StepKind.AGGREGATE)
    assert agg_step is not None
    table = _at_time(results.scores, time)
    scores = {n: table[:, k] for k, n in enumerate(results.node_ids)}
    n_units = len(results.units)
    ind_index = {i: k for k, i in enumerate(results.indicator_ids)}
    # each node's own indicators (columns), their contributions and effective weights in it
    cols: dict[str, npt.NDArray[np.intp]] = {}
    block: dict[str, FloatArray] = {}
    wblock: dict[str, FloatArray] = {}
    for i, k in ind_index.items():
        cols[i] = np.array([k], dtype=np.intp)
        block[i] = scores[i][:, None]
        wblock[i] = np.ones((n_units, 1))
    children: dict[str, FloatArray] = {}
    child_ids: dict[str, tuple[str, ...]] = {}
    logs: dict[str, FloatArray] = {}
    methods: dict[str, str] = {}
    techniques: dict[str, str] = {}
    errors: dict[str, FloatArray] = {}
    for level in compiled.levels:
        for node, kids in zip(level.node_ids, level.child_ids, strict=True):
            choice = agg_step.choices[node]
            kwargs: dict[str, Any] = kernel_kwargs(choice, "aggregate")
            x = np.stack([scores[k] for k in kids], axis=-1)  # (u, c)
            w = np.asarray(results.weights[node], dtype=np.float64)
            technique = technique_for(choice.method, len(kids))
            methods[node], techniques[node] = choice.method, technique
            if technique == "additive":
                contrib = kernels.additive(x, w)
            elif technique == "log":
                used = x
                if kwargs.get("nonpositive") == "clip":
                    eps = float(kwargs.get("epsilon", 1e-6))
                    used = np.where(np.isnan(x), np.nan, np.maximum(x, eps))
                logs[node], contrib = kernels.log_shares(used, w, scores[node])
            else:

                def run(v: FloatArray, wt: FloatArray, _c: Any = choice, _k: Any = kwargs) -> Any:
                    return _c.implementation(v, wt, **_k)

                if technique == "shapley":
                    contrib = shapley.exact(run, x, w)
                else:
                    contrib, errors[node] = shapley.sampled(
                        run, x, w, n_permutations=n_permutations, seed=seed
                    )
            contrib = np.where(np.isnan(scores[node])[:, None], np.nan, contrib)
            children[node], child_ids[node] = contrib, kids
            cols[node] = np.concatenate([cols[k] for k in kids])
            block[node] = kernels.propagate(
                contrib, x, [block[k] for k in kids], [wblock[k] for k in kids]
            )
            wn = np.nan_to_num(kernels.used_weights(x, w))  # (u, c)
            wblock[node] = np.concatenate(
                [wn[:, j : j + 1] * wblock[k] for j, k in enumerate(kids)], axis=-1
            )
    return TreeContributions(
        results=results,
        time=time,
        scores=scores,
        children=children,
        child_ids=child_ids,
        log_children=logs,
        columns={n: cols[n] for n in compiled.aggregate_ids},
        indicator_blocks={n: block[n] for n in compiled.aggregate_ids},
        weight_blocks={n: wblock[n] for n in compiled.aggregate_ids},
        methods=methods,
        techniques=techniques,
        errors=errors,
    )

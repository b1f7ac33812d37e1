"""Optimised weights (COINr's ``get_opt_weights``): importance as correlation with the index.

For one level, the weights are searched so that the normalised correlations of that level's
nodes with the index, ``c_i / sum(c)``, match the intended importances ``t_i`` (equal, or
given; ``optype = "balance"``), by minimising ``log(mean((t - c / sum(c))^2))``; or so that
the correlations' sum is largest (``"infomax"``). Every evaluation re-aggregates the index
with the candidate weights ``w / sum(w)``. The search is R's Nelder-Mead
(:mod:`cityeval.audit.neldermead`) started from the importances (``balance``) or the weights
in use (``infomax``), with COINr's tolerance 0.1 and 500 evaluations, so that it stops where
COINr's does. Correlations are Pearson's by default, without significance filtering.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from attrs import frozen

from cityeval.audit.coefficients import Method, coefficient, column_ranks
from cityeval.audit.neldermead import nelder_mead
from cityeval.audit.reweight import rerun, used_weights, with_weights
from cityeval.audit.structure import stage_data, structure_of
from cityeval.audit.tables import Table
from cityeval.errors import CityevalError, ModelError, Problem
from cityeval.i18n import _

if TYPE_CHECKING:
    import pandas as pd

    from cityeval.engine import Results
    from cityeval.model import Pipeline, WeightSet

__all__ = ["OptimisedWeights", "optimise_weights"]


def _index_correlations(results: Results, nodes: tuple[str, ...], method: Method) -> list[float]:
    ids, values = stage_data(results, "aggregated")
    position = {c: k for k, c in enumerate(ids)}
    data = column_ranks(values) if method == "spearman" else values
    top = data[:, position[results.top_id]]
    return [coefficient(data[:, position[n]], top, method, ranked=True) for n in nodes]


@frozen
class OptimisedWeights:
    """The outcome of a weight optimisation at one level.

    Attributes
    ----------
    level : int
        The level optimised.
    nodes : tuple of str
        Its nodes, in framework order.
    target : tuple of float or None
        The importances sought, summing to one (None for ``infomax``).
    weights : tuple of float
        The optimised weights, summing to one over the level.
    correlations : tuple of float
        Each node's correlation with the index under the optimised weights.
    obtained : tuple of float
        The correlations normalised to sum to one (``infomax``: the correlations).
    initial_correlations : tuple of float
        The correlations under the weights of the run.
    converged : bool
        Whether the search met its tolerance (R's ``convergence == 0``).
    evaluations : int
        How many times the index was re-aggregated.
    trace : tuple of float
        The objective at every evaluation.
    pipeline : Pipeline
        The run's pipeline with the optimised weights, ready for :func:`cityeval.engine.score`.
    """

    level: int
    nodes: tuple[str, ...]
    target: tuple[float, ...] | None
    weights: tuple[float, ...]
    correlations: tuple[float, ...]
    obtained: tuple[float, ...]
    initial_correlations: tuple[float, ...]
    converged: bool
    evaluations: int
    trace: tuple[float, ...]
    pipeline: Pipeline

    def weight_set(self, name: str | None = None) -> WeightSet:
        """The optimised weights as a framework weight set (for ``weight_sets``)."""
        from cityeval.model import WeightSet

        return WeightSet(
            name=name or f"optimised-level-{self.level}",
            weights=dict(zip(self.nodes, self.weights, strict=True)),
            description=_(
                "Weights of level {level} optimised so that each node's correlation with the "
                "index matches its intended importance (COINr's get_opt_weights)"
            ).format(level=self.level),
        )

    def table(self) -> Table:
        """``optimised_weights``: a row per node with target, obtained and weight."""
        target = self.target or (None,) * len(self.nodes)
        rows = zip(
            self.nodes,
            target,
            self.obtained,
            self.correlations,
            self.initial_correlations,
            self.weights,
            strict=True,
        )
        return Table(
            "optimised_weights",
            ("node", "target", "obtained", "correlation", "initial_correlation", "weight"),
            [(n, *rest) for n, *rest in rows],
        )

    def to_frame(self) -> pd.DataFrame:
        """:meth:`table` as a pandas DataFrame."""
        return self.table().to_frame()


def optimise_weights(
    results: Results,
    level: int | str | None = None,
    importance: Mapping[str, float] | Literal["equal"] | None = "equal",
    *,
    optype: Literal["balance", "infomax"] = "balance",
    method: Method = "pearson",
    reltol: float = 0.1,
    maxit: int = 500,
) -> OptimisedWeights:
    """Weights for one level whose nodes' correlations with the index match their importance.

    Parameters
    ----------
    results : Results
        An aggregated run.
    level : int or str, optional
        COINr's level number or a level name; the level just below the index by default.
    importance : ``"equal"`` or mapping of node to float
        Relative importances of the level's nodes (``balance``); ignored by ``infomax``.
    optype : ``"balance"`` or ``"infomax"``
        Match the importances, or maximise the sum of correlations.
    method : ``"pearson"``, ``"spearman"`` or ``"kendall"``
        The correlation that measures importance.
    reltol, maxit : float, int
        The search's relative tolerance and evaluation limit (COINr's ``toler``, ``maxiter``).

    Returns
    -------
    OptimisedWeights

    Raises
    ------
    ModelError
        If the level is the index, the importances do not name the level's nodes, or are
        not positive.
    """
    structure = structure_of(results)
    number = structure.max_level - 1 if level is None else structure.level_number(level)
    if number >= structure.max_level:
        raise ModelError([Problem(("level",), _("the index itself has no weight to optimise"))])
    nodes = structure.nodes_at(number)
    target: np.ndarray | None = None
    if optype == "balance":
        if importance == "equal" or importance is None:
            raw = np.ones(len(nodes))
        else:
            unknown = sorted(set(importance) - set(nodes))
            missing = [n for n in nodes if n not in importance]
            bad = [k for k, v in importance.items() if not (math.isfinite(v) and v > 0)]
            if unknown or missing or bad:
                raise ModelError(
                    [
                        Problem(
                            ("importance",),
                            _(
                                "give a positive importance for each of {nodes} "
                                "(unknown: {unknown}; missing: {missing}; not positive: {bad})"
                            ).format(
                                nodes=", ".join(nodes),
                                unknown=", ".join(unknown) or "-",
                                missing=", ".join(missing) or "-",
                                bad=", ".join(bad) or "-",
                            ),
                        )
                    ]
                )
            raw = np.array([float(importance[n]) for n in nodes])
        target = raw / raw.sum()

    def weighted(w: np.ndarray) -> Results | None:
        try:
            return rerun(results, dict(zip(nodes, (w / w.sum()).tolist(), strict=True)))
        except CityevalError:
            return None

    def objective(w: np.ndarray) -> float:
        run = weighted(w)
        if run is None:
            return math.inf
        crs = np.array(_index_correlations(run, nodes, method))
        if target is None:
            return float(-crs.sum())
        return float(np.log(np.sum((target - crs / crs.sum()) ** 2) / len(crs)))

    initial = _index_correlations(results, nodes, method)
    if not all(math.isfinite(c) for c in initial) or (target is not None and sum(initial) == 0):
        raise ModelError(
            [
                Problem(
                    ("level",),
                    _(
                        "the weights of level {level} cannot be optimised: the correlations "
                        "of its nodes with the index are undefined (too few units, or a "
                        "constant score)"
                    ).format(level=number),
                )
            ]
        )
    start = target if target is not None else np.array([used_weights(results)[n] for n in nodes])
    try:
        found = nelder_mead(objective, np.asarray(start, dtype=float), reltol=reltol, maxit=maxit)
    except ValueError:
        raise ModelError(
            [Problem(("level",), _("the index cannot be scored with the starting weights"))]
        ) from None
    w = np.array(found.x)
    w = w / w.sum()
    final = weighted(w)
    if final is None:  # pragma: no cover - the search keeps the best point it could score
        raise ModelError([Problem(("level",), _("the optimised weights cannot be scored"))])
    crs = np.array(_index_correlations(final, nodes, method))
    changes: dict[str, Any] = dict(zip(nodes, w.tolist(), strict=True))
    return OptimisedWeights(
        level=number,
        nodes=nodes,
        target=None if target is None else tuple(float(t) for t in target),
        weights=tuple(float(v) for v in w),
        correlations=tuple(float(c) for c in crs),
        obtained=tuple(float(c) for c in (crs / crs.sum() if target is not None else crs)),
        initial_correlations=tuple(initial),
        converged=found.status == 0,
        evaluations=found.evaluations,
        trace=found.trace,
        pipeline=with_weights(results, changes),
    )

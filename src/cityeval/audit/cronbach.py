"""Cronbach's alpha of every aggregate's children (COINr's ``get_cronbach``).

``alpha = k^2 mean_{i != j}(C_ij) / sum_{i,j} C_ij`` over the children's covariance matrix
``C`` (R's ``cov(use = "pairwise.complete.obs")``), which equals
``k / (k - 1) (1 - sum_i C_ii / sum_{i,j} C_ij)`` (Cronbach 1951).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from cityeval.audit.coefficients import covariance_matrix
from cityeval.audit.structure import AGGREGATED, stage_data, structure_of
from cityeval.audit.tables import Table

if TYPE_CHECKING:
    from cityeval.engine import Results

__all__ = ["cronbach", "cronbach_alpha"]


def cronbach_alpha(values: npt.NDArray[np.float64]) -> float:
    """Cronbach's alpha of the columns of ``values``, shape ``(n_units, k)``, NaN missing.

    NaN with fewer than two columns or a zero total covariance.
    """
    k = values.shape[1]
    if k < 2:
        return float("nan")
    cov = covariance_matrix(values)
    total = float(np.nansum(cov))
    if total == 0.0:
        return float("nan")
    off = (total - float(np.nansum(np.diag(cov)))) / (k * (k - 1))
    return float(k * k * off / total)


def cronbach(results: Results, stage: str = AGGREGATED) -> Table:
    """Cronbach's alpha of the children of every aggregate whose children are in ``stage``.

    Parameters
    ----------
    results : Results
    stage : str
        ``aggregated`` (every aggregate) or an indicator stage (the aggregates directly
        above the indicators, on that stage's values).

    Returns
    -------
    Table
        ``cronbach``: ``stage``, ``node``, ``level``, ``k`` (children), ``n_complete``
        (units with every child), ``alpha``.
    """
    structure = structure_of(results)
    ids, values = stage_data(results, stage)
    position = {c: k for k, c in enumerate(ids)}
    rows = []
    for node, kids in structure.children.items():
        if not all(k in position for k in kids):
            continue
        block = values[:, [position[k] for k in kids]]
        complete = int(np.sum(~np.isnan(block).any(axis=1)))
        rows.append(
            (stage, node, structure.levels[node], len(kids), complete, cronbach_alpha(block))
        )
    return Table("cronbach", ("stage", "node", "level", "k", "n_complete", "alpha"), rows)

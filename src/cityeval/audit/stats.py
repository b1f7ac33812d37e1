"""Indicator statistics (COINr's ``get_stats``): a row per node and stage, with its flags.

Flags follow ``get_stats``' rules and default thresholds: availability below ``t_avail``
(0.65), a share of non-zero values below ``t_zero`` (0.5) and of unique values below
``t_unq`` (0.5), both of *all* units as COINr divides them, and ``|skew| > t_skew`` (2) with
``kurt > t_kurt`` (3.5) for possible outliers. COINr 1.x has no collinearity column in
``get_stats``; ``flag_collinear`` applies ``get_corr_flags``' rule (Pearson correlation above
``t_collinear``, 0.9, with a node of the same group) to the node and its siblings.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from attrs import frozen

from cityeval.audit.coefficients import correlation_matrix
from cityeval.audit.moments import column_stats
from cityeval.audit.structure import Structure, stage_data, stage_names, structure_of
from cityeval.audit.tables import Table

if TYPE_CHECKING:
    from cityeval.engine import Results

__all__ = ["STATS_COLUMNS", "StatsThresholds", "indicator_stats"]

STATS_COLUMNS = (
    "node",
    "level",
    "stage",
    "n",
    "n_avail",
    "availability",
    "min",
    "max",
    "mean",
    "median",
    "sd",
    "skew",
    "kurt",
    "n_nonzero",
    "n_zero",
    "share_zero",
    "n_unique",
    "frc_unique",
    "n_same",
    "frc_same",
    "n_collinear",
    "flag_avail",
    "flag_nonzero",
    "flag_unique",
    "flag_skewkurt",
    "flag_collinear",
)


@frozen
class StatsThresholds:
    """The thresholds of the statistics' flags (COINr's ``get_stats`` defaults)."""

    t_skew: float = 2.0
    t_kurt: float = 3.5
    t_avail: float = 0.65
    t_zero: float = 0.5
    t_unq: float = 0.5
    t_collinear: float = 0.9


def _collinear_counts(
    structure: Structure, ids: tuple[str, ...], corr: npt.NDArray[np.float64], threshold: float
) -> list[int]:
    """For each column, how many of its siblings it correlates with above ``threshold``."""
    position = {c: k for k, c in enumerate(ids)}
    counts = []
    for node in ids:
        parent = structure.parent.get(node)
        kids = structure.children.get(parent, ()) if parent is not None else ()
        siblings = [position[s] for s in kids if s != node and s in position]
        r = np.nan_to_num(corr[position[node], siblings], nan=-2.0)
        counts.append(int(np.sum(r > threshold)))
    return counts


def indicator_stats(
    results: Results,
    stages: Iterable[str] | None = None,
    thresholds: StatsThresholds | None = None,
) -> Table:
    """Statistics of every indicator and aggregate at every stage of a run.

    Parameters
    ----------
    results : Results
        A run of the engine.
    stages : iterable of str, optional
        Which stages; every stage the run keeps, then ``aggregated`` (the normalised
        indicators with every aggregate), by default.
    thresholds : StatsThresholds, optional
        The flags' thresholds; COINr's defaults.

    Returns
    -------
    Table
        ``stats``: columns :data:`STATS_COLUMNS`, a row per node and stage. Flags are
        ``"ok"``, ``"LOW"``, ``"OUT"`` or ``"COL"`` (collinear), None where undefined.
    """
    t = thresholds or StatsThresholds()
    structure = structure_of(results)
    rows = []
    for stage in stages if stages is not None else stage_names(results):
        ids, values = stage_data(results, stage)
        s = column_stats(values)
        corr = correlation_matrix(values, "pearson")
        collinear = _collinear_counts(structure, ids, corr, t.t_collinear)
        n = s.n
        for j, node in enumerate(ids):
            avail = int(s.n_avail[j])
            frc = avail / n if n else float("nan")
            sk, kt = float(s.skew[j]), float(s.kurt[j])
            if np.isnan(sk) or np.isnan(kt):
                skewkurt = None
            else:
                skewkurt = "OUT" if abs(sk) > t.t_skew and kt > t.t_kurt else "ok"
            rows.append(
                (
                    node,
                    structure.levels[node],
                    stage,
                    n,
                    avail,
                    frc,
                    s.minimum[j],
                    s.maximum[j],
                    s.mean[j],
                    s.median[j],
                    s.sd[j],
                    sk,
                    kt,
                    int(s.n_nonzero[j]),
                    avail - int(s.n_nonzero[j]),
                    (avail - int(s.n_nonzero[j])) / avail if avail else None,
                    int(s.n_unique[j]),
                    int(s.n_unique[j]) / avail if avail else None,
                    int(s.n_same[j]),
                    int(s.n_same[j]) / avail if avail else None,
                    collinear[j],
                    "ok" if frc >= t.t_avail else "LOW",
                    "ok" if s.n_nonzero[j] / n >= t.t_zero else "LOW",
                    "ok" if s.n_unique[j] / n >= t.t_unq else "LOW",
                    skewkurt,
                    "COL" if collinear[j] else "ok",
                )
            )
    return Table("stats", STATS_COLUMNS, rows)

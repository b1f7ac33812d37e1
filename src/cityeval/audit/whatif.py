"""What-if comparisons (COINr's ``compare_coins`` and ``remove_elements``).

Two runs side by side, unit by unit: each one's rank on a node (the index by default), the
change and its absolute value, and the mean absolute rank shift over the units ranked in
both. Removing an element is COINr's way: its weight is set to zero and the index
re-aggregated, one element of a level at a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from attrs import frozen

from cityeval.audit.reweight import rerun
from cityeval.audit.structure import structure_of
from cityeval.audit.tables import Table
from cityeval.errors import ModelError, Problem
from cityeval.i18n import _

if TYPE_CHECKING:
    import pandas as pd

    from cityeval.engine import Results

__all__ = ["COMPARISON_COLUMNS", "Comparison", "compare", "remove_elements"]

COMPARISON_COLUMNS = (
    "scenario",
    "removed",
    "node",
    "unit",
    "score_base",
    "score",
    "rank_base",
    "rank",
    "rank_change",
    "abs_rank_change",
)


def _latest(a: np.ndarray) -> np.ndarray:
    out: np.ndarray = a[-1] if a.ndim == 2 else a
    return out


@frozen
class Comparison:
    """Ranks of two runs side by side.

    Attributes
    ----------
    table : Table
        ``what_if``: columns :data:`COMPARISON_COLUMNS`, a row per unit (per scenario).
    """

    table: Table

    def mean_abs_rank_shift(self, scenario: str | None = None) -> float:
        """The mean absolute rank change over the units ranked in both runs (of a scenario)."""
        shifts = [
            r["abs_rank_change"]
            for r in self.table
            if r["abs_rank_change"] is not None and (scenario is None or r["scenario"] == scenario)
        ]
        return float(np.mean(shifts)) if shifts else float("nan")

    def summary(self) -> Table:
        """``what_if_summary``: per scenario, the mean and largest absolute rank shift."""
        scenarios = list(dict.fromkeys(self.table.column("scenario")))
        rows = []
        for s in scenarios:
            shifts = [
                r["abs_rank_change"]
                for r in self.table.where(scenario=s)
                if r["abs_rank_change"] is not None
            ]
            removed = self.table.where(scenario=s)[0]["removed"]
            rows.append(
                (
                    s,
                    removed,
                    float(np.mean(shifts)) if shifts else None,
                    max(shifts) if shifts else None,
                )
            )
        return Table(
            "what_if_summary",
            ("scenario", "removed", "mean_abs_rank_shift", "max_abs_rank_shift"),
            rows,
        )

    def to_frame(self) -> pd.DataFrame:
        """The table as a pandas DataFrame."""
        return self.table.to_frame()


def _rows(
    base: Results, other: Results, node: str, scenario: str, removed: str | None
) -> list[tuple[object, ...]]:
    if node not in base.aggregate_ids or node not in other.aggregate_ids:
        raise ModelError(
            [Problem(("node",), _("{node!r} is not an aggregate of both runs").format(node=node))]
        )
    units_b = {u: k for k, u in enumerate(other.units)}
    sa, ra = _latest(base.score(node)), _latest(base.rank(node))
    sb, rb = _latest(other.score(node)), _latest(other.rank(node))
    rows: list[tuple[object, ...]] = []
    for u, unit in enumerate(base.units):
        k = units_b.get(unit)
        score_b = float(sb[k]) if k is not None else float("nan")
        rank_b = float(rb[k]) if k is not None else float("nan")
        change = rank_b - float(ra[u])
        rows.append(
            (
                scenario,
                removed,
                node,
                unit,
                float(sa[u]),
                score_b,
                float(ra[u]),
                rank_b,
                change,
                abs(change),
            )
        )
    return rows


def compare(
    base: Results, other: Results, node: str | None = None, scenario: str = "comparison"
) -> Comparison:
    """Two runs side by side (``compare_coins`` by ranks): ranks, changes, mean shift.

    Parameters
    ----------
    base, other : Results
        Runs over the same units (units missing from ``other`` get empty cells).
    node : str, optional
        The aggregate compared; the index of ``base`` by default.
    scenario : str
        The name the rows carry.

    Returns
    -------
    Comparison
        ``rank_change`` is the rank in ``other`` less the rank in ``base`` (positive: worse).
    """
    target = node or base.top_id
    table = Table("what_if", COMPARISON_COLUMNS, _rows(base, other, target, scenario, None))
    return Comparison(table)


def remove_elements(results: Results, level: int | str = 1, node: str | None = None) -> Comparison:
    """The effect on every unit's rank of removing each element of one level in turn.

    Parameters
    ----------
    results : Results
        The nominal run.
    level : int or str
        COINr's level number (1 = indicators) or a level name; not the index.
    node : str, optional
        The aggregate whose ranks are compared; the index by default.

    Returns
    -------
    Comparison
        A scenario ``remove:<element>`` per element, each re-aggregated with that element's
        weight set to zero (COINr's ``remove_elements``).
    """
    structure = structure_of(results)
    number = structure.level_number(level)
    if number >= structure.max_level:
        raise ModelError([Problem(("level",), _("the index itself cannot be removed"))])
    target = node or results.top_id
    rows: list[tuple[object, ...]] = []
    for element in structure.nodes_at(number):
        parent = structure.parent[element]
        if len(structure.children[parent]) < 2:
            continue  # removing the only child would leave its parent without weight
        other = rerun(results, {element: 0.0})
        rows.extend(_rows(results, other, target, f"remove:{element}", element))
    return Comparison(Table("what_if", COMPARISON_COLUMNS, rows))

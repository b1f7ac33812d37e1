"""Rank regencies overall and per dimension, by group, and say what sets the leaders apart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from attrs import define, frozen

from cityeval.compare.table import ScoreTable
from cityeval.errors import InputError, Problem
from cityeval.i18n import _
from cityeval.methods.ranking import rank_descending

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Comparison", "Leader", "compare", "group_medians"]

FloatArray = npt.NDArray[np.float64]


def group_medians(values: FloatArray, codes: npt.NDArray[np.int64]) -> FloatArray:
    """Each unit's group median of every column, ignoring missing values.

    Signature ``(u, p), (u,) -> (u, p)``; ``codes`` numbers each unit's group.
    """
    out = np.full(values.shape, np.nan)
    for g in np.unique(codes):  # a loop over groups (a handful), not over units
        rows = codes == g
        block = values[rows]
        with np.errstate(all="ignore"):
            med = np.full(block.shape[1], np.nan)
            seen = ~np.isnan(block).all(axis=0)
            if seen.any():
                med[seen] = np.nanmedian(block[:, seen], axis=0)
        out[rows] = med
    return out


def group_ranks(scores: FloatArray, codes: npt.NDArray[np.int64]) -> FloatArray:
    """Ranks within each group, ``(u, n), (u,) -> (u, n)``; 1 = best in its group."""
    out = np.full(scores.shape, np.nan)
    for g in np.unique(codes):
        rows = codes == g
        out[rows] = rank_descending(scores[rows].T).T
    return out


@frozen
class Leader:
    """A leading regency at one node and the parts where it is furthest above its group."""

    node: str
    unit: str
    name: str
    group: str
    score: float
    rank: int
    parts: tuple[tuple[str, str, float, float], ...]
    """``(id, label, the leader's value, the group median)``, largest gap first."""
    kind: str
    """``contribution`` or ``score``: what the parts' values are."""


@define(frozen=True, eq=False)
class Comparison:
    """The regencies ranked, overall and per dimension, with groups and leaders.

    Attributes
    ----------
    table : ScoreTable
    ranks : ndarray of shape ``(n_units, n_nodes)``
        1 = best across every regency.
    group_by : str or None
        The group column used.
    group_ranks : ndarray of shape ``(n_units, n_nodes)``
        Ranks within each regency's group (the same as ``ranks`` without a group column).
    leaders : tuple of Leader
        The top regencies of each node (each group's, with a group column).
    """

    table: ScoreTable
    ranks: FloatArray
    group_by: str | None
    group_ranks: FloatArray
    leaders: tuple[Leader, ...]

    def group_of(self, u: int) -> str:
        """The group of unit ``u`` (empty without a group column)."""
        if self.group_by is None:
            return ""
        return self.table.groups[self.group_by][u]

    def rows(self) -> list[dict[str, Any]]:
        """One row per regency and node: score, rank, group rank and rank interval."""
        t = self.table
        out = []
        for j, node in enumerate(t.node_ids):
            order = np.argsort(
                np.where(np.isnan(self.ranks[:, j]), np.inf, self.ranks[:, j]), kind="stable"
            )
            for u in order:
                row: dict[str, Any] = {
                    "node": node,
                    "node_label": t.node_labels[j],
                    "unit": t.units[u],
                    "name": t.names[u],
                    "group": self.group_of(int(u)),
                    "score": _num(t.scores[u, j]),
                    "rank": _num(self.ranks[u, j]),
                    "group_rank": _num(self.group_ranks[u, j]),
                }
                if t.rank_intervals is not None:
                    row["rank_low"] = _num(t.rank_intervals["low"][u, j])
                    row["rank_high"] = _num(t.rank_intervals["high"][u, j])
                out.append(row)
        return out

    def to_frame(self) -> pd.DataFrame:
        """:meth:`rows` as a pandas DataFrame (needs pandas)."""
        import pandas as pd

        return pd.DataFrame(self.rows())

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain data (JSON-compatible)."""
        t = self.table
        return {
            "framework": t.framework,
            "group_by": self.group_by,
            "nodes": [
                {"id": n, "label": lab} for n, lab in zip(t.node_ids, t.node_labels, strict=True)
            ],
            "rows": self.rows(),
            "leaders": [
                {
                    "node": ld.node,
                    "unit": ld.unit,
                    "name": ld.name,
                    "group": ld.group,
                    "score": ld.score,
                    "rank": ld.rank,
                    "kind": ld.kind,
                    "parts": [
                        {"id": i, "label": lab, "value": v, "group_median": m}
                        for i, lab, v, m in ld.parts
                    ],
                }
                for ld in self.leaders
            ],
            "sources": list(t.sources),
            "notes": list(t.notes),
        }


def _num(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def compare(
    table: ScoreTable, *, group_by: str | None = None, leaders: int = 1, parts: int = 3
) -> Comparison:
    """Rank every regency overall and per dimension, and find what sets the leaders apart.

    Parameters
    ----------
    table : ScoreTable
    group_by : str, optional
        A group column of the table (``province``, ``kind``, ...): ranks within each group
        and each group's leaders against their group's median.
    leaders : int
        How many leading regencies to describe per node (and group).
    parts : int
        How many parts (indicators, dimensions or elements) to name per leader.

    Raises
    ------
    InputError
        If ``group_by`` is not a group column of the table.
    """
    if group_by is not None and group_by not in table.groups:
        raise InputError(
            "--group",
            [
                Problem(
                    (),
                    _("{column!r} is not a group column (columns: {columns})").format(
                        column=group_by, columns=", ".join(table.groups) or _("none")
                    ),
                )
            ],
        )
    ranks = rank_descending(table.scores.T).T
    labels = table.groups[group_by] if group_by is not None else ("",) * len(table.units)
    names = sorted(set(labels))
    codes = np.array([names.index(g) for g in labels], dtype=np.int64)
    within = group_ranks(table.scores, codes)
    found: list[Leader] = []
    for j, node in enumerate(table.node_ids):
        node_parts = table.parts.get(node)
        medians = None if node_parts is None else group_medians(node_parts.values, codes)
        for u in np.argsort(np.where(np.isnan(within[:, j]), np.inf, within[:, j]), kind="stable"):
            if np.isnan(within[u, j]) or within[u, j] > leaders:
                continue
            described: tuple[tuple[str, str, float, float], ...] = ()
            if node_parts is not None and medians is not None and node_parts.ids:
                gap = node_parts.values[u] - medians[u]
                order = np.argsort(np.where(np.isnan(gap), -np.inf, -gap), kind="stable")[:parts]
                described = tuple(
                    (
                        node_parts.ids[k],
                        node_parts.labels[k],
                        float(node_parts.values[u, k]),
                        float(medians[u, k]),
                    )
                    for k in order
                    if not np.isnan(gap[k])
                )
            found.append(
                Leader(
                    node=node,
                    unit=table.units[u],
                    name=table.names[u],
                    group=labels[u],
                    score=float(table.scores[u, j]),
                    rank=int(ranks[u, j]),
                    parts=described,
                    kind="" if node_parts is None else node_parts.kind,
                )
            )
    return Comparison(table, ranks, group_by, within, tuple(found))

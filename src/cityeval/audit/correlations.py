"""Correlations within and across levels (COINr's ``get_corr`` and ``get_corr_flags``).

Each node is correlated with its parent, every ancestor up to the index, and each of its
siblings (the members of the same group), by Pearson, Spearman or Kendall, with R's
pairwise-complete coefficients (:mod:`cityeval.audit.coefficients`) and ``cor.test``
p-values (:mod:`cityeval.audit.pvalues`). COINr blanks a correlation whose p-value exceeds
``pval`` (0.05); here it stays, with ``significant`` false.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

from cityeval.audit.coefficients import METHODS, Method, coefficient, column_ranks
from cityeval.audit.pvalues import p_value
from cityeval.audit.structure import AGGREGATED, Structure, stage_data, structure_of
from cityeval.audit.tables import Table
from cityeval.errors import ModelError, Problem
from cityeval.i18n import _

if TYPE_CHECKING:
    from cityeval.engine import Results

__all__ = ["CORRELATION_COLUMNS", "correlation_flags", "correlations", "pairs"]

CORRELATION_COLUMNS = (
    "stage",
    "method",
    "node",
    "other",
    "relation",
    "group",
    "level",
    "other_level",
    "n",
    "r",
    "p_value",
    "significant",
)


def _check_methods(methods: Iterable[str]) -> tuple[Method, ...]:
    chosen = tuple(methods)
    bad = [m for m in chosen if m not in METHODS]
    if bad or not chosen:
        raise ModelError(
            [
                Problem(
                    ("methods",),
                    _(
                        "unknown correlation method {method!r}: use pearson, spearman or kendall"
                    ).format(method=bad[0] if bad else ""),
                )
            ]
        )
    return chosen  # type: ignore[return-value]


def pairs(structure: Structure, ids: tuple[str, ...]) -> list[tuple[str, str, str, str]]:
    """The pairs the audit correlates: ``(node, other, relation, group)``.

    ``relation`` is ``parent``, ``ancestor`` (a grandparent or higher, but not the index),
    ``index`` or ``sibling``; ``group`` is the parent the siblings share, or the other node.
    Only nodes in ``ids`` (a stage's columns) take part; each sibling pair appears once.
    """
    present = set(ids)
    out: list[tuple[str, str, str, str]] = []
    for node in ids:
        parent = structure.parent.get(node)
        current = parent
        while current is not None:
            if current in present:
                relation = (
                    "parent"
                    if current == parent
                    else ("index" if current == structure.top else "ancestor")
                )
                out.append((node, current, relation, current))
            current = structure.parent.get(current)
    for group, kids in structure.children.items():
        members = [k for k in kids if k in present]
        for i, a in enumerate(members):
            out.extend((a, b, "sibling", group) for b in members[i + 1 :])
    return out


def correlations(
    results: Results,
    stage: str = AGGREGATED,
    methods: Iterable[str] = ("pearson",),
    pval: float = 0.05,
) -> Table:
    """Correlations of every node with its parent, ancestors and siblings, with p-values.

    Parameters
    ----------
    results : Results
    stage : str
        ``aggregated`` (default: normalised indicators and aggregates, so that nodes meet
        their parents) or an indicator stage (siblings among indicators only).
    methods : iterable of str
        Any of ``pearson``, ``spearman``, ``kendall``.
    pval : float
        The significance level of ``significant`` (p-value at most ``pval``).

    Returns
    -------
    Table
        ``correlations``: columns :data:`CORRELATION_COLUMNS`; ``n`` is the number of units
        with both values.
    """
    chosen = _check_methods(methods)
    structure = structure_of(results)
    ids, values = stage_data(results, stage)
    position = {c: k for k, c in enumerate(ids)}
    ranks = column_ranks(values)
    present = ~np.isnan(values)
    rows = []
    todo = pairs(structure, ids)
    for method in chosen:
        data = ranks if method == "spearman" else values
        for node, other, relation, group in todo:
            i, j = position[node], position[other]
            r = coefficient(data[:, i], data[:, j], method, ranked=True)
            p = p_value(values[:, i], values[:, j], method)
            rows.append(
                (
                    stage,
                    method,
                    node,
                    other,
                    relation,
                    group,
                    structure.levels[node],
                    structure.levels[other],
                    int(np.sum(present[:, i] & present[:, j])),
                    r,
                    p,
                    None if np.isnan(p) else bool(p <= pval),
                )
            )
    return Table("correlations", CORRELATION_COLUMNS, rows)


def correlation_flags(
    table: Table, collinear: float = 0.9, negative: float = 0.0, method: str | None = None
) -> Table:
    """Sibling pairs correlated above ``collinear`` or below ``negative`` (``get_corr_flags``).

    Parameters
    ----------
    table : Table
        A :func:`correlations` table.
    collinear : float
        COINr's ``cor_thresh`` with ``thresh_type = "high"`` (default 0.9): a possible
        double count.
    negative : float
        Flag sibling pairs correlated below this (``thresh_type = "low"``); 0 flags every
        negative correlation within a group, which works against the group's aggregate.
    method : str, optional
        Only this method's correlations; every method in the table by default.

    Returns
    -------
    Table
        ``correlation_flags``: ``stage``, ``method``, ``group``, ``node``, ``other``, ``r``,
        ``flag`` (``collinear`` or ``negative``).
    """
    rows = []
    for r in table.records():
        if r["relation"] != "sibling" or r["r"] is None:
            continue
        if method is not None and r["method"] != method:
            continue
        if r["r"] > collinear:
            flag = "collinear"
        elif r["r"] < negative:
            flag = "negative"
        else:
            continue
        rows.append((r["stage"], r["method"], r["group"], r["node"], r["other"], r["r"], flag))
    return Table(
        "correlation_flags", ("stage", "method", "group", "node", "other", "r", "flag"), rows
    )

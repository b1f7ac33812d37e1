"""Re-aggregate scores of one framework under another's structure, through a crosswalk.

Each target node linked by the crosswalk gets the weighted mean of its linked source scores
(links whose source has no score for a unit are left out for that unit). A target dimension
without links of its own gets the weighted mean of its children's scores, with the target
framework's own sibling weights; the overall index likewise. Scores keep the source's scale:
re-aggregating 0-100 progress scores gives 0-100 scores.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from attrs import frozen

from cityeval.crosswalk.model import Crosswalk
from cityeval.errors import InputError, Problem
from cityeval.model import Dimension, Framework

if TYPE_CHECKING:
    from cityeval.engine.results import Results

__all__ = ["CrosswalkResult", "Scores", "reaggregate", "scores_from_json", "scores_from_results"]

#: Scores as plain data: node id to unit to score (None or NaN where missing).
Scores = Mapping[str, Mapping[str, float | None]]


def _num(value: Any) -> float:
    if value is None:
        return math.nan
    return float(value)


@frozen(eq=False)
class CrosswalkResult:
    """Scores of the target framework's nodes, and what the crosswalk left out.

    Attributes
    ----------
    crosswalk : Crosswalk
        The crosswalk applied.
    target : Framework
        The framework the scores are arranged under.
    units : tuple of str
        Unit codes.
    scores : dict of str to tuple of float
        Target node id (and :attr:`index_id`) to one score per unit, NaN where missing.
    index_id : str
        The overall index: the single top node, or the target framework's id.
    unmapped_sources : tuple of str
        Scored source nodes that no link covers (neither they, an ancestor nor a descendant).
    unmapped_targets : tuple of str
        Target nodes that no link reaches (neither they nor a descendant).
    unscored_links : tuple of str
        Link sources that have no score in the input at all.
    """

    crosswalk: Crosswalk
    target: Framework
    units: tuple[str, ...]
    scores: dict[str, tuple[float, ...]]
    index_id: str
    unmapped_sources: tuple[str, ...]
    unmapped_targets: tuple[str, ...]
    unscored_links: tuple[str, ...]

    def score(self, node_id: str) -> dict[str, float | None]:
        """One node's score per unit (None where missing)."""
        return {
            u: None if math.isnan(v) else v
            for u, v in zip(self.units, self.scores[node_id], strict=True)
        }

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain, JSON-compatible data."""
        return {
            "crosswalk": self.crosswalk.id,
            "source": self.crosswalk.source,
            "target": self.target.id,
            "index": self.index_id,
            "units": list(self.units),
            "scores": {node: self.score(node) for node in self.scores},
            "unmapped_sources": list(self.unmapped_sources),
            "unmapped_targets": list(self.unmapped_targets),
            "unscored_links": list(self.unscored_links),
        }


def scores_from_results(results: Results) -> dict[str, dict[str, float | None]]:
    """Every node's score per unit from engine results (the latest time point of a panel)."""
    out: dict[str, dict[str, float | None]] = {}
    for node in results.node_ids:
        values = results.score(node)
        if values.ndim > 1:
            values = values[-1]
        out[node] = {
            u: None if math.isnan(float(v)) else float(v)
            for u, v in zip(results.units, values, strict=True)
        }
    return out


def scores_from_json(data: Mapping[str, Any]) -> dict[str, dict[str, float | None]]:
    """Every node's score per unit from a ``results.json`` document (latest time point), in
    either format: :func:`cityeval.engine.export.latest_scores`."""
    from cityeval.engine.export import latest_scores

    return latest_scores(data)


def _covered(fw: Framework | None, node: str, linked: set[str]) -> bool:
    if node in linked:
        return True
    if fw is None or node not in fw:
        return False
    if any(a in linked for a in fw.ancestors(node)):
        return True
    stack = list(fw.children(node))
    while stack:
        child = stack.pop()
        if child.id in linked:
            return True
        if isinstance(child, Dimension):
            stack.extend(child.members)
    return False


def reaggregate(
    results: Results | Scores,
    crosswalk: Crosswalk,
    target_framework: Framework,
    *,
    source: str | None = None,
) -> CrosswalkResult:
    """Arrange scores of a source framework under ``target_framework`` through ``crosswalk``.

    Parameters
    ----------
    results : Results or mapping
        Engine results (any framework whose node ids the crosswalk's sources name, such as a
        masterplan scored on the Gerakan 100 tree), or plain scores ``{node: {unit: score}}``
        such as :func:`scores_from_json` reads from ``results.json``.
    crosswalk : Crosswalk
        The mapping; its ``target`` must be ``target_framework``.
    target_framework : Framework
        The framework to arrange the scores under (a template is fine).
    source : str, optional
        Name used in error messages; the crosswalk's id by default.

    Returns
    -------
    CrosswalkResult
        Target scores, and the source and target nodes the crosswalk does not connect.

    Raises
    ------
    InputError
        If the crosswalk names the wrong target framework or target nodes it does not have.
    """
    where = source or crosswalk.id
    problems: list[Problem] = []
    if target_framework.id != crosswalk.target:
        problems.append(
            Problem(
                ("target",),
                f"crosswalk is onto {crosswalk.target!r}, not {target_framework.id!r}",
            )
        )
    for i, link in enumerate(crosswalk.mappings):
        problems.extend(
            Problem(
                ("mappings", i, "targets", k),
                f"framework {target_framework.id!r} has no node {node!r}",
            )
            for k, node in enumerate(link.targets)
            if node not in target_framework
        )
    if problems:
        raise InputError(where, problems)

    source_fw: Framework | None = None
    skip: set[str] = set()
    if isinstance(results, Mapping):
        given: Scores = results
    else:
        given = scores_from_results(results)
        source_fw = results.compiled.framework
        skip.add(results.top_id)
    units = tuple(dict.fromkeys(u for per_unit in given.values() for u in per_unit))

    def source_values(node: str) -> list[float]:
        per_unit = given[node]
        return [_num(per_unit.get(u)) for u in units]

    scores: dict[str, list[float]] = {}
    for node in target_framework.walk():
        links = crosswalk.sources_of(node.id)
        usable = [lk for lk in links if lk.source in given]
        if not usable:
            continue
        values = [source_values(lk.source) for lk in usable]
        scores[node.id] = _weighted_means(values, [lk.weight for lk in usable], len(units))

    # Unlinked dimensions: weighted means of their children, deepest first.
    for dim in reversed(target_framework.aggregates()):
        if dim.id in scores:
            continue
        children = [m for m in dim.members if m.id in scores]
        if children:
            scores[dim.id] = _weighted_means(
                [scores[c.id] for c in children], [c.weight for c in children], len(units)
            )
    tops = target_framework.dimensions
    if len(tops) == 1:
        index_id = tops[0].id
    else:
        index_id = target_framework.id
        present = [d for d in tops if d.id in scores]
        if present:
            scores[index_id] = _weighted_means(
                [scores[d.id] for d in present], [d.weight for d in present], len(units)
            )

    linked = {lk.source for lk in crosswalk.mappings}
    unmapped_sources = tuple(
        node for node in given if node not in skip and not _covered(source_fw, node, linked)
    )
    unmapped_targets = tuple(n.id for n in target_framework.walk() if n.id not in scores)
    unscored = tuple(lk.source for lk in crosswalk.mappings if lk.source not in given)
    ordered = {n.id: tuple(scores[n.id]) for n in target_framework.walk() if n.id in scores}
    if index_id in scores and index_id not in ordered:
        ordered = {index_id: tuple(scores[index_id]), **ordered}
    return CrosswalkResult(
        crosswalk=crosswalk,
        target=target_framework,
        units=units,
        scores=ordered,
        index_id=index_id,
        unmapped_sources=unmapped_sources,
        unmapped_targets=unmapped_targets,
        unscored_links=unscored,
    )


def _weighted_means(values: list[list[float]], weights: list[float], n: int) -> list[float]:
    out = []
    for u in range(n):
        pairs = [(v[u], w) for v, w in zip(values, weights, strict=True) if not math.isnan(v[u])]
        total = sum(w for _, w in pairs)
        out.append(sum(v * w for v, w in pairs) / total if pairs and total > 0 else math.nan)
    return out

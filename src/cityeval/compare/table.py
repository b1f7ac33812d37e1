"""Several regencies' results for one framework, as one table: scores, parts and groups.

A :class:`ScoreTable` is what :func:`cityeval.compare.compare` ranks. It is built from a
pipeline run with a unit per regency (:func:`from_results`, with the indicators'
contributions), from ``scorecard.json`` files written by ``cityeval evaluate``
(:func:`from_scorecards`), or from a scores file of published results (:func:`load_scores`).
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from attrs import define, field

from cityeval.errors import InputError, Problem
from cityeval.i18n import _

__all__ = ["NodeParts", "ScoreTable", "from_results", "from_scorecards", "load_scores"]

FloatArray = npt.NDArray[np.float64]


@define(frozen=True, eq=False)
class NodeParts:
    """What a node is made of, per unit: its parts' contributions (or scores).

    ``kind`` is ``contribution`` (they sum to the node's score) or ``score`` (the parts'
    own scores, when only those are known).
    """

    ids: tuple[str, ...]
    labels: tuple[str, ...]
    values: FloatArray  # (n_units, n_parts)
    kind: str


@define(frozen=True, eq=False)
class ScoreTable:
    """Every regency's score at the overall index and each dimension.

    Attributes
    ----------
    framework : str
        The framework's id (every regency's results must be for it).
    units, names : tuple of str
        Unit codes and display names.
    node_ids, node_labels : tuple of str
        The overall index first, then the dimensions.
    scores : ndarray of shape ``(n_units, n_nodes)``
    groups : dict of str to tuple of str
        Group columns (``province``, ``kind``, ...) with each unit's value.
    parts : dict of str to NodeParts
        For each node, what sets its units apart.
    sources : tuple of dict
        Where the figures come from (citation, url, grade, note).
    notes : tuple of str
        What the reader must know (for example that figures are illustrative).
    rank_intervals : dict of str to ndarray, optional
        ``low`` and ``high`` ranks of shape ``(n_units, n_nodes)`` from an uncertainty analysis.
    """

    framework: str
    units: tuple[str, ...]
    names: tuple[str, ...]
    node_ids: tuple[str, ...]
    node_labels: tuple[str, ...]
    scores: FloatArray
    groups: dict[str, tuple[str, ...]] = field(factory=dict)
    parts: dict[str, NodeParts] = field(factory=dict)
    sources: tuple[dict[str, Any], ...] = ()
    notes: tuple[str, ...] = ()
    rank_intervals: dict[str, FloatArray] | None = None
    decimals: int = 1
    """How many decimals scores are shown with (2 on a scale up to 10)."""


def from_results(
    results: Any,
    *,
    groups: dict[str, dict[str, str]] | None = None,
    lang: str = "en",
    rank_intervals: dict[str, FloatArray] | None = None,
) -> ScoreTable:
    """A table from a pipeline run with one unit per regency (panel data: the latest year).

    The parts of the overall index are its children's contributions; those of each
    dimension, the contributions of its indicators (from :mod:`cityeval.explain`).
    """
    from cityeval.explain.contributions import tree_contributions

    tc = tree_contributions(results)
    compiled = results.compiled
    top = results.top_id
    fw = compiled.framework
    dims = [d.id for d in fw.dimensions] if compiled.root_id is not None else []
    if not dims:  # a single top node: compare its children
        dims = list(tc.child_ids[top])
    nodes = (top, *[d for d in dims if d in results.aggregate_ids])
    scores = np.stack([tc.scores[n] for n in nodes], axis=1)
    labels = tuple(compiled.labels[n].text(lang) for n in nodes)
    parts: dict[str, NodeParts] = {}
    kids = tc.child_ids[top]
    parts[top] = NodeParts(
        kids,
        tuple(compiled.labels[k].text(lang) for k in kids),
        tc.children[top],
        "contribution",
    )
    for node in nodes[1:]:
        inside = [k for k, i in enumerate(results.indicator_ids) if _under(fw, i, node)]
        ids = tuple(results.indicator_ids[k] for k in inside)
        parts[node] = NodeParts(
            ids,
            tuple(compiled.labels[i].text(lang) for i in ids),
            tc.indicators(node)[:, inside],
            "contribution",
        )
    names = tuple(
        name or unit for name, unit in zip(results.dataset.names, results.units, strict=True)
    )
    group_cols: dict[str, tuple[str, ...]] = {}
    for column, by_unit in (groups or {}).items():
        group_cols[column] = tuple(by_unit.get(u, "") for u in results.units)
    return ScoreTable(
        framework=fw.id,
        units=results.units,
        names=tuple(names),
        node_ids=nodes,
        node_labels=labels,
        scores=scores,
        groups=group_cols,
        parts=parts,
        sources=tuple(
            {
                "citation": s.citation,
                "url": s.url,
                "grade": None if s.grade is None else s.grade.value,
                "note": s.note,
            }
            for s in fw.sources
        ),
        notes=(fw.note,) if fw.note else (),
        rank_intervals=rank_intervals,
    )


def _under(fw: Any, node: str, ancestor: str) -> bool:
    current: str | None = node
    while current is not None:
        if current == ancestor:
            return True
        current = fw.parent(current)
    return False


def _kind_of(title: str) -> str:
    low = title.lower()
    if low.startswith("kota"):
        return "kota"
    if low.startswith(("kabupaten", "kab.")):
        return "kabupaten"
    return ""


def from_scorecards(paths: list[Path]) -> ScoreTable:
    """A table from ``scorecard.json`` files of one framework (one per regency).

    The parts of the overall index are the dimensions' scores; those of a dimension, its
    elements' scores. Groups: ``province`` and ``kind`` (kabupaten or kota, from the name).

    Raises
    ------
    InputError
        If a file is not a scorecard, or the scorecards are of different frameworks.
    """
    from cityeval.io.documents import read_document

    cards: list[tuple[Path, dict[str, Any]]] = []
    problems: list[tuple[str, Problem]] = []
    for path in paths:
        data = read_document(path)
        if not isinstance(data, dict) or not {"masterplan", "overall", "nodes"} <= set(data):
            problems.append(
                (path.name, Problem((), _("not a scorecard.json written by `cityeval evaluate`")))
            )
            continue
        cards.append((path, data))
    if problems:
        raise InputError(problems[0][0], [p for _name, p in problems])
    if len(cards) < 2:
        raise InputError("compare", [Problem((), _("give at least two scorecards to compare"))])
    frameworks = {c["masterplan"]["framework"] for _path, c in cards}
    if len(frameworks) > 1:
        raise InputError(
            cards[1][0].name,
            [
                Problem(
                    ("masterplan", "framework"),
                    _(
                        "scorecards of different frameworks cannot be ranked together: {ids}"
                    ).format(ids=", ".join(sorted(frameworks))),
                )
            ],
        )
    first = cards[0][1]
    dims = [n for n in first["nodes"] if n["level"] == "dimension"]
    node_ids = ("overall", *[d["id"] for d in dims])
    labels = (first["overall"]["label"], *[d["label"] for d in dims])
    units, names, provinces, kinds = [], [], [], []
    scores = np.full((len(cards), len(node_ids)), np.nan)
    elements: dict[str, dict[str, str]] = {d["id"]: {} for d in dims}
    for u, (path, card) in enumerate(cards):
        mp = card["masterplan"]
        unit = mp["id"]
        if unit in units:
            raise InputError(
                path.name,
                [
                    Problem(
                        ("masterplan", "id"), _("regency {id!r} is given twice").format(id=unit)
                    )
                ],
            )
        units.append(unit)
        names.append(mp["regency"])
        provinces.append(mp.get("province") or "")
        kinds.append(_kind_of(mp["regency"]))
        scores[u, 0] = _score(card["overall"]["score"])
        by_id = {n["id"]: n for n in card["nodes"]}
        for k, d in enumerate(node_ids[1:], start=1):
            if d in by_id:
                scores[u, k] = _score(by_id[d]["score"])
        for n in card["nodes"]:
            if n["level"] == "element" and n["parent"] in elements:
                elements[n["parent"]][n["id"]] = n["label"]
    parts: dict[str, NodeParts] = {
        "overall": NodeParts(node_ids[1:], labels[1:], scores[:, 1:].copy(), "score")
    }
    for d, els in elements.items():
        ids = tuple(els)
        values = np.full((len(cards), len(ids)), np.nan)
        for u, (_path, card) in enumerate(cards):
            by_id = {n["id"]: n for n in card["nodes"]}
            for k, e in enumerate(ids):
                if e in by_id:
                    values[u, k] = _score(by_id[e]["score"])
        parts[d] = NodeParts(ids, tuple(els.values()), values, "score")
    sources = tuple(s for _path, c in cards for s in c["masterplan"].get("sources", []))
    notes = tuple(
        dict.fromkeys(c["masterplan"]["note"] for _path, c in cards if c["masterplan"].get("note"))
    )
    return ScoreTable(
        framework=next(iter(frameworks)),
        units=tuple(units),
        names=tuple(names),
        node_ids=node_ids,
        node_labels=labels,
        scores=scores,
        groups={"province": tuple(provinces), "kind": tuple(kinds)},
        parts=parts,
        sources=sources,
        notes=notes,
    )


def _score(value: Any) -> float:
    return float("nan") if value is None else float(value)


def load_scores(path: str | os.PathLike[str]) -> ScoreTable:
    """Read a scores file: published (or illustrative) results of several regencies.

    A YAML, JSON or TOML document::

        framework: gerakan100          # dimensions are checked against this framework
        scale: [0, 4]                  # every score must lie on it
        overall: {id: index, label: Indeks Pencapaian}
        note: what the reader must know
        sources: [{citation: ..., url: ..., grade: B}]
        regencies:
          - id: musi-banyuasin
            name: Kabupaten Musi Banyuasin
            groups: {province: Sumatera Selatan, kind: kabupaten}
            overall: 3.21
            overall_status: published    # or illustrative
            dimensions: {governance: 3.4, ...}
            dimensions_status: illustrative

    Raises
    ------
    InputError
        Naming the file and the field of every problem.
    """
    from cityeval.io.documents import read_document

    p = Path(path)
    data = read_document(p)
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InputError(
            p.name, [Problem((), _("expected a mapping with 'framework' and 'regencies'"))]
        )
    known = {"framework", "scale", "overall", "note", "sources", "regencies"}
    problems.extend(Problem((key,), _("unknown field")) for key in data if key not in known)
    fw_id = data.get("framework")
    if not isinstance(fw_id, str):
        problems.append(Problem(("framework",), _("expected a framework id")))
        fw_id = ""
    dims: list[str] = []
    labels: dict[str, str] = {}
    if fw_id:
        from cityeval import get_framework

        try:
            fw = get_framework(fw_id)
        except Exception:  # reported as the file's problem
            problems.append(
                Problem(("framework",), _("no framework {id!r} is installed").format(id=fw_id))
            )
        else:
            dims = [d.id for d in fw.dimensions]
            labels = {d.id: d.label.text("en") for d in fw.dimensions}
    scale = data.get("scale", [0, 100])
    if (
        not isinstance(scale, list)
        or len(scale) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in scale)
        or not scale[0] < scale[1]
    ):
        problems.append(Problem(("scale",), _("expected [lower, upper] with lower < upper")))
        scale = [-math.inf, math.inf]
    overall = data.get("overall", {"id": "overall", "label": "Overall"})
    if not isinstance(overall, dict) or not isinstance(overall.get("id"), str):
        problems.append(Problem(("overall",), _("expected {id: ..., label: ...}")))
        overall = {"id": "overall", "label": "Overall"}
    regencies = data.get("regencies")
    if not isinstance(regencies, list) or len(regencies) < 2:
        problems.append(Problem(("regencies",), _("expected a list of at least two regencies")))
        regencies = []
    units: list[str] = []
    names: list[str] = []
    group_values: dict[str, list[str]] = {}
    rows: list[list[float]] = []
    statuses: set[str] = set()
    reg_keys = {
        "id",
        "name",
        "groups",
        "overall",
        "overall_status",
        "dimensions",
        "dimensions_status",
    }
    for r, reg in enumerate(regencies):
        here = ("regencies", r)
        if not isinstance(reg, dict):
            problems.append(Problem(here, _("expected a mapping")))
            continue
        problems.extend(
            Problem((*here, key), _("unknown field")) for key in reg if key not in reg_keys
        )
        uid = reg.get("id")
        if not isinstance(uid, str) or not uid:
            problems.append(Problem((*here, "id"), _("expected a regency id")))
            uid = f"#{r + 1}"
        elif uid in units:
            problems.append(
                Problem((*here, "id"), _("regency {id!r} is given twice").format(id=uid))
            )
        units.append(uid)
        names.append(str(reg.get("name", uid)))
        for status_key in ("overall_status", "dimensions_status"):
            status = reg.get(status_key, "published")
            if status not in ("published", "illustrative"):
                problems.append(
                    Problem((*here, status_key), _("expected 'published' or 'illustrative'"))
                )
            statuses.add(str(status))
        row = [_checked(reg.get("overall"), (*here, "overall"), scale, problems)]
        given = reg.get("dimensions", {})
        if not isinstance(given, dict):
            problems.append(
                Problem((*here, "dimensions"), _("expected a mapping of dimension to score"))
            )
            given = {}
        problems.extend(
            Problem(
                (*here, "dimensions", d),
                _("not a dimension of {framework} (dimensions: {ids})").format(
                    framework=fw_id, ids=", ".join(dims)
                ),
            )
            for d in given
            if dims and d not in dims
        )
        row.extend(
            _checked(given.get(d), (*here, "dimensions", d), scale, problems, optional=True)
            for d in dims
        )
        rows.append(row)
        groups = reg.get("groups", {})
        if not isinstance(groups, dict):
            problems.append(
                Problem((*here, "groups"), _("expected a mapping of group column to value"))
            )
            groups = {}
        for column, value in groups.items():
            group_values.setdefault(str(column), [""] * r).append(str(value))
        for column in group_values:
            if len(group_values[column]) < r + 1:
                group_values[column].append("")
    sources = data.get("sources", [])
    if not isinstance(sources, list) or not all(
        isinstance(s, dict) and "citation" in s for s in sources
    ):
        problems.append(
            Problem(("sources",), _("expected a list of {citation, url, grade, note}"))
        )
        sources = []
    for k, s in enumerate(sources):
        if s.get("grade") in ("C", "U"):
            problems.append(
                Problem(
                    ("sources", k, "grade"),
                    _(
                        "a grade C or U source cannot back published figures; mark them "
                        "illustrative"
                    ),
                )
            )
    if problems:
        raise InputError(p.name, problems)
    notes = [str(data["note"])] if data.get("note") else []
    if "illustrative" in statuses:
        notes.append(_("Figures marked illustrative in the data file are not official results."))
    return ScoreTable(
        framework=fw_id,
        units=tuple(units),
        names=tuple(names),
        node_ids=(overall["id"], *dims),
        node_labels=(str(overall.get("label", overall["id"])), *[labels[d] for d in dims]),
        scores=np.array(rows, dtype=np.float64),
        groups={c: tuple(v) for c, v in group_values.items()},
        parts={
            overall["id"]: NodeParts(
                tuple(dims),
                tuple(labels[d] for d in dims),
                np.array([row[1:] for row in rows], dtype=np.float64).reshape(
                    len(rows), len(dims)
                ),
                "score",
            )
        }
        if dims
        else {},
        sources=tuple(sources),
        notes=tuple(notes),
        decimals=2 if scale[1] <= 10 else 1,
    )


def _checked(
    value: Any,
    path: tuple[Any, ...],
    scale: list[float],
    problems: list[Problem],
    *,
    optional: bool = False,
) -> float:
    if value is None:
        if not optional:
            problems.append(Problem(path, _("a score is required")))
        return float("nan")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.append(Problem(path, _("{value!r} is not a number").format(value=value)))
        return float("nan")
    if not scale[0] <= value <= scale[1]:
        problems.append(
            Problem(
                path,
                _("{value} lies outside the scale [{low}, {high}]").format(
                    value=value, low=scale[0], high=scale[1]
                ),
            )
        )
    return float(value)

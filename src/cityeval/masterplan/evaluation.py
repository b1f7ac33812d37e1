"""Evaluate a masterplan at a round: scores by dimension, element, OPD, term and programme.

The scoring engine computes every score (see :mod:`cityeval.masterplan.compile`); this module
arranges them into the views a Diskominfo reports: the tree with the change since an earlier
round, the OPD table, the quick wins, each programme with its status, and the programmes at
risk (achievement below the share of their period that has elapsed).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from attrs import define, field, frozen

from cityeval.engine import Results, score
from cityeval.masterplan.compile import CompiledRound, compile_round, progress_pipeline
from cityeval.masterplan.model import EntryStatus, EvaluationRound, Masterplan, Programme, Term
from cityeval.model import Framework, Label, Lang

T = TypeVar("T")

__all__ = [
    "NodeScore",
    "OpdScore",
    "ProgrammeScore",
    "Scorecard",
    "TermScore",
    "evaluate",
]


def _num(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


@frozen
class NodeScore:
    """A node of the masterplan tree at the round: its score and the change.

    ``score`` and ``change`` are percentages of achievement (0 to the cap); ``change`` is
    None without a comparison round or when either score is missing.
    """

    id: str
    level: str
    label: Label
    score: float | None
    previous: float | None
    change: float | None
    parent: str | None


@frozen
class ProgrammeScore:
    """One programme at the round."""

    id: str
    label: Label
    dimension: str
    element: str
    opds: tuple[str, ...]
    term: Term
    start_year: int
    end_year: int
    score: float | None
    previous: float | None
    change: float | None
    status: str
    elapsed: float
    at_risk: bool
    indicators: tuple[dict[str, Any], ...]


@frozen
class OpdScore:
    """One OPD (organisasi perangkat daerah): the mean achievement of its programmes."""

    id: str
    label: Label
    short_name: str
    programmes: int
    score: float | None
    previous: float | None
    change: float | None
    at_risk: int


@frozen
class TermScore:
    """The programmes of one term (quick win, short, medium, long) taken together."""

    term: Term
    programmes: int
    score: float | None
    previous: float | None
    change: float | None


def _mean(values: Sequence[float | None]) -> float | None:
    seen = [v for v in values if v is not None]
    return sum(seen) / len(seen) if seen else None


def _delta(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


@define(frozen=True, eq=False)
class Scorecard:
    """A masterplan's evaluation at one round, with every view and what it rests on.

    Attributes
    ----------
    masterplan, round, compare : the masterplan, the round, the earlier round (or None)
    results : Results
        The engine's results for the round (the arithmetic behind every figure).
    overall : NodeScore
        The whole masterplan.
    nodes : tuple of NodeScore
        Every dimension, element and programme, top down.
    programmes, opds, terms : views
    excluded : dict of str to str
        Indicators left out of the scores, with the reason.
    missing : tuple of str
        Indicators with no realised value this round.
    cap : float or None
        The cap on achievement.
    """

    masterplan: Masterplan
    framework: Framework
    round: EvaluationRound
    compare: EvaluationRound | None
    results: Results
    overall: NodeScore
    nodes: tuple[NodeScore, ...]
    programmes: tuple[ProgrammeScore, ...]
    opds: tuple[OpdScore, ...]
    terms: tuple[TermScore, ...]
    excluded: dict[str, str]
    missing: tuple[str, ...]
    cap: float | None
    _derived: dict[object, Any] = field(factory=dict, init=False, repr=False)

    def derived(self, key: object, make: Callable[[], T]) -> T:
        """A value computed once from this (immutable) scorecard and kept with it, as
        :meth:`cityeval.model.Framework.derived`: the explanations and the summary that the
        terminal, the report page, the workbook and the summary files share."""
        cache = self._derived
        if key not in cache:
            cache[key] = make()
        value: T = cache[key]
        return value

    @property
    def dimensions(self) -> tuple[NodeScore, ...]:
        """The dimensions, in framework order."""
        return tuple(n for n in self.nodes if n.level == "dimension")

    def elements(self, dimension: str) -> tuple[NodeScore, ...]:
        """The elements of one dimension."""
        return tuple(n for n in self.nodes if n.level == "element" and n.parent == dimension)

    @property
    def at_risk(self) -> tuple[ProgrammeScore, ...]:
        """Programmes whose achievement is below the share of their period elapsed."""
        return tuple(p for p in self.programmes if p.at_risk)

    @property
    def quick_wins(self) -> tuple[ProgrammeScore, ...]:
        """The quick-win programmes (*program percepatan*)."""
        return tuple(p for p in self.programmes if p.term is Term.QUICK_WIN)

    def to_dict(self, lang: Lang = "en") -> dict[str, Any]:
        """Every figure as plain data (JSON-compatible), labels in ``lang``."""
        from cityeval.io.converter import unstructure

        def node(n: NodeScore) -> dict[str, Any]:
            return {
                "id": n.id,
                "level": n.level,
                "label": n.label.text(lang),
                "parent": n.parent,
                "score": n.score,
                "previous": n.previous,
                "change": n.change,
            }

        mp = self.masterplan
        return {
            "masterplan": {
                "id": mp.id,
                "regency": mp.regency.title,
                "province": mp.regency.province,
                "code": mp.regency.code,
                "period": str(mp.period),
                "framework": mp.framework,
                "note": mp.note,
                "sources": [unstructure(s) for s in mp.sources],
            },
            "round": {
                "id": self.round.id,
                "date": self.round.date.isoformat(),
                "label": self.round.label.text(lang),
                "year": self.round.target_year,
                "note": self.round.note,
            },
            "compare": None
            if self.compare is None
            else {"id": self.compare.id, "date": self.compare.date.isoformat()},
            "cap": self.cap,
            "overall": node(self.overall),
            "nodes": [node(n) for n in self.nodes],
            "programmes": [
                {
                    "id": p.id,
                    "label": p.label.text(lang),
                    "dimension": p.dimension,
                    "element": p.element,
                    "opds": list(p.opds),
                    "term": p.term.value,
                    "start_year": p.start_year,
                    "end_year": p.end_year,
                    "score": p.score,
                    "previous": p.previous,
                    "change": p.change,
                    "status": p.status,
                    "elapsed": p.elapsed,
                    "at_risk": p.at_risk,
                    "indicators": list(p.indicators),
                }
                for p in self.programmes
            ],
            "opds": [
                {
                    "id": o.id,
                    "label": o.label.text(lang),
                    "short_name": o.short_name,
                    "programmes": o.programmes,
                    "score": o.score,
                    "previous": o.previous,
                    "change": o.change,
                    "at_risk": o.at_risk,
                }
                for o in self.opds
            ],
            "terms": [
                {
                    "term": t.term.value,
                    "programmes": t.programmes,
                    "score": t.score,
                    "previous": t.previous,
                    "change": t.change,
                }
                for t in self.terms
            ],
            "at_risk": [p.id for p in self.at_risk],
            "excluded": self.excluded,
            "missing": list(self.missing),
            "pipeline": unstructure(self.results.pipeline),
        }


def _score_round(
    masterplan: Masterplan, framework: Framework, rnd: EvaluationRound, cap: float | None
) -> tuple[CompiledRound, Results]:
    compiled = compile_round(masterplan, framework, rnd)
    results = score(
        compiled.framework, compiled.dataset, progress_pipeline(cap), source=f"round {rnd.id}"
    )
    return compiled, results


def _scores(results: Results) -> dict[str, float | None]:
    return {n: _num(float(results.score(n)[0])) for n in results.node_ids}


def _status(prog: Programme, rnd: EvaluationRound) -> str:
    statuses = [e.status for i in prog.indicators if (e := rnd.entry(prog.id, i.id)) is not None]
    if not statuses:
        return "not_reported"
    if all(s is EntryStatus.COMPLETED for s in statuses):
        return EntryStatus.COMPLETED.value
    if all(s is EntryStatus.CANCELLED for s in statuses):
        return EntryStatus.CANCELLED.value
    if all(s is EntryStatus.NOT_STARTED for s in statuses):
        return EntryStatus.NOT_STARTED.value
    counts = Counter(s for s in statuses if s is not EntryStatus.CANCELLED)
    if counts.get(EntryStatus.NOT_STARTED) == sum(counts.values()):
        return EntryStatus.NOT_STARTED.value
    return EntryStatus.IN_PROGRESS.value


def elapsed_share(prog: Programme, year: int) -> float:
    """The share of a programme's years that have begun by ``year`` (0 to 1)."""
    years = prog.end_year - prog.start_year + 1
    return min(1.0, max(0.0, (year - prog.start_year + 1) / years))


def evaluate(
    masterplan: Masterplan,
    framework: Framework,
    rnd: EvaluationRound,
    *,
    compare: EvaluationRound | None = None,
    cap: float | None = 100.0,
) -> Scorecard:
    """Evaluate ``masterplan`` at round ``rnd``, optionally against an earlier round.

    Parameters
    ----------
    masterplan : Masterplan
    framework : Framework
        The framework the masterplan follows (its dimensions and elements).
    rnd : EvaluationRound
        The round to evaluate.
    compare : EvaluationRound, optional
        An earlier round: every score then carries its change since.
    cap : float or None
        The highest achievement an indicator can count (100 percent by default).

    Returns
    -------
    Scorecard
    """
    compiled, results = _score_round(masterplan, framework, rnd, cap)
    now = _scores(results)
    before: dict[str, float | None] = {}
    if compare is not None:
        _, previous = _score_round(masterplan, framework, compare, cap)
        before = _scores(previous)
    fw = compiled.framework
    nodes = []
    for agg_node in fw.aggregates():
        nid = agg_node.id
        nodes.append(
            NodeScore(
                id=nid,
                level=fw.level(nid),
                label=agg_node.label,
                score=now.get(nid),
                previous=before.get(nid),
                change=_delta(now.get(nid), before.get(nid)),
                parent=fw.parent(nid),
            )
        )
    top = results.top_id
    overall = NodeScore(
        id=top,
        level="overall",
        label=results.compiled.labels[top],
        score=now.get(top),
        previous=before.get(top),
        change=_delta(now.get(top), before.get(top)),
        parent=None,
    )
    year = rnd.target_year
    programmes = []
    for prog in masterplan.programmes:
        p_now = now.get(prog.id)
        p_before = before.get(prog.id)
        share = elapsed_share(prog, year)
        status = _status(prog, rnd)
        indicators = []
        for ind in prog.indicators:
            nid = f"{prog.id}.{ind.id}"
            entry = rnd.entry(prog.id, ind.id)
            indicators.append(
                {
                    "id": ind.id,
                    "node": nid,
                    "label": ind.name.text("en"),
                    "unit": ind.unit,
                    "baseline": ind.baseline.value,
                    "target": compiled.targets.get(nid),
                    "realised": None if entry is None else entry.realised,
                    "status": "not_reported" if entry is None else entry.status.value,
                    "evidence": None if entry is None else entry.evidence,
                    "achievement": now.get(nid),
                    "excluded": compiled.excluded.get(nid),
                }
            )
        at_risk = (
            p_now is not None
            and status != EntryStatus.CANCELLED.value
            and prog.start_year <= year
            and p_now < share * 100.0 - 1e-9
        )
        programmes.append(
            ProgrammeScore(
                id=prog.id,
                label=prog.name,
                dimension=prog.dimension,
                element=prog.element,
                opds=prog.opds,
                term=prog.term,
                start_year=prog.start_year,
                end_year=prog.end_year,
                score=p_now,
                previous=p_before,
                change=_delta(p_now, p_before),
                status=status,
                elapsed=share,
                at_risk=at_risk,
                indicators=tuple(indicators),
            )
        )
    by_id = {p.id: p for p in programmes}
    opds = []
    for opd in masterplan.opds:
        mine = [by_id[p.id] for p in masterplan.programmes_of(opd.id)]
        if not mine:
            continue
        s_now = _mean([p.score for p in mine])
        s_before = _mean([p.previous for p in mine])
        opds.append(
            OpdScore(
                id=opd.id,
                label=opd.name,
                short_name=opd.short,
                programmes=len(mine),
                score=s_now,
                previous=s_before,
                change=_delta(s_now, s_before),
                at_risk=sum(p.at_risk for p in mine),
            )
        )
    terms = []
    for term in Term:
        mine = [p for p in programmes if p.term is term]
        if mine:
            t_now, t_before = _mean([p.score for p in mine]), _mean([p.previous for p in mine])
            terms.append(TermScore(term, len(mine), t_now, t_before, _delta(t_now, t_before)))
    return Scorecard(
        masterplan=masterplan,
        framework=framework,
        round=rnd,
        compare=compare,
        results=results,
        overall=overall,
        nodes=tuple(nodes),
        programmes=tuple(programmes),
        opds=tuple(opds),
        terms=tuple(terms),
        excluded=compiled.excluded,
        missing=compiled.missing,
        cap=cap,
    )

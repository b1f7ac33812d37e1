"""``explain()``: one node's score, and its change, by child, indicator, programme and OPD."""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from attrs import define, field

from cityeval.engine.results import Results
from cityeval.errors import NotFoundError
from cityeval.explain.change import CAUSES, IndicatorChange, indicator_changes
from cityeval.explain.contributions import TECHNIQUES, TreeContributions, tree_contributions
from cityeval.explain.explanation import Explanation, Part
from cityeval.i18n import _, translator

if TYPE_CHECKING:
    from cityeval.masterplan.evaluation import Scorecard
    from cityeval.model import Lang

__all__ = ["MasterplanChange", "explain", "masterplan_change"]


def _cause_label(key: str, lang: Lang) -> str:
    _ = translator(lang).gettext
    labels = {
        "realisations": _("realised values"),
        "targets": _("targets moving (a new target year)"),
        "values": _("values"),
        "weights": _("effective weights"),
        "coverage": _("indicators entering or leaving the score (or missing)"),
    }
    return labels[key]


def _num(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


@define(frozen=True, eq=False)
class MasterplanChange:
    """Both rounds of a masterplan's scorecard, with their contributions (computed once).

    The scorecard is held by a weak reference, so that keeping this with the scorecard (see
    :func:`masterplan_change`) does not keep the scorecard alive.
    """

    scorecard_ref: weakref.ref[Scorecard]
    earlier: Scorecard | None
    after: TreeContributions
    before: TreeContributions | None
    cross: dict[str, tuple[float, float]]
    #: The explanations of :func:`dimension_explanations`, kept per language.
    explained: dict[str, tuple[Explanation, ...]] = field(factory=dict, init=False, repr=False)

    @property
    def scorecard(self) -> Scorecard:
        """The scorecard explained."""
        sc = self.scorecard_ref()
        assert sc is not None, "the scorecard is alive while it is explained"
        return sc


def masterplan_change(sc: Scorecard, earlier: Scorecard | None = None) -> MasterplanChange:
    """Contributions for a scorecard and its comparison round (evaluated when not given).

    Without ``earlier`` the result is kept with the scorecard, so the terminal, the report
    and the summary share one computation.
    """
    if earlier is None:
        return sc.derived("explain.change", lambda: _masterplan_change(sc, None))
    return _masterplan_change(sc, earlier)


def _masterplan_change(sc: Scorecard, earlier: Scorecard | None) -> MasterplanChange:
    from cityeval.masterplan.evaluation import evaluate

    if earlier is None and sc.compare is not None:
        earlier = evaluate(sc.masterplan, sc.framework, sc.compare, cap=sc.cap)
    after = tree_contributions(sc.results)
    before = None if earlier is None else tree_contributions(earlier.results)
    cross = {} if earlier is None else _cross(sc, earlier)
    return MasterplanChange(weakref.ref(sc), earlier, after, before, cross)


def _cross(sc: Scorecard, earlier: Scorecard) -> dict[str, tuple[float, float]]:
    """Per indicator: (new realisation vs old target, old realisation vs new target)."""
    from cityeval.masterplan.compile import compile_round
    from cityeval.methods.normalise import progress

    new = compile_round(sc.masterplan, sc.framework, sc.round)
    old = compile_round(earlier.masterplan, earlier.framework, earlier.round)
    baselines = {
        f"{p.id}.{i.id}": i.baseline.value for p in sc.masterplan.programmes for i in p.indicators
    }
    new_real = dict(zip(new.dataset.indicators, new.dataset.values[0].tolist(), strict=True))
    old_real = dict(zip(old.dataset.indicators, old.dataset.values[0].tolist(), strict=True))
    out: dict[str, tuple[float, float]] = {}
    for node in set(new.targets) & set(old.targets):
        base = baselines[node]

        def ach(real: float, target: float, _base: float = base) -> float:
            sign = 1 if target > _base else -1
            low, high = min(_base, target), max(_base, target)
            value = progress(np.array([[real]]), np.array([sign]), low=low, high=high, cap=sc.cap)
            return float(value[0, 0])

        out[node] = (
            ach(new_real[node], old.targets[node]),
            ach(old_real[node], new.targets[node]),
        )
    return out


def _unit_index(results: Results, unit: str | None) -> int:
    if unit is None:
        if len(results.units) == 1:
            return 0
        raise NotFoundError(
            _("name a unit to explain (one of: {units})").format(units=", ".join(results.units))
        )
    if unit not in results.units:
        raise NotFoundError(
            _("unit {unit!r} is not in the results (units: {units})").format(
                unit=unit, units=", ".join(results.units)
            )
        )
    return results.units.index(unit)


def _check_node(results: Results, node: str | None) -> str:
    if node is None:
        return results.top_id
    if node not in results.aggregate_ids:
        raise NotFoundError(
            _("node {node!r} is not an aggregate of the framework (aggregates: {ids})").format(
                node=node, ids=", ".join(results.aggregate_ids)
            )
        )
    return node


def _label(results: Results, node: str, lang: Lang) -> str:
    label = results.compiled.labels.get(node)
    return node if label is None else label.text(lang)


def _parts(
    after: TreeContributions,
    before: TreeContributions | None,
    node: str,
    u1: int,
    u0: int,
    cross: dict[str, tuple[float, float]] | None,
    lang: Lang,
) -> tuple[list[Part], list[IndicatorChange]]:
    res = after.results
    parts: list[Part] = []
    kids = after.child_ids.get(node, ())
    contrib = after.children.get(node)
    logs = after.log_children.get(node)
    errors = after.errors.get(node)
    previous: dict[str, float] = {}
    if before is not None and node in before.children:
        previous = {
            k: float(v)
            for k, v in zip(before.child_ids[node], before.children[node][u0], strict=True)
        }
    for k, kid in enumerate(kids):
        c = None if contrib is None else _num(float(contrib[u1, k]))
        p = previous.get(kid) if before is not None else None
        parts.append(
            Part(
                kind="child",
                id=kid,
                label=_label(res, kid, lang),
                value=_num(float(after.scores[kid][u1])),
                contribution=c,
                previous=_num(p) if p is not None else (0.0 if before is not None else None),
                change=None if before is None or c is None else c - (_num(p) or 0.0),
                log_contribution=None if logs is None else _num(float(logs[u1, k])),
                error=None if errors is None else _num(float(errors[u1, k])),
            )
        )
    if before is not None:
        for kid, p in previous.items():
            if kid not in kids:
                parts.append(
                    Part("child", kid, _label(before.results, kid, lang), None, None, 0.0, p, -p)
                )
    changes: list[IndicatorChange] = []
    if before is not None:
        changes = indicator_changes(before, after, node, u0, u1, cross)
        for ch in changes:
            if not (ch.weight_before or ch.weight_after or ch.before or ch.after):
                continue  # not in the node in either run
            lab_res = res if ch.id in res.indicator_ids else before.results
            parts.append(
                Part(
                    kind="indicator",
                    id=ch.id,
                    label=_label(lab_res, ch.id, lang),
                    value=ch.value_after,
                    weight=ch.weight_after,
                    contribution=ch.after if ch.after is not None else 0.0,
                    previous=ch.before if ch.before is not None else 0.0,
                    change=ch.change,
                )
            )
    else:
        table, weights = after.indicators(node)[u1], after.weights(node)[u1]
        for i, ind in enumerate(res.indicator_ids):
            if weights[i] > 0 or (table[i] != 0 and not np.isnan(table[i])):
                parts.append(
                    Part(
                        kind="indicator",
                        id=ind,
                        label=_label(res, ind, lang),
                        value=_num(float(after.scores[ind][u1])),
                        weight=_num(float(weights[i])) if after.all_additive else None,
                        contribution=_num(float(table[i])),
                    )
                )
    return parts, changes


def _group(
    parts: list[Part], key: dict[str, list[tuple[str, float]]], kind: str, labels: dict[str, str]
) -> list[Part]:
    """Sum indicator parts into groups (programmes, OPDs); ``key`` maps an indicator to its
    groups with the share it gives each (shares of one indicator sum to 1)."""
    sums: dict[str, list[float | None]] = {}
    for p in parts:
        if p.kind != "indicator":
            continue
        for group, share in key.get(p.id, []):
            acc = sums.setdefault(group, [None, None, None])
            for slot, value in enumerate((p.contribution, p.previous, p.change)):
                if value is not None:
                    acc[slot] = (acc[slot] or 0.0) + share * value
    return [
        Part(kind=kind, id=g, label=labels.get(g, g), contribution=c, previous=pv, change=ch)
        for g, (c, pv, ch) in sums.items()
    ]


def _explain_masterplan(ctx: MasterplanChange, node: str | None, lang: Lang) -> Explanation:
    sc = ctx.scorecard
    res = sc.results
    node = _check_node(res, node)
    parts, changes = _parts(ctx.after, ctx.before, node, 0, 0, ctx.cross or None, lang)
    mp = sc.masterplan
    to_prog: dict[str, list[tuple[str, float]]] = {}
    to_opd: dict[str, list[tuple[str, float]]] = {}
    for prog in mp.programmes:
        for ind in prog.indicators:
            nid = f"{prog.id}.{ind.id}"
            to_prog[nid] = [(prog.id, 1.0)]
            to_opd[nid] = [(o, 1.0 / len(prog.opds)) for o in prog.opds]
    prog_labels = {p.id: p.label.text(lang) for p in sc.programmes}
    opd_labels = {o.id: o.short_name for o in sc.opds}
    parts += _group(parts, to_prog, "programme", prog_labels)
    parts += _group(parts, to_opd, "opd", opd_labels)
    previous, change = None, None
    if ctx.before is not None and node in ctx.before.scores:
        previous = _num(float(ctx.before.scores[node][0]))
        score = _num(float(ctx.after.scores[node][0]))
        change = None if previous is None or score is None else score - previous
    if (
        ctx.before is not None
        and change is not None
        and changes
        and all(c.causes for c in changes)
    ):
        totals = dict.fromkeys(CAUSES, 0.0)
        for ch in changes:
            for k, v in ch.causes.items():
                totals[k] += v
        for key in CAUSES:
            if key in ("values",) and totals[key] == 0.0:
                continue
            parts.append(
                Part(kind="cause", id=key, label=_cause_label(key, lang), change=totals[key])
            )
    return _finish(ctx.after, node, mp.id, 0, previous, change, parts, lang)


def dimension_explanations(
    ctx: MasterplanChange, lang: Lang, *, gettext_: Callable[[str], str] | None = None
) -> list[Explanation]:
    """The overall index's explanation, then each dimension's, in framework order.

    Kept with ``ctx`` per language (the terminal, the report, the workbook and the summary
    each ask for them; the explanations are frozen, the list returned is a new one).
    """
    found = ctx.explained.get(lang)
    if found is None:
        res = ctx.scorecard.results
        dims = [d.id for d in ctx.scorecard.dimensions if d.id in res.aggregate_ids]
        found = ctx.explained[lang] = tuple(
            _explain_masterplan(ctx, node, lang) for node in [res.top_id, *dims]
        )
    return list(found)


def _finish(
    after: TreeContributions,
    node: str,
    unit: str,
    u1: int,
    previous: float | None,
    change: float | None,
    parts: list[Part],
    lang: Lang,
) -> Explanation:
    _ = translator(lang).gettext
    res = after.results
    score = _num(float(after.scores[node][u1]))
    technique = after.techniques[node]
    errors = after.errors.get(node)
    return Explanation(
        unit=unit,
        node=node,
        label=_label(res, node, lang),
        score=score,
        previous=previous,
        change=change,
        method=after.methods[node],
        technique=technique,
        guarantee=_(TECHNIQUES[technique]),
        parts=tuple(parts),
        max_error=None if errors is None else _num(float(np.nanmax(errors[u1]))),
    )


def explain(
    results: Results | Scorecard,
    unit: str | None = None,
    node: str | None = None,
    *,
    compare: Results | Scorecard | None = None,
    time: int | None = None,
    compare_time: int | None = None,
    lang: Lang = "en",
) -> Explanation:
    """Explain one unit's score at one node, and its change since an earlier run.

    Parameters
    ----------
    results : Results or Scorecard
        A pipeline run (:func:`cityeval.score`) or a masterplan's evaluation.
    unit : str, optional
        The unit (needed when there are several; a scorecard has one, the regency).
    node : str, optional
        An aggregate (the overall index by default).
    compare : Results or Scorecard, optional
        An earlier run of the same framework (a scorecard evaluated with ``compare=`` brings
        its earlier round itself).
    time, compare_time : int, optional
        For panel data, the time indices of the run and of the comparison (``compare_time``
        alone compares two years of the same results).
    lang : {"en", "id"}
        The language of labels.

    Returns
    -------
    Explanation
        Children's, indicators' (and for a masterplan programmes', OPDs' and causes')
        contributions and changes, each kind summing to the score and to the change.

    Raises
    ------
    NotFoundError
        If the unit or the node is not in the results.
    """
    if not isinstance(results, Results):
        from cityeval.masterplan.evaluation import Scorecard

        if not isinstance(results, Scorecard):
            raise NotFoundError(_("explain() takes Results or a Scorecard"))
        if isinstance(compare, Results):
            raise NotFoundError(_("compare a Scorecard with another Scorecard"))
        ctx = masterplan_change(results, compare)
        return _explain_masterplan(ctx, node, lang)
    node = _check_node(results, node)
    u1 = _unit_index(results, unit)
    after = tree_contributions(results, time=time)
    before: TreeContributions | None = None
    u0 = u1
    if compare is not None:
        if not isinstance(compare, Results):
            raise NotFoundError(_("compare a Results with another Results"))
        u0 = _unit_index(compare, results.units[u1])
        before = tree_contributions(compare, time=compare_time)
    elif compare_time is not None:
        before = tree_contributions(results, time=compare_time)
    parts, _changes = _parts(after, before, node, u1, u0, None, lang)
    if before is not None and _changes and all(c.causes for c in _changes):
        totals = dict.fromkeys(CAUSES, 0.0)
        for ch in _changes:
            for k, v in ch.causes.items():
                totals[k] += v
        for key in ("values", "weights", "coverage"):
            parts.append(
                Part(kind="cause", id=key, label=_cause_label(key, lang), change=totals[key])
            )
    ex = _finish(after, node, results.units[u1], u1, None, None, parts, lang)
    return _with_scores(ex, before, u0)


def _with_scores(ex: Explanation, before: TreeContributions | None, u0: int) -> Explanation:
    from attrs import evolve

    if before is None or ex.node not in before.scores:
        return ex if before is None else evolve(ex, previous=None, change=None)
    previous = _num(float(before.scores[ex.node][u0]))
    change = None if previous is None or ex.score is None else ex.score - previous
    return evolve(ex, previous=previous, change=change)

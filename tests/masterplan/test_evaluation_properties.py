"""Invariants of masterplan evaluation, on Banyuasin's round with generated realisations:
achievement stays within [0, cap], never falls when a realisation gets better, and the cap
only ever lowers a score."""

from __future__ import annotations

import math

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cityeval.masterplan import EvaluationRound
from cityeval.masterplan.evaluation import Scorecard, evaluate
from cityeval.masterplan.files import get_masterplan, get_round, resolve_framework

MP = get_masterplan("banyuasin")
FW = resolve_framework(MP)
ROUND = get_round(MP, "2019-tahap-3")
#: Baseline, target and unit of every indicator with a realisation, from the round itself.
GOALS = {
    ind["id"]: (ind["baseline"], ind["target"], ind["unit"])
    for prog in evaluate(MP, FW, ROUND).programmes
    for ind in prog.indicators
    if ind["realised"] is not None
}
REPORTED = tuple(i for i, e in enumerate(ROUND.entries) if e.indicator in GOALS)


def _realised(indicator: str, share: float) -> float:
    """A realisation ``share`` of the way from the baseline to the target (0 = baseline,
    1 = target, above 1 beyond it), kept inside a percentage's [0, 100]."""
    base, target, unit = GOALS[indicator]
    value = base + share * (target - base)
    if unit == "%":
        value = min(100.0, max(0.0, value))
    return max(0.0, value)


shares = st.floats(-0.5, 2.0, allow_nan=False)


@st.composite
def rounds(draw: st.DrawFn) -> EvaluationRound:
    entries = list(ROUND.entries)
    for i in REPORTED:
        share = draw(shares, label=entries[i].indicator)
        entries[i] = attrs.evolve(entries[i], realised=_realised(entries[i].indicator, share))
    return attrs.evolve(ROUND, entries=tuple(entries))


def _scores(card: Scorecard) -> dict[str, float]:
    out = {n.id: n.score for n in card.nodes if n.score is not None}
    out.update({p.id: p.score for p in card.programmes if p.score is not None})
    if card.overall.score is not None:
        out[card.overall.id] = card.overall.score
    return out


def _achievements(card: Scorecard) -> dict[str, float]:
    return {
        ind["id"]: ind["achievement"]
        for prog in card.programmes
        for ind in prog.indicators
        if ind["achievement"] is not None
    }


def test_there_are_realisations_to_vary() -> None:
    assert len(REPORTED) >= 10


@given(rounds(), st.sampled_from([100.0, 120.0, 150.0]))
def test_achievement_and_scores_stay_within_zero_and_the_cap(
    rnd: EvaluationRound, cap: float
) -> None:
    card = evaluate(MP, FW, rnd, cap=cap)
    achievements = _achievements(card)
    assert set(GOALS) <= set(achievements)
    for value in [*achievements.values(), *_scores(card).values()]:
        assert -1e-9 <= value <= cap + 1e-9


@given(rounds(), st.sampled_from(REPORTED), st.floats(0.0, 1.5))
def test_a_better_realisation_never_lowers_a_score(
    rnd: EvaluationRound, which: int, step: float
) -> None:
    entry = rnd.entries[which]
    base, target, _ = GOALS[entry.indicator]
    better = entry.realised + step * (target - base)  # type: ignore[operator]
    if GOALS[entry.indicator][2] == "%":
        better = min(100.0, max(0.0, better))
    better = max(0.0, better)
    improved = list(rnd.entries)
    improved[which] = attrs.evolve(entry, realised=better)
    before = evaluate(MP, FW, rnd)
    after = evaluate(MP, FW, attrs.evolve(rnd, entries=tuple(improved)))
    assert _achievements(after)[entry.indicator] >= _achievements(before)[entry.indicator] - 1e-9
    b, a = _scores(before), _scores(after)
    for node, score in b.items():
        assert a[node] >= score - 1e-9, node


@given(rounds(), st.floats(10.0, 200.0))
def test_the_cap_clips_achievement_and_only_lowers_scores(
    rnd: EvaluationRound, cap: float
) -> None:
    capped, free = evaluate(MP, FW, rnd, cap=cap), evaluate(MP, FW, rnd, cap=None)
    ca, fa = _achievements(capped), _achievements(free)
    for indicator, value in fa.items():
        assert ca[indicator] == pytest.approx(min(value, cap), abs=1e-9)
    cs, fs = _scores(capped), _scores(free)
    for node, score in fs.items():
        assert cs[node] <= score + 1e-9


def test_reaching_every_target_scores_the_cap_everywhere() -> None:
    entries = tuple(
        attrs.evolve(e, realised=_realised(e.indicator, 1.0)) if i in REPORTED else e
        for i, e in enumerate(ROUND.entries)
    )
    card = evaluate(MP, FW, attrs.evolve(ROUND, entries=entries))
    for indicator in GOALS:
        assert math.isclose(_achievements(card)[indicator], 100.0, abs_tol=1e-9)

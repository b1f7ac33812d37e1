"""Masterplan evaluation: compilation into a framework, achievement, roll-up and views."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from cityeval.masterplan import EntryStatus, EvaluationRound, RoundEntry, Term
from cityeval.masterplan.compile import compile_round
from cityeval.masterplan.evaluation import elapsed_share, evaluate
from cityeval.masterplan.files import get_masterplan, get_round, resolve_framework
from cityeval.model import Label


@pytest.fixture(scope="module")
def mp():  # type: ignore[no-untyped-def]
    return get_masterplan("banyuasin")


@pytest.fixture(scope="module")
def fw(mp):  # type: ignore[no-untyped-def]
    return resolve_framework(mp)


def test_compiled_tree_is_dimension_element_programme_indicator(mp, fw) -> None:  # type: ignore[no-untyped-def]
    compiled = compile_round(mp, fw, get_round(mp, "2019-tahap-3"))
    tree = compiled.framework
    assert tree.levels == ("dimension", "element", "programme", "indicator")
    assert tree.level("jam-kunci") == "programme"
    assert tree.parent("jam-kunci") == "governance.service"
    assert compiled.dataset.units == ("banyuasin",)
    assert compiled.excluded == {"wajah-kota.public-spaces": "cancelled"}


def test_achievement_is_progress_from_baseline_to_the_rounds_target(mp, fw) -> None:  # type: ignore[no-untyped-def]
    rnd = get_round(mp, "2019-tahap-3")
    sc = evaluate(mp, fw, rnd)
    indicators = [ind for prog in sc.programmes for ind in prog.indicators]
    reported = [ind for ind in indicators if ind["realised"] is not None]
    # The round reports most indicators; one without a realisation has no achievement,
    # unless its programme has not started (then it has achieved nothing: 0).
    assert len(reported) >= 10
    for ind in indicators:
        if ind["realised"] is None:
            assert ind["achievement"] == (0.0 if ind["status"] == "not_started" else None)
    for ind in reported:
        base, target, real = ind["baseline"], ind["target"], ind["realised"]
        expected = min(100.0, max(0.0, (real - base) / (target - base) * 100))
        assert ind["achievement"] == pytest.approx(expected)


def test_roll_up_uses_equal_weights_by_default(mp, fw) -> None:  # type: ignore[no-untyped-def]
    sc = evaluate(mp, fw, get_round(mp, "2019-tahap-3"))
    scores = {n.id: n.score for n in sc.nodes}
    assert len(sc.dimensions) == 6  # Gerakan 100's six dimensions
    for dim in sc.dimensions:
        elements = [e.score for e in sc.elements(dim.id) if e.score is not None]
        assert elements, f"dimension {dim.id} has no scored element"
        assert dim.score == pytest.approx(sum(elements) / len(elements))
    dims = [d.score for d in sc.dimensions if d.score is not None]
    assert len(dims) == 6
    assert sc.overall.score == pytest.approx(sum(dims) / len(dims))
    assert scores["governance"] == sc.dimensions[0].score


def test_cap_is_configurable(mp, fw) -> None:  # type: ignore[no-untyped-def]
    rnd = get_round(mp, "2019-tahap-3")
    capped, uncapped = evaluate(mp, fw, rnd), evaluate(mp, fw, rnd, cap=None)
    top = max(
        (i["achievement"] for p in uncapped.programmes for i in p.indicators if i["achievement"]),
    )
    assert (
        max(i["achievement"] for p in capped.programmes for i in p.indicators if i["achievement"])
        <= 100.0
    )
    assert uncapped.overall.score is not None and capped.overall.score is not None
    assert uncapped.overall.score >= capped.overall.score
    assert top >= 100.0


def test_change_since_an_earlier_round(mp, fw) -> None:  # type: ignore[no-untyped-def]
    now = get_round(mp, "2019-tahap-3")
    before = get_round(mp, "2018-tahap-2")
    sc = evaluate(mp, fw, now, compare=before)
    alone = evaluate(mp, fw, before)
    assert sc.overall.previous == pytest.approx(alone.overall.score)
    assert sc.overall.change == pytest.approx(sc.overall.score - alone.overall.score)


def test_views(mp, fw) -> None:  # type: ignore[no-untyped-def]
    sc = evaluate(mp, fw, get_round(mp, "2019-tahap-3"))
    assert {t.term for t in sc.terms} >= {Term.QUICK_WIN}
    quick = [p.score for p in sc.quick_wins if p.score is not None]
    qw = next(t for t in sc.terms if t.term is Term.QUICK_WIN)
    assert qw.score == pytest.approx(sum(quick) / len(quick))
    for opd in sc.opds:
        mine = [p.score for p in sc.programmes if opd.id in p.opds and p.score is not None]
        if mine:
            assert opd.score == pytest.approx(sum(mine) / len(mine))
    for p in sc.at_risk:
        assert p.score is not None and p.score < p.elapsed * 100
    data = sc.to_dict("id")
    assert data["round"]["id"] == "2019-tahap-3"
    assert data["overall"]["label"].startswith("Masterplan smart city")


def test_elapsed_share() -> None:
    from cityeval.masterplan import Programme

    prog = Programme.__new__(Programme)
    object.__setattr__(prog, "start_year", 2018)
    object.__setattr__(prog, "end_year", 2021)
    assert elapsed_share(prog, 2017) == 0.0
    assert elapsed_share(prog, 2019) == 0.5
    assert elapsed_share(prog, 2025) == 1.0


def test_not_started_counts_as_no_progress_and_missing_is_dropped(mp, fw) -> None:  # type: ignore[no-untyped-def]
    prog = mp.programmes[0]
    ind = prog.indicators[0]
    rnd = EvaluationRound(
        id="uji",
        date=dt.date(2019, 6, 11),
        label=Label(id="Uji"),
        masterplan=mp.id,
        entries=(RoundEntry(programme=prog.id, indicator=ind.id, status=EntryStatus.NOT_STARTED),),
    )
    compiled = compile_round(mp, fw, rnd)
    col = compiled.dataset.indicators.index(f"{prog.id}.{ind.id}")
    assert compiled.dataset.values[0, col] == ind.baseline.value
    assert int(np.isnan(compiled.dataset.values).sum()) == len(compiled.missing)
    sc = evaluate(mp, fw, rnd)
    assert sc.programmes[0].indicators[0]["achievement"] == 0.0

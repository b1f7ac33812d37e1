"""Contributions sum to every node's score, for every aggregator and tree (property tests)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cityeval.engine import score
from cityeval.explain import explain
from cityeval.explain.contributions import tree_contributions
from cityeval.model import Pipeline, Step, StepKind
from cityeval.testing.strategies import datasets, frameworks

#: Every built-in aggregator, with parameters that make any normalised data valid.
AGGREGATES = {
    "arithmetic": {},
    "geometric": {},
    "harmonic": {},
    "power_mean": {"p": 3.0},
    "median": {},
    "minimum": {},
    "copeland": {},
}


def pipeline(method: str) -> Pipeline:
    return Pipeline(
        steps=(
            Step(StepKind.NORMALISE, "minmax", {"lower": 1.0, "upper": 100.0}),
            Step(StepKind.AGGREGATE, method, AGGREGATES[method]),
        )
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[object, object, str]:
    fw = draw(frameworks(max_depth=3, max_children=4))
    data = draw(datasets(fw, min_units=2, max_units=5, missing=draw(st.booleans())))
    return fw, data, draw(st.sampled_from(sorted(AGGREGATES)))


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases())
def test_contributions_sum_to_every_score(case: tuple[object, object, str]) -> None:
    fw, data, method = case
    results = score(fw, data, pipeline(method))  # type: ignore[arg-type]
    tc = tree_contributions(results)
    for node in results.aggregate_ids:
        s = tc.scores[node]
        ok = ~np.isnan(s)
        np.testing.assert_allclose(tc.children[node].sum(axis=1)[ok], s[ok], atol=1e-9)
        np.testing.assert_allclose(tc.indicators(node).sum(axis=1)[ok], s[ok], atol=1e-9)
        assert np.isnan(tc.children[node][~ok]).all()


def test_weighted_means_give_weight_times_value(banyuasin_sc: object) -> None:
    from cityeval.masterplan.evaluation import Scorecard

    assert isinstance(banyuasin_sc, Scorecard)
    results = banyuasin_sc.results
    tc = tree_contributions(results)
    eff = results.effective_weights()
    top = results.top_id
    # no indicator is missing at the top's level except those named: weight x value
    for k, ind in enumerate(results.indicator_ids):
        value = float(results.score(ind)[0])
        if np.isnan(value):
            continue
        w = tc.weights(top)[0, k]
        assert tc.indicators(top)[0, k] == pytest.approx(w * value, abs=1e-12)
    assert sum(eff[i] for i in results.indicator_ids) == pytest.approx(1.0)


def test_more_than_twelve_children_are_sampled_with_an_error() -> None:
    from cityeval.data import Dataset
    from cityeval.model import Dimension, Framework, Indicator, Label

    inds = tuple(Indicator(id=f"i{k}", label=Label(en=f"I{k}")) for k in range(14))
    fw = Framework(
        id="wide",
        name=Label(en="Wide"),
        levels=("dimension", "indicator"),
        dimensions=(Dimension(id="d", label=Label(en="D"), indicators=inds),),
    )
    rng = np.random.default_rng(0)
    data = Dataset(
        units=("a", "b", "c"),
        indicators=tuple(i.id for i in inds),
        values=rng.uniform(0, 10, size=(3, 14)),
    )
    results = score(fw, data, pipeline("median"))
    ex = explain(results, "b")
    assert ex.technique == "sampled"
    assert ex.max_error is not None and ex.max_error > 0
    assert sum(p.contribution or 0.0 for p in ex.of("child")) == pytest.approx(ex.score, abs=1e-9)


def test_explain_results_to_frame_and_errors(banyuasin_sc: object) -> None:
    from cityeval.errors import NotFoundError

    pd = pytest.importorskip("pandas")
    ex = explain(banyuasin_sc, node="economy")  # type: ignore[arg-type]
    frame = ex.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert set(frame["kind"]) >= {"child", "indicator", "programme", "opd", "cause"}
    child = frame[frame["kind"] == "child"]
    assert child["contribution"].sum() == pytest.approx(ex.score)
    with pytest.raises(NotFoundError, match="not an aggregate"):
        explain(banyuasin_sc, node="nope")  # type: ignore[arg-type]

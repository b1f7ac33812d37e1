"""The change decomposition sums to the change; the Banyuasin fall from 78.6 to 48.5."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cityeval.engine import score
from cityeval.explain import explain
from cityeval.explain.change import split_value
from cityeval.masterplan.evaluation import Scorecard
from cityeval.model import Pipeline, Step, StepKind
from cityeval.testing.strategies import datasets, frameworks

KINDS = ("child", "indicator", "programme", "opd", "cause")


def test_banyuasin_overall_fall_is_explained(banyuasin_sc: Scorecard) -> None:
    ex = explain(banyuasin_sc)
    assert round(ex.previous or 0, 1) == 78.6 and round(ex.score or 0, 1) == 48.5
    assert ex.change == pytest.approx(-30.17592592592593)
    for kind in KINDS:
        total = sum(p.change or 0.0 for p in ex.of(kind))
        assert total == pytest.approx(ex.change, abs=1e-9), kind
    causes = {p.id: p.change for p in ex.of("cause")}
    # the new 2019 targets, not the realisations, carry the fall
    assert causes["targets"] == pytest.approx(-24.19, abs=0.01)
    assert causes["realisations"] > 0
    assert [p.label for p in ex.largest("programme")] == [
        "Waste Care Movement",
        "Job Fair",
        "SERAMBE",
    ]


@pytest.mark.parametrize("node", ["governance", "economy", "living", "society", "environment"])
def test_every_dimension_change_sums(banyuasin_sc: Scorecard, node: str) -> None:
    ex = explain(banyuasin_sc, node=node)
    dim = next(d for d in banyuasin_sc.dimensions if d.id == node)
    assert ex.change == pytest.approx(dim.change)
    for kind in KINDS:
        assert sum(p.change or 0.0 for p in ex.of(kind)) == pytest.approx(ex.change, abs=1e-9)


@given(
    st.floats(0, 100),
    st.floats(0, 100),
    st.floats(0, 100),
    st.floats(0, 100),
)
def test_split_value_sums_and_is_symmetric(a: float, b: float, c: float, d: float) -> None:
    parts = split_value(a, b, (c, d))
    assert parts["realisations"] + parts["targets"] == pytest.approx(b - a, abs=1e-9)
    # the reverse change splits into the opposite parts
    back = split_value(b, a, (d, c))
    assert back["realisations"] == pytest.approx(-parts["realisations"], abs=1e-9)


def _pipe(method: str) -> Pipeline:
    return Pipeline(
        steps=(
            Step(StepKind.NORMALISE, "minmax", {"lower": 1.0, "upper": 100.0}),
            Step(StepKind.AGGREGATE, method),
        )
    )


@st.composite
def two_runs(draw: st.DrawFn) -> tuple[object, object, object, str]:
    fw = draw(frameworks(max_depth=2, max_children=3))
    first = draw(datasets(fw, min_units=3, max_units=4, missing=True))
    second = draw(datasets(fw, min_units=3, max_units=4, missing=True))
    return fw, first, second, draw(st.sampled_from(["arithmetic", "geometric", "median"]))


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(two_runs())
def test_change_between_two_runs_sums(case: tuple[object, object, object, str]) -> None:
    fw, first, second, method = case
    before = score(fw, first, _pipe(method))  # type: ignore[arg-type]
    after = score(fw, second, _pipe(method))  # type: ignore[arg-type]
    unit = next((u for u in after.units if u in before.units), None)
    assume(unit is not None)
    ex = explain(after, unit, compare=before)
    assume(ex.change is not None)
    for kind in ("child", "indicator", "cause"):
        parts = ex.of(kind)
        if kind == "cause" and not parts:
            assert method != "arithmetic"
            continue
        total = sum(p.change or 0.0 for p in parts)
        assert total == pytest.approx(ex.change, abs=1e-9), kind
    assert not np.isnan(ex.change)


def test_change_between_two_years_of_panel_data() -> None:
    from cityeval.data import Dataset
    from cityeval.model import Dimension, Framework, Indicator, Label

    def ind(i: str) -> Indicator:
        return Indicator(id=i, label=Label(en=i))

    fw = Framework(
        id="panel",
        name=Label(en="Panel"),
        levels=("dimension", "indicator"),
        dimensions=(
            Dimension(id="g", label=Label(en="G"), indicators=(ind("g1"), ind("g2"))),
            Dimension(id="e", label=Label(en="E"), indicators=(ind("e1"), ind("e2"))),
        ),
    )
    values = np.array(
        [
            [[1.0, 9, 3, 4], [5, 6, 7, 8], [2, 2, 9, 1]],
            [[2.0, 9, 5, 4], [5, 3, 7, 8], [2, 6, 9, 1]],
        ]
    )
    data = Dataset(
        units=("a", "b", "c"),
        indicators=("g1", "g2", "e1", "e2"),
        values=values,
        times=(2020, 2021),
    )
    results = score(fw, data)
    ex = explain(results, "b", compare_time=0)
    assert ex.score == pytest.approx(float(results.score("panel")[1, 1]))
    assert ex.previous == pytest.approx(float(results.score("panel")[0, 1]))
    for kind in ("child", "indicator", "cause"):
        assert sum(p.change or 0.0 for p in ex.of(kind)) == pytest.approx(ex.change, abs=1e-9)

"""The conformance kit for framework plugins, and the new hypothesis strategies."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cityeval import Dimension, Framework, Indicator, Label, hookimpl
from cityeval.engine import score
from cityeval.model import Band, Pipeline, Step, StepKind
from cityeval.plugins.registry import MethodRegistry
from cityeval.testing import strategies as cst
from cityeval.testing.conformance import (
    ConformanceError,
    check_framework_plugin,
    generated_dataset,
    score_range,
)
from cityeval.testing.pytest_plugin import registered_framework_ids

MINMAX = Pipeline(
    steps=(
        Step(StepKind.NORMALISE, "minmax", {"lower": 0, "upper": 10}),
        Step(StepKind.AGGREGATE, "arithmetic"),
    )
)


def small(**changes: object) -> Framework:
    fw = Framework(
        "small",
        Label(en="Small"),
        ("dimension", "indicator"),
        (
            Dimension(
                "d",
                Label(en="D"),
                indicators=(Indicator("i", Label(en="I")), Indicator("j", Label(en="J"))),
            ),
        ),
        pipeline=MINMAX,
    )
    return attrs.evolve(fw, **changes)


def test_a_good_framework_passes() -> None:
    bands = (Band(Label(en="low"), upper=5), Band(Label(en="high"), lower=5))
    report = check_framework_plugin(small(bands=bands))
    assert report.checks == [
        "round trip yaml",
        "round trip json",
        "round trip toml",
        "pipeline resolves",
        "bands cover [0, 10]",
        "scores generated data",
        "scores are reproducible",
        "unit order does not matter",
        "better values never lower the index",
    ]
    assert report.results is not None and report.results.top_id == "d"


class BrokenMethods:
    """A plugin with two faulty normalisations the conformance check must catch."""

    @staticmethod
    def upside_down(x: object, direction: object) -> object:
        """Min-max the wrong way round: better values score lower."""
        from cityeval.methods.normalise import minmax

        return 10.0 - minmax(x, direction, lower=0.0, upper=10.0)

    @staticmethod
    def noisy(x: object, direction: object) -> object:
        """Scores that change from one run to the next."""
        values = np.asarray(x, dtype=np.float64)
        return values + np.random.default_rng().normal(size=values.shape)

    @hookimpl
    def cityeval_register_methods(self, registry: MethodRegistry) -> None:
        registry.add_method("normalise", "upside-down", self.upside_down)
        registry.add_method("normalise", "noisy", self.noisy)


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("upside-down", "a better value lowered unit U01's overall index: i ("),
        ("noisy", "scoring the same data twice gave different scores"),
    ],
)
def test_faulty_methods_are_caught(host_with: Any, method: str, expected: str) -> None:
    host = host_with(("broken", BrokenMethods()))
    pipe = Pipeline(steps=(Step(StepKind.NORMALISE, method), MINMAX.steps[1]))
    with pytest.raises(ConformanceError) as exc:
        check_framework_plugin(small(pipeline=pipe), host=host)
    assert expected in str(exc.value)


def test_bands_that_leave_gaps_fail() -> None:
    bands = (Band(Label(en="low"), lower=0, upper=4), Band(Label(en="high"), lower=5, upper=10))
    with pytest.raises(ConformanceError) as exc:
        check_framework_plugin(small(bands=bands))
    assert "bands leave scores of the index uncovered: [4, 5), [10, 10]" in str(exc.value)


def test_an_unknown_method_fails() -> None:
    pipe = Pipeline(steps=(Step(StepKind.NORMALISE, "minmaxx"), Step(StepKind.AGGREGATE, "mean")))
    with pytest.raises(ConformanceError) as exc:
        check_framework_plugin(small(pipeline=pipe))
    message = str(exc.value)
    assert "unknown normalise method 'minmaxx'" in message
    assert "unknown aggregate method 'mean'" in message
    assert "pipeline does not resolve" in message


def test_score_range_is_known_only_for_means_of_known_scales() -> None:
    assert score_range(small(), MINMAX) == (0.0, 10.0)
    zscore = Pipeline(steps=(Step(StepKind.NORMALISE, "zscore"), MINMAX.steps[1]))
    assert score_range(small(), zscore) is None
    identity = Pipeline(steps=(Step(StepKind.NORMALISE, "identity"), MINMAX.steps[1]))
    assert score_range(small(), identity) is None  # ratio indicators without bounds


def test_registered_frameworks_can_be_listed_by_plugin() -> None:
    assert "spbe-2020" in registered_framework_ids()
    assert registered_framework_ids("spbe") == ["spbe-2020"]


@settings(max_examples=15, deadline=None)
@given(cst.frameworks(template=None))
def test_every_generated_framework_conforms(fw: Framework) -> None:
    check_framework_plugin(fw)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_generated_data_weights_and_pipelines_score(data: st.DataObject) -> None:
    fw = data.draw(cst.frameworks())
    fw = fw.replace_weights(data.draw(cst.framework_weights(fw)))
    dataset = data.draw(cst.datasets(fw, missing=True))
    pipeline = data.draw(cst.pipelines())
    results = score(fw, dataset, pipeline)
    assert results.aggregates.shape == (dataset.n_units, len(results.aggregate_ids))
    # Reordering the units reorders every score and nothing else.
    order = np.arange(dataset.n_units)[::-1]
    assert dataset.times is None and not dataset.groups and not dataset.denominators
    reordered = attrs.evolve(
        dataset,
        units=tuple(dataset.units[u] for u in order),
        names=tuple(dataset.names[u] for u in order),
        values=np.asarray(dataset.values)[order],
    )
    again = score(fw, reordered, pipeline)
    np.testing.assert_allclose(again.scores, results.scores[order], equal_nan=True)
    # Weighted arithmetic means: every aggregate is the mean of its children's scores with
    # the framework's weights (equal ones under 'equal'), over the children present.
    aggregate = pipeline.get(StepKind.AGGREGATE)
    assert aggregate is not None
    if aggregate.method != "arithmetic" or aggregate.threshold is not None:
        return
    equal = any(s.step is StepKind.WEIGHT and s.method == "equal" for s in pipeline.steps)
    for node in fw.aggregates():
        children = node.members
        values = np.stack([results.score(c.id) for c in children], axis=-1)
        w = np.array([1.0 if equal else c.weight for c in children])
        w = np.where(np.isnan(values), 0.0, w)
        with np.errstate(invalid="ignore", divide="ignore"):
            expected = np.nansum(values * w, axis=-1) / w.sum(axis=-1)
        expected[w.sum(axis=-1) == 0] = np.nan
        np.testing.assert_allclose(results.score(node.id), expected, rtol=1e-9, equal_nan=True)


def test_generated_dataset_respects_scales() -> None:
    ds = generated_dataset(small(), n_units=5)
    assert ds.units == ("U01", "U02", "U03", "U04", "U05")

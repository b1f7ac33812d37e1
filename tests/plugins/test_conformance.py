"""The conformance kit for framework plugins, and the new hypothesis strategies."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cityeval import Dimension, Framework, Indicator, Label
from cityeval.engine import score
from cityeval.model import Band, Pipeline, Step, StepKind
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
    ]
    assert report.results is not None and report.results.top_id == "d"


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
    results = score(fw, dataset, data.draw(cst.pipelines()))
    assert results.aggregates.shape == (dataset.n_units, len(results.aggregate_ids))


def test_generated_dataset_respects_scales() -> None:
    ds = generated_dataset(small(), n_units=5)
    assert ds.units == ("U01", "U02", "U03", "U04", "U05")

"""Giffinger et al. (2007): structure, grades, the z-score method and the coverage rule."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cityeval import Direction, Framework, Grade, get_framework
from cityeval.data import Dataset
from cityeval.engine import score
from cityeval.model import StepKind
from cityeval.plugins import get_host
from cityeval.testing.conformance import check_framework_plugin


@pytest.fixture(scope="module")
def fw() -> Framework:
    return get_framework("giffinger-2007")


def test_registered_with_its_crosswalk() -> None:
    host = get_host()
    assert host.frameworks.get("giffinger-2007").plugin == "giffinger"
    assert host.crosswalks.get("gerakan100-to-giffinger-2007").plugin == "giffinger"


def test_conformance() -> None:
    assert "scores generated data" in check_framework_plugin("giffinger-2007").checks


def test_six_characteristics_31_factors_74_indicators(fw: Framework) -> None:
    assert [d.id for d in fw.dimensions] == [
        "economy",
        "people",
        "governance",
        "mobility",
        "environment",
        "living",
    ]
    assert [len(d.children) for d in fw.dimensions] == [6, 7, 3, 4, 4, 7]
    assert len(fw.indicators()) == 74
    counts = [sum(len(f.indicators) for f in d.children) for d in fw.dimensions]
    assert counts == [12, 15, 9, 9, 9, 20]


def test_factors_and_indicators_are_graded_u(fw: Framework) -> None:
    for dim in fw.dimensions:
        assert {s.grade for s in dim.sources} == {Grade.A, Grade.B}
        for factor in dim.children:
            assert factor.sources[0].grade is Grade.U
    assert all([s.grade for s in ind.sources] == [Grade.U] for ind in fw.indicators())
    assert fw.note is not None and "grade U" in fw.note
    # a few factor names have corroboration, never presented as more than that
    assert fw.node("economy.productivity").sources[1].grade is Grade.B
    assert fw.node("people.creativity").sources[1].grade is Grade.C
    assert len(fw.node("governance.transparent-governance").sources) == 1


def test_the_default_pipeline_is_giffingers_method(fw: Framework) -> None:
    assert fw.pipeline is not None
    normalise = fw.pipeline.get(StepKind.NORMALISE)
    aggregate = fw.pipeline.get(StepKind.AGGREGATE)
    assert normalise is not None and normalise.method == "zscore"
    assert aggregate is not None and aggregate.method == "arithmetic"
    assert aggregate.threshold == 0.75
    assert fw.note is not None and "every aggregation level" in fw.note
    assert fw.node("living.individual-safety.1").direction is Direction.LOWER  # type: ignore[union-attr]


def data(fw: Framework, n: int = 6, seed: int = 1) -> Dataset:
    ids = tuple(i.id for i in fw.indicators())
    values = np.random.default_rng(seed).normal(50, 10, size=(n, len(ids)))
    return Dataset(tuple(f"C{u}" for u in range(n)), ids, values)


def test_z_scores_add_up_to_a_zero_mean_index(fw: Framework) -> None:
    results = score(fw, data(fw))
    assert np.nanmean(results.normalised, axis=0) == pytest.approx(0.0, abs=1e-12)
    assert float(np.mean(results.score("giffinger-2007"))) == pytest.approx(0.0, abs=1e-12)


def test_cities_with_too_little_data_are_not_ranked(fw: Framework) -> None:
    ds = data(fw)
    values = np.array(ds.values)
    values[0, : int(0.5 * values.shape[1])] = np.nan  # city C0 lacks half its indicators
    values[1, ::10] = np.nan  # city C1 lacks one in ten
    results = score(fw, ds.with_values(values))
    index = results.score("giffinger-2007")
    assert math.isnan(float(index[0])) and math.isnan(float(results.rank("giffinger-2007")[0]))
    assert not math.isnan(float(index[1]))

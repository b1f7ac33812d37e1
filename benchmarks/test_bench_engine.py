"""pytest-benchmark cases for the engine; quick ordinary tests unless benchmarking is enabled.

``pytest benchmarks --benchmark-enable`` times them at the reduced size (40 x 30);
``CITYEVAL_BENCH_FULL=1`` switches to the full 514 x 300 workload.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest

from benchmarks.agreement import max_difference
from benchmarks.bench_engine import TOLERANCE, aggregation_only, skcriteria_case
from benchmarks.reference_loop import ReferenceResult, reference_index
from benchmarks.synthetic import FULL, GROUP, REDUCED, Workload, make_workload
from cityeval.engine import Results, score

SIZE = FULL if os.environ.get("CITYEVAL_BENCH_FULL") == "1" else REDUCED


@pytest.fixture(scope="module")
def workload() -> Workload:
    return make_workload(SIZE)


@pytest.fixture(scope="module")
def results(workload: Workload) -> Results:
    return score(*workload)


def _reference(workload: Workload) -> ReferenceResult:
    ds = workload.dataset
    return reference_index(
        workload.framework, ds.values.tolist(), ds.indicators, list(ds.groups[GROUP])
    )


def test_build(benchmark: Any, workload: Workload) -> None:
    results = benchmark(score, *workload)
    assert results.aggregates.shape == (SIZE.n_units, len(results.aggregate_ids))


def test_reference_loop(benchmark: Any, workload: Workload, results: Results) -> None:
    reference = benchmark(_reference, workload)
    assert max_difference(results, reference) <= TOLERANCE


def test_aggregate_only(benchmark: Any, workload: Workload, results: Results) -> None:
    data, pipeline = aggregation_only(workload, np.ascontiguousarray(results.normalised))
    again = benchmark(score, workload.framework, data, pipeline)
    np.testing.assert_allclose(again.aggregates, results.aggregates, rtol=0, atol=TOLERANCE)


def test_skcriteria_weighted_sum(benchmark: Any, workload: Workload, results: Results) -> None:
    effective = workload.framework.effective_weights(within="index")
    weights = np.array([effective[i] for i in workload.dataset.indicators])
    evaluate = skcriteria_case(
        np.ascontiguousarray(results.normalised),
        weights,
        workload.dataset.units,
        workload.dataset.indicators,
    )
    ranking = benchmark(evaluate)
    np.testing.assert_allclose(
        ranking.e_.score, results.score(results.top_id), rtol=0, atol=TOLERANCE
    )

"""A Dask cluster on loopback gives exactly the in-process results."""

from __future__ import annotations

import numpy as np
import pytest

from cityeval.data import Dataset
from cityeval.model import Framework, Pipeline
from cityeval.uncertainty import loads_spec, prepare, run_analysis

distributed = pytest.importorskip("distributed")

SPEC = """
draws: 16
seed: 3
method: sobol
factors:
  pillar_weights: {step: weight, level: 2, noise: 0.3}
  normalisation: {step: normalise, choices: [minmax, zscore]}
  aggregation: {step: aggregate, choices: [arithmetic, geometric]}
"""


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_dask_cluster_gives_the_in_process_results(
    toy: tuple[Framework, Dataset, Pipeline],
) -> None:
    fw, data, pipe = toy
    prepared = prepare(fw, data, pipe, loads_spec(SPEC))
    expected = run_analysis(prepared)
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            host="127.0.0.1",
            protocol="tcp",  # in-process workers, talking over loopback TCP
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        got = run_analysis(prepared, executor=client.get_executor(), batch_size=10)
    for k in expected.rank:
        np.testing.assert_array_equal(got.rank[k], expected.rank[k])
        np.testing.assert_array_equal(got.score[k], expected.score[k])
    np.testing.assert_array_equal(got.outputs, expected.outputs)
    assert got.sobol is not None and expected.sobol is not None
    np.testing.assert_array_equal(got.sobol.ST, expected.sobol.ST)

"""The audit benchmark's reference agrees with the kernel it times (reduced size, no timing)."""

from __future__ import annotations

import numpy as np
from benchmarks.bench_audit import pairwise_reference
from benchmarks.synthetic import REDUCED, make_workload

from cityeval.audit.coefficients import pearson_matrix
from cityeval.engine import score


def test_pearson_kernel_agrees_with_the_benchmarks_reference() -> None:
    work = make_workload(REDUCED)
    raw = score(work.framework, work.dataset, work.pipeline).stages["raw"]
    assert np.isnan(raw).any()
    fast, slow = pearson_matrix(raw), pairwise_reference(raw)
    np.testing.assert_array_equal(np.isnan(fast), np.isnan(slow))
    np.testing.assert_allclose(fast, slow, atol=1e-12)

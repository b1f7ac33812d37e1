"""The vectorised Sobol' estimators against SALib and against the Ishigami function."""

from __future__ import annotations

import numpy as np
import pytest

from cityeval.uncertainty.sobol import saltelli_blocks, sobol_indices

SALib = pytest.importorskip("SALib")
from SALib.analyze import sobol as salib_analyze  # noqa: E402
from SALib.sample import sobol as salib_sample  # noqa: E402

PROBLEM = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
A, B = 7.0, 0.1


def ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[:, 0]) + A * np.sin(x[:, 1]) ** 2 + B * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices() -> tuple[np.ndarray, np.ndarray]:
    """Analytic first-order and total indices (Ishigami & Homma 1990; Sobol' & Levitan 1999)."""
    v1 = 0.5 * (1 + B * np.pi**4 / 5) ** 2
    v2 = A**2 / 8
    v13 = B**2 * np.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


def test_agrees_with_salib_on_every_output() -> None:
    x = salib_sample.sample(PROBLEM, 512, calc_second_order=False, seed=3)
    y = ishigami(x)
    outputs = np.column_stack([y, y**2, np.round(y), x[:, 0]])
    mine = sobol_indices(outputs, 3, num_resamples=50, seed=17)
    for j in range(outputs.shape[1]):
        ref = salib_analyze.analyze(
            PROBLEM, outputs[:, j], calc_second_order=False, num_resamples=50, seed=17
        )
        for key in ("S1", "S1_conf", "ST", "ST_conf"):
            np.testing.assert_allclose(
                getattr(mine, key)[j], ref[key], rtol=1e-9, atol=1e-12, err_msg=key
            )


def test_agrees_with_salib_with_groups() -> None:
    problem = {**PROBLEM, "groups": ["a", "a", "b"]}
    x = salib_sample.sample(problem, 256, calc_second_order=False, seed=5)
    y = ishigami(x)
    mine = sobol_indices(y, 2, seed=2)
    ref = salib_analyze.analyze(problem, y, calc_second_order=False, seed=2)
    np.testing.assert_allclose(mine.S1[0], ref["S1"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(mine.ST_conf[0], ref["ST_conf"], rtol=1e-9, atol=1e-12)


def test_recovers_the_ishigami_indices_within_their_intervals() -> None:
    x = salib_sample.sample(PROBLEM, 2**13, calc_second_order=False, seed=20190611)
    got = sobol_indices(ishigami(x), 3, num_resamples=200, seed=1)
    s1, st = ishigami_indices()
    assert np.all(np.abs(got.S1[0] - s1) <= got.S1_conf[0]), (got.S1[0], s1, got.S1_conf[0])
    assert np.all(np.abs(got.ST[0] - st) <= got.ST_conf[0]), (got.ST[0], st, got.ST_conf[0])
    assert np.all(got.S1_conf[0] < 0.05)


def test_a_constant_output_has_zero_indices() -> None:
    y = np.ones((5 * 64, 2))
    y[:, 1] = np.arange(y.shape[0]) % 5  # varies with the block row only: A vs AB vs B
    got = sobol_indices(y, 3, seed=0)
    assert np.all(got.S1[0] == 0) and np.all(got.ST[0] == 0) and np.all(got.ST_conf[0] == 0)


def test_rows_must_fill_whole_blocks() -> None:
    with pytest.raises(ValueError, match="not a multiple of n_factors \\+ 2 = 5"):
        saltelli_blocks(np.zeros(12), 3)

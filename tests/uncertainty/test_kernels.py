"""The analysis's own fast paths against the library's reference kernels and numpy."""

from __future__ import annotations

import numpy as np
import pytest

from cityeval.methods.ranking import rank_descending
from cityeval.uncertainty.batch import rank_units
from cityeval.uncertainty.stats import QUANTILES, counted_summary, rank_summary


def _reference(scores: np.ndarray) -> np.ndarray:
    return np.moveaxis(rank_descending(np.moveaxis(np.round(scores, 9), -1, -2)), -2, -1)


@pytest.mark.parametrize("seed", range(30))
def test_packed_ranking_equals_rank_descending(seed: int) -> None:
    rng = np.random.default_rng(seed)
    scores = np.round(rng.normal(50, 20, size=(4, 23, 5)), int(rng.integers(0, 3)))
    if seed % 2:
        scores[rng.random(scores.shape) < 0.15] = np.nan
    if seed % 3 == 0:
        scores *= 1e-4  # ties decided at the ninth decimal
    scores.flags.writeable = False
    np.testing.assert_array_equal(rank_units(scores), _reference(scores))


def test_huge_scores_fall_back_to_the_kernel() -> None:
    scores = np.random.default_rng(1).normal(0, 1e9, size=(3, 40, 2))
    np.testing.assert_array_equal(rank_units(scores), _reference(scores))


def test_counted_summary_equals_numpy_on_the_expanded_sample() -> None:
    rng = np.random.default_rng(2)
    values = rng.normal(size=(6, 9))
    counts = rng.integers(0, 5, size=(6, 9))
    counts[0] += 1
    q05, median, q95, mean = counted_summary(values, counts)
    for u in range(9):
        expanded = np.repeat(values[:, u], counts[:, u])
        np.testing.assert_allclose([q05[u], median[u], q95[u]], np.quantile(expanded, QUANTILES))
        np.testing.assert_allclose(mean[u], expanded.mean())


def test_rank_summary_ignores_missing_ranks() -> None:
    ranks = np.array([[1, 2], [3, 0], [2, 0], [1, 0]], dtype=np.int64)
    q05, median, q95, mean = rank_summary(ranks, 3)
    np.testing.assert_allclose(median, [1.5, 2.0])
    np.testing.assert_allclose(mean, [1.75, 2.0])
    np.testing.assert_allclose(q05, [np.quantile([1, 3, 2, 1], 0.05), 2.0])
    assert q95[1] == 2.0

"""The analysis's own fast paths against the library's reference kernels and numpy."""

from __future__ import annotations

import numpy as np
import pytest

from cityeval.methods.ranking import rank_descending
from cityeval.uncertainty import loads_spec, prepare
from cityeval.uncertainty.batch import _general_levels, decode, evaluate_nodes, rank_units
from cityeval.uncertainty.plan import Plan
from cityeval.uncertainty.ranks import rank_codes
from cityeval.uncertainty.stats import QUANTILES, counted_summary, rank_summary

from .conftest import PIPELINE, make_dataset, make_framework


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


def _general_only(plan: Plan, x: np.ndarray) -> np.ndarray:
    """Every draw through the matrix kernels, as before the phi-space shortcut."""
    decoded = decode(plan, x)
    out = np.empty((plan.n_varying_nodes, x.shape[0], plan.n_units))
    for g in np.unique(decoded.group):
        idx = np.flatnonzero(decoded.group == g)
        method, kwargs = plan.methods[int(g) % plan.n_methods]
        _general_levels(plan, decoded, idx, plan.inputs[int(g)], method, kwargs, out)
    return out


@pytest.mark.parametrize(
    "factors",
    [
        "  pillar_weights: {step: weight, level: 2, noise: 0.5}\n"
        "  aggregation: {step: aggregate, choices: [arithmetic, geometric, harmonic]}\n"
        "  normalisation: {step: normalise, choices: [minmax, zscore]}\n",
        # each dimension has one pillar: excluding it leaves the dimension without weight,
        # so those draws (and only those) take the matrix kernels
        "  dropped: {step: exclude, level: 2}\n"
        "  aggregation: {step: aggregate, choices: [arithmetic, geometric]}\n",
    ],
)
def test_phi_space_levels_equal_the_matrix_kernels(factors: str) -> None:
    fw = make_framework(single_child_pillars=True)
    data = make_dataset(fw)
    spec = loads_spec(f"draws: 60\nseed: 3\nmethod: monte-carlo\nfactors:\n{factors}")
    plan = prepare(fw, data, PIPELINE, spec).plan
    x = np.asarray(prepare(fw, data, PIPELINE, spec).sample)
    _, fast = evaluate_nodes(plan, x)
    np.testing.assert_allclose(fast, _general_only(plan, x), rtol=1e-12, atol=1e-12)
    # a draw's bits do not depend on the other draws of its batch
    for rows in (slice(0, 1), slice(7, 19), slice(40, 60)):
        np.testing.assert_array_equal(evaluate_nodes(plan, x[rows])[1], fast[:, rows])


def test_rank_codes_count_what_rank_units_gives() -> None:
    rng = np.random.default_rng(8)
    rows = np.round(rng.normal(50, 20, size=(30, 17)), 0)
    rows[rng.random(rows.shape) < 0.1] = np.nan
    codes = rank_codes(rows)
    ranks = np.nan_to_num(_reference(rows.T[np.newaxis]).T[..., 0], nan=0.0)
    expected = np.sort(ranks.astype(np.int64) * 17 + np.arange(17), axis=-1)
    np.testing.assert_array_equal(np.sort(codes, axis=-1), expected)

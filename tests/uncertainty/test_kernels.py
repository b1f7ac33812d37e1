"""The analysis's own fast paths against the library's reference kernels and numpy."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cityeval.methods.ranking import rank_descending
from cityeval.uncertainty import loads_spec, prepare
from cityeval.uncertainty.batch import _general_levels, decode, evaluate_nodes, rank_units
from cityeval.uncertainty.plan import Plan
from cityeval.uncertainty.ranks import ROW_BLOCK, rank_codes
from cityeval.uncertainty.stats import (
    QUANTILES,
    binned_order_statistics,
    counted_summary,
    order_statistics,
    rank_summary,
    sample_summary,
)

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
        _, kwargs = plan.methods[int(g) % plan.n_methods]
        form = plan.kernels[int(g) % plan.n_methods]
        _general_levels(plan, decoded, idx, plan.inputs[int(g)], form, kwargs, out)
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


def test_rank_codes_across_row_blocks_equal_the_reference() -> None:
    # More rows than one cache block: blocks with ties, missing scores, and scores too large
    # for the packed keys (the general kernel) side by side.
    rng = np.random.default_rng(21)
    n_rows = 2 * ROW_BLOCK + 37
    rows = np.round(rng.normal(50, 20, size=(n_rows, 19)), 1)
    rows[:ROW_BLOCK][rng.random((ROW_BLOCK, 19)) < 0.1] = np.nan
    rows[ROW_BLOCK + 5] = 1e12  # every unit tied, beyond the packed keys' range
    rows[ROW_BLOCK + 6, :3] = 2e12
    codes = rank_codes(rows)
    ranks = np.nan_to_num(_reference(rows.T[np.newaxis]).T[..., 0], nan=0.0)
    expected = np.sort(ranks.astype(np.int64) * 19 + np.arange(19), axis=-1)
    np.testing.assert_array_equal(np.sort(codes, axis=-1), expected)


@settings(max_examples=150, deadline=None)
@given(
    rows=arrays(
        np.float64,
        st.tuples(st.integers(1, 4), st.integers(1, 60)),
        elements=st.floats(-1e6, 1e6, allow_nan=False, width=64),
    ),
    data=st.data(),
)
def test_order_statistics_equal_a_full_sort(rows: np.ndarray, data: st.DataObject) -> None:
    n = rows.shape[1]
    positions = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=8))
    expected = np.sort(rows, axis=-1)
    work = rows.copy()
    found = order_statistics(work, positions)
    assert set(found) == set(positions)
    for k in positions:
        np.testing.assert_array_equal(found[k], expected[:, k])
    np.testing.assert_array_equal(np.sort(work, axis=-1), expected)  # values only reordered


@settings(max_examples=150, deadline=None)
@given(
    rows=arrays(
        st.sampled_from([np.float32, np.float64]),
        st.tuples(st.integers(1, 12), st.integers(1, 80)),
        elements=st.one_of(
            st.floats(-1e6, 1e6, allow_nan=False, width=32),
            st.sampled_from([0.0, 1.0, -2.5, 1e-300, 3.0 + 2**-40, 3.0]),
        ),
    ),
    n_bins=st.sampled_from([1, 2, 3, 16, 1024]),
    data=st.data(),
)
def test_binned_order_statistics_equal_a_full_sort(
    rows: np.ndarray, n_bins: int, data: st.DataObject
) -> None:
    # Ties, constant rows, tiny and wide spans, few bins (most values in one bin), rows
    # binned a few at a time.
    n = rows.shape[1]
    positions = data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=8))
    expected = np.sort(rows, axis=-1)
    before = rows.copy()
    found = binned_order_statistics(rows, positions, n_bins)
    assert set(found) == set(positions)
    for k in positions:
        assert found[k].dtype == rows.dtype
        np.testing.assert_array_equal(found[k], expected[:, k])
    np.testing.assert_array_equal(rows, before)  # left as it was


def test_binned_order_statistics_with_infinite_values_equal_a_full_sort() -> None:
    rows = np.array([[3.0, -np.inf, 1.0, np.inf], [2.0, 2.0, 0.5, 7.0]])
    found = binned_order_statistics(rows, [0, 1, 3])
    for k in (0, 1, 3):
        np.testing.assert_array_equal(found[k], np.sort(rows, axis=-1)[:, k])


def test_binned_order_statistics_over_many_chunks_equal_a_full_sort(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cityeval.uncertainty import selection

    monkeypatch.setattr(selection, "SELECT_CHUNK", 500)  # 2 rows of 250 per chunk
    rows = np.random.default_rng(3).normal(size=(37, 250))
    rows[5] = 4.0
    positions = [0, 12, 124, 125, 236, 249]
    found = binned_order_statistics(rows, positions, 64)
    for k in positions:
        np.testing.assert_array_equal(found[k], np.sort(rows, axis=-1)[:, k])


@settings(max_examples=100, deadline=None)
@given(
    block=arrays(
        st.sampled_from([np.float32, np.float64]),
        st.tuples(st.integers(1, 90), st.integers(1, 5)),
        elements=st.floats(-1e3, 1e3, allow_nan=False, width=32),
    )
)
def test_sample_summary_equals_numpy(block: np.ndarray) -> None:
    q05, median, q95, mean = sample_summary(block)
    wide = block.astype(np.float64)
    q = np.quantile(wide, QUANTILES, axis=0)
    np.testing.assert_array_equal(q05, q[0])
    np.testing.assert_array_equal(median, q[1])
    np.testing.assert_array_equal(q95, q[2])
    np.testing.assert_allclose(mean, wide.mean(axis=0), rtol=1e-12, atol=1e-9)
    for values in (q05, median, q95, mean):
        assert values.dtype == np.float64


@settings(max_examples=200, deadline=None)
@given(
    base=arrays(
        np.float64,
        st.tuples(st.integers(1, 6), st.integers(2, 40)),
        elements=st.sampled_from([0.0, 1.0, 50.0, 50.000000001, 50.0000000004, 99.9, -3.5]),
    ),
    noise=st.sampled_from([0.0, 1e-10, 1e-9, 1e-6, 10.0]),
    seed=st.integers(0, 2**16),
)
def test_rank_codes_through_32_bit_keys_equal_the_reference(
    base: np.ndarray, noise: float, seed: int
) -> None:
    # Complete rows (the 32-bit keys' case) full of ties, near-ties at the ninth decimal and
    # wide ranges, so that rows both pass and fall back to the exact keys.
    rows = base + noise * np.random.default_rng(seed).standard_normal(base.shape)
    u = rows.shape[1]
    ranks = _reference(rows.T[np.newaxis]).T[..., 0].astype(np.int64)
    expected = np.sort(ranks * u + np.arange(u), axis=-1)
    np.testing.assert_array_equal(np.sort(rank_codes(rows), axis=-1), expected)


def test_sample_summary_of_no_draws_is_missing() -> None:
    for values in sample_summary(np.empty((0, 3), dtype=np.float32)):
        assert values.shape == (3,) and np.isnan(values).all()


def test_sample_summary_leaves_out_missing_scores() -> None:
    block = np.array([[1.0, np.nan], [3.0, np.nan], [2.0, np.nan]])
    q05, median, q95, mean = sample_summary(block)
    np.testing.assert_allclose([q05[0], median[0], q95[0], mean[0]], [1.1, 2.0, 2.9, 2.0])
    assert np.isnan([q05[1], median[1], q95[1], mean[1]]).all()


def test_binned_order_statistics_of_a_subnormal_span_equal_a_full_sort() -> None:
    rows = np.array([[0.0, 5e-324, 0.0, 1e-323], [1.0, 2.0, 3.0, 4.0]])
    found = binned_order_statistics(rows, [0, 1, 2, 3])
    for k in range(4):
        np.testing.assert_array_equal(found[k], np.sort(rows, axis=-1)[:, k])


@settings(max_examples=100, deadline=None)
@given(
    counts=arrays(
        np.int32,
        st.tuples(st.integers(1, 40), st.integers(1, 6)),
        elements=st.one_of(st.just(0), st.integers(0, 3), st.integers(0, 10_000)),
    )
)
def test_histogram_summary_equals_the_general_counted_summary(counts: np.ndarray) -> None:
    # The sort-free summary of rank counts against counted_summary, which sorts.
    from cityeval.uncertainty.stats import histogram_summary

    values = np.arange(counts.shape[0], dtype=np.float64)[:, np.newaxis]
    values[0] = np.nan
    expected = counted_summary(values, counts)
    for got, want in zip(histogram_summary(counts), expected, strict=True):
        np.testing.assert_array_equal(got, want)

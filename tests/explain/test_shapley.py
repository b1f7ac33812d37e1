"""Shapley kernels against a brute-force reference, and their invariants."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from itertools import permutations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cityeval.explain import kernels, shapley
from cityeval.methods import aggregate as agg

AGGREGATORS: dict[str, Callable[..., np.ndarray]] = {
    "median": agg.median,
    "minimum": agg.minimum,
    "harmonic": agg.harmonic,
    "power_mean": partial(agg.power_mean, p=2.0),
    "geometric": agg.geometric,
    "copeland": agg.copeland,
    "arithmetic": agg.arithmetic,
}


def reference_shapley(f: Callable[..., np.ndarray], x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Plain Shapley values: average marginal contributions over every order of children."""
    n_units, c = x.shape

    def v(members: frozenset[int]) -> np.ndarray:
        if not members:
            return np.zeros(n_units)
        masked = x.copy()
        for j in range(c):
            if j not in members:
                masked[:, j] = np.nan
        return np.nan_to_num(np.asarray(f(masked, w), dtype=float), nan=0.0)

    phi = np.zeros((n_units, c))
    orders = list(permutations(range(c)))
    for order in orders:
        seen: frozenset[int] = frozenset()
        for j in order:
            phi[:, j] += v(seen | {j}) - v(seen)
            seen = seen | {j}
    return phi / len(orders)


values_and_weights = st.tuples(st.integers(1, 4), st.integers(1, 5)).flatmap(
    lambda shape: st.tuples(
        arrays(np.float64, shape, elements=st.floats(0.5, 100)),
        arrays(np.float64, (shape[1],), elements=st.floats(0.1, 10)),
    )
)


@pytest.mark.parametrize("name", sorted(AGGREGATORS))
@given(data=values_and_weights)
def test_exact_matches_the_brute_force_reference(
    name: str, data: tuple[np.ndarray, np.ndarray]
) -> None:
    x, w = data
    f = AGGREGATORS[name]
    np.testing.assert_allclose(shapley.exact(f, x, w), reference_shapley(f, x, w), atol=1e-9)


@pytest.mark.parametrize("name", sorted(AGGREGATORS))
@given(data=values_and_weights)
def test_exact_values_sum_to_the_score(name: str, data: tuple[np.ndarray, np.ndarray]) -> None:
    x, w = data
    f = AGGREGATORS[name]
    np.testing.assert_allclose(shapley.exact(f, x, w).sum(axis=1), f(x, w), atol=1e-9)


def test_a_missing_child_gets_nothing() -> None:
    x = np.array([[10.0, np.nan, 30.0], [5.0, 6.0, 7.0]])
    phi = shapley.exact(agg.median, x, np.ones(3))
    assert phi[0, 1] == 0.0
    np.testing.assert_allclose(phi.sum(axis=1), agg.median(x, np.ones(3)))


def test_sampled_sums_exactly_and_approaches_exact() -> None:
    rng = np.random.default_rng(1)
    x = rng.uniform(1, 100, size=(4, 6))
    w = rng.uniform(0.5, 2, size=6)
    est, se = shapley.sampled(agg.minimum, x, w, n_permutations=4000, seed=3)
    np.testing.assert_allclose(est.sum(axis=1), agg.minimum(x, w), atol=1e-9)
    exact = shapley.exact(agg.minimum, x, w)
    assert np.all(np.abs(est - exact) <= 5 * se + 1e-9)
    again, _ = shapley.sampled(agg.minimum, x, w, n_permutations=4000, seed=3)
    np.testing.assert_array_equal(est, again)  # deterministic for a seed


def test_exact_refuses_too_many_children() -> None:
    with pytest.raises(ValueError, match="at most 12"):
        shapley.exact(agg.median, np.ones((1, 13)), np.ones(13))


@given(
    arrays(np.float64, (3, 4), elements=st.floats(0.01, 100) | st.just(np.nan)),
    arrays(np.float64, (4,), elements=st.floats(0.1, 10)),
)
def test_log_shares_sum_to_the_geometric_mean(x: np.ndarray, w: np.ndarray) -> None:
    x.setflags(write=False)
    score = agg.geometric(x, w)
    logs, contrib = kernels.log_shares(x, w, score)
    ok = ~np.isnan(score)
    np.testing.assert_allclose(np.nansum(contrib, axis=1)[ok], score[ok], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(logs.sum(axis=1)[ok], np.log(score[ok]), atol=1e-9)


@given(
    arrays(np.float64, (3, 4), elements=st.floats(-100, 100) | st.just(np.nan)),
    arrays(np.float64, (4,), elements=st.floats(0.1, 10)),
)
def test_additive_sums_to_the_weighted_mean(x: np.ndarray, w: np.ndarray) -> None:
    x.setflags(write=False)
    score = agg.arithmetic(x, w)
    contrib = kernels.additive(x, w)
    ok = ~np.isnan(score)
    np.testing.assert_allclose(contrib.sum(axis=1)[ok], score[ok], atol=1e-9)
    assert np.isnan(contrib[~ok]).all()

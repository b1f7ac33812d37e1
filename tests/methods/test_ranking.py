"""Tests of the ranking kernels against plain-loop references, with named invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cityeval.methods import ranking as rk

from . import reference_agg as ref

NAN = np.nan


@st.composite
def score_arrays(draw: st.DrawFn, *, min_ndim: int = 1) -> np.ndarray:
    """Scores ``(b?, u)`` (or ``(b?, u, c)`` for ``min_ndim=2``) with ties and NaNs."""
    n_batch = draw(st.integers(0, 3))
    core = tuple(draw(st.integers(1, 7)) for _ in range(min_ndim))
    shape = (n_batch, *core) if n_batch else core
    elements = draw(
        st.sampled_from(
            [st.floats(-1e6, 1e6, allow_subnormal=False), st.integers(-3, 3).map(float)]
        )
    )
    x = draw(hnp.arrays(np.float64, shape, elements=elements))
    holes = draw(hnp.arrays(np.bool_, shape, elements=st.integers(0, 4).map(lambda k: k == 0)))
    return np.where(holes, NAN, x)


@given(scores=score_arrays())
def test_rank_agrees_with_reference(scores: np.ndarray) -> None:
    np.testing.assert_array_equal(rk.rank_descending(scores), ref.ref_rank_descending(scores))


@given(scores=score_arrays())
def test_rank_batch_equals_loop_and_input_is_not_mutated(scores: np.ndarray) -> None:
    before = scores.copy()
    scores.flags.writeable = False
    got = rk.rank_descending(scores)
    np.testing.assert_array_equal(scores, before)
    if scores.ndim == 2:
        for b in range(scores.shape[0]):
            np.testing.assert_array_equal(got[b], rk.rank_descending(scores[b]))


@given(data=st.data())
def test_rank_permutation_equivariance(data: st.DataObject) -> None:
    scores = data.draw(score_arrays())
    perm = np.asarray(data.draw(st.permutations(range(scores.shape[-1]))), dtype=np.intp)
    np.testing.assert_array_equal(
        rk.rank_descending(scores[..., perm]), rk.rank_descending(scores)[..., perm]
    )


@given(scores=score_arrays())
def test_rank_range_and_nan_do_not_count(scores: np.ndarray) -> None:
    got = rk.rank_descending(scores)
    assert np.array_equal(np.isnan(got), np.isnan(scores))
    n_scored = np.sum(~np.isnan(scores), axis=-1, keepdims=True)
    ok = ~np.isnan(got)
    assert np.all(got[ok] >= 1)
    assert np.all((got <= n_scored)[ok])
    # the best scored unit of every row has rank 1
    has = n_scored[..., 0] > 0
    assert np.all(np.nanmin(np.where(ok, got, np.inf), axis=-1)[has] == 1)


def test_ties_share_the_minimum_rank() -> None:
    got = rk.rank_descending([3.0, 1.0, 3.0, NAN, 2.0, 1.0])
    np.testing.assert_array_equal(got, [1.0, 4.0, 1.0, NAN, 3.0, 4.0])
    assert got.dtype == np.float64
    np.testing.assert_array_equal(rk.rank_descending([0.0, -0.0]), [1.0, 1.0])
    assert rk.rank_descending(np.empty((2, 0))).shape == (2, 0)
    with pytest.raises(ValueError, match="n_units"):
        rk.rank_descending(1.0)


@given(values=score_arrays(min_ndim=2), k=st.integers(1, 9))
def test_strongest_weakest_agrees_with_reference(values: np.ndarray, k: int) -> None:
    before = values.copy()
    values.flags.writeable = False
    got = rk.strongest_weakest(values, k)
    strong, weak = ref.ref_strongest_weakest(values, k)
    np.testing.assert_array_equal(got.strongest, strong)
    np.testing.assert_array_equal(got.weakest, weak)
    assert got.strongest.shape == (*values.shape[:-1], k)
    np.testing.assert_array_equal(values, before)


def test_strongest_weakest_example() -> None:
    values = np.array([[0.2, NAN, 0.9, 0.5], [NAN, NAN, NAN, NAN], [1.0, 1.0, 0.0, 2.0]])
    got = rk.strongest_weakest(values, 2)
    np.testing.assert_array_equal(got.strongest, [[2, 3], [-1, -1], [3, 0]])
    np.testing.assert_array_equal(got.weakest, [[0, 3], [-1, -1], [2, 0]])
    with pytest.raises(ValueError, match="k must"):
        rk.strongest_weakest(values, 0)

"""Tests of the weighting kernels: references, scikit-criteria, Saaty's worked example."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cityeval.methods import weighting as wt

from . import reference_agg as ref

NAN = np.nan


@st.composite
def data_matrices(
    draw: st.DrawFn, *, nonneg: bool = True, nan: bool = True, min_units: int = 3
) -> np.ndarray:
    """``(n_units, n_indicators)`` normalised-looking data with some NaN cells."""
    n_units = draw(st.integers(min_units, 12))
    n_ind = draw(st.integers(1, 5))
    lo = 0.0 if nonneg else -100.0
    x = draw(
        hnp.arrays(
            np.float64, (n_units, n_ind), elements=st.floats(lo, 100.0, allow_subnormal=False)
        )
    )
    if nan:
        holes = draw(
            hnp.arrays(np.bool_, x.shape, elements=st.integers(0, 9).map(lambda k: k == 0))
        )
        x = np.where(holes, NAN, x)
    return x


def _check_weights(w: np.ndarray, n: int) -> None:
    assert w.shape == (n,)
    assert np.all(w >= 0)
    np.testing.assert_allclose(w.sum(), 1.0)


def _informative(x: np.ndarray) -> bool:
    """At least two complete rows and one column that varies over them (with margin)."""
    xs = x[~np.isnan(x).any(axis=1)]
    return xs.shape[0] >= 2 and bool(np.any(np.ptp(xs, axis=0) > 1e-3))


# --------------------------------------------------------------------------------------------
# equal, normalise_weights
# --------------------------------------------------------------------------------------------


def test_equal() -> None:
    np.testing.assert_array_equal(wt.equal(4), [0.25] * 4)
    with pytest.raises(ValueError, match="at least 1"):
        wt.equal(0)


@given(
    w=hnp.arrays(
        np.float64, st.tuples(st.integers(1, 3), st.integers(1, 6)), elements=st.floats(0.01, 1e3)
    )
)
def test_normalise_weights_sums_to_one_and_is_idempotent(w: np.ndarray) -> None:
    w.flags.writeable = False
    out = wt.normalise_weights(w)
    np.testing.assert_allclose(out.sum(axis=-1), 1.0)
    np.testing.assert_allclose(wt.normalise_weights(out), out)
    np.testing.assert_allclose(wt.normalise_weights(w * 7.0), out)


@pytest.mark.parametrize(
    ("w", "match"),
    [
        ([1.0, -0.5, 1.0], r"weights\[1\] = -0.5 is negative"),
        ([1.0, NAN], r"weights\[1\] = nan is not finite"),
        ([1.0, np.inf], "not finite"),
        ([0.0, 0.0], "sum to zero"),
        ([[1.0, 1.0], [0.0, 0.0]], r"sum to zero \(batch index \(1,\)\)"),
    ],
)
def test_normalise_weights_errors(w: list[float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        wt.normalise_weights(w)


# --------------------------------------------------------------------------------------------
# entropy
# --------------------------------------------------------------------------------------------


@given(x=data_matrices())
def test_entropy_agrees_with_reference(x: np.ndarray) -> None:
    assume(_informative(x))
    x.flags.writeable = False
    got = wt.entropy(x)
    _check_weights(got, x.shape[1])
    np.testing.assert_allclose(got, ref.ref_entropy(x), rtol=1e-7, atol=1e-9)


def test_entropy_matches_scikit_criteria() -> None:
    pytest.importorskip("skcriteria")
    from skcriteria.preprocessing.weighters import entropy_weights

    rng = np.random.default_rng(11)
    x = rng.uniform(0.1, 1.0, size=(10, 4))
    np.testing.assert_allclose(wt.entropy(x), entropy_weights(x), rtol=1e-10)


def test_entropy_rows_with_nan_are_dropped_and_constants_get_zero() -> None:
    x = np.array([[1.0, 5.0, 2.0], [2.0, 5.0, NAN], [3.0, 5.0, 1.0], [0.0, 5.0, 7.0]])
    got = wt.entropy(x)
    np.testing.assert_allclose(got, wt.entropy(x[[0, 2, 3]]))
    assert got[1] == 0.0
    # a column of zeros has no distribution: no information, weight 0
    z = np.array([[0.0, 1.0], [0.0, 3.0]])
    np.testing.assert_allclose(wt.entropy(z), [0.0, 1.0])


@pytest.mark.parametrize(
    ("x", "match"),
    [
        ([[1.0, -1.0], [2.0, 3.0]], r"x\[0, 1\] = -1.0 is negative"),
        ([[1.0, 2.0], [1.0, 2.0]], "no indicator varies"),
        ([[1.0, 2.0], [NAN, 2.0]], "at least 2 units"),
        ([1.0, 2.0], "n_units, n_indicators"),
    ],
)
def test_entropy_errors(x: list[list[float]], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        wt.entropy(x)


# --------------------------------------------------------------------------------------------
# CRITIC
# --------------------------------------------------------------------------------------------


@given(x=data_matrices(nonneg=False))
def test_critic_agrees_with_reference(x: np.ndarray) -> None:
    assume(_informative(x))
    try:
        got = wt.critic(x)
    except ValueError:
        # every varying column perfectly correlated: the only refusal allowed here
        with pytest.raises(ValueError, match="perfectly correlated"):
            wt.critic(x)
        return
    _check_weights(got, x.shape[1])
    np.testing.assert_allclose(got, ref.ref_critic(x), rtol=1e-6, atol=1e-9)


def test_critic_matches_scikit_criteria() -> None:
    pytest.importorskip("skcriteria")
    from skcriteria.preprocessing.weighters import critic_weights

    rng = np.random.default_rng(5)
    x = rng.uniform(0.0, 10.0, size=(12, 5))
    expected = critic_weights(x, objectives=np.ones(5, dtype=int), correlation="pearson")
    np.testing.assert_allclose(wt.critic(x), expected, rtol=1e-10)


def test_critic_constant_column_gets_zero_and_degenerate_raises() -> None:
    x = np.array([[1.0, 2.0, 0.0], [2.0, 2.0, 1.0], [3.0, 2.0, 0.5], [0.0, 2.0, 0.7]])
    got = wt.critic(x)
    assert got[1] == 0.0
    np.testing.assert_allclose(got[[0, 2]], wt.critic(x[:, [0, 2]]))
    with pytest.raises(ValueError, match="perfectly correlated"):
        wt.critic(np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]]))


# --------------------------------------------------------------------------------------------
# PCA
# --------------------------------------------------------------------------------------------


@given(x=data_matrices(nonneg=False, min_units=4))
# Found by hypothesis: the variance of a column spanning 5e-288 underflowed to 0.
@example(x=np.array([[0.0, 1.0], [5.14684458e-288, 5.14684458e-288], [NAN, NAN], [NAN, NAN]]))
# Found by hypothesis: a varying column can have a zero loading (count the varying columns).
@example(
    x=np.array(
        [[1.0, 7, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 0, 1, 1], [0, 1, 1, 1, 1]]
    )
)
def test_pca_agrees_with_svd_reference(x: np.ndarray) -> None:
    assume(_informative(x))
    got = wt.pca(x)
    _check_weights(got.weights, x.shape[1])
    expected_w, expected_share = ref.ref_pca_weights(x)
    np.testing.assert_allclose(got.explained_variance, expected_share, rtol=1e-7, atol=1e-9)
    xs = x[~np.isnan(x).any(axis=1)]
    active = np.ptp(xs, axis=0) > 0
    assert 1.0 / active.sum() - 1e-9 <= got.explained_variance <= 1.0 + 1e-9
    # The first component is unique only when the top eigenvalue is separated from the next.
    z = xs[:, active] / np.ptp(xs[:, active], axis=0)
    eig = np.linalg.eigvalsh(np.corrcoef(z, rowvar=False)) if z.shape[1] > 1 else np.ones(1)
    if eig.size == 1 or eig[-1] - eig[-2] > 1e-3:
        np.testing.assert_allclose(got.weights, expected_w, atol=1e-6)


def test_pca_perfectly_correlated_pair_and_sign_convention() -> None:
    x = np.array([[1.0, 10.0], [2.0, 20.0], [4.0, 40.0]])
    got = wt.pca(x)
    np.testing.assert_allclose(got.weights, [0.5, 0.5])
    np.testing.assert_allclose(got.explained_variance, 1.0)
    assert got.loadings.sum() > 0
    # reversing one indicator flips its loading but not its (squared) weight
    flipped = wt.pca(x * np.array([1.0, -1.0]))
    np.testing.assert_allclose(flipped.weights, [0.5, 0.5])
    assert np.sign(flipped.loadings[0]) != np.sign(flipped.loadings[1])


def test_pca_constant_column_gets_zero() -> None:
    x = np.array([[1.0, 3.0, 2.0], [2.0, 3.0, 1.0], [3.0, 3.0, 4.0], [5.0, 3.0, 3.0]])
    got = wt.pca(x)
    assert got.weights[1] == 0.0
    assert got.loadings[1] == 0.0
    np.testing.assert_allclose(got.weights[[0, 2]], wt.pca(x[:, [0, 2]]).weights)
    with pytest.raises(ValueError, match="no indicator varies"):
        wt.pca(np.ones((3, 2)))


# --------------------------------------------------------------------------------------------
# AHP
# --------------------------------------------------------------------------------------------

# Saaty (2008), "Decision making with the analytic hierarchy process", Int. J. Services
# Sciences 1(1):83-98: relative consumption of drinks in the US. Order: coffee, wine, tea, beer,
# sodas, milk, water. Published eigenvector (3 d.p.) and CR = 0.022 (RI(7) = 1.32).
DRINKS = np.array(
    [
        [1, 9, 5, 2, 1, 1, 1 / 2],
        [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
        [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
        [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [1, 9, 4, 2, 1, 2, 1 / 2],
        [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [2, 9, 9, 3, 2, 3, 1],
    ]
)
DRINKS_WEIGHTS = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]
DRINKS_CR = 0.022


def test_ahp_reproduces_saaty_drinks_example() -> None:
    got = wt.ahp(DRINKS)
    np.testing.assert_allclose(got.weights, DRINKS_WEIGHTS, atol=5e-4)
    assert round(got.consistency_ratio, 3) == DRINKS_CR
    assert got.consistent
    assert got.lambda_max > 7
    np.testing.assert_allclose(got.consistency_index, (got.lambda_max - 7) / 6)
    w_ref, lam_ref = ref.ref_ahp_power_iteration(DRINKS)
    np.testing.assert_allclose(got.weights, w_ref, rtol=1e-8)
    np.testing.assert_allclose(got.lambda_max, lam_ref, rtol=1e-8)


@given(w=hnp.arrays(np.float64, st.integers(1, 9), elements=st.floats(0.05, 20.0)))
def test_ahp_consistent_matrix_recovers_the_weights(w: np.ndarray) -> None:
    a = w[:, None] / w[None, :]
    a.flags.writeable = False
    got = wt.ahp(a)
    np.testing.assert_allclose(got.weights, w / w.sum(), rtol=1e-8)
    np.testing.assert_allclose(got.lambda_max, len(w), rtol=1e-9)
    assert abs(got.consistency_ratio) < 1e-8
    assert got.consistent


def test_ahp_inconsistent_matrix_is_flagged() -> None:
    # a > b (9), b > c (9), but c > a (9): a cycle
    a = np.array([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]], dtype=float)
    got = wt.ahp(a)
    assert got.consistency_ratio > 0.1
    assert not got.consistent


@pytest.mark.parametrize(
    ("matrix", "match"),
    [
        ([[1.0, 3.0], [0.3, 1.0]], r"not reciprocal at \(0, 1\)"),
        ([[1.0, 2.0, 4.0], [0.5, 1.0, 2.0], [0.25, 0.4, 1.0]], r"not reciprocal at \(1, 2\)"),
        ([[2.0, 1.0], [1.0, 1.0]], r"diagonal entry \(0, 0\)"),
        ([[1.0, -2.0], [-0.5, 1.0]], r"entry \(0, 1\) = -2.0 must be finite and positive"),
        ([[1.0, 2.0]], "square"),
        (np.ones((16, 16)), "n <= 15"),
    ],
)
def test_ahp_validation_names_the_cell(matrix: list[list[float]], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        wt.ahp(matrix)


def test_ahp_small_matrices_are_consistent() -> None:
    assert wt.ahp([[1.0]]).weights.tolist() == [1.0]
    got = wt.ahp([[1.0, 3.0], [1 / 3, 1.0]])
    np.testing.assert_allclose(got.weights, [0.75, 0.25])
    assert got.consistency_ratio == 0.0
    assert got.consistent


# --------------------------------------------------------------------------------------------
# Budget allocation
# --------------------------------------------------------------------------------------------


@given(
    points=hnp.arrays(
        np.float64, st.tuples(st.integers(1, 5), st.integers(1, 6)), elements=st.floats(0.5, 100)
    ),
    scale=st.floats(0.1, 10.0),
)
def test_budget_allocation_agrees_with_reference(points: np.ndarray, scale: float) -> None:
    points.flags.writeable = False
    got = wt.budget_allocation(points)
    _check_weights(got, points.shape[1])
    np.testing.assert_allclose(got, ref.ref_budget_allocation(points), rtol=1e-12)
    # an expert's budget size does not matter, only their shares
    scaled = points.copy()
    scaled[0] *= scale
    np.testing.assert_allclose(wt.budget_allocation(scaled), got, rtol=1e-9)


def test_budget_allocation_example_and_errors() -> None:
    points = np.array([[50.0, 30.0, 20.0], [20.0, 20.0, 60.0]])
    np.testing.assert_allclose(wt.budget_allocation(points), [0.35, 0.25, 0.40])
    with pytest.raises(ValueError, match=r"expert 1 gave item 2 -5\.0 points"):
        wt.budget_allocation([[1.0, 1.0, 1.0], [1.0, 1.0, -5.0]])
    with pytest.raises(ValueError, match="expert 1 allocated no points"):
        wt.budget_allocation([[1.0, 1.0], [0.0, 0.0]])


# --------------------------------------------------------------------------------------------
# perturb
# --------------------------------------------------------------------------------------------


@given(
    data=st.data(),
    n=st.integers(1, 6),
    n_draws=st.integers(1, 20),
)
def test_perturb_formula_and_bounds(data: st.DataObject, n: int, n_draws: int) -> None:
    w = data.draw(hnp.arrays(np.float64, (n,), elements=st.floats(0.0, 10.0)))
    noise = data.draw(
        st.one_of(st.floats(0.0, 1.0), hnp.arrays(np.float64, (n,), elements=st.floats(0, 1)))
    )
    u = data.draw(hnp.arrays(np.float64, (n_draws, n), elements=st.floats(0.0, 0.999999)))
    got = wt.perturb(w, noise, u)
    assert got.shape == (n_draws, n)
    nz = np.broadcast_to(noise, (n,))
    for d in range(n_draws):
        for j in range(n):
            expected = w[j] * (1 - nz[j] + 2 * nz[j] * u[d, j])
            np.testing.assert_allclose(got[d, j], expected, rtol=1e-12, atol=1e-15)
    assert np.all(got >= w * (1 - nz) - 1e-12)
    assert np.all(got <= w * (1 + nz) + 1e-12)


def test_perturb_errors() -> None:
    with pytest.raises(ValueError, match="noise must lie in"):
        wt.perturb([1.0, 1.0], 1.5, np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"u must have shape \(n_draws, 2\)"):
        wt.perturb([1.0, 1.0], 0.2, np.zeros((2, 3)))

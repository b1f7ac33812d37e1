"""Invariants of the audit's kernels, stated as hypothesis properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cityeval.audit import screen
from cityeval.audit.coefficients import coefficient, correlation_matrix, covariance_matrix
from cityeval.audit.cronbach import cronbach_alpha
from cityeval.audit.moments import column_stats
from cityeval.audit.pca import principal_components
from cityeval.audit.pvalues import p_value
from cityeval.engine import Results

values = st.floats(-1e3, 1e3, allow_nan=False).map(lambda v: round(v, 3))


@st.composite
def data(draw: st.DrawFn, min_rows: int = 3, missing: bool = True) -> np.ndarray:
    n = draw(st.integers(min_rows, 25))
    k = draw(st.integers(2, 6))
    x = draw(arrays(np.float64, (n, k), elements=values))
    if missing:
        mask = draw(arrays(np.bool_, (n, k), elements=st.booleans()))
        x = np.where(mask & (draw(st.floats(0, 1)) < 0.5), np.nan, x)
    return x


@given(data())
def test_correlations_lie_in_minus_one_to_one(x: np.ndarray) -> None:
    for method in ("pearson", "spearman", "kendall"):
        r = correlation_matrix(x, method)  # type: ignore[arg-type]
        finite = r[np.isfinite(r)]
        assert np.all((finite >= -1.0) & (finite <= 1.0))
        np.testing.assert_array_equal(np.isnan(r), np.isnan(r.T))
        np.testing.assert_allclose(r[np.isfinite(r)], r.T[np.isfinite(r)])


@given(data())
def test_vectorised_pearson_agrees_with_the_pairwise_reference(x: np.ndarray) -> None:
    fast = correlation_matrix(x, "pearson")
    k = x.shape[1]
    for i in range(k):
        for j in range(k):
            ref = coefficient(x[:, i], x[:, j], "pearson")
            if np.isnan(ref):
                # the fast path may find a near-constant pair degenerate one way or the other
                continue
            if not np.isnan(fast[i, j]):
                assert fast[i, j] == pytest.approx(ref, abs=1e-7)


@given(data())
def test_p_values_lie_in_zero_to_one(x: np.ndarray) -> None:
    for method in ("pearson", "spearman", "kendall"):
        p = p_value(x[:, 0], x[:, 1], method)  # type: ignore[arg-type]
        assert np.isnan(p) or 0.0 <= p <= 1.0


@given(data(missing=False), st.floats(0.1, 10), st.data())
@example(np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 5.0]]), 2.0, None)
def test_alpha_invariances(x: np.ndarray, scale: float, draw: st.DataObject | None) -> None:
    alpha = cronbach_alpha(x)
    assume(not np.isnan(alpha))
    # shifting each column, scaling all columns alike, reordering columns or units
    shifted = x + np.arange(x.shape[1]) * 7.5
    assert cronbach_alpha(shifted) == pytest.approx(alpha, rel=1e-6, abs=1e-9)
    assert cronbach_alpha(x * scale) == pytest.approx(alpha, rel=1e-6, abs=1e-9)
    assert cronbach_alpha(x[:, ::-1]) == pytest.approx(alpha, rel=1e-9, abs=1e-12)
    assert cronbach_alpha(x[::-1]) == pytest.approx(alpha, rel=1e-6, abs=1e-9)
    assert alpha <= 1.0 + 1e-12


@given(data(missing=False))
def test_alpha_equals_the_variance_form_on_complete_data(x: np.ndarray) -> None:
    alpha = cronbach_alpha(x)
    k = x.shape[1]
    total = x.sum(axis=1).var(ddof=1)
    assume(not np.isnan(alpha) and total >= 1e-6)
    expected = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total)
    assert alpha == pytest.approx(expected, rel=1e-6, abs=1e-6)


@given(data(min_rows=4, missing=False), st.floats(0.5, 20))
def test_pca_shares_sum_to_one_and_ignore_scale(x: np.ndarray, scale: float) -> None:
    assume(not np.any(np.ptp(x, axis=0) < 1e-3))
    sdev, loadings = principal_components(x)
    share = sdev**2 / np.sum(sdev**2)
    assert share.sum() == pytest.approx(1.0)
    assert np.all(np.diff(sdev) <= 1e-9)
    # the total variance of standardised data is the number of columns (when n > k)
    if x.shape[0] > x.shape[1]:
        assert np.sum(sdev**2) == pytest.approx(x.shape[1], rel=1e-9)
    sdev2, _ = principal_components(x * scale + 3.0)
    np.testing.assert_allclose(sdev2, sdev, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(np.linalg.norm(loadings, axis=0), 1.0)


@given(data(min_rows=2))
def test_statistics_ignore_the_order_of_units(x: np.ndarray) -> None:
    a = column_stats(x)
    b = column_stats(x[::-1])
    for name in ("minimum", "maximum", "median", "n_avail", "n_unique", "n_same", "n_nonzero"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    for name in ("mean", "sd", "skew", "kurt"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=1e-7, atol=1e-7)


@given(data(min_rows=2))
def test_covariance_diagonal_is_each_columns_variance(x: np.ndarray) -> None:
    cov = covariance_matrix(x)
    for j in range(x.shape[1]):
        col = x[~np.isnan(x[:, j]), j]
        if len(col) >= 2:
            assert cov[j, j] == pytest.approx(col.var(ddof=1), rel=1e-7, abs=1e-7)


@given(st.floats(0, 1), st.floats(0, 1))
def test_screening_is_monotone_in_the_threshold(asem: Results, a: float, b: float) -> None:
    low, high = sorted((a, b))
    loose = set(screen(asem, dat_thresh=low).removed_units)
    strict = set(screen(asem, dat_thresh=high).removed_units)
    assert loose <= strict
    loose_i = set(screen(asem, indicator_thresh=low).dropped_indicators)
    strict_i = set(screen(asem, indicator_thresh=high).dropped_indicators)
    assert loose_i <= strict_i
    by_group = set(screen(asem, dat_thresh=0, group_level=2, group_thresh=high).removed_units)
    assert (
        set(screen(asem, dat_thresh=0, group_level=2, group_thresh=low).removed_units) <= by_group
    )

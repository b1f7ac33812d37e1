"""Tests of the aggregation kernels: reference agreement, invariants, policies, fast paths."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cityeval.methods import aggregate as ag
from cityeval.methods import aggregate_copeland

from . import reference_agg as ref

NAN = np.nan
RTOL = 1e-9
ATOL = 1e-9

Kernel = Callable[..., np.ndarray]


# name -> (kernel, reference, needs positive values)
MEANS: dict[str, tuple[Kernel, Kernel, bool]] = {
    "arithmetic": (ag.arithmetic, ref.ref_arithmetic, False),
    "geometric": (ag.geometric, ref.ref_geometric, True),
    "harmonic": (ag.harmonic, ref.ref_harmonic, True),
    "power_mean_p2": (
        lambda v, w: ag.power_mean(v, w, p=2.0),
        lambda v, w: ref.ref_power_mean(v, w, 2.0),
        True,
    ),
    "power_mean_p-0.5": (
        lambda v, w: ag.power_mean(v, w, p=-0.5),
        lambda v, w: ref.ref_power_mean(v, w, -0.5),
        True,
    ),
    "median": (ag.median, ref.ref_median, False),
    "minimum": (ag.minimum, ref.ref_minimum, False),
}
ALL: dict[str, tuple[Kernel, Kernel, bool]] = {
    **MEANS,
    "copeland": (ag.copeland, ref.ref_copeland, False),
    "availability": (ag.availability, ref.ref_availability, False),
}
BOUNDED = list(MEANS)  # result lies between the min and max of the used children


# --------------------------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------------------------


@st.composite
def cases(
    draw: st.DrawFn,
    *,
    positive: bool = False,
    batch: bool | None = None,
    integer_weights: bool = False,
    nan: bool = True,
    max_units: int = 6,
    max_children: int = 5,
) -> tuple[np.ndarray, np.ndarray]:
    """``(values, weights)``: values ``(b?, u, c)`` with NaNs, weights ``(c,)`` or ``(b, c)``."""
    has_batch = draw(st.booleans()) if batch is None else batch
    n_batch = draw(st.integers(1, 3)) if has_batch else 0
    n_units = draw(st.integers(1, max_units))
    n_children = draw(st.integers(1, max_children))
    shape = (n_batch, n_units, n_children) if has_batch else (n_units, n_children)
    lo, hi = (0.01, 100.0) if positive else (-100.0, 100.0)
    elements = st.floats(lo, hi, allow_subnormal=False)
    if draw(st.booleans()):
        # Coarse grid values produce ties, which matter for median and copeland.
        elements = st.integers(1 if positive else -5, 5).map(float)
    values = draw(hnp.arrays(np.float64, shape, elements=elements))
    if nan:
        holes = draw(hnp.arrays(np.bool_, shape, elements=st.integers(0, 4).map(lambda k: k == 0)))
        values = np.where(holes, NAN, values)
    w_shape = (n_batch, n_children) if has_batch and draw(st.booleans()) else (n_children,)
    if integer_weights:
        w_el: st.SearchStrategy[float] = st.integers(0, 5).map(float)
    else:
        w_el = (
            st.one_of(st.just(0.0), st.floats(0.01, 10.0))
            if draw(st.booleans())
            else (st.floats(0.01, 10.0))
        )
    weights = draw(hnp.arrays(np.float64, w_shape, elements=w_el))
    return values, weights


def _used(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    w = np.broadcast_to(
        weights[..., None, :], np.broadcast_shapes(values.shape, weights[..., None, :].shape)
    )
    return ~np.isnan(values) & (w > 0)


def _kernel_case(name: str) -> st.SearchStrategy[tuple[np.ndarray, np.ndarray]]:
    _, _, positive = ALL[name]
    return cases(positive=positive, integer_weights=name == "copeland")


def _assert_close(a: np.ndarray, b: np.ndarray, rtol: float = RTOL, atol: float = ATOL) -> None:
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, equal_nan=True)


# --------------------------------------------------------------------------------------------
# Agreement with the plain-loop reference (with and without a batch axis)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(ALL))
@given(data=st.data())
def test_agrees_with_reference_and_leaves_read_only_inputs_alone(
    name: str, data: st.DataObject
) -> None:
    kernel, reference, _ = ALL[name]
    values, weights = data.draw(_kernel_case(name))
    v0, w0 = values.copy(), weights.copy()
    values.flags.writeable = False
    weights.flags.writeable = False
    got = kernel(values, weights)
    np.testing.assert_array_equal(values, v0)
    np.testing.assert_array_equal(weights, w0)
    batch = np.broadcast_shapes(values.shape[:-2], weights.shape[:-1])
    assert got.shape == (*batch, values.shape[-2])
    _assert_close(got, reference(values, weights))


@pytest.mark.parametrize("name", list(ALL))
@given(data=st.data())
def test_batch_equals_loop_over_batch(name: str, data: st.DataObject) -> None:
    kernel, _, _ = ALL[name]
    _, _, positive = ALL[name]
    values, weights = data.draw(
        cases(positive=positive, batch=True, integer_weights=name == "copeland")
    )
    got = kernel(values, weights)
    for b in range(values.shape[0]):
        w_b = weights[b] if weights.ndim == 2 else weights
        _assert_close(got[b], kernel(values[b], w_b), rtol=1e-12, atol=1e-12)


# --------------------------------------------------------------------------------------------
# Named invariants
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", BOUNDED)
@given(data=st.data())
def test_bounds_between_min_and_max_of_used_children(name: str, data: st.DataObject) -> None:
    kernel, _, _ = ALL[name]
    values, weights = data.draw(_kernel_case(name))
    got = kernel(values, weights)
    used = _used(values, weights)
    v = np.broadcast_to(values, used.shape)
    lo = np.min(np.where(used, v, np.inf), axis=-1)
    hi = np.max(np.where(used, v, -np.inf), axis=-1)
    has = used.any(axis=-1)
    assert np.array_equal(np.isnan(got), ~has)
    tol = 1e-9 * np.maximum(1.0, np.abs(hi))
    assert np.all(got[has] >= lo[has] - tol[has])
    assert np.all(got[has] <= hi[has] + tol[has])


@pytest.mark.parametrize("name", BOUNDED)
@given(data=st.data(), delta=st.floats(0.001, 50.0))
def test_monotone_raising_one_child_never_lowers(
    name: str, data: st.DataObject, delta: float
) -> None:
    kernel, _, _ = ALL[name]
    values, weights = data.draw(_kernel_case(name))
    used = _used(values, weights)
    assume(used.any())
    cells = np.argwhere(used)
    cell = tuple(cells[data.draw(st.integers(0, len(cells) - 1))])
    raised = np.broadcast_to(values, used.shape).copy()
    raised[cell] += delta
    before = kernel(np.broadcast_to(values, used.shape), weights)
    after = kernel(raised, weights)
    assert np.array_equal(np.isnan(after), np.isnan(before))
    ok = ~np.isnan(before)
    tol = 1e-9 * np.maximum(1.0, np.abs(before[ok]))
    assert np.all(after[ok] >= before[ok] - tol)


@pytest.mark.parametrize("name", list(ALL))
@given(data=st.data(), scale=st.sampled_from([0.001, 0.5, 3.0, 1000.0]))
def test_weight_scale_invariance(name: str, data: st.DataObject, scale: float) -> None:
    kernel, _, _ = ALL[name]
    values, weights = data.draw(_kernel_case(name))
    if name == "copeland":
        scale = 4.0  # exact in floating point, so no tie can flip
    _assert_close(kernel(values, weights * scale), kernel(values, weights))


@given(data=st.data())
def test_equal_weights_give_the_plain_means(data: st.DataObject) -> None:
    values, _ = data.draw(cases(positive=True))
    w = np.ones(values.shape[-1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows
        _assert_close(ag.arithmetic(values, w), np.nanmean(values, axis=-1))
        _assert_close(ag.geometric(values, w), np.exp(np.nanmean(np.log(values), axis=-1)))
        _assert_close(ag.harmonic(values, w), 1.0 / np.nanmean(1.0 / values, axis=-1))
        _assert_close(ag.median(values, w), np.nanmedian(values, axis=-1))
        _assert_close(ag.minimum(values, w), np.nanmin(values, axis=-1))


@pytest.mark.parametrize("name", list(ALL))
@given(data=st.data())
def test_permuting_units_permutes_results(name: str, data: st.DataObject) -> None:
    kernel, _, _ = ALL[name]
    values, weights = data.draw(_kernel_case(name))
    perm = np.asarray(data.draw(st.permutations(range(values.shape[-2]))), dtype=np.intp)
    _assert_close(kernel(values[..., perm, :], weights), kernel(values, weights)[..., perm])


@pytest.mark.parametrize("name", list(ALL))
@given(data=st.data())
def test_permuting_children_with_weights_changes_nothing(name: str, data: st.DataObject) -> None:
    kernel, _, _ = ALL[name]
    values, weights = data.draw(_kernel_case(name))
    perm = np.asarray(data.draw(st.permutations(range(values.shape[-1]))), dtype=np.intp)
    _assert_close(kernel(values[..., perm], weights[..., perm]), kernel(values, weights))


@pytest.mark.parametrize("name", BOUNDED)
@given(data=st.data())
def test_dropping_nan_equals_renormalising(name: str, data: st.DataObject) -> None:
    """One unit: the kernel on the row with NaN children removed equals the kernel with NaN."""
    kernel, _, _ = ALL[name]
    values, weights = data.draw(_kernel_case(name).filter(lambda vw: vw[0].ndim == 2))
    row = values[:1]
    keep = ~np.isnan(row[0])
    if not keep.any():
        assert np.isnan(kernel(row, weights)[0])
        return
    _assert_close(kernel(row[:, keep], weights[keep]), kernel(row, weights))
    # ... and equals zeroing the weights of the missing children
    w0 = np.where(keep, weights, 0.0)
    _assert_close(kernel(np.nan_to_num(row, nan=1.0), w0), kernel(row, weights))


def test_no_used_child_gives_nan_everywhere() -> None:
    values = np.array([[NAN, NAN], [1.0, 2.0], [3.0, NAN]])
    weights = np.array([1.0, 0.0])
    for name, (kernel, _, _) in ALL.items():
        got = kernel(values, weights)
        if name == "availability":
            np.testing.assert_allclose(got, [0.0, 1.0, 1.0])
        else:
            assert np.isnan(got[0]), name
            assert not np.isnan(got[1]), name


# --------------------------------------------------------------------------------------------
# Power mean identities and positivity policy
# --------------------------------------------------------------------------------------------


@given(data=st.data())
def test_power_mean_identities(data: st.DataObject) -> None:
    values, weights = data.draw(cases(positive=True))
    _assert_close(ag.power_mean(values, weights, p=1.0), ag.arithmetic(values, weights))
    _assert_close(ag.power_mean(values, weights, p=0.0), ag.geometric(values, weights))
    _assert_close(ag.power_mean(values, weights, p=-1.0), ag.harmonic(values, weights))
    # the limit p -> 0 from both sides is the geometric mean
    g = ag.geometric(values, weights)
    _assert_close(ag.power_mean(values, weights, p=1e-9), g, rtol=1e-6)
    _assert_close(ag.power_mean(values, weights, p=-1e-9), g, rtol=1e-6)


@given(case=cases(positive=True), p1=st.floats(-8, 8), p2=st.floats(-8, 8))
# Found by hypothesis: x^p for |p| ~ 1e-30 rounds to 1 and the mean collapsed to the minimum.
@example(case=(np.array([[1.0, 2.0]]), np.array([1.0, 1.0])), p1=-1.0, p2=-5.939655401182004e-30)
# Found by hypothesis: a subnormal p (5e-324) lost every digit of p * ln(x).
@example(case=(np.array([[2.0, 1.0]]), np.array([2.0, 1.0])), p1=0.0, p2=-5e-324)
def test_power_mean_grows_with_p(
    case: tuple[np.ndarray, np.ndarray], p1: float, p2: float
) -> None:
    values, weights = case
    lo, hi = sorted((p1, p2))
    a, b = ag.power_mean(values, weights, p=lo), ag.power_mean(values, weights, p=hi)
    ok = ~np.isnan(a)
    assert np.all(a[ok] <= b[ok] * (1 + 1e-9) + 1e-12)


def test_power_mean_large_p_tends_to_max_and_min_without_overflow() -> None:
    x = np.array([[1.0, 50.0, 100.0]])
    w = np.ones(3)
    np.testing.assert_allclose(ag.power_mean(x, w, p=500.0), [100.0], rtol=1e-2)
    np.testing.assert_allclose(ag.power_mean(x, w, p=-500.0), [1.0], rtol=1e-2)


def test_power_mean_allows_negative_values_only_at_p_one() -> None:
    x = np.array([[-2.0, 4.0]])
    w = np.ones(2)
    np.testing.assert_allclose(ag.power_mean(x, w, p=1.0), [1.0])
    with pytest.raises(ag.NonPositiveValueError, match=">= 0"):
        ag.power_mean(x, w, p=2.0)
    np.testing.assert_allclose(ag.power_mean(x, w, p=2.0, nonpositive="clip"), [np.sqrt(8.0)])
    # zeros are fine for p > 0
    np.testing.assert_allclose(ag.power_mean([[0.0, 0.0]], w, p=2.0), [0.0])


@pytest.mark.parametrize(
    "kernel",
    [
        ag.geometric,
        ag.harmonic,
        lambda v, w, **kw: ag.power_mean(v, w, p=-2.0, **kw),
        lambda v, w, **kw: ag.power_mean(v, w, p=0.0, **kw),
    ],
    ids=["geometric", "harmonic", "power_p-2", "power_p0"],
)
def test_nonpositive_error_names_the_cells(kernel: Kernel) -> None:
    values = np.array(
        [
            [[1.0, 2.0, 3.0], [4.0, 0.0, 5.0]],
            [[1.0, -1.0, 2.0], [NAN, 1.0, -7.0]],
        ]
    )
    weights = np.array([1.0, 1.0, 1.0])
    with pytest.raises(ag.NonPositiveValueError) as info:
        kernel(values, weights)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.cells == ((0, 1, 1), (1, 0, 1), (1, 1, 2))
    assert err.units == (1, 0, 1)
    assert err.children == (1, 1, 2)
    assert err.values == (0.0, -1.0, -7.0)
    assert err.n_offending == 3
    assert "unit 1, child 1" in str(err)


def test_nonpositive_ignores_missing_and_zero_weight_children() -> None:
    values = np.array([[2.0, 0.0, NAN], [8.0, -3.0, 1.0]])
    weights = np.array([1.0, 0.0, 1.0])
    np.testing.assert_allclose(ag.geometric(values, weights), [2.0, np.sqrt(8.0)])


@pytest.mark.parametrize("kernel", [ag.geometric, ag.harmonic])
def test_clip_policy_uses_epsilon_and_is_never_nan(kernel: Kernel) -> None:
    values = np.array([[0.0, 4.0], [-5.0, 4.0], [1e-9, 4.0]])
    weights = np.array([1.0, 1.0])
    got = kernel(values, weights, nonpositive="clip", epsilon=1e-3)
    expected = kernel(np.array([[1e-3, 4.0]] * 3), weights)
    np.testing.assert_allclose(got, expected)
    assert not np.isnan(got).any()


def test_policy_and_epsilon_are_validated() -> None:
    with pytest.raises(ValueError, match="nonpositive"):
        ag.geometric([[1.0]], [1.0], nonpositive="nan")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="epsilon"):
        ag.geometric([[0.0]], [1.0], nonpositive="clip", epsilon=0.0)
    with pytest.raises(ValueError, match="finite"):
        ag.power_mean([[1.0]], [1.0], p=np.inf)


# --------------------------------------------------------------------------------------------
# Weighted median definition
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "weights", "expected"),
    [
        ([1.0, 2.0, 3.0, 4.0], [1, 1, 1, 1], 2.5),  # equal weights, even count: np.median
        ([1.0, 2.0, 3.0], [1, 1, 1], 2.0),
        ([0.5, 2.0, 4.0], [1, 1, 2], 3.0),  # exactly half at or below 2 -> midpoint of [2, 4]
        ([1.0, 2.0, 3.0], [1, 1, 5], 3.0),  # a child with most of the weight is the median
        ([10.0, 1.0, 5.0], [0.2, 0.3, 0.1], 3.0),  # 0.3 of 0.6 at or below 1: interval [1, 5]
        ([3.0, NAN, 1.0], [1, 9, 1], 2.0),  # the heavy child is missing
    ],
)
def test_weighted_median_definition(
    values: list[float], weights: list[float], expected: float
) -> None:
    got = ag.median(np.array([values]), np.array(weights, dtype=float))
    np.testing.assert_allclose(got, [expected])


# --------------------------------------------------------------------------------------------
# Copeland
# --------------------------------------------------------------------------------------------


@given(case=cases(batch=False, nan=False, integer_weights=True))
# Found by hypothesis: with weights (1, 4, 1) / 6 a full tie sums to 0.49999999999999994 in
# COINr's floating-point rule; the kernel's antisymmetric difference keeps it an exact tie.
@example(case=(np.zeros((2, 3)), np.array([1.0, 4.0, 1.0])))
def test_copeland_equals_coinr_on_complete_data(case: tuple[np.ndarray, np.ndarray]) -> None:
    values, weights = case
    if weights.sum() == 0:
        return
    got = ag.copeland(values, weights)
    _assert_close(got, ref.ref_copeland_coinr(values, weights))


@given(data=st.data())
def test_copeland_scores_sum_to_zero_and_are_bounded(data: st.DataObject) -> None:
    values, weights = data.draw(cases(integer_weights=True))
    got = ag.copeland(values, weights)
    assert np.all(np.abs(np.nansum(got, axis=-1)) == 0)
    n = values.shape[-2]
    assert np.all(np.abs(got[~np.isnan(got)]) <= n - 1)


@given(data=st.data(), delta=st.integers(1, 20).map(float))
def test_copeland_raising_a_child_never_lowers_own_score(
    data: st.DataObject, delta: float
) -> None:
    values, weights = data.draw(cases(batch=False, integer_weights=True))
    used = _used(values, weights)
    assume(used.any())
    cells = np.argwhere(used)
    u, c = cells[data.draw(st.integers(0, len(cells) - 1))]
    raised = values.copy()
    raised[u, c] += delta
    assert ag.copeland(raised, weights)[u] >= ag.copeland(values, weights)[u]


def test_copeland_worked_example() -> None:
    # a beats b on children 0 and 1 (weight 3) and loses on 2 (weight 2): a outranks b.
    # c has only child 2: it beats a and b there, and ties nowhere else.
    values = np.array([[3.0, 3.0, 1.0], [1.0, 1.0, 2.0], [NAN, NAN, 5.0], [NAN, NAN, NAN]])
    weights = np.array([1.0, 2.0, 2.0])
    np.testing.assert_array_equal(ag.copeland(values, weights), [0.0, -2.0, 2.0, NAN])


def test_copeland_blocks_over_batch_give_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(7)
    values = rng.integers(0, 4, size=(5, 7, 4)).astype(float)
    values[rng.random(values.shape) < 0.2] = NAN
    weights = rng.integers(0, 3, size=(5, 4)).astype(float)
    whole = ag.copeland(values, weights)
    monkeypatch.setattr(aggregate_copeland, "_COPELAND_BLOCK", 1)
    np.testing.assert_array_equal(ag.copeland(values, weights), whole)


# --------------------------------------------------------------------------------------------
# Availability
# --------------------------------------------------------------------------------------------


def test_availability_is_the_weight_share() -> None:
    values = np.array([[1.0, NAN, 3.0], [NAN, NAN, NAN]])
    np.testing.assert_allclose(ag.availability(values, [1.0, 2.0, 1.0]), [0.5, 0.0])
    np.testing.assert_allclose(ag.availability(values, [1.0, 1.0, 1.0]), [2 / 3, 0.0])
    assert np.isnan(ag.availability(values, [0.0, 0.0, 0.0])).all()


# --------------------------------------------------------------------------------------------
# Matrix fast paths
# --------------------------------------------------------------------------------------------


@st.composite
def matrix_cases(draw: st.DrawFn, *, positive: bool) -> tuple[np.ndarray, np.ndarray]:
    has_batch = draw(st.booleans())
    n_batch = draw(st.integers(1, 3))
    n_units = draw(st.integers(1, 5))
    n_total = draw(st.integers(1, 6))
    n_parents = draw(st.integers(1, 3))
    shape = (n_batch, n_units, n_total) if has_batch else (n_units, n_total)
    lo, hi = (0.01, 100.0) if positive else (-100.0, 100.0)
    values = draw(hnp.arrays(np.float64, shape, elements=st.floats(lo, hi)))
    holes = draw(hnp.arrays(np.bool_, shape, elements=st.integers(0, 4).map(lambda k: k == 0)))
    values = np.where(holes, NAN, values)
    parent = draw(hnp.arrays(np.intp, (n_total,), elements=st.integers(0, n_parents - 1)))
    m_shape = (
        (n_batch, n_total, n_parents)
        if has_batch and draw(st.booleans())
        else (
            n_total,
            n_parents,
        )
    )
    w = draw(hnp.arrays(np.float64, m_shape, elements=st.floats(0.01, 10.0)))
    membership = np.where(np.arange(n_parents) == parent[:, None], w, 0.0)
    return values, membership


MATRIX = {
    "arithmetic": (ag.aggregate_matrix_arithmetic, ag.arithmetic, False),
    "geometric": (ag.aggregate_matrix_geometric, ag.geometric, True),
    "harmonic": (ag.aggregate_matrix_harmonic, ag.harmonic, True),
    "power_p3": (
        lambda v, m: ag.aggregate_matrix_power_mean(v, m, 3.0),
        lambda v, w: ag.power_mean(v, w, p=3.0),
        True,
    ),
    "power_p-2": (
        lambda v, m: ag.aggregate_matrix_power_mean(v, m, -2.0),
        lambda v, w: ag.power_mean(v, w, p=-2.0),
        True,
    ),
    "power_p0": (
        lambda v, m: ag.aggregate_matrix_power_mean(v, m, 0.0),
        ag.geometric,
        True,
    ),
}


@pytest.mark.parametrize("name", list(MATRIX))
@given(data=st.data())
def test_matrix_fast_path_equals_looping_over_parents(name: str, data: st.DataObject) -> None:
    fast, per_parent, positive = MATRIX[name]
    values, membership = data.draw(matrix_cases(positive=positive))
    got = fast(values, membership)
    assert got.shape[-1] == membership.shape[-1]
    for q in range(membership.shape[-1]):
        _assert_close(got[..., q], per_parent(values, membership[..., q]))


def test_matrix_fast_path_reports_cells_in_total_child_numbering() -> None:
    values = np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 0.0]])
    membership = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    with pytest.raises(ag.NonPositiveValueError) as info:
        ag.aggregate_matrix_geometric(values, membership)
    assert info.value.cells == ((1, 2),)
    # a nonpositive value that belongs to no parent is not checked
    membership[2, 1] = 0.0
    got = ag.aggregate_matrix_geometric(values, membership)
    np.testing.assert_allclose(got[:, 0], np.sqrt(2.0))
    assert np.isnan(got[:, 1]).all()


# --------------------------------------------------------------------------------------------
# Shape and weight errors; scikit-criteria cross-check
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "weights", "match"),
    [
        (np.ones(3), np.ones(3), "n_units, n_children"),
        (np.ones((2, 3)), np.ones(4), "n_children mismatch"),
        (np.ones((2, 2, 3)), np.ones((3, 3)), "batch axes"),
        (np.ones((2, 3)), np.array([1.0, -1.0, 1.0]), r"weights\[\(1,\)\]"),
        (np.ones((2, 3)), np.array([1.0, NAN, 1.0]), "finite and non-negative"),
    ],
)
def test_shape_and_weight_errors_name_the_problem(
    values: np.ndarray, weights: np.ndarray, match: str
) -> None:
    for kernel in (ag.arithmetic, ag.median, ag.copeland, ag.availability):
        with pytest.raises(ValueError, match=match):
            kernel(values, weights)


def test_matrix_shape_error_names_the_axis() -> None:
    with pytest.raises(ValueError, match="n_children_total mismatch"):
        ag.aggregate_matrix_arithmetic(np.ones((2, 3)), np.ones((4, 2)))


def test_arithmetic_and_geometric_match_scikit_criteria() -> None:
    skcriteria = pytest.importorskip("skcriteria")
    from skcriteria.agg.simple import WeightedProductModel, WeightedSumModel

    rng = np.random.default_rng(2024)
    x = rng.uniform(1.0, 100.0, size=(8, 4))
    w = np.array([0.1, 0.2, 0.3, 0.4])
    dm = skcriteria.mkdm(x, objectives=[max] * 4, weights=w)
    wsm = WeightedSumModel().evaluate(dm)
    np.testing.assert_allclose(ag.arithmetic(x, w), wsm.e_.score, rtol=1e-12)
    wpm = WeightedProductModel().evaluate(dm)  # score = sum w log10 x
    np.testing.assert_allclose(ag.geometric(x, w), 10.0**wpm.e_.score, rtol=1e-12)


@given(
    hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 6), st.integers(1, 9)),
        elements=st.one_of(st.floats(-1e3, 1e3), st.just(np.nan)),
    ),
    st.data(),
)
def test_segment_sums_equal_the_per_parent_arithmetic_kernel(
    values: np.ndarray, data: st.DataObject
) -> None:
    n_children = values.shape[-1]
    weights = data.draw(hnp.arrays(np.float64, (n_children,), elements=st.floats(0.0, 10.0)))
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, n_children - 1)), max_size=3)))
    starts = [0, *[c for c in cuts if c < n_children]]
    got = ag.aggregate_segments_arithmetic(values, weights, starts)
    bounds = [*starts, n_children]
    for p in range(len(starts)):
        cols = slice(bounds[p], bounds[p + 1])
        expected = ag.arithmetic(values[:, cols], weights[cols])
        np.testing.assert_allclose(got[:, p], expected, rtol=1e-12, atol=1e-9)

"""Tests of the normalisation kernels: reference agreement, properties, direction, zero range."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cityeval.methods import normalise as nm

from . import reference as ref
from .reference import cases, grid_floats, nonneg_grid_floats, wide_floats

NAN = np.nan
#: Budget for the many parametrised property tests (the whole module runs in a few seconds).
FAST = settings(max_examples=30, deadline=None)
ATOL = 1e-9
RTOL = 1e-9

Params = Callable[[tuple[int, ...]], st.SearchStrategy[dict[str, Any]]]


def _no_params(shape: tuple[int, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return st.just({})


def _per_indicator(shape: tuple[int, ...]) -> st.SearchStrategy[Any]:
    """A scalar or a per-indicator array of grid values."""
    return st.one_of(grid_floats, hnp.arrays(np.float64, (shape[-1],), elements=grid_floats))


@st.composite
def _interval(draw: st.DrawFn, shape: tuple[int, ...]) -> tuple[Any, Any]:
    low = np.asarray(draw(_per_indicator(shape)))
    width = draw(hnp.arrays(np.float64, low.shape, elements=st.integers(1, 800).map(float)))
    return low, low + width


def _minmax_params(shape: tuple[int, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return st.sampled_from([{}, {"lower": -5.0, "upper": 1.0}, {"lower": 1.0, "upper": 10.0}])


def _zscore_params(shape: tuple[int, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return st.sampled_from([{}, {"mean": 10.0, "sd": 2.5}])


def _goalpost_params(shape: tuple[int, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda lh, scale, truncate: {
            "low": lh[0],
            "high": lh[1],
            "scale": scale,
            "truncate": truncate,
        },
        _interval(shape),
        st.sampled_from([100.0, 1.0]),
        st.booleans(),
    )


def _fixed_params(shape: tuple[int, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda lh, scale: {"low": lh[0], "high": lh[1], "scale": scale},
        _interval(shape),
        st.sampled_from([100.0, 1.0]),
    )


def _target_params(shape: tuple[int, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda target, cap: {"target": target, "cap": cap}, _per_indicator(shape), st.booleans()
    )


def _reference_params(shape: tuple[int, ...]) -> st.SearchStrategy[dict[str, Any]]:
    n_units = shape[-2]
    index = st.one_of(
        st.integers(0, n_units - 1),
        hnp.arrays(np.intp, (shape[-1],), elements=st.integers(0, n_units - 1)),
    )
    return st.builds(lambda i, cap: {"reference_index": i, "cap": cap}, index, st.booleans())


def _scale_params(shape: tuple[int, ...]) -> st.SearchStrategy[dict[str, Any]]:
    return st.sampled_from([{}, {"scale": 1.0}])


@dataclass(frozen=True)
class Method:
    kernel: Callable[..., Any]
    reference: Callable[..., Any]
    params: Params
    elements: st.SearchStrategy[float]


METHODS: dict[str, Method] = {
    "minmax": Method(nm.minmax, ref.minmax, _minmax_params, wide_floats),
    "zscore": Method(nm.zscore, ref.zscore, _zscore_params, grid_floats),
    "goalposts": Method(nm.goalposts, ref.goalposts, _goalpost_params, grid_floats),
    "fixed_bounds": Method(nm.fixed_bounds, ref.fixed_bounds, _fixed_params, grid_floats),
    "dist_to_target": Method(nm.dist_to_target, ref.dist_to_target, _target_params, grid_floats),
    "dist_to_reference": Method(
        nm.dist_to_reference, ref.dist_to_reference, _reference_params, grid_floats
    ),
    "dist_to_max": Method(nm.dist_to_max, ref.dist_to_max, _scale_params, wide_floats),
    "fraction_of_max": Method(
        nm.fraction_of_max, ref.fraction_of_max, _scale_params, nonneg_grid_floats
    ),
    "rank": Method(nm.rank, ref.rank, _no_params, wide_floats),
    "borda": Method(nm.borda, ref.borda, _no_params, wide_floats),
    "percentile_rank": Method(nm.percentile_rank, ref.percentile_rank, _scale_params, wide_floats),
}
NAMES = sorted(METHODS)


def _draw_case(
    data: st.DataObject, name: str, **kw: Any
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    method = METHODS[name]
    x, d = data.draw(cases(method.elements, **kw), label="x, direction")
    params = data.draw(method.params(x.shape), label="params")
    return x, d, params


def _close(actual: np.ndarray, expected: np.ndarray) -> None:
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL, equal_nan=True)


# ------------------------------------------------------------------ agreement and mechanics


@pytest.mark.parametrize("name", NAMES)
@FAST
@given(data=st.data())
def test_agrees_with_reference(name: str, data: st.DataObject) -> None:
    x, d, params = _draw_case(data, name)
    expected = ref.batched(METHODS[name].reference, x, d, **params)
    _close(METHODS[name].kernel(x, d, **params), expected)


@pytest.mark.parametrize("name", NAMES)
@FAST
@given(data=st.data())
def test_batch_axis_equals_loop_over_batch(name: str, data: st.DataObject) -> None:
    x, d, params = _draw_case(data, name, batch=True)
    kernel = METHODS[name].kernel
    looped = np.stack([kernel(x[b], d, **params) for b in range(x.shape[0])])
    np.testing.assert_array_equal(kernel(x, d, **params), looped)


@pytest.mark.parametrize("name", NAMES)
@FAST
@given(data=st.data())
def test_read_only_inputs_are_not_mutated(name: str, data: st.DataObject) -> None:
    x, d, params = _draw_case(data, name)
    x_copy, d_copy = x.copy(), d.copy()
    x.flags.writeable = False
    d.flags.writeable = False
    METHODS[name].kernel(x, d, **params)
    np.testing.assert_array_equal(x, x_copy)
    np.testing.assert_array_equal(d, d_copy)


@pytest.mark.parametrize("name", NAMES)
@FAST
@given(data=st.data())
def test_missing_in_missing_out(name: str, data: st.DataObject) -> None:
    x, d, params = _draw_case(data, name)
    out = METHODS[name].kernel(x, d, **params)
    assert out.shape == x.shape
    if name == "dist_to_reference":
        assert np.isnan(out[np.isnan(x)]).all()
    else:
        np.testing.assert_array_equal(np.isnan(out), np.isnan(x))
    assert not np.isinf(out).any()


# ------------------------------------------------------------------ properties


@pytest.mark.parametrize("name", NAMES)
@FAST
@given(data=st.data())
def test_permutation_of_units_permutes_outputs(name: str, data: st.DataObject) -> None:
    x, d, params = _draw_case(data, name)
    perm = np.asarray(data.draw(st.permutations(range(x.shape[-2])), label="perm"))
    params_perm = dict(params)
    if "reference_index" in params:
        # The reference unit moves with the permutation.
        inverse = np.argsort(perm)
        params_perm["reference_index"] = inverse[np.asarray(params["reference_index"])]
    kernel = METHODS[name].kernel
    out = kernel(x, d, **params)
    out_perm = kernel(x[..., perm, :], d, **params_perm)
    _close(out_perm, out[..., perm, :])


def _assert_monotone(y: np.ndarray, out: np.ndarray) -> None:
    """Within each column, a better oriented value never scores lower."""
    y2 = y.reshape(-1, *y.shape[-2:])
    o2 = out.reshape(-1, *out.shape[-2:])
    for b in range(y2.shape[0]):
        for j in range(y2.shape[-1]):
            yy, oo = y2[b, :, j], o2[b, :, j]
            keep = ~np.isnan(yy) & ~np.isnan(oo)
            yy, oo = yy[keep], oo[keep]
            worse = yy[:, None] < yy[None, :]
            assert (oo[:, None] <= oo[None, :])[worse].all()


@pytest.mark.parametrize("name", NAMES)
@FAST
@given(data=st.data())
def test_monotone_in_the_good_direction(name: str, data: st.DataObject) -> None:
    x, d, params = _draw_case(data, name)
    _assert_monotone(x * d, METHODS[name].kernel(x, d, **params))


def _declared_range(name: str, x: np.ndarray, params: dict[str, Any]) -> tuple[Any, Any] | None:
    scale = params.get("scale", 100.0)
    n_obs = np.count_nonzero(~np.isnan(x), axis=-2)[..., None, :]
    if name == "minmax":
        return params.get("lower", 0.0), params.get("upper", 100.0)
    if name == "goalposts":
        return (0.0, scale) if params["truncate"] else None
    if name == "dist_to_target":
        return (0.0, scale) if params["cap"] else (0.0, np.inf)
    if name == "dist_to_reference":
        return (0.0, scale) if params["cap"] else (0.0, np.inf)
    if name in {"dist_to_max", "fraction_of_max", "percentile_rank"}:
        return 0.0, scale
    if name == "rank":
        return 1.0, n_obs
    if name == "borda":
        return 0.0, n_obs - 1
    return None  # zscore, fixed_bounds: unbounded by design


@pytest.mark.parametrize("name", NAMES)
@FAST
@given(data=st.data())
def test_outputs_inside_declared_range(name: str, data: st.DataObject) -> None:
    x, d, params = _draw_case(data, name)
    bounds = _declared_range(name, x, params)
    if bounds is None:
        return
    out = METHODS[name].kernel(x, d, **params)
    lo, hi = np.broadcast_arrays(out, *bounds)[1:]
    seen = ~np.isnan(out)
    assert (out[seen] >= lo[seen]).all()
    assert (out[seen] <= hi[seen] * (1 + 1e-12)).all()


@pytest.mark.parametrize("name", ["minmax", "dist_to_max", "percentile_rank", "rank"])
@FAST
@given(data=st.data())
def test_idempotent(name: str, data: st.DataObject) -> None:
    x, d, params = _draw_case(data, name)
    kernel = METHODS[name].kernel
    once = kernel(x, d, **params)
    twice = kernel(once, np.ones_like(d), **params)
    np.testing.assert_allclose(twice, once, rtol=1e-12, atol=1e-9)


_PARAMETER_FREE = ["minmax", "zscore", "dist_to_max", "rank", "borda", "percentile_rank"]


@pytest.mark.parametrize("name", _PARAMETER_FREE)
@FAST
@given(data=st.data())
def test_direction_reversal_is_negation(name: str, data: st.DataObject) -> None:
    x, d, params = _draw_case(data, name)
    kernel = METHODS[name].kernel
    _close(kernel(x, -d, **params), kernel(-x, d, **params))


@pytest.mark.parametrize("name", ["goalposts", "fixed_bounds"])
@FAST
@given(data=st.data())
def test_direction_reversal_flips_own_unit_interval(name: str, data: st.DataObject) -> None:
    x, d, params = _draw_case(data, name)
    kernel = METHODS[name].kernel
    mirrored = dict(params, low=-np.asarray(params["high"]), high=-np.asarray(params["low"]))
    _close(kernel(x, -d, **params), kernel(-x, d, **mirrored))


@FAST
@given(data=st.data())
def test_direction_reversal_negates_target(data: st.DataObject) -> None:
    x, d, params = _draw_case(data, "dist_to_target")
    mirrored = dict(params, target=-np.asarray(params["target"]))
    _close(nm.dist_to_target(x, -d, **params), nm.dist_to_target(-x, d, **mirrored))


# ------------------------------------------------------------------ direction of bounded methods
# COINr flips the data but only part of the parameters: these pin the documented rule.

BEST_TO_TOP = {
    "minmax": {},
    "goalposts": {"low": 1.0, "high": 9.0},
    "fixed_bounds": {"low": 1.0, "high": 9.0},
    "dist_to_target": {"target": 1.0},
    "fraction_of_max": {},
}


@pytest.mark.parametrize("name", sorted(BEST_TO_TOP))
def test_lower_is_better_maps_best_to_top_and_worst_to_bottom(name: str) -> None:
    x = np.array([[1.0], [3.0], [5.0], [9.0]])  # 1 is the best when lower is better
    out = METHODS[name].kernel(x, np.array([-1.0]), **BEST_TO_TOP[name])[:, 0]
    assert out[0] == pytest.approx(100.0)
    assert out[0] == out.max()
    assert out[-1] == out.min()
    if name != "fraction_of_max":  # a ratio scale has no fixed bottom: 1/9 of the best
        assert out[-1] == pytest.approx(0.0)
    assert (np.diff(out) < 0).all()


@pytest.mark.parametrize("name", sorted(BEST_TO_TOP))
def test_flipping_direction_reverses_the_order(name: str) -> None:
    x = np.array([[2.0], [3.0], [5.0], [8.0]])
    # A target inside the data range, so that neither direction has every unit at the target.
    params = {"target": 5.0, "cap": False} if name == "dist_to_target" else BEST_TO_TOP[name]
    up = METHODS[name].kernel(x, np.array([1.0]), **params)[:, 0]
    down = METHODS[name].kernel(x, np.array([-1.0]), **params)[:, 0]
    assert (np.diff(up) > 0).all()
    assert (np.diff(down) < 0).all()
    assert up.max() == pytest.approx(down.max())  # same range in both directions


def test_goalposts_lower_is_better_formula() -> None:
    x = np.array([[0.0], [2.5], [10.0], [12.0], [-1.0]])
    out = nm.goalposts(x, np.array([-1.0]), low=0.0, high=10.0)[:, 0]
    np.testing.assert_allclose(out, [100.0, 75.0, 0.0, 0.0, 100.0])
    untruncated = nm.goalposts(x, np.array([-1.0]), low=0.0, high=10.0, truncate=False)[:, 0]
    np.testing.assert_allclose(untruncated, [100.0, 75.0, 0.0, -20.0, 110.0])


def test_dist_to_target_lower_is_better_formula() -> None:
    x = np.array([[1.0], [5.0], [9.0], [0.0]])
    # (max - x) / (max - target) with max = 9, target = 1; 0 is beyond the target.
    out = nm.dist_to_target(x, np.array([-1.0]), target=1.0)[:, 0]
    np.testing.assert_allclose(out, [100.0, 50.0, 0.0, 100.0])
    uncapped = nm.dist_to_target(x, np.array([-1.0]), target=1.0, cap=False)[:, 0]
    np.testing.assert_allclose(uncapped, [100.0, 50.0, 0.0, 112.5])


def test_fraction_of_max_both_directions() -> None:
    x = np.array([[2.0], [4.0], [8.0]])
    np.testing.assert_allclose(nm.fraction_of_max(x, np.array([1.0]))[:, 0], [25, 50, 100])
    np.testing.assert_allclose(nm.fraction_of_max(x, np.array([-1.0]))[:, 0], [100, 50, 25])


def test_dist_to_reference_formula() -> None:
    x = np.array([[2.0], [4.0], [6.0], [10.0]])
    out = nm.dist_to_reference(x, np.array([1.0]), reference_index=2)[:, 0]
    np.testing.assert_allclose(out, [0.0, 50.0, 100.0, 200.0])
    capped = nm.dist_to_reference(x, np.array([1.0]), reference_index=2, cap=True)[:, 0]
    np.testing.assert_allclose(capped, [0.0, 50.0, 100.0, 100.0])
    lower = nm.dist_to_reference(x, np.array([-1.0]), reference_index=1)[:, 0]
    # Oriented: y = -x, min y = -10, reference y = -4: (y + 10) / 6.
    np.testing.assert_allclose(lower, [400.0 / 3, 100.0, 200.0 / 3, 0.0])


def test_rank_ties_share_minimum_and_best_is_highest() -> None:
    x = np.array([[3.0], [1.0], [3.0], [NAN], [7.0]])
    np.testing.assert_array_equal(nm.rank(x, np.array([1.0]))[:, 0], [2, 1, 2, NAN, 4])
    np.testing.assert_array_equal(nm.rank(x, np.array([-1.0]))[:, 0], [2, 4, 2, NAN, 1])
    np.testing.assert_array_equal(nm.borda(x, np.array([1.0]))[:, 0], [1, 0, 1, NAN, 3])
    prank = nm.percentile_rank(x, np.array([1.0]))[:, 0]
    np.testing.assert_allclose(prank, [100 / 3, 0, 100 / 3, NAN, 100])


# ------------------------------------------------------------------ zero range


def test_zero_range_rules() -> None:
    x = np.array([[4.0, 0.0], [4.0, 0.0], [NAN, NAN]])
    d = np.array([1.0, -1.0])
    expected_nan = np.isnan(x)
    results = {
        "minmax": (nm.minmax(x, d), 50.0),
        "minmax_custom": (nm.minmax(x, d, lower=1.0, upper=3.0), 2.0),
        "zscore": (nm.zscore(x, d, mean=10.0, sd=2.0), 10.0),
        "dist_to_max": (nm.dist_to_max(x, d), 50.0),
        "fraction_of_max": (nm.fraction_of_max(x, d), 100.0),
        "dist_to_reference": (nm.dist_to_reference(x, d, reference_index=0), 100.0),
        "percentile_rank": (nm.percentile_rank(x, d), 0.0),
        "borda": (nm.borda(x, d), 0.0),
    }
    for name, (out, value) in results.items():
        np.testing.assert_array_equal(np.isnan(out), expected_nan, err_msg=name)
        np.testing.assert_allclose(out[~expected_nan], value, err_msg=name)


def test_zscore_single_observation_gives_mean() -> None:
    x = np.array([[5.0], [NAN]])
    np.testing.assert_array_equal(nm.zscore(x, np.array([1.0]), mean=3.0)[:, 0], [3.0, NAN])


def test_equal_goalposts_give_a_step() -> None:
    x = np.array([[1.0], [5.0], [9.0]])
    for kernel in (nm.goalposts, nm.fixed_bounds):
        up = kernel(x, np.array([1.0]), low=5.0, high=5.0)[:, 0]
        np.testing.assert_array_equal(up, [0.0, 100.0, 100.0])
        down = kernel(x, np.array([-1.0]), low=5.0, high=5.0)[:, 0]
        np.testing.assert_array_equal(down, [100.0, 100.0, 0.0])


def test_target_at_or_below_worst_gives_scale() -> None:
    x = np.array([[3.0], [5.0], [NAN]])
    out = nm.dist_to_target(x, np.array([1.0]), target=2.0, cap=False)[:, 0]
    np.testing.assert_array_equal(out, [100.0, 100.0, NAN])
    out = nm.dist_to_target(x, np.array([1.0]), target=3.0)[:, 0]
    np.testing.assert_array_equal(out, [100.0, 100.0, NAN])


def test_fraction_of_max_zero_best() -> None:
    x = np.array([[0.0], [0.0]])
    np.testing.assert_array_equal(nm.fraction_of_max(x, np.array([1.0]))[:, 0], [100.0, 100.0])
    x = np.array([[0.0], [2.0]])
    np.testing.assert_array_equal(nm.fraction_of_max(x, np.array([-1.0]))[:, 0], [100.0, 0.0])


def test_missing_reference_unit_gives_missing_indicator() -> None:
    x = np.array([[NAN, 1.0], [2.0, 3.0]])
    out = nm.dist_to_reference(x, np.array([1.0, 1.0]), reference_index=0)
    assert np.isnan(out[:, 0]).all()
    np.testing.assert_array_equal(out[:, 1], [100.0, 100.0])


def test_all_missing_indicator_stays_missing_without_warnings() -> None:
    x = np.array([[NAN, 1.0], [NAN, 2.0]])
    d = np.array([1.0, 1.0])
    needed: dict[str, dict[str, Any]] = {
        "goalposts": {"low": 0.0, "high": 1.0},
        "fixed_bounds": {"low": 0.0, "high": 1.0},
        "dist_to_target": {"target": 1.0},
        "dist_to_reference": {"reference_index": 0},
    }
    for name in NAMES:
        params = needed.get(name, {})
        out = METHODS[name].kernel(x, d, **params)
        assert np.isnan(out[:, 0]).all(), name


# ------------------------------------------------------------------ ordinal levels


def test_ordinal_levels_even_mapping_both_directions() -> None:
    x = np.array([[1.0, 1.0], [3.0, 3.0], [5.0, 5.0], [NAN, 2.0]])
    out = nm.ordinal_levels(x, np.array([1.0, -1.0]), levels=[1, 2, 3, 4, 5])
    np.testing.assert_array_equal(out[:, 0], [0.0, 50.0, 100.0, NAN])
    np.testing.assert_array_equal(out[:, 1], [100.0, 50.0, 0.0, 75.0])


def test_ordinal_levels_given_scores() -> None:
    x = np.array([[1.0], [2.0], [3.0]])
    out = nm.ordinal_levels(x, np.array([1.0]), levels=[1, 2, 3], scores=[0.0, 80.0, 100.0])
    np.testing.assert_array_equal(out[:, 0], [0.0, 80.0, 100.0])


def test_ordinal_levels_single_level_is_midpoint() -> None:
    out = nm.ordinal_levels(np.array([[1.0], [1.0]]), np.array([1.0]), levels=[1])
    np.testing.assert_array_equal(out[:, 0], [50.0, 50.0])


def test_ordinal_levels_per_indicator_levels() -> None:
    x = np.array([[0.0, 10.0], [1.0, 30.0]])
    levels = np.array([[0.0, 1.0, 2.0], [10.0, 20.0, 30.0]])
    out = nm.ordinal_levels(x, np.array([1.0, 1.0]), levels=levels)
    np.testing.assert_array_equal(out, [[0.0, 0.0], [50.0, 100.0]])


def test_ordinal_levels_rejects_unknown_value() -> None:
    x = np.array([[1.0], [2.5]])
    with pytest.raises(ValueError, match=r"value 2\.5 of indicator 0"):
        nm.ordinal_levels(x, np.array([1.0]), levels=[1, 2, 3])


@st.composite
def _ordinal_case(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, list[float]]:
    levels = draw(st.lists(grid_floats, min_size=1, max_size=6, unique=True))
    x, d = draw(cases(st.sampled_from(levels)))
    return x, d, levels


@given(_ordinal_case())
def test_ordinal_levels_agrees_with_reference(
    case: tuple[np.ndarray, np.ndarray, list[float]],
) -> None:
    x, d, levels = case
    x.flags.writeable = False
    expected = ref.batched(ref.ordinal_levels, x, d, levels)
    _close(nm.ordinal_levels(x, d, levels=levels), expected)
    _assert_monotone(x * d, nm.ordinal_levels(x, d, levels=levels))


# ------------------------------------------------------------------ pinned examples


@settings(max_examples=50)
@given(cases(wide_floats))
@example((np.array([[0.0], [5e-324 * 2**60]]), np.array([1.0])))
@example((np.array([[1e6], [-1e6]]), np.array([-1.0])))
def test_minmax_extremes_stay_in_range(case: tuple[np.ndarray, np.ndarray]) -> None:
    x, d = case
    out = nm.minmax(x, d)
    seen = ~np.isnan(out)
    assert ((out[seen] >= 0.0) & (out[seen] <= 100.0)).all()

"""Tests of the imputation kernels: reference agreement, observed values kept, edge rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cityeval.methods import impute

from . import reference as ref
from .reference import cases, grid_floats, with_nan

NAN = np.nan
FAST = settings(max_examples=40, deadline=None)


def _close(actual: np.ndarray, expected: np.ndarray) -> None:
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-12, equal_nan=True)


@st.composite
def _grouped(draw: st.DrawFn, batch: bool | None = None) -> tuple[np.ndarray, np.ndarray]:
    x, _ = draw(cases(grid_floats, batch=batch))
    groups = draw(hnp.arrays(np.int64, (x.shape[-2],), elements=st.integers(-2, 2)))
    return x, groups


@st.composite
def _panel(draw: st.DrawFn, batch: bool = False) -> tuple[np.ndarray, np.ndarray]:
    n_times = draw(st.integers(1, 6))
    n_units = draw(st.integers(1, 4))
    n_ind = draw(st.integers(1, 3))
    shape: tuple[int, ...] = (n_times, n_units, n_ind)
    if batch:
        shape = (draw(st.integers(1, 3)), *shape)
    x = draw(hnp.arrays(np.float64, shape, elements=with_nan(grid_floats)))
    steps = draw(hnp.arrays(np.float64, (n_times,), elements=st.integers(1, 5).map(float)))
    times = 2000.0 + np.cumsum(steps)
    return x, times


CROSS: dict[str, tuple[Callable[..., Any], Callable[..., Any]]] = {
    "mean": (lambda x, g: impute.mean(x), lambda x, g: ref.impute_mean(x)),
    "median": (lambda x, g: impute.median(x), lambda x, g: ref.impute_median(x)),
    "group_mean": (impute.group_mean, ref.impute_group_mean),
    "group_median": (impute.group_median, ref.impute_group_median),
}
PANEL: dict[str, tuple[Any, Any, dict[str, Any]]] = {
    "latest": (impute.latest, ref.impute_latest, {}),
    "latest_max_gap": (impute.latest, ref.impute_latest, {"max_gap": 3.0}),
    "linear": (impute.linear, ref.impute_linear, {}),
    "linear_constant": (impute.linear, ref.impute_linear, {"extrapolate": "constant"}),
}


@pytest.mark.parametrize("name", sorted(CROSS))
@FAST
@given(case=_grouped())
def test_cross_section_agrees_with_reference(name: str, case: Any) -> None:
    x, groups = case
    kernel, reference = CROSS[name]
    _close(kernel(x, groups), ref.batched(reference, x, groups))


@pytest.mark.parametrize("name", sorted(CROSS))
@FAST
@given(case=_grouped(batch=True))
def test_cross_section_batch_axis_equals_loop(name: str, case: Any) -> None:
    x, groups = case
    kernel = CROSS[name][0]
    looped = np.stack([kernel(x[b], groups) for b in range(x.shape[0])])
    np.testing.assert_array_equal(kernel(x, groups), looped)


@pytest.mark.parametrize("name", sorted(CROSS))
@FAST
@given(case=_grouped())
def test_cross_section_keeps_observed_and_does_not_mutate(name: str, case: Any) -> None:
    x, groups = case
    x_copy = x.copy()
    x.flags.writeable = False
    groups.flags.writeable = False
    out = CROSS[name][0](x, groups)
    np.testing.assert_array_equal(x, x_copy)
    seen = ~np.isnan(x)
    np.testing.assert_array_equal(out[seen], x[seen])


@pytest.mark.parametrize("name", sorted(CROSS))
@FAST
@given(case=_grouped(), data=st.data())
def test_cross_section_permutation_of_units(name: str, case: Any, data: st.DataObject) -> None:
    x, groups = case
    perm = np.asarray(data.draw(st.permutations(range(x.shape[-2]))))
    kernel = CROSS[name][0]
    _close(kernel(x[..., perm, :], groups[perm]), kernel(x, groups)[..., perm, :])


@pytest.mark.parametrize("name", sorted(PANEL))
@FAST
@given(case=_panel())
def test_panel_agrees_with_reference(name: str, case: Any) -> None:
    x, times = case
    kernel, reference, kw = PANEL[name]
    _close(kernel(x, times, **kw), reference(x, times, **kw))


@pytest.mark.parametrize("name", sorted(PANEL))
@FAST
@given(case=_panel(batch=True))
def test_panel_batch_axis_equals_loop(name: str, case: Any) -> None:
    x, times = case
    kernel, _, kw = PANEL[name]
    looped = np.stack([kernel(x[b], times, **kw) for b in range(x.shape[0])])
    np.testing.assert_array_equal(kernel(x, times, **kw), looped)


@pytest.mark.parametrize("name", sorted(PANEL))
@FAST
@given(case=_panel())
def test_panel_keeps_observed_and_does_not_mutate(name: str, case: Any) -> None:
    x, times = case
    x_copy = x.copy()
    x.flags.writeable = False
    times.flags.writeable = False
    kernel, _, kw = PANEL[name]
    out = kernel(x, times, **kw)
    np.testing.assert_array_equal(x, x_copy)
    seen = ~np.isnan(x)
    np.testing.assert_array_equal(out[seen], x[seen])


@FAST
@given(case=_panel())
def test_linear_fill_lies_between_neighbours(case: Any) -> None:
    x, times = case
    out = impute.linear(x, times)
    lo = np.fmin.reduce(x, axis=0)
    hi = np.fmax.reduce(x, axis=0)
    filled = np.isnan(x) & ~np.isnan(out)
    assert (out >= lo - 1e-9)[filled].all()
    assert (out <= hi + 1e-9)[filled].all()


def test_group_mean_fills_from_own_group() -> None:
    x = np.array([[1.0, NAN], [3.0, 4.0], [NAN, 5.0], [10.0, NAN], [NAN, NAN]])
    groups = np.array([0, 0, 0, 1, 1])
    out = impute.group_mean(x, groups)
    np.testing.assert_array_equal(out, [[1, 4.5], [3, 4], [2, 5], [10, NAN], [10, NAN]])


def test_group_with_nothing_observed_stays_missing() -> None:
    x = np.array([[NAN], [NAN], [2.0]])
    groups = np.array([7, 7, 3])
    for kernel in (impute.group_mean, impute.group_median):
        np.testing.assert_array_equal(kernel(x, groups)[:, 0], [NAN, NAN, 2.0])


def test_median_even_count() -> None:
    x = np.array([[1.0], [NAN], [4.0], [2.0], [10.0]])
    np.testing.assert_array_equal(impute.median(x)[:, 0], [1.0, 3.0, 4.0, 2.0, 10.0])


def test_all_missing_indicator_stays_missing() -> None:
    x = np.array([[NAN, 1.0], [NAN, NAN]])
    np.testing.assert_array_equal(impute.mean(x), [[NAN, 1.0], [NAN, 1.0]])
    np.testing.assert_array_equal(impute.median(x), [[NAN, 1.0], [NAN, 1.0]])


def test_latest_carries_forward_never_backward() -> None:
    x = np.array([NAN, 2.0, NAN, NAN, 5.0, NAN]).reshape(6, 1, 1)
    times = np.array([2018.0, 2019.0, 2020.0, 2021.0, 2022.0, 2023.0])
    out = impute.latest(x, times)[:, 0, 0]
    np.testing.assert_array_equal(out, [NAN, 2.0, 2.0, 2.0, 5.0, 5.0])
    gapped = impute.latest(x, times, max_gap=1.0)[:, 0, 0]
    np.testing.assert_array_equal(gapped, [NAN, 2.0, 2.0, NAN, 5.0, 5.0])


def test_linear_uses_times_not_positions() -> None:
    x = np.array([NAN, 0.0, NAN, 9.0, NAN]).reshape(5, 1, 1)
    times = np.array([2010.0, 2011.0, 2012.0, 2020.0, 2021.0])
    out = impute.linear(x, times)[:, 0, 0]
    np.testing.assert_allclose(out, [NAN, 0.0, 1.0, 9.0, NAN])
    const = impute.linear(x, times, extrapolate="constant")[:, 0, 0]
    np.testing.assert_allclose(const, [0.0, 0.0, 1.0, 9.0, 9.0])


@pytest.mark.parametrize("kernel", [impute.group_mean, impute.group_median])
def test_units_without_a_group_neither_receive_nor_give(kernel: Any) -> None:
    x = np.array([[1.0], [np.nan], [100.0], [np.nan]])
    groups = np.array([0, 0, -1, -1])
    out = kernel(x, groups)
    assert out[1, 0] == 1.0  # filled from its group, not from the ungrouped 100
    assert np.isnan(out[3, 0])  # no group: stays missing
    assert out[2, 0] == 100.0

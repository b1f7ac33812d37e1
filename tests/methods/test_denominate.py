"""Tests of the denomination kernel."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cityeval.methods.denominate import denominate

from . import reference as ref
from .reference import cases, grid_floats, with_nan

NAN = np.nan
FAST = settings(max_examples=60, deadline=None)


@st.composite
def _case(draw: st.DrawFn, batch: bool | None = None) -> tuple[Any, Any, Any]:
    x, _ = draw(cases(grid_floats, batch=batch))
    n_units, n_ind = x.shape[-2:]
    n_den = draw(st.integers(0, 3))
    # Zero denominators are drawn often on purpose.
    den_cells = with_nan(st.one_of(st.just(0.0), grid_floats))
    den = draw(hnp.arrays(np.float64, (n_units, n_den), elements=den_cells))
    index = draw(hnp.arrays(np.intp, (n_ind,), elements=st.integers(-1, n_den - 1)))
    return x, den, index


@FAST
@given(_case())
def test_agrees_with_reference(case: Any) -> None:
    x, den, index = case
    values, zero = denominate(x, den, index)
    x2 = x.reshape(-1, *x.shape[-2:])
    for b in range(x2.shape[0]):
        exp_values, exp_zero = ref.denominate(x2[b], den, list(index))
        got_values = values.reshape(x2.shape)[b]
        np.testing.assert_allclose(got_values, exp_values, rtol=1e-15, equal_nan=True)
        np.testing.assert_array_equal(zero.reshape(x2.shape)[b], exp_zero)


@FAST
@given(_case(batch=True))
def test_batch_axis_equals_loop(case: Any) -> None:
    x, den, index = case
    values, zero = denominate(x, den, index)
    for b in range(x.shape[0]):
        vb, zb = denominate(x[b], den, index)
        np.testing.assert_array_equal(values[b], vb)
        np.testing.assert_array_equal(zero[b], zb)


@FAST
@given(_case())
def test_read_only_inputs_are_not_mutated(case: Any) -> None:
    x, den, index = case
    copies = [a.copy() for a in (x, den, index)]
    for a in (x, den, index):
        a.flags.writeable = False
    denominate(x, den, index)
    for a, c in zip((x, den, index), copies, strict=True):
        np.testing.assert_array_equal(a, c)


@FAST
@given(_case(), st.data())
def test_permutation_of_units(case: Any, data: st.DataObject) -> None:
    x, den, index = case
    perm = np.asarray(data.draw(st.permutations(range(x.shape[-2]))))
    values, zero = denominate(x, den, index)
    pv, pz = denominate(x[..., perm, :], den[perm], index)
    np.testing.assert_array_equal(pv, values[..., perm, :])
    np.testing.assert_array_equal(pz, zero[..., perm, :])


def test_missing_stays_missing_and_zero_division_is_flagged() -> None:
    x = np.array([[10.0, 1.0, 3.0], [NAN, 2.0, 4.0], [6.0, 3.0, NAN], [5.0, 7.0, 8.0]])
    den = np.array([[2.0], [4.0], [0.0], [NAN]])
    values, zero = denominate(x, den, np.array([0, -1, 0]))
    np.testing.assert_array_equal(
        values, [[5.0, 1.0, 1.5], [NAN, 2.0, 1.0], [NAN, 3.0, NAN], [NAN, 7.0, NAN]]
    )
    # Only an observed value divided by an observed zero is a zero division.
    np.testing.assert_array_equal(
        zero,
        [[False] * 3, [False] * 3, [True, False, False], [False] * 3],
    )

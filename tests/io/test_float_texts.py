"""float_texts writes every number as Python's repr does, with orjson or without it."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cityeval.io.outputs import float_texts, number_cells


def _reference(values: np.ndarray) -> list[str]:
    return [repr(float(v)) for v in values.ravel()]


@given(arrays(np.float64, st.integers(0, 60), elements=st.floats(allow_nan=True)))
def test_float_texts_is_repr(values: np.ndarray) -> None:
    assert float_texts(values) == _reference(values)


def test_float_texts_on_the_edges_of_the_fast_range() -> None:
    edges = [0.0, -0.0, 1e-3, -1e-3, 0.00099999, 1e-4, 1e15, 1e15 - 0.5, 1e16, 5e-324]
    edges += [9999999999999998.0, 1.7976931348623157e308, np.nan, np.inf, -np.inf]
    values = np.array(edges)
    assert float_texts(values) == _reference(values)


def test_float_texts_on_many_random_numbers() -> None:
    rng = np.random.default_rng(20261204)
    bits = rng.integers(0, 2**63, size=50_000, dtype=np.int64).view(np.float64)
    values = np.concatenate([rng.random(50_000) * 100, rng.normal(size=20_000), bits])
    assert float_texts(values) == _reference(values)


def test_without_orjson_the_text_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    values = np.array([[1.5, np.nan, 1e-7], [100.0, 2.0 / 3.0, -0.0]])
    fast = number_cells(values)
    monkeypatch.setitem(sys.modules, "orjson", None)  # import orjson fails
    assert number_cells(values) == fast == _reference(values)

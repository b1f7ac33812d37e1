"""Tests of cityeval.data, with the hypothesis strategy for datasets they share."""

from __future__ import annotations

import math
import string

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cityeval.data import Dataset
from cityeval.testing.strategies import ids

# Commas, quotes and spaces inside text make the CSV writer quote; "NA" must stay text.
_ALPHABET = string.ascii_letters + string.digits + " -'.,;()\"éàüñ:"

texts = st.text(alphabet=_ALPHABET, min_size=1, max_size=10).map(str.strip).filter(bool)
labels = st.none() | texts | st.sampled_from(["NA", "-", "nan", "3201"])
column_ids = ids().filter(lambda s: s not in ("unit", "time", "name"))
numbers = st.floats(allow_nan=False, allow_infinity=False) | st.just(math.nan)
times = st.lists(
    st.integers(1990, 2040) | st.floats(0.5, 50.0).filter(lambda x: not x.is_integer()),
    min_size=1,
    max_size=3,
    unique=True,
).map(sorted)


@st.composite
def datasets(draw: st.DrawFn, panel: bool | None = None) -> Dataset:
    """Valid datasets of 1-6 units and 0-5 indicators; panels of 1-3 times when ``panel``."""
    n_units = draw(st.integers(1, 6))
    units = draw(st.lists(texts, min_size=n_units, max_size=n_units, unique=True))
    is_panel = draw(st.booleans()) if panel is None else panel
    time_axis = draw(times) if is_panel else None
    lead = (len(time_axis),) if time_axis is not None else ()
    indicators = draw(st.lists(column_ids, max_size=5, unique=True))
    values = draw(arrays(np.float64, (*lead, n_units, len(indicators)), elements=numbers))
    group_names = draw(st.lists(column_ids, max_size=2, unique=True))
    denominator_names = draw(st.lists(column_ids, max_size=2, unique=True))
    return Dataset(
        units=units,
        indicators=indicators,
        values=values,
        names=draw(st.lists(labels, min_size=n_units, max_size=n_units)),
        times=time_axis,
        groups={
            g: draw(st.lists(labels, min_size=n_units, max_size=n_units)) for g in group_names
        },
        denominators={
            d: draw(arrays(np.float64, (*lead, n_units), elements=numbers))
            for d in denominator_names
        },
        source="data.csv",
    )


def assert_same(a: Dataset, b: Dataset) -> None:
    """Equal contents, with a readable failure (``Dataset.equals`` only says whether)."""
    assert a.units == b.units
    assert a.indicators == b.indicators
    assert a.names == b.names
    assert a.times == b.times
    assert dict(a.groups) == dict(b.groups)
    assert list(a.denominators) == list(b.denominators)
    for name, d in a.denominators.items():
        np.testing.assert_array_equal(d, b.denominators[name])
    np.testing.assert_array_equal(a.values, b.values)  # NaN positions must match too
    assert a.equals(b)

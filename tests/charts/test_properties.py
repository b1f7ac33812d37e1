"""Invariants of the charts' geometry, for any values."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from cityeval.charts import CURRENT, PREVIOUS, Series, bars_svg, radar_svg, rank_intervals_svg
from cityeval.charts.svg import nice_ticks
from tests.charts.conftest import find

values = st.one_of(st.none(), st.just(math.nan), st.floats(-50, 250, allow_nan=False))
maxima = st.floats(1, 1000, allow_nan=False)


@given(st.lists(st.tuples(values, values), min_size=1, max_size=12), maxima)
def test_every_bar_is_proportional_to_its_value_and_inside_the_plot(
    rows: list[tuple[float | None, float | None]], maximum: float
) -> None:
    now = tuple(a for a, _ in rows)
    before = tuple(b for _, b in rows)
    svg = bars_svg(
        [f"r{k}" for k in range(len(rows))],
        [Series("now", now, CURRENT), Series("before", before, PREVIOUS)],
        maximum=maximum,
    )
    assert "nan" not in svg
    root = ET.fromstring(svg)
    for role, series in (("bar-current", now), ("bar-previous", before)):
        bars = find(root, "rect", role)
        assert len(bars) == len(rows)
        for bar, v in zip(bars, series, strict=True):
            x, width = float(bar.get("x", 0)), float(bar.get("width", 0))
            assert x == 170.0 and width >= 1.0 and x + width <= 730.0 + 0.05
            if v is not None and not math.isnan(v) and v / maximum * 560 >= 1.0:
                expected = min(max(v / maximum, 0.0), 1.0) * 560
                assert math.isclose(width, expected, abs_tol=0.051)


@given(st.lists(values, min_size=3, max_size=9), maxima)
def test_radar_vertices_lie_inside_the_outer_ring(
    axis_values: list[float | None], maximum: float
) -> None:
    svg = radar_svg(
        [f"d{k}" for k in range(len(axis_values))],
        [Series("now", tuple(axis_values), CURRENT)],
        maximum=maximum,
    )
    root = ET.fromstring(svg)
    marks = [*find(root, "polygon", "series"), *find(root, "polyline", "series")]
    assert "nan" not in svg
    assert marks or all(v is None or math.isnan(v) for v in axis_values)
    for mark in marks:
        for pair in mark.get("points", "").split():
            x, y = map(float, pair.split(","))
            assert math.hypot(x - 300.0, y - 222.0) <= 168.0 + 0.1
    # a marker per present value, none where there is no value
    markers = [c for c in find(root, "circle") if c.find("title") is not None]
    assert len(markers) == sum(v is not None and not math.isnan(v) for v in axis_values)


@given(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.integers(1, 12),
)
def test_ticks_are_round_evenly_spaced_and_inside(lo: float, hi: float, count: int) -> None:
    ticks = nice_ticks(lo, hi, count)
    a, b = min(lo, hi), max(lo, hi)
    if a == b:
        assert ticks == [a]
        return
    slack = 1e-6 * (b - a)  # a tick a hair outside (rounding) is drawn at the end
    assert ticks and all(a - slack <= t <= b + slack for t in ticks)
    steps = np.diff(ticks)
    assert (steps > 0).all()
    if len(steps):
        assert np.allclose(steps, steps[0])
        mantissa = steps[0] / 10 ** math.floor(math.log10(steps[0]))
        assert any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 5, 10))
        assert len(ticks) <= 2 * count + 2


@given(st.integers(1, 140), st.integers(0, 2**32 - 1))
def test_rank_intervals_stay_inside_the_chart(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    nominal = rng.permutation(n).astype(float) + 1
    median = rng.integers(1, n + 1, n).astype(float)
    lo = np.minimum(median, rng.integers(1, n + 1, n))
    hi = np.maximum(median, rng.integers(1, n + 1, n))
    root = ET.fromstring(
        rank_intervals_svg([f"u{k}" for k in range(n)], median, lo, hi, nominal, "t")
    )
    width, height = float(root.get("width", 0)), float(root.get("height", 0))
    for line in find(root, "line", "interval"):
        for axis, limit in (("x1", width), ("x2", width), ("y1", height), ("y2", height)):
            assert 0 <= float(line.get(axis, -1)) <= limit
    for path in find(root, "path"):  # the overview: "M x y V y2" or "M x y h0" per unit
        moves = re.findall(r"M([-\d.]+) ([-\d.]+)(?:V([-\d.]+)|h0)", path.get("d", ""))
        assert len(moves) == n
        for x, y, y2 in moves:
            assert 0 <= float(x) <= width and 0 <= float(y) <= height
            assert y2 == "" or 0 <= float(y2) <= height

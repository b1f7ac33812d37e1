"""The radar chart never draws a missing score as 0: it leaves a gap and says so."""

from __future__ import annotations

import math
import re

from hypothesis import given
from hypothesis import strategies as st

from cityeval.report.charts import CURRENT, NO_DATA, PREVIOUS, Series, radar_svg

CX, CY, RADIUS = 300.0, 222.0, 168.0


def _points(svg: str, role: str) -> list[list[tuple[float, float]]]:
    runs = re.findall(rf'class="series series-{role}" points="([^"]+)"', svg)
    return [[tuple(map(float, p.split(","))) for p in run.split()] for run in runs]  # type: ignore[misc]


def test_a_missing_earlier_score_is_a_gap_with_a_note() -> None:
    svg = radar_svg(
        ["a", "b", "c", "d"],
        [
            Series("now", (50.0, 60.0, 70.0, 80.0), CURRENT),
            Series("before", (40.0, None, 30.0, 0.0), PREVIOUS, dashed=True),
        ],
        lang="id",
    )
    assert len(_points(svg, "current")) == 1 and '<polygon class="series series-current"' in svg
    (run,) = _points(svg, "previous")  # c, d, a: one run that skips b
    assert len(run) == 3
    zero = run[1]  # d scored 0: drawn at the centre, as a real 0
    assert math.isclose(zero[0], CX) and math.isclose(zero[1], CY)
    # no vertex of the earlier round sits on axis b (right of the centre, at y = CY)
    assert all(not (x > CX + 1 and math.isclose(y, CY)) for x, y in run)
    assert svg.count(NO_DATA["id"]) == 1 and "belum ada data" in svg
    assert 'class="no-data no-data-previous"' in svg


def test_no_data_note_in_english() -> None:
    svg = radar_svg(["a", "b", "c"], [Series("now", (None, 10.0, 20.0), CURRENT)], lang="en")
    assert "no data yet" in svg and "belum ada data" not in svg
    assert svg.count("<circle") == 2  # no marker where there is no value


@given(st.lists(st.one_of(st.none(), st.floats(0, 100, allow_nan=False)), min_size=3, max_size=8))
def test_every_present_value_is_drawn_once_and_every_gap_noted(
    values: list[float | None],
) -> None:
    axes = [f"d{i}" for i in range(len(values))]
    svg = radar_svg(axes, [Series("s", tuple(values), CURRENT)])
    present = sum(v is not None for v in values)
    missing = len(values) - present
    assert svg.count('class="no-data') == missing
    if missing == 0:
        assert len(_points(svg, "current")) == 1
    else:
        runs = _points(svg, "current")
        # the unbroken runs of present values, going round the axes once
        n = len(values)
        start = values.index(None)
        lengths, current = [], 0
        for k in range(1, n + 1):
            if values[(start + k) % n] is None:
                if current:
                    lengths.append(current)
                current = 0
            else:
                current += 1
        if current:
            lengths.append(current)
        assert [len(r) for r in runs] == [max(length, 2) for length in lengths]

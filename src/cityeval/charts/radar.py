"""A radar chart: an axis per dimension, a polygon per round, gaps where a round has no value."""

from __future__ import annotations

import math
from collections.abc import Sequence

from cityeval.charts.series import Series, legend_entries
from cityeval.charts.svg import (
    AXIS_TEXT,
    GRID,
    MUTED,
    document,
    el,
    esc,
    legend,
    num,
    points,
    text,
)

__all__ = ["NO_DATA_TEXT", "radar_svg", "runs"]

#: The note on an axis where a series has no value, unless the caller passes its own.
NO_DATA_TEXT = "no data yet"

_WIDTH, _HEIGHT = 600.0, 480.0
_CX, _CY, _RADIUS = 300.0, 222.0, 168.0
_RINGS = 5


def _point(i: int, n: int, fraction: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * i / max(n, 1)
    r = _RADIUS * fraction
    return _CX + r * math.cos(angle), _CY + r * math.sin(angle)


def radar_svg(
    axes: Sequence[str],
    series: Sequence[Series],
    *,
    maximum: float = 100.0,
    title: str = "",
    element_id: str = "radar",
    no_data: str = NO_DATA_TEXT,
) -> str:
    """A radar chart of ``axes`` (the dimensions), one polygon per series.

    A series with a missing value (None or NaN: an earlier round that did not score a
    dimension) is drawn with a gap there, never as 0: its outline is broken on both sides of
    that axis, and the axis says ``no_data`` in the series' colour. Values are clipped to
    ``[0, maximum]``, so every vertex lies inside the outer ring.

    Parameters
    ----------
    axes : sequence of str
        The axis labels, clockwise from the top (``n_axes`` of them).
    series : sequence of Series
        Values per axis (``n_axes`` each; missing ones count as None), on the scale 0 to
        ``maximum``. The first is this round, drawn on top.
    maximum : float
        The outer ring.
    title : str
        Read by screen readers (``<title>``).
    element_id : str
        The ``id`` of the ``<svg>`` element.
    no_data : str
        The note at a gap (the report passes "belum ada data" in Indonesian).

    Returns
    -------
    str
        An ``<svg>`` element: a ``polygon.series`` per complete series (one point per axis),
        ``polyline.series`` segments for one with gaps, and a ``text.no-data`` per gap.
    """
    n = len(axes)
    parts = []
    for k in range(1, _RINGS + 1):
        fraction = k / _RINGS
        ring = points(_point(i, n, fraction) for i in range(n))
        parts.append(
            el(
                "polygon",
                {"class": "grid", "points": ring, "fill": "none", "stroke": GRID},
            )
        )
        x, y = _point(0, n, fraction)
        parts.append(
            text(
                f"{maximum * fraction:g}",
                {"x": x + 4, "y": y + 4, "font-size": 10, "fill": MUTED},
            )
        )
    for i, label in enumerate(axes):
        x, y = _point(i, n, 1.0)
        parts.append(el("line", {"x1": _CX, "y1": _CY, "x2": x, "y2": y, "stroke": GRID}))
        lx, ly = _point(i, n, 1.14)
        cos = (lx - _CX) / (_RADIUS * 1.14)
        anchor = "start" if cos > 0.25 else "end" if cos < -0.25 else "middle"
        dy = -4 if ly < _CY - _RADIUS * 0.9 else 12 if ly > _CY + _RADIUS * 0.9 else 4
        parts.append(
            text(
                label,
                {
                    "class": "axis-label",
                    "x": lx,
                    "y": ly + dy,
                    "text-anchor": anchor,
                    "font-size": 13,
                    "font-weight": 600,
                    "fill": AXIS_TEXT,
                },
            )
        )
    # The earlier round first, so that this round is drawn on top.
    for index, s in reversed(list(enumerate(series))):
        parts.extend(_series(s, index, axes, maximum, no_data))
    parts.append(legend(legend_entries(series), 24, _HEIGHT - 14))
    return document(
        parts, _WIDTH, _HEIGHT, classes="chart radar", element_id=element_id, title=title
    )


def _series(s: Series, index: int, axes: Sequence[str], maximum: float, no_data: str) -> list[str]:
    n = len(axes)
    values = [None if v is None or not math.isfinite(v) else v for v in s.values[:n]]
    values += [None] * (n - len(values))
    vertices = [
        None if v is None else _point(i, n, min(max(v / maximum, 0.0), 1.0))
        for i, v in enumerate(values)
    ]
    role = "current" if index == 0 else "previous"
    stroke = {
        "stroke": s.colour,
        "stroke-width": 2.5,
        "stroke-linejoin": "round",
        "stroke-dasharray": "6 4" if s.dashed else None,
    }
    complete = [v for v in vertices if v is not None]
    parts = []
    if len(complete) == n:
        parts.append(
            el(
                "polygon",
                {
                    "class": f"series series-{role}",
                    "points": points(complete),
                    "fill": s.colour,
                    "fill-opacity": 0.22 if index == 0 else 0.08,
                    **stroke,
                },
            )
        )
    else:
        parts.extend(
            el(
                "polyline",
                {"class": f"series series-{role}", "points": pts, "fill": "none", **stroke},
            )
            for pts in runs(vertices)
        )
        if index > 0:  # an outline with gaps may be single points: mark every value
            parts.extend(
                el(
                    "circle",
                    {"class": f"point-{role}", "cx": x, "cy": y, "r": 3, "fill": s.colour},
                )
                for x, y in complete
            )
        for i, vertex in enumerate(vertices):
            if vertex is None:
                x, y = _point(i, n, 0.42 + 0.16 * index)
                parts.append(
                    text(
                        no_data,
                        {
                            "class": f"no-data no-data-{role}",
                            "x": x,
                            "y": y,
                            "text-anchor": "middle",
                            "font-size": 11,
                            "font-style": "italic",
                            "fill": s.colour,
                        },
                    )
                )
    if index == 0:
        for vertex, label, value in zip(vertices, axes, values, strict=False):
            if vertex is None or value is None:
                continue
            x, y = vertex
            parts.append(
                el(
                    "circle",
                    {"cx": x, "cy": y, "r": 4, "fill": s.colour},
                    el("title", None, f"{esc(label)}: {num(value)}"),
                )
            )
    return parts


def runs(vertices: Sequence[tuple[float, float] | None]) -> list[str]:
    """The outline of a series with gaps: the ``points`` lists of its unbroken runs.

    Runs wrap around (the last axis joins the first); a run of one point is drawn as a
    point-length line so that a lone value still shows. A series without a gap has no runs
    (it is drawn as a polygon).
    """
    n = len(vertices)
    start = next((i for i, v in enumerate(vertices) if v is None), None)
    if start is None:
        return []
    found: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for k in range(1, n + 1):
        v = vertices[(start + k) % n]
        if v is None:
            if current:
                found.append(current)
            current = []
        else:
            current.append(v)
    if current:
        found.append(current)
    return [points(run if len(run) > 1 else [run[0], run[0]]) for run in found]

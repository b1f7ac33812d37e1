"""Charts for the HTML report as inline SVG, written by hand: offline, with no dependency.

:func:`radar_svg` draws the dimensions' scores as polygons (one per round); :func:`bars_svg`
draws a horizontal bar per row (the OPDs), with the earlier round as a thinner bar. Every text
from users' files is escaped here, since the page inserts the SVG as markup.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from attrs import frozen

from cityeval.model import Lang

__all__ = ["CURRENT", "PREVIOUS", "Series", "bars_svg", "radar_svg"]

CURRENT = "#1d4ed8"
PREVIOUS = "#d97706"
_GRID = "#d4d9e1"
_AXIS_TEXT = "#334155"
_MUTED = "#64748b"
#: What the radar chart says where a series has no value for a dimension.
NO_DATA: dict[Lang, str] = {"id": "belum ada data", "en": "no data yet"}
_FONT = "font-family=\"'Segoe UI', 'Helvetica Neue', Arial, sans-serif\""


@frozen
class Series:
    """One polygon or one set of bars: a name for the legend, values, a colour."""

    name: str
    values: tuple[float | None, ...]
    colour: str
    dashed: bool = False


def _t(text: str) -> str:
    return escape(text, quote=True)


def _n(value: float) -> str:
    return f"{value:.1f}"


def _legend(series: Sequence[Series], x: float, y: float) -> list[str]:
    parts = [f'<g class="legend" transform="translate({_n(x)},{_n(y)})">']
    offset = 0.0
    for s in series:
        dash = ' stroke-dasharray="5 3"' if s.dashed else ""
        parts.append(
            f'<rect x="{_n(offset)}" y="-9" width="18" height="12" rx="2" fill="{s.colour}" '
            f'fill-opacity="0.25" stroke="{s.colour}" stroke-width="2"{dash}/>'
            f'<text x="{_n(offset + 24)}" y="1" font-size="13" fill="{_AXIS_TEXT}">'
            f"{_t(s.name)}</text>"
        )
        offset += 24 + 7.5 * len(s.name) + 28
    parts.append("</g>")
    return parts


def radar_svg(
    axes: Sequence[str],
    series: Sequence[Series],
    *,
    maximum: float = 100.0,
    title: str = "",
    element_id: str = "radar",
    lang: Lang = "en",
) -> str:
    """A radar chart of ``axes`` (the dimensions), one polygon per series.

    A series with a missing value (an earlier round that did not score a dimension) is
    drawn with a gap there, never as 0: its outline is broken on both sides of that axis,
    and the axis says "no data yet" (*belum ada data*) in the series' colour.

    Parameters
    ----------
    axes : sequence of str
        The axis labels, clockwise from the top.
    series : sequence of Series
        Values per axis, on the scale 0 to ``maximum``; None where there is no value.
    maximum : float
        The outer ring.
    title : str
        Read by screen readers (``<title>``).
    element_id : str
        The ``id`` of the ``<svg>`` element.
    lang : {"id", "en"}
        The language of the "no data yet" note.

    Returns
    -------
    str
        An ``<svg>`` element: a ``polygon.series`` per complete series (one point per axis),
        ``polyline.series`` segments for one with gaps, and a ``text.no-data`` per gap.
    """
    width, height = 600.0, 480.0
    cx, cy, radius = width / 2, 222.0, 168.0
    n = len(axes)

    def point(i: int, fraction: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / max(n, 1)
        return cx + radius * fraction * math.cos(angle), cy + radius * fraction * math.sin(angle)

    parts = [
        f'<svg id="{_t(element_id)}" class="chart radar" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" role="img" {_FONT}>',
        f"<title>{_t(title)}</title>",
    ]
    rings = 5
    for k in range(1, rings + 1):
        fraction = k / rings
        pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in (point(i, fraction) for i in range(n)))
        parts.append(
            f'<polygon class="grid" points="{pts}" fill="none" stroke="{_GRID}" stroke-width="1"/>'
        )
        x, y = point(0, fraction)
        parts.append(
            f'<text x="{_n(x + 4)}" y="{_n(y + 4)}" font-size="10" fill="{_MUTED}">'
            f"{maximum * fraction:g}</text>"
        )
    for i, label in enumerate(axes):
        x, y = point(i, 1.0)
        parts.append(
            f'<line x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" y2="{_n(y)}" stroke="{_GRID}"/>'
        )
        lx, ly = point(i, 1.14)
        cos = (lx - cx) / (radius * 1.14)
        anchor = "start" if cos > 0.25 else "end" if cos < -0.25 else "middle"
        dy = -4 if ly < cy - radius * 0.9 else 12 if ly > cy + radius * 0.9 else 4
        parts.append(
            f'<text class="axis-label" x="{_n(lx)}" y="{_n(ly + dy)}" text-anchor="{anchor}" '
            f'font-size="13" font-weight="600" fill="{_AXIS_TEXT}">{_t(label)}</text>'
        )
    # The earlier round first, so that this round is drawn on top.
    for index, s in reversed(list(enumerate(series))):
        values = list(s.values[:n]) + [None] * (n - len(s.values[:n]))
        vertices = [
            None if v is None else point(i, min(max(v / maximum, 0.0), 1.0))
            for i, v in enumerate(values)
        ]
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        role = "current" if index == 0 else "previous"
        stroke = f'stroke="{s.colour}" stroke-width="2.5" stroke-linejoin="round"{dash}'
        complete = [v for v in vertices if v is not None]
        if len(complete) == n:
            pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in complete)
            parts.append(
                f'<polygon class="series series-{role}" points="{pts}" fill="{s.colour}" '
                f'fill-opacity="{0.22 if index == 0 else 0.08}" {stroke}/>'
            )
        else:
            parts.extend(
                f'<polyline class="series series-{role}" points="{pts}" fill="none" {stroke}/>'
                for pts in _runs(vertices)
            )
            if index > 0:  # an outline with gaps may be single points: mark every value
                parts.extend(
                    f'<circle class="point-{role}" cx="{_n(x)}" cy="{_n(y)}" r="3" '
                    f'fill="{s.colour}"/>'
                    for x, y in complete
                )
            for i, vertex in enumerate(vertices):
                if vertex is None:
                    x, y = point(i, 0.42 + 0.16 * index)
                    parts.append(
                        f'<text class="no-data no-data-{role}" x="{_n(x)}" y="{_n(y)}" '
                        f'text-anchor="middle" font-size="11" font-style="italic" '
                        f'fill="{s.colour}">{_t(NO_DATA[lang])}</text>'
                    )
        if index == 0:
            for vertex, label, value in zip(vertices, axes, values, strict=False):
                if vertex is None or value is None:
                    continue
                x, y = vertex
                parts.append(
                    f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{s.colour}">'
                    f"<title>{_t(label)}: {value:.1f}</title></circle>"
                )
    parts.extend(_legend(series, 24, height - 14))
    parts.append("</svg>")
    return "".join(parts)


def _runs(vertices: Sequence[tuple[float, float] | None]) -> list[str]:
    """The outline of a series with gaps: the point lists of its unbroken runs.

    Runs wrap around (the last axis joins the first); a run of one point is drawn as a
    point-length line so that a lone value still shows.
    """
    n = len(vertices)
    start = next((i for i, v in enumerate(vertices) if v is None), None)
    if start is None:  # pragma: no cover - complete series are drawn as polygons
        return []
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for k in range(1, n + 1):
        v = vertices[(start + k) % n]
        if v is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append(v)
    if current:
        runs.append(current)
    out = []
    for run in runs:
        if len(run) == 1:
            run = [run[0], run[0]]
        out.append(" ".join(f"{_n(x)},{_n(y)}" for x, y in run))
    return out


def bars_svg(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    maximum: float = 100.0,
    title: str = "",
    element_id: str = "bars",
    notes: Sequence[str] = (),
) -> str:
    """Horizontal bars, one row per label: the first series thick, the second thin beneath.

    Parameters
    ----------
    labels : sequence of str
        Row labels (the OPDs' short names).
    series : sequence of Series
        One or two series of values on the scale 0 to ``maximum``.
    maximum : float
        The right end of the scale.
    title : str
        Read by screen readers (``<title>``).
    element_id : str
        The ``id`` of the ``<svg>`` element.
    notes : sequence of str
        Optional text after each row's value (such as ``2 at risk``).

    Returns
    -------
    str
        An ``<svg>`` element with one ``rect.bar-current`` per row.
    """
    label_w, bar_w, value_w = 170.0, 560.0, 170.0
    row_h, top = 30.0, 40.0
    width = label_w + bar_w + value_w
    height = top + row_h * len(labels) + 30
    x0 = label_w
    parts = [
        f'<svg id="{_t(element_id)}" class="chart bars" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" role="img" {_FONT}>',
        f"<title>{_t(title)}</title>",
    ]
    parts.extend(_legend(series, x0, 18))
    for k in range(5):
        value = maximum * k / 4
        x = x0 + bar_w * k / 4
        parts.append(
            f'<line x1="{_n(x)}" y1="{_n(top - 6)}" x2="{_n(x)}" '
            f'y2="{_n(top + row_h * len(labels))}" stroke="{_GRID}"/>'
            f'<text x="{_n(x)}" y="{_n(top + row_h * len(labels) + 16)}" font-size="10" '
            f'text-anchor="middle" fill="{_MUTED}">{value:g}</text>'
        )
    for row, label in enumerate(labels):
        y = top + row_h * row
        parts.append(
            f'<text x="{_n(x0 - 10)}" y="{_n(y + 15)}" text-anchor="end" font-size="13" '
            f'fill="{_AXIS_TEXT}">{_t(label)}</text>'
        )
        for index, s in enumerate(series[:2]):
            v = s.values[row] if row < len(s.values) else None
            length = 0.0 if v is None else bar_w * min(max(v / maximum, 0.0), 1.0)
            role = "current" if index == 0 else "previous"
            bar_y, bar_h = (y + 4, 14.0) if index == 0 else (y + 20, 5.0)
            parts.append(
                f'<rect class="bar bar-{role}" x="{_n(x0)}" y="{_n(bar_y)}" '
                f'width="{_n(max(length, 1.0))}" height="{_n(bar_h)}" rx="2" fill="{s.colour}" '
                f'fill-opacity="{1.0 if index == 0 else 0.75}">'
                f"<title>{_t(label)} – {_t(s.name)}: "
                f"{'–' if v is None else f'{v:.1f}'}</title></rect>"
            )
        current = series[0].values[row] if series and row < len(series[0].values) else None
        note = f" · {notes[row]}" if row < len(notes) and notes[row] else ""
        parts.append(
            f'<text x="{_n(x0 + bar_w + 8)}" y="{_n(y + 15)}" font-size="12" '
            f'font-weight="600" fill="{_AXIS_TEXT}">'
            f"{'–' if current is None else f'{current:.1f}'}"
            f'<tspan font-weight="400" fill="{_MUTED}">{_t(note)}</tspan></text>'
        )
    parts.append("</svg>")
    return "".join(parts)

"""Horizontal bars, one row per label: this round thick, the earlier round thin beneath."""

from __future__ import annotations

import math
from collections.abc import Sequence

from cityeval.charts.series import Series, legend_entries
from cityeval.charts.svg import (
    AXIS_TEXT,
    GRID,
    MUTED,
    LinearScale,
    document,
    el,
    esc,
    legend,
    num,
    text,
)

__all__ = ["bars_svg"]

_LABEL_W, _BAR_W, _VALUE_W = 170.0, 560.0, 170.0
_ROW_H, _TOP = 30.0, 40.0


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

    A bar's length is proportional to its value, clipped to ``[0, maximum]``, so every bar
    lies inside the plot; a missing value (None or NaN) is a 1 px stub with ``–`` as its value.

    Parameters
    ----------
    labels : sequence of str
        Row labels (the OPDs' short names), ``n_rows`` of them.
    series : sequence of Series
        One or two series of ``n_rows`` values on the scale 0 to ``maximum`` (a third and
        later are not drawn).
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
        An ``<svg>`` element with one ``rect.bar-current`` per row (and a ``rect.bar-previous``
        per row with a second series).
    """
    n = len(labels)
    width = _LABEL_W + _BAR_W + _VALUE_W
    height = _TOP + _ROW_H * n + 30
    x0 = _LABEL_W
    scale = LinearScale((0.0, maximum), (x0, x0 + _BAR_W))
    bottom = _TOP + _ROW_H * n
    parts = [legend(legend_entries(series), x0, 18)]
    for k in range(5):
        value = maximum * k / 4
        x = scale(value)
        parts.append(el("line", {"x1": x, "y1": _TOP - 6, "x2": x, "y2": bottom, "stroke": GRID}))
        parts.append(
            text(
                f"{value:g}",
                {
                    "x": x,
                    "y": bottom + 16,
                    "font-size": 10,
                    "text-anchor": "middle",
                    "fill": MUTED,
                },
            )
        )
    for row, label in enumerate(labels):
        y = _TOP + _ROW_H * row
        parts.append(
            text(
                label,
                {
                    "x": x0 - 10,
                    "y": y + 15,
                    "text-anchor": "end",
                    "font-size": 13,
                    "fill": AXIS_TEXT,
                },
            )
        )
        for index, s in enumerate(series[:2]):
            v = s.values[row] if row < len(s.values) else None
            v = None if v is None or not math.isfinite(v) else v  # NaN is no value too
            length = 0.0 if v is None else scale.clamped(v) - x0
            role = "current" if index == 0 else "previous"
            bar_y, bar_h = (y + 4, 14.0) if index == 0 else (y + 20, 5.0)
            shown = "–" if v is None else num(v)
            parts.append(
                el(
                    "rect",
                    {
                        "class": f"bar bar-{role}",
                        "x": x0,
                        "y": bar_y,
                        "width": max(length, 1.0),
                        "height": bar_h,
                        "rx": 2,
                        "fill": s.colour,
                        "fill-opacity": "1.0" if index == 0 else "0.75",
                    },
                    el("title", None, f"{esc(label)} – {esc(s.name)}: {shown}"),
                )
            )
        current = series[0].values[row] if series and row < len(series[0].values) else None
        current = None if current is None or not math.isfinite(current) else current
        note = f" · {notes[row]}" if row < len(notes) and notes[row] else ""
        parts.append(
            el(
                "text",
                {
                    "x": x0 + _BAR_W + 8,
                    "y": y + 15,
                    "font-size": 12,
                    "font-weight": 600,
                    "fill": AXIS_TEXT,
                },
                ("–" if current is None else num(current))
                + el("tspan", {"font-weight": 400, "fill": MUTED}, esc(note)),
            )
        )
    return document(parts, width, height, classes="chart bars", element_id=element_id, title=title)

"""A dot plot of ranks (1 at the left), with a line for each unit's rank interval."""

from __future__ import annotations

import math
from collections.abc import Sequence

from cityeval.charts.svg import LinearScale, document, el, nice_ticks, num, text

__all__ = ["ALL_TICKS", "rank_dots_svg"]

#: Up to this many rows every rank has a tick; beyond it, round ranks only.
ALL_TICKS = 20

_W, _ROW, _LEFT = 560.0, 24.0, 200.0
_DOT, _INTERVAL = "#2f5d8a", "#8aa4c0"


def rank_dots_svg(
    title: str,
    names: Sequence[str],
    ranks: Sequence[float],
    intervals: Sequence[tuple[float, float]] | None,
) -> str:
    """A dot plot of ranks (1 at the left), with a line for each rank interval.

    Parameters
    ----------
    title : str
        Read by screen readers (``<title>``).
    names : sequence of str
        The rows' labels (regencies), ``n_rows`` of them, in the order drawn.
    ranks : sequence of float
        Each row's rank, ``n_rows``; NaN draws no dot.
    intervals : sequence of tuple of (float, float), optional
        Each row's rank interval ``(low, high)``, ``n_rows``; NaN ends draw no line.

    Returns
    -------
    str
        An ``svg.chart.dots`` element: a ``circle.rank`` per ranked row, a
        ``line.interval`` per row with an interval.
    """
    n = max(len(names), 1)
    height = 30 + _ROW * len(names)
    x = LinearScale((1.0, float(max(n, 2))), (_LEFT, _W - 30))
    ticks = range(1, n + 1) if n <= ALL_TICKS else [int(t) for t in nice_ticks(1, n) if t >= 1]
    parts = [
        text(k, {"x": x(k), "y": 14, "font-size": 11, "text-anchor": "middle"}) for k in ticks
    ]
    for row, (name, rank) in enumerate(zip(names, ranks, strict=True)):
        y = 30 + row * _ROW
        parts.append(
            text(name, {"x": _LEFT - 8, "y": y + 4, "font-size": 12, "text-anchor": "end"})
        )
        if intervals is not None:
            low, high = intervals[row]
            if not (math.isnan(low) or math.isnan(high)):
                parts.append(
                    el(
                        "line",
                        {
                            "class": "interval",
                            "x1": x(low),
                            "x2": x(high),
                            "y1": num(y, 0),
                            "y2": num(y, 0),
                            "stroke": _INTERVAL,
                            "stroke-width": 4,
                        },
                    )
                )
        if not math.isnan(rank):
            parts.append(
                el(
                    "circle",
                    {"class": "rank", "cx": x(rank), "cy": num(y, 0), "r": 6, "fill": _DOT},
                )
            )
    return document(parts, _W, height, classes="chart dots", title=title)

"""A horizontal waterfall: the earlier score, each contribution to the change, the score now."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from cityeval.charts.svg import LinearScale, document, el, esc, text

__all__ = ["COLOURS", "waterfall_svg"]

#: The fill of each kind of row: the two totals, a loss, a gain.
COLOURS = {"total": "#2f5d8a", "down": "#c0392b", "up": "#27864a"}

_W, _ROW, _LEFT, _RIGHT = 640.0, 26.0, 230.0, 60.0


def _plain(value: float, signed: bool) -> str:
    return f"{value:+.1f}" if signed else f"{value:.1f}"


def waterfall_svg(
    title: str,
    start: tuple[str, float],
    steps: Sequence[tuple[str, float]],
    end: tuple[str, float],
    *,
    format_value: Callable[[float, bool], str] = _plain,
) -> str:
    """A horizontal waterfall of a change: one row per step between two totals.

    Parameters
    ----------
    title : str
        Read by screen readers (``<title>``).
    start : tuple of (str, float)
        The earlier total's label and value (a bar from 0).
    steps : sequence of tuple of (str, float)
        Each contribution's label and change, ``n_steps`` of them: a bar from the running
        level to the level plus the change, green up, red down.
    end : tuple of (str, float)
        The later total's label and value.
    format_value : callable
        ``format_value(value, signed)``, the text beside a bar (a change signed, a total not);
        the explanation passes the report language's number format.

    Returns
    -------
    str
        An ``svg.chart.waterfall`` element with a ``rect.step`` per row (``n_steps + 2``).
    """
    rows = [(start[0], 0.0, start[1], "total")]
    level = start[1]
    for label, delta in steps:
        rows.append((label, level, level + delta, "down" if delta < 0 else "up"))
        level += delta
    rows.append((end[0], 0.0, end[1], "total"))
    lo = min(0.0, *(min(a, b) for _, a, b, _ in rows))
    hi = max(1.0, *(max(a, b) for _, a, b, _ in rows))
    x = LinearScale((lo, hi), (_LEFT, _W - _RIGHT))
    height = _ROW * len(rows) + 30
    parts = []
    for k, (label, a, b, kind) in enumerate(rows):
        y = 20 + k * _ROW
        left, right = sorted((x(a), x(b)))
        value = b if kind == "total" else b - a
        parts.append(
            text(label, {"x": _LEFT - 6, "y": y + 14, "text-anchor": "end", "font-size": 12})
        )
        parts.append(
            el(
                "rect",
                {
                    "class": f"step step-{kind}",
                    "x": left,
                    "y": y,
                    "width": max(right - left, 1.0),
                    "height": _ROW - 8,
                    "fill": COLOURS[kind],
                },
                el("title", None, esc(label)),
            )
        )
        parts.append(
            text(
                format_value(value, kind != "total"),
                {"x": right + 4, "y": y + 14, "font-size": 12},
            )
        )
    return document(parts, _W, height, classes="chart waterfall", title=title)

"""The uncertainty analysis's rank chart: every unit's rank interval over the draws.

A chart of hundreds of units with a label each is unreadable. Up to :data:`LABEL_ALL` units,
every unit is labelled; beyond it the chart has three panels: every unit's interval in order
of median rank, unlabelled (how uncertain the ranking is across the whole list), and the
:data:`LABELLED` best and the :data:`LABELLED` worst units by median rank, labelled.

The Sobol' indices' bars are :mod:`cityeval.charts.sobol`. The arrays are numpy arrays (or
anything :func:`numpy.asarray` takes); numpy is imported when a chart is drawn. Each chart is
one standalone SVG document (a file of its own, which
:func:`cityeval.charts.raster.svg_to_png` renders as the PNG).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cityeval.charts.svg import (
    AXIS_TEXT,
    CURRENT,
    GRID,
    MUTED,
    PREVIOUS,
    LegendEntry,
    LinearScale,
    document,
    el,
    esc,
    legend,
    nice_ticks,
    num,
    text,
    text_width,
)
from cityeval.i18n import _

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["LABELLED", "LABEL_ALL", "labelled_units", "rank_intervals_svg"]

#: Units up to which every unit is labelled.
LABEL_ALL = 60
#: Units labelled at each end beyond that.
LABELLED = 15

_TICK = 9.0  # unit labels' font size, px


def labelled_units(median: npt.ArrayLike, nominal: npt.ArrayLike) -> tuple[list[int], list[int]]:
    """The rule for which units a rank chart labels, as unit indices.

    Parameters
    ----------
    median, nominal : array_like of shape ``(n_units,)``
        The median rank over the draws and the nominal rank.

    Returns
    -------
    tuple of (list of int, list of int)
        The order drawn (by median rank, ties by nominal rank), and the units labelled:
        every unit when ``n_units <= LABEL_ALL``, otherwise the first :data:`LABELLED` of that
        order followed by its last :data:`LABELLED`.
    """
    import numpy as np

    order = [int(u) for u in np.lexsort((np.asarray(nominal), np.asarray(median)))]
    if len(order) <= LABEL_ALL:
        return order, list(order)
    return order, [*order[:LABELLED], *order[-LABELLED:]]


def _legend_entries() -> list[LegendEntry]:
    return [
        LegendEntry(_("5–95% of draws"), CURRENT, "line"),
        LegendEntry(_("median rank"), CURRENT, "dot"),
        LegendEntry(_("nominal rank"), PREVIOUS, "tick"),
    ]


def _rank_ticks(n: int, count: int) -> list[float]:
    """Round ranks between 1 and ``n``, rank 1 always among them."""
    ticks = [t for t in nice_ticks(1, n, count) if t > 1]
    if ticks and (ticks[0] - 1) / max(n - 1, 1) < 0.04:
        ticks = ticks[1:]  # too close to rank 1 to write both
    return [1.0, *ticks]


def _rank_grid(
    scale: LinearScale, start: float, end: float, n: int, *, horizontal: bool
) -> list[str]:
    """Grid lines and rank labels at round ranks: horizontal lines from ``start`` to ``end``
    (x) labelled on the left, or vertical lines from ``start`` to ``end`` (y) labelled
    under the panel."""
    parts = []
    for t in _rank_ticks(n, 6 if horizontal else 5):
        at = scale(t)
        if horizontal:
            line = {"x1": start, "y1": at, "x2": end, "y2": at}
            label = {"x": start - 6, "y": at + 3, "text-anchor": "end"}
        else:
            line = {"x1": at, "y1": start, "x2": at, "y2": end}
            label = {"x": at, "y": end + 12, "text-anchor": "middle"}
        parts.append(el("line", {**line, "stroke": GRID}))
        parts.append(text(f"{t:g}", {**label, "font-size": 10, "fill": MUTED}))
    return parts


def _interval(
    unit: str, x: tuple[float, float], y: tuple[float, float], width: float, opacity: float
) -> str:
    x1, x2 = x
    y1, y2 = y
    if not all(math.isfinite(v) for v in (x1, x2, y1, y2)):
        return ""  # no interval (a unit never ranked): nothing drawn, never a NaN coordinate
    return el(
        "line",
        {
            "class": "interval",
            "x1": x1,
            "y1": y1,
            "x2": x2,
            "y2": y2,
            "stroke": CURRENT,
            "stroke-opacity": num(opacity, 2),
            "stroke-width": width,
        },
        el("title", None, esc(unit)),
    )


def _marks(x: float, y: float, nx: float, ny: float, *, r: float, horizontal: bool) -> list[str]:
    """The median dot at ``(x, y)`` and the nominal rank's tick at ``(nx, ny)``, each where
    its position is finite."""
    tick = (
        {"x1": nx, "y1": ny - 5, "x2": nx, "y2": ny + 5}
        if horizontal
        else {"x1": nx - 5, "y1": ny, "x2": nx + 5, "y2": ny}
    )
    out = []
    if math.isfinite(x) and math.isfinite(y):
        out.append(el("circle", {"class": "median", "cx": x, "cy": y, "r": r, "fill": CURRENT}))
    if math.isfinite(nx) and math.isfinite(ny):
        out.append(el("line", {"class": "nominal", **tick, "stroke": PREVIOUS, "stroke-width": 2}))
    return out


def _overview_marks(
    x: LinearScale,
    y: LinearScale,
    lo: npt.NDArray[np.float64],
    hi: npt.NDArray[np.float64],
    med: npt.NDArray[np.float64],
    nom: npt.NDArray[np.float64],
    order: list[int],
) -> list[str]:
    """Every unit's interval, median and nominal rank, as three paths of one mark per unit.

    One path per kind of mark, not an element per unit: the same picture, a sixth of the
    markup, and resvg renders it in about two thirds of the time.
    """
    import numpy as np

    idx = np.asarray(order, dtype=np.intp)
    k = np.arange(1, len(order) + 1, dtype=np.float64)
    (d0, d1), (r0, r1) = x.domain, x.range
    xs = (r0 + (k - d0) / (d1 - d0) * (r1 - r0)).tolist()
    (e0, e1), (s0, s1) = y.domain, y.range

    def ys(values: npt.NDArray[np.float64]) -> list[float]:
        out: list[float] = (s0 + (values[idx] - e0) / (e1 - e0) * (s1 - s0)).tolist()
        return out

    low, high, mid, written = ys(lo), ys(hi), ys(med), ys(nom)
    intervals = "".join(
        f"M{num(a)} {num(b)}V{num(c)}"
        for a, b, c in zip(xs, low, high, strict=True)
        if math.isfinite(b) and math.isfinite(c)
    )

    def dots(values: list[float]) -> str:
        return "".join(
            f"M{num(a)} {num(b)}h0" for a, b in zip(xs, values, strict=True) if math.isfinite(b)
        )

    dot = {"fill": "none", "stroke-width": 2.4, "stroke-linecap": "round"}
    return [
        el(
            "path",
            {
                "class": "intervals",
                "d": intervals,
                "fill": "none",
                "stroke": CURRENT,
                "stroke-opacity": "0.30",
                "stroke-width": 1.0,
            },
        ),
        el("path", {"class": "medians", "d": dots(mid), "stroke": CURRENT, **dot}),
        el("path", {"class": "nominals", "d": dots(written), "stroke": PREVIOUS, **dot}),
    ]


def rank_intervals_svg(
    units: Sequence[str],
    median: npt.ArrayLike,
    q05: npt.ArrayLike,
    q95: npt.ArrayLike,
    nominal: npt.ArrayLike,
    title: str,
) -> str:
    """Units in order of median rank with their 5-95% rank intervals and nominal ranks.

    Parameters
    ----------
    units : sequence of str
        Unit codes (from a user's file: escaped), ``n_units`` of them.
    median, q05, q95, nominal : array_like of shape ``(n_units,)``
        The ranks of one node over the draws (median, 5th and 95th percentiles) and as
        written (nominal); rank 1 is drawn at the top (or the left).
    title : str
        The chart's title.

    Returns
    -------
    str
        A standalone SVG document (``svg.chart.rank-intervals``): a ``line.interval``, a
        ``circle.median`` and a ``line.nominal`` per unit labelled, with a
        ``text.unit-label`` (:func:`labelled_units`); beyond :data:`LABEL_ALL` units, the
        overview of every unit as ``path.intervals``, ``path.medians`` and ``path.nominals``,
        one ``M`` (move) per unit each. A NaN rank (a unit never ranked) draws no mark.
    """
    import numpy as np

    med = np.asarray(median, dtype=np.float64)
    lo = np.asarray(q05, dtype=np.float64)
    hi = np.asarray(q95, dtype=np.float64)
    nom = np.asarray(nominal, dtype=np.float64)
    order, picked = labelled_units(med, nom)
    if len(order) <= LABEL_ALL:
        return _all_labelled(units, med, lo, hi, nom, order, title)
    return _overview(units, med, lo, hi, nom, order, picked, title)


def _all_labelled(
    units: Sequence[str],
    med: npt.NDArray[np.float64],
    lo: npt.NDArray[np.float64],
    hi: npt.NDArray[np.float64],
    nom: npt.NDArray[np.float64],
    order: list[int],
    title: str,
) -> str:
    n = len(order)
    step = 18.0
    left, top, plot_h = 64.0, 44.0, 300.0
    plot_w = max(420.0, step * n)
    step = plot_w / max(n, 1)
    room = max((text_width(units[u], _TICK) for u in order), default=0.0) + 12
    legend_w = 20 + max(text_width(e.name, 11) for e in _legend_entries()) + 24
    width = left + plot_w + 16 + legend_w
    height = top + plot_h + room + 8
    bottom = top + plot_h
    y = LinearScale((1.0, float(max(n, 2))), (top + 8, bottom - 8))
    parts = [
        text(title, {"x": width / 2, "y": 24, "text-anchor": "middle", "font-size": 15}),
        *_rank_grid(y, left, left + plot_w, n, horizontal=True),
        el(
            "text",
            {
                "x": 16,
                "y": top + plot_h / 2,
                "transform": f"rotate(-90 16 {num(top + plot_h / 2)})",
                "text-anchor": "middle",
                "font-size": 11,
                "fill": AXIS_TEXT,
            },
            esc(_("rank (1 = best)")),
        ),
    ]
    for k, u in enumerate(order):
        x = left + (k + 0.5) * step
        parts.append(_interval(units[u], (x, x), (y(lo[u]), y(hi[u])), 3.0, 0.45))
        parts.extend(_marks(x, y(med[u]), x, y(nom[u]), r=3.0, horizontal=False))
        parts.append(
            text(
                units[u],
                {
                    "class": "unit-label",
                    "x": x + 3,
                    "y": bottom + 6,
                    "transform": f"rotate(-90 {num(x + 3)} {num(bottom + 6)})",
                    "text-anchor": "end",
                    "font-size": num(_TICK, 0),
                    "fill": AXIS_TEXT,
                },
            )
        )
    parts.append(
        legend(_legend_entries(), left + plot_w + 16, top + 12, font_size=11, vertical=True)
    )
    return document(
        parts, width, height, classes="chart rank-intervals", title=title, standalone=True
    )


def _overview(
    units: Sequence[str],
    med: npt.NDArray[np.float64],
    lo: npt.NDArray[np.float64],
    hi: npt.NDArray[np.float64],
    nom: npt.NDArray[np.float64],
    order: list[int],
    picked: list[int],
    title: str,
) -> str:
    n = len(order)
    width, height = 1100.0, 640.0
    # The overview: every unit, unlabelled.
    left, right, top, bottom = 70.0, 560.0, 70.0, 580.0
    x = LinearScale((1.0, float(n)), (left + 4, right - 4))
    y = LinearScale((1.0, float(n)), (top + 4, bottom - 4))
    parts = [
        text(title, {"x": width / 2, "y": 26, "text-anchor": "middle", "font-size": 15}),
        text(
            _("all {n} units: 5–95% of draws").format(n=n),
            {"x": (left + right) / 2, "y": top - 10, "text-anchor": "middle", "font-size": 12},
        ),
        *_rank_grid(y, left, right, n, horizontal=True),
        el(
            "text",
            {
                "x": 18,
                "y": (top + bottom) / 2,
                "transform": f"rotate(-90 18 {num((top + bottom) / 2)})",
                "text-anchor": "middle",
                "font-size": 11,
                "fill": AXIS_TEXT,
            },
            esc(_("rank (1 = best)")),
        ),
        text(
            _("units in order of median rank"),
            {"x": (left + right) / 2, "y": bottom + 22, "text-anchor": "middle", "font-size": 11},
        ),
    ]
    parts.extend(_overview_marks(x, y, lo, hi, med, nom, order))
    parts.append(legend(_legend_entries(), left + 12, bottom - 56, font_size=11, vertical=True))
    # The best and the worst, labelled.
    longest = max(text_width(units[u], _TICK) for u in picked)
    x0 = 600.0 + min(250.0, longest + 12)
    x1 = width - 24
    rx = LinearScale((1.0, float(n)), (x0 + 4, x1 - 4))
    panels = (
        (picked[:LABELLED], _("the {k} best by median rank"), 70.0),
        (picked[LABELLED:], _("the {k} worst by median rank"), 350.0),
    )
    for rows, heading, ptop in panels:
        pbottom = ptop + 210
        row_h = (pbottom - ptop) / LABELLED
        parts.append(
            text(
                heading.format(k=LABELLED),
                {"x": (x0 + x1) / 2, "y": ptop - 10, "text-anchor": "middle", "font-size": 12},
            )
        )
        parts.extend(_rank_grid(rx, ptop, pbottom, n, horizontal=False))
        for k, u in enumerate(rows):
            yk = ptop + (k + 0.5) * row_h
            parts.append(_interval(units[u], (rx(lo[u]), rx(hi[u])), (yk, yk), 3.0, 0.45))
            parts.extend(_marks(rx(med[u]), yk, rx(nom[u]), yk, r=2.5, horizontal=True))
            parts.append(
                text(
                    units[u],
                    {
                        "class": "unit-label",
                        "x": x0 - 6,
                        "y": yk + 3,
                        "text-anchor": "end",
                        "font-size": num(_TICK, 0),
                        "fill": AXIS_TEXT,
                    },
                )
            )
    parts.append(
        text(
            _("rank (1 = best)"),
            {"x": (x0 + x1) / 2, "y": 350 + 210 + 30, "text-anchor": "middle", "font-size": 11},
        )
    )
    return document(
        parts, width, height, classes="chart rank-intervals", title=title, standalone=True
    )

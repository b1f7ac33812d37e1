"""The uncertainty analysis's sensitivity chart: Sobol' indices per factor as bars.

The arrays are numpy arrays (or anything :func:`numpy.asarray` takes); numpy is imported when
the chart is drawn. The chart is one standalone SVG document (a file of its own, which
:func:`cityeval.charts.raster.svg_to_png` renders as the PNG).
"""

from __future__ import annotations

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
    import numpy.typing as npt

__all__ = ["sobol_svg"]


def sobol_svg(
    names: Sequence[str],
    s1: npt.ArrayLike,
    s1_conf: npt.ArrayLike,
    st: npt.ArrayLike,
    st_conf: npt.ArrayLike,
) -> str:
    """First-order and total Sobol' indices per factor, with their bootstrap intervals.

    Negative estimates are drawn as 0 (the axis says so); a NaN index draws no bar.

    Parameters
    ----------
    names : sequence of str
        The factors, ``n_factors`` of them (escaped).
    s1, s1_conf, st, st_conf : array_like of shape ``(n_factors,)``
        The indices of one output and the half-widths of their 95% intervals.

    Returns
    -------
    str
        A standalone SVG document (``svg.chart.sobol``) with a ``rect.s1`` and a ``rect.st``
        per factor with a finite index, a ``path.error`` per bar with a finite interval.
    """
    import numpy as np

    first = np.asarray(s1, dtype=np.float64)
    total = np.asarray(st, dtype=np.float64)
    first_conf = np.asarray(s1_conf, dtype=np.float64)
    total_conf = np.asarray(st_conf, dtype=np.float64)
    n = len(names)
    reach = total + np.nan_to_num(total_conf)
    high = max(1.0, float(np.nanmax(reach)) * 1.05) if n and np.isfinite(reach).any() else 1.0
    label_w = min(260.0, max((text_width(s, 12) for s in names), default=0.0) + 16)
    left, top, row_h = label_w + 10, 50.0, 40.0
    plot_w = 420.0
    legend_entries = [
        LegendEntry(_("first order (S1)"), CURRENT, "solid"),
        LegendEntry(_("total (ST)"), PREVIOUS, "solid"),
    ]
    legend_w = 24 + max(text_width(e.name, 11) for e in legend_entries) + 16
    width = left + plot_w + 20 + legend_w
    bottom = top + row_h * max(n, 1)
    height = bottom + 50
    x = LinearScale((0.0, high), (left, left + plot_w))
    parts = [
        text(
            _("Sensitivity of the mean absolute rank shift"),
            {"x": width / 2, "y": 24, "text-anchor": "middle", "font-size": 15},
        ),
    ]
    for t in nice_ticks(0.0, high, 5):
        xt = x(t)
        parts.append(el("line", {"x1": xt, "y1": top, "x2": xt, "y2": bottom, "stroke": GRID}))
        parts.append(
            text(
                f"{t:g}",
                {
                    "x": xt,
                    "y": bottom + 14,
                    "text-anchor": "middle",
                    "font-size": 10,
                    "fill": MUTED,
                },
            )
        )
    bar_h = row_h * 0.38
    for f, name in enumerate(names):
        yc = top + (f + 0.5) * row_h
        parts.append(
            text(
                name,
                {
                    "x": left - 8,
                    "y": yc + 4,
                    "text-anchor": "end",
                    "font-size": 12,
                    "fill": AXIS_TEXT,
                },
            )
        )
        for value, conf, cls, colour, y0 in (
            (first[f], first_conf[f], "s1", CURRENT, yc - bar_h),
            (total[f], total_conf[f], "st", PREVIOUS, yc),
        ):
            if not np.isfinite(value):
                continue
            end = x.clamped(max(float(value), 0.0))
            parts.append(
                el(
                    "rect",
                    {
                        "class": cls,
                        "x": left,
                        "y": y0,
                        "width": max(end - left, 0.0),
                        "height": bar_h,
                        "fill": colour,
                    },
                    el("title", None, esc(f"{name}: {float(value):.3f} ± {float(conf):.3f}")),
                )
            )
            if np.isfinite(conf):
                a = x.clamped(max(float(value - conf), 0.0))
                b = x.clamped(max(float(value + conf), 0.0))
                ym = y0 + bar_h / 2
                parts.append(
                    el(
                        "path",
                        {
                            "class": "error",
                            "d": f"M{num(a)} {num(ym)}H{num(b)}"
                            f"M{num(a)} {num(ym - 3)}V{num(ym + 3)}"
                            f"M{num(b)} {num(ym - 3)}V{num(ym + 3)}",
                            "stroke": MUTED,
                            "stroke-width": 1.2,
                            "fill": "none",
                        },
                    )
                )
    parts.append(
        text(
            _("Sobol' index (95% bootstrap interval; negatives shown as 0)"),
            {"x": left + plot_w / 2, "y": bottom + 36, "text-anchor": "middle", "font-size": 11},
        )
    )
    parts.append(legend(legend_entries, left + plot_w + 20, top + 10, font_size=11, vertical=True))
    return document(parts, width, height, classes="chart sobol", standalone=True)

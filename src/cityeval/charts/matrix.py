"""Charts of a matrix and its spectrum: a correlation heatmap and a scree plot."""

from __future__ import annotations

import math
from collections.abc import Sequence

from cityeval.charts.svg import MUTED, LinearScale, document, el, esc, num, text, text_width

__all__ = ["heat_colour", "heatmap_svg", "scree_svg"]

CELL = 26.0  # heatmap cell size, px
LABEL = 110.0  # room for the heatmap's row and column labels, px
_MISSING = "#d1d5db"
_BAR = "#1d4ed8"


def heat_colour(r: float | None) -> str:
    """The fill of a heatmap cell: red for -1, white for 0, blue for +1, grey if missing."""
    if r is None or not math.isfinite(r):
        return _MISSING
    t = max(-1.0, min(1.0, r))
    if t >= 0:
        rgb = (255 - 226 * t, 255 - 177 * t, 255 - 39 * t)  # towards #1d4ed8
    else:
        rgb = (255 + 30 * t, 255 + 227 * t, 255 + 227 * t)  # towards #e11c1c
    return "#{:02x}{:02x}{:02x}".format(*(round(c) for c in rgb))


def _fixed(value: float | None, digits: int) -> str:
    if value is None or not math.isfinite(value):
        return ""
    return num(value, digits)


def heatmap_svg(
    labels: Sequence[str],
    values: Sequence[Sequence[float | None]],
    *,
    label: str = "",
    element_id: str | None = None,
) -> str:
    """A square heatmap of a correlation matrix, each cell coloured by :func:`heat_colour`.

    Parameters
    ----------
    labels : sequence of str
        The rows' and columns' labels (node ids), ``n`` of them.
    values : sequence of sequence of (float or None)
        The matrix, shape ``(n, n)``: ``values[i][j]`` is the correlation of row ``i`` with
        column ``j``, None (or NaN) where there is none (a grey cell).
    label : str
        The chart's ``aria-label`` (the group).
    element_id : str, optional
        The ``id`` of the ``<svg>`` element.

    Returns
    -------
    str
        An ``svg.heatmap`` element, sized in px (wider than tall where the last column labels
        need the room), with ``n * n`` ``rect.cell`` elements (each
        with its pair and value as a tooltip), ``text.row-label`` and ``text.col-label``.
    """
    n = len(labels)
    # A column label, turned 60 degrees, reaches half its length to the right of its column:
    # room for the last ones so that they are not cut off at the chart's edge.
    reach = max(
        (0.5 * text_width(b, 10) - (n - 1 - j) * CELL for j, b in enumerate(labels)),
        default=0.0,
    )
    height = LABEL + n * CELL + 4
    width = height + max(reach, 0.0)
    parts = []
    for i, a in enumerate(labels):
        for j, b in enumerate(labels):
            r = values[i][j]
            x, y = LABEL + j * CELL, LABEL + i * CELL
            parts.append(
                el(
                    "rect",
                    {
                        "class": "cell",
                        "x": x,
                        "y": y,
                        "width": CELL,
                        "height": CELL,
                        "fill": heat_colour(r),
                        "stroke": "#fff",
                    },
                    el("title", None, esc(f"{a} – {b}: {_fixed(r, 3)}")),
                )
            )
            parts.append(
                text(
                    _fixed(r, 2),
                    {
                        "x": x + CELL / 2,
                        "y": y + CELL * 0.62,
                        "text-anchor": "middle",
                        "font-size": 8,
                    },
                )
            )
    for i, a in enumerate(labels):
        parts.append(
            text(
                a,
                {
                    "class": "row-label",
                    "x": LABEL - 6,
                    "y": LABEL + i * CELL + CELL * 0.65,
                    "text-anchor": "end",
                    "font-size": 10,
                },
            )
        )
    for j, b in enumerate(labels):
        x, y = LABEL + j * CELL + CELL * 0.6, LABEL - 6
        parts.append(
            text(
                b,
                {
                    "class": "col-label",
                    "x": x,
                    "y": y,
                    "transform": f"rotate(-60 {num(x)} {num(y)})",
                    "font-size": 10,
                },
            )
        )
    return document(
        parts,
        width,
        height,
        classes="chart heatmap",
        element_id=element_id,
        label=label,
        sized=True,
    )


def scree_svg(shares: Sequence[float], *, label: str = "") -> str:
    """A scree plot: one bar per principal component, its share of the variance.

    Parameters
    ----------
    shares : sequence of float
        Each component's share of the variance, ``n_components`` values in ``[0, 1]``
        (clipped to it), the first component first.
    label : str
        The chart's ``aria-label`` (the group).

    Returns
    -------
    str
        An ``svg.scree`` element, sized in px, with a ``rect.bar`` per component (its height
        proportional to its share, with ``PCk: share%`` as a tooltip) labelled ``PCk``.
    """
    width, height, pad = 320.0, 160.0, 30.0
    base = height - pad
    y = LinearScale((0.0, 1.0), (base, 0.0))
    parts = [el("line", {"x1": pad, "y1": base, "x2": width, "y2": base, "stroke": MUTED})]
    bar = (width - pad) / max(len(shares), 1)
    for k, share in enumerate(shares):
        top = y.clamped(share)
        x = pad + k * bar + 2
        w = max(bar - 4, 1.0)
        name = f"PC{k + 1}"
        parts.append(
            el(
                "rect",
                {"class": "bar", "x": x, "y": top, "width": w, "height": base - top, "fill": _BAR},
                el("title", None, esc(f"{name}: {_fixed(100 * share, 1)}%")),
            )
        )
        parts.append(
            text(name, {"x": x + w / 2, "y": base + 12, "text-anchor": "middle", "font-size": 10})
        )
    return document(parts, width, height, classes="chart scree", label=label, sized=True)

"""The pieces every chart is made of: the SVG document, elements, text, numbers, scales, legends.

Every text that may come from a user's file goes through :func:`esc` (by way of :func:`el`,
which escapes every attribute value and every text it is given), so a label such as
``<script>`` or ``"q" & co`` is shown as text wherever the SVG is placed: inline in an HTML
page or as a file of its own. Numbers are written with a fixed number of decimals and never
as ``-0.0``, and nothing depends on the clock, so the same chart is the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

__all__ = [
    "AXIS_TEXT",
    "CURRENT",
    "FONT",
    "GRID",
    "MUTED",
    "PREVIOUS",
    "LegendEntry",
    "LinearScale",
    "document",
    "el",
    "esc",
    "legend",
    "nice_ticks",
    "num",
    "points",
    "text",
    "text_width",
]

#: The colour of this round, the first series, the main marks.
CURRENT = "#1d4ed8"
#: The colour of the earlier round, the second series.
PREVIOUS = "#d97706"
#: Grid lines and rings.
GRID = "#d4d9e1"
#: Labels and values.
AXIS_TEXT = "#334155"
#: Tick labels and notes.
MUTED = "#64748b"
#: The charts' font families, as an SVG ``font-family`` value.
FONT = "'Segoe UI', 'Helvetica Neue', Arial, 'DejaVu Sans', 'Liberation Sans', sans-serif"

_NS = "http://www.w3.org/2000/svg"
_XML = '<?xml version="1.0" encoding="utf-8"?>\n'


def esc(value: object) -> str:
    """Text as SVG/HTML text or attribute value: ``<``, ``>``, ``&`` and both quotes escaped."""
    return escape(str(value), quote=True)


def num(value: float, digits: int = 1) -> str:
    """A coordinate or value with ``digits`` decimals; ``-0.0`` is written ``0.0``."""
    out = f"{value:.{digits}f}"
    if out.startswith("-") and float(out) == 0.0:
        out = out[1:]
    return out


def _attribute(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return num(value)
    return esc(value)


def el(tag: str, attributes: Mapping[str, object] | None = None, content: str = "") -> str:
    """One element: attribute values escaped (floats with one decimal), in the given order.

    Parameters
    ----------
    tag : str
        The element's name (``rect``, ``text``, ...), written as given.
    attributes : mapping of str to object, optional
        Attribute names and values; a value of None leaves the attribute out.
    content : str
        Markup inside the element, already made of :func:`el` or :func:`text` pieces: it is
        NOT escaped here (escape a user's text with :func:`esc` or use :func:`text`).

    Returns
    -------
    str
        ``<tag a="v"/>`` or ``<tag a="v">content</tag>``.
    """
    attrs = "".join(
        f' {name}="{_attribute(value)}"'
        for name, value in (attributes or {}).items()
        if value is not None
    )
    if content:
        return f"<{tag}{attrs}>{content}</{tag}>"
    return f"<{tag}{attrs}/>"


def text(value: object, attributes: Mapping[str, object] | None = None) -> str:
    """A ``<text>`` element whose text (a user's label, say) is escaped."""
    return el("text", attributes, esc(value)) if str(value) else el("text", attributes)


def points(xy: Iterable[tuple[float, float]]) -> str:
    """An SVG ``points`` list: ``x,y x,y ...`` with one decimal."""
    return " ".join(f"{num(x)},{num(y)}" for x, y in xy)


def text_width(value: str, size: float) -> float:
    """An estimate of the width of ``value`` at font size ``size`` (px), for layout only."""
    return 0.58 * size * len(value)


def document(
    body: Iterable[str],
    width: float,
    height: float,
    *,
    classes: str = "chart",
    element_id: str | None = None,
    title: str | None = None,
    label: str | None = None,
    sized: bool = False,
    standalone: bool = False,
) -> str:
    """The ``<svg>`` element around a chart's elements.

    Parameters
    ----------
    body : iterable of str
        The chart's elements, in drawing order.
    width, height : float
        The size of the drawing (its ``viewBox``), px.
    classes : str
        The ``class`` attribute (``"chart radar"``).
    element_id : str, optional
        The ``id`` attribute.
    title : str, optional
        A ``<title>`` (read by screen readers, shown as a tooltip), escaped.
    label : str, optional
        An ``aria-label``, escaped.
    sized : bool
        Also write ``width`` and ``height`` attributes (the page does not size the chart).
    standalone : bool
        A file of its own: an XML declaration, the SVG namespace, a size and a white
        background (a PNG made from it is not transparent). Inline in HTML (the default),
        the page supplies the namespace and no address appears in the markup.

    Returns
    -------
    str
        Well-formed XML: ``xml.etree.ElementTree.fromstring`` parses it.
    """
    size: dict[str, object] = {}
    if sized or standalone:
        size = {"width": num(width, 0), "height": num(height, 0)}
    head = el(
        "svg",
        {
            "xmlns": _NS if standalone else None,
            "id": element_id,
            "class": classes,
            **size,
            "viewBox": f"0 0 {num(width, 0)} {num(height, 0)}",
            "role": "img",
            "aria-label": label,
            "font-family": FONT,
        },
    )[:-2]  # the opening tag of the element: <svg ...>
    parts = [_XML if standalone else "", head, ">"]
    if title is not None:
        parts.append(el("title", None, esc(title)) if title else "<title></title>")
    if standalone:
        parts.append(el("rect", {"width": "100%", "height": "100%", "fill": "#ffffff"}))
    parts.extend(body)
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class LinearScale:
    """A linear map from data values (the domain) to positions (the range), px.

    Attributes
    ----------
    domain : tuple of float
        ``(d0, d1)``: the values at the two ends; ``d0 == d1`` maps every value to ``r0``.
    range : tuple of float
        ``(r0, r1)``: their positions; ``r1 < r0`` flips the axis (rank 1 at the top).
    """

    domain: tuple[float, float]
    range: tuple[float, float]

    def __call__(self, value: float) -> float:
        """The position of ``value`` (outside the domain, beyond the range's ends)."""
        (d0, d1), (r0, r1) = self.domain, self.range
        if d1 == d0:
            return r0
        return r0 + (value - d0) / (d1 - d0) * (r1 - r0)

    def clamped(self, value: float) -> float:
        """The position of ``value`` clipped to the domain."""
        lo, hi = sorted(self.domain)
        return self(min(max(value, lo), hi))

    def ticks(self, count: int = 5) -> list[float]:
        """About ``count`` round values inside the domain (:func:`nice_ticks`)."""
        return nice_ticks(*self.domain, count=count)


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten apart) between ``lo`` and ``hi``.

    Parameters
    ----------
    lo, hi : float
        The ends of the axis, in either order; equal or non-finite ends give ``[lo]``.
    count : int
        About how many ticks.

    Returns
    -------
    list of float
        Increasing values, each inside ``[min(lo, hi), max(lo, hi)]`` (to a billionth of a
        step); two at least when ``count >= 2``.
    """
    lo, hi = min(lo, hi), max(lo, hi)
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi == lo or count < 1:
        return [lo]
    raw = (hi - lo) / count
    power = 10.0 ** math.floor(math.log10(raw))
    ratio = raw / power  # in [1, 10): round it to 1, 2, 5 or 10
    mantissa = 1.0 if ratio < 1.5 else 2.0 if ratio < 3.0 else 5.0 if ratio < 7.0 else 10.0
    smaller = {10.0: 5.0, 5.0: 2.0, 2.0: 1.0, 1.0: 0.5}
    while True:
        step = mantissa * power
        first = math.ceil(lo / step - 1e-9)
        last = math.floor(hi / step + 1e-9)
        if last >= first + min(count, 2) - 1:  # two ticks at least (one if one was asked)
            break
        mantissa = smaller[mantissa]  # too coarse for this span: the next round step down
        if mantissa == 0.5:
            mantissa, power = 5.0, power / 10
    decimals = max(0, -math.floor(math.log10(step)))  # 0.1 * 3 is 0.3, not 0.30000000000000004
    return [round(k * step, decimals) for k in range(first, last + 1)]


@dataclass(frozen=True, slots=True)
class LegendEntry:
    """One entry of a legend.

    Attributes
    ----------
    name : str
        The text (escaped when drawn).
    colour : str
        The mark's colour.
    mark : {"box", "solid", "line", "dot", "tick"}
        A box with a light fill and an outline (series of areas), a solid box (bars), a
        thick line (intervals), a dot or a short tick.
    dashed : bool
        Draw the box's outline dashed.
    """

    name: str
    colour: str
    mark: str = "box"
    dashed: bool = False


def _mark(entry: LegendEntry, x: float) -> str:
    c = entry.colour
    if entry.mark == "line":
        return el("rect", {"x": x, "y": -5.0, "width": 18.0, "height": 4.0, "fill": c})
    if entry.mark == "dot":
        return el("circle", {"cx": x + 9, "cy": -3.0, "r": 4.0, "fill": c})
    if entry.mark == "solid":
        return el("rect", {"x": x, "y": -9.0, "width": 18, "height": 12, "rx": 2, "fill": c})
    if entry.mark == "tick":
        return el("rect", {"x": x + 3, "y": -4.0, "width": 12.0, "height": 2.5, "fill": c})
    return el(
        "rect",
        {
            "x": x,
            "y": -9.0,
            "width": 18,
            "height": 12,
            "rx": 2,
            "fill": c,
            "fill-opacity": "0.25",
            "stroke": c,
            "stroke-width": 2,
            "stroke-dasharray": "5 3" if entry.dashed else None,
        },
    )


def legend(
    entries: Sequence[LegendEntry],
    x: float,
    y: float,
    *,
    font_size: float = 13.0,
    vertical: bool = False,
) -> str:
    """A legend: each entry's mark and name, side by side (or one under another).

    Parameters
    ----------
    entries : sequence of LegendEntry
        In order.
    x, y : float
        Where the first mark's baseline starts.
    font_size : float
        The names' size, px.
    vertical : bool
        One entry a line instead of all on one line.

    Returns
    -------
    str
        A ``g.legend`` element.
    """
    parts = []
    offset = 0.0
    for k, entry in enumerate(entries):
        dx, dy = (0.0, k * (font_size + 6)) if vertical else (offset, 0.0)
        mark = _mark(entry, dx)
        if dy:
            mark = el("g", {"transform": f"translate(0,{num(dy)})"}, mark)
        parts.append(mark)
        parts.append(
            text(
                entry.name,
                {"x": dx + 24, "y": dy + 1, "font-size": num(font_size, 0), "fill": AXIS_TEXT},
            )
        )
        offset += 24 + text_width(entry.name, font_size) + 28
    return el(
        "g", {"class": "legend", "transform": f"translate({num(x)},{num(y)})"}, "".join(parts)
    )

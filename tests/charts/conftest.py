"""Helpers for the chart tests: every chart kind drawn with the same labels."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

import numpy as np

from cityeval.charts import (
    CURRENT,
    PREVIOUS,
    Series,
    bars_svg,
    heatmap_svg,
    radar_svg,
    rank_dots_svg,
    rank_intervals_svg,
    scree_svg,
    sobol_svg,
    waterfall_svg,
)

NS = "{http://www.w3.org/2000/svg}"


def tag(element: ET.Element) -> str:
    """An element's name without the SVG namespace (standalone charts carry it)."""
    return element.tag.removeprefix(NS)


def find(root: ET.Element, name: str, cls: str | None = None) -> list[ET.Element]:
    """Every ``name`` element of ``root`` (with ``cls`` among its classes, if given)."""
    return [
        e
        for e in root.iter()
        if tag(e) == name and (cls is None or cls in e.get("class", "").split())
    ]


def texts(root: ET.Element) -> list[str]:
    """Every text in the chart, tooltips and tspans included."""
    return ["".join(e.itertext()) for e in root.iter() if tag(e) in ("text", "title")]


def every_chart(labels: list[str]) -> dict[str, Callable[[], str]]:
    """One chart of each kind whose labels (and titles, names, series) are ``labels``."""
    a, b, c = labels
    n = 3
    ranks = np.array([1.0, 2.0, 3.0])
    nominal = np.array([2.0, 1.0, 3.0])
    return {
        "radar": lambda: radar_svg(
            labels,
            [Series(a, (50.0, None, 20.0), CURRENT), Series(b, (40.0, 30.0, None), PREVIOUS)],
            title=c,
            no_data=a,
        ),
        "bars": lambda: bars_svg(
            labels,
            [Series(a, (50.0, 10.0, 20.0), CURRENT), Series(b, (40.0, None, 5.0), PREVIOUS)],
            title=c,
            notes=labels,
        ),
        "waterfall": lambda: waterfall_svg(c, (a, 10.0), [(b, -4.0), (c, 2.0)], (a, 8.0)),
        "dots": lambda: rank_dots_svg(c, labels, [1.0, 2.0, 3.0], [(1.0, 2.0)] * 3),
        "heatmap": lambda: heatmap_svg(
            labels, [[1.0, 0.5, None], [0.5, 1.0, -0.3], [None, -0.3, 1.0]], label=c
        ),
        "scree": lambda: scree_svg([0.6, 0.3, 0.1], label=a),
        "rank_intervals": lambda: rank_intervals_svg(
            labels, ranks, ranks - 0.5, ranks + 0.5, nominal, c
        ),
        "sobol": lambda: sobol_svg(
            labels, np.full(n, 0.2), np.full(n, 0.05), np.full(n, 0.4), np.full(n, 0.1)
        ),
    }

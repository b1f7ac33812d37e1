"""The two charts of an analysis, rank intervals and Sobol' indices, and their files.

The charts are drawn by :mod:`cityeval.charts.intervals` (the labelling rule, every unit up to
:data:`LABEL_ALL` units and the :data:`LABELLED` best and worst beyond, lives there); this
module says which arrays go into which chart and writes each chart as SVG and as the PNG
rendered from that SVG (:func:`cityeval.charts.raster.svg_to_png`). Nothing here knows the
results type: callers pass arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from cityeval.charts.intervals import LABEL_ALL, LABELLED, rank_intervals_svg
from cityeval.charts.sobol import sobol_svg

__all__ = ["LABELLED", "LABEL_ALL", "rank_chart", "save_figure", "sobol_chart"]

FloatArray = npt.NDArray[np.float64]


def rank_chart(
    units: Sequence[str],
    median: FloatArray,
    q05: FloatArray,
    q95: FloatArray,
    nominal: FloatArray,
    title: str,
) -> str:
    """Units in order of median rank with their 5-95% intervals and nominal ranks, as SVG.

    Parameters
    ----------
    units : sequence of str
        Unit codes.
    median, q05, q95, nominal : ndarray of shape ``(n_units,)``
        The ranks of one node over the draws, and as written.
    title : str
        The chart's title.

    Returns
    -------
    str
        A standalone SVG document (:func:`cityeval.charts.intervals.rank_intervals_svg`).
    """
    return rank_intervals_svg(units, median, q05, q95, nominal, title)


def sobol_chart(
    names: Sequence[str],
    s1: FloatArray,
    s1_conf: FloatArray,
    st: FloatArray,
    st_conf: FloatArray,
) -> str:
    """First-order and total indices per factor, with their bootstrap intervals, as SVG.

    Parameters
    ----------
    names : sequence of str
        The factors.
    s1, s1_conf, st, st_conf : ndarray of shape ``(n_factors,)``
        The indices of one output and the half-widths of their intervals.

    Returns
    -------
    str
        A standalone SVG document (:func:`cityeval.charts.sobol.sobol_svg`).
    """
    return sobol_svg(names, s1, s1_conf, st, st_conf)


def save_figure(svg: str, paths: Sequence[Path]) -> None:
    """Write one chart to each path: the SVG itself to ``.svg``, its rendering to ``.png``.

    Raises
    ------
    OSError
        If a file cannot be written.
    ImportError
        If a PNG is asked for and ``resvg-py`` is not installed.
    """
    png: bytes | None = None
    for path in paths:
        if path.suffix == ".png":
            if png is None:
                from cityeval.charts.raster import svg_to_png

                png = svg_to_png(svg)
            path.write_bytes(png)
        else:
            path.write_text(svg, encoding="utf-8")

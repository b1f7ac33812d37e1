"""The one way cityeval draws a chart: SVG written by hand, PNG rendered from that SVG.

Pure Python on the standard library (numpy arrays are accepted where a chart has one value
per unit); nothing of cityeval but :mod:`cityeval.i18n` is imported, so every layer above can
draw. Each module has one job:

- :mod:`~cityeval.charts.svg`: the document, elements, escaping, numbers, a linear scale,
  ticks and legends: every other module is made of these;
- :mod:`~cityeval.charts.radar` and :mod:`~cityeval.charts.bars`: the report's dimensions and
  OPDs (:class:`~cityeval.charts.series.Series` is a round's values);
- :mod:`~cityeval.charts.waterfall`: a change split into its contributions;
- :mod:`~cityeval.charts.dots`: ranks and rank intervals of a comparison;
- :mod:`~cityeval.charts.matrix`: a correlation heatmap and a scree plot;
- :mod:`~cityeval.charts.intervals`: an uncertainty analysis's rank intervals and Sobol'
  indices;
- :mod:`~cityeval.charts.raster`: PNG from the SVG (``resvg-py``, imported when used).

Every text from a user's file is escaped where the chart is drawn, so a chart's SVG can be
placed in a page as markup. The same inputs give the same bytes (no dates, no random ids).
"""

from __future__ import annotations

from cityeval.charts.bars import bars_svg
from cityeval.charts.dots import rank_dots_svg
from cityeval.charts.intervals import LABEL_ALL, LABELLED, rank_intervals_svg
from cityeval.charts.matrix import heat_colour, heatmap_svg, scree_svg
from cityeval.charts.radar import radar_svg
from cityeval.charts.raster import svg_to_png
from cityeval.charts.series import Series
from cityeval.charts.sobol import sobol_svg
from cityeval.charts.svg import CURRENT, PREVIOUS
from cityeval.charts.waterfall import waterfall_svg

__all__ = [
    "CURRENT",
    "LABELLED",
    "LABEL_ALL",
    "PREVIOUS",
    "Series",
    "bars_svg",
    "heat_colour",
    "heatmap_svg",
    "radar_svg",
    "rank_dots_svg",
    "rank_intervals_svg",
    "scree_svg",
    "sobol_svg",
    "svg_to_png",
    "waterfall_svg",
]

"""The report's charts: the dimensions' radar and the OPDs' bars, drawn by :mod:`cityeval.charts`.

:func:`radar_svg` adds the report's language to the radar chart (the note at a gap says
*belum ada data* in Indonesian); :func:`bars_svg`, :class:`Series` and the colours are
:mod:`cityeval.charts`' own, re-exported here for the report and its readers. Every text from
users' files is escaped by the charts package, since the page inserts the SVG as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from cityeval.charts.bars import bars_svg
from cityeval.charts.radar import radar_svg as _radar_svg
from cityeval.charts.series import Series
from cityeval.charts.svg import CURRENT, PREVIOUS
from cityeval.model import Lang

__all__ = ["CURRENT", "NO_DATA", "PREVIOUS", "Series", "bars_svg", "radar_svg"]

#: What the radar chart says where a series has no value for a dimension.
NO_DATA: dict[Lang, str] = {"id": "belum ada data", "en": "no data yet"}


def radar_svg(
    axes: Sequence[str],
    series: Sequence[Series],
    *,
    maximum: float = 100.0,
    title: str = "",
    element_id: str = "radar",
    lang: Lang = "en",
) -> str:
    """A radar chart of ``axes`` (the dimensions), one polygon per series, in ``lang``.

    See :func:`cityeval.charts.radar.radar_svg`; ``lang`` chooses the "no data yet"
    (*belum ada data*) note written at each gap.
    """
    return _radar_svg(
        axes, series, maximum=maximum, title=title, element_id=element_id, no_data=NO_DATA[lang]
    )

"""A named run of values drawn in one colour: a radar polygon or a set of bars."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cityeval.charts.svg import LegendEntry

__all__ = ["Series", "legend_entries"]


@dataclass(frozen=True, slots=True)
class Series:
    """One polygon or one set of bars: a name for the legend, values, a colour.

    Attributes
    ----------
    name : str
        The legend's text (a round's name, from a user's file: escaped when drawn).
    values : tuple of (float or None)
        One value per axis or row; None where there is none ("no data yet").
    colour : str
        The fill and outline.
    dashed : bool
        A dashed outline (the earlier round).
    """

    name: str
    values: tuple[float | None, ...]
    colour: str
    dashed: bool = False


def legend_entries(series: Sequence[Series]) -> list[LegendEntry]:
    """The legend of ``series``: a box per series, dashed where its outline is."""
    return [LegendEntry(s.name, s.colour, "box", s.dashed) for s in series]

"""Bands: named ranges of a node's score, such as the SPBE predicates (Baik, Memuaskan)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from attrs import field, frozen

from cityeval.errors import ModelError, Problem
from cityeval.model._checks import check_optional_finite
from cityeval.model.labels import Label

__all__ = ["Band", "band_for", "band_problems"]


@frozen
class Band:
    """A named score range ``lower <= score < upper`` (open ends where None).

    Parameters
    ----------
    label : Label
        The predicate, such as ``Sangat Baik`` / ``Very good``.
    lower : float, optional
        Lowest score in the band (included); None: no lower end.
    upper : float, optional
        Score where the band ends (excluded); None: no upper end.
    """

    label: Label
    lower: float | None = field(default=None, validator=check_optional_finite)
    upper: float | None = field(default=None, validator=check_optional_finite)

    def __attrs_post_init__(self) -> None:
        if self.lower is not None and self.upper is not None and not self.lower < self.upper:
            raise ModelError.at(
                ("upper",), f"must be greater than lower ({self.lower:g}), got {self.upper:g}"
            )

    def contains(self, value: float) -> bool:
        """Whether ``value`` falls in the band."""
        if math.isnan(value):
            return False
        above = self.lower is None or value >= self.lower
        below = self.upper is None or value < self.upper
        return above and below


def band_problems(bands: Sequence[Band]) -> list[Problem]:
    """Bands that overlap (checked in order of their lower ends)."""
    problems: list[Problem] = []

    def start(i: int) -> float:
        lower = bands[i].lower
        return -math.inf if lower is None else lower

    order = sorted(range(len(bands)), key=start)
    for a, b in itertools.pairwise(order):
        end, begin = bands[a].upper, bands[b].lower
        if end is None or begin is None or begin < end:
            problems.append(
                Problem(
                    (b,),
                    f"band {bands[b].label.text('en')!r} overlaps band "
                    f"{bands[a].label.text('en')!r}",
                )
            )
    return problems


def band_for(bands: Sequence[Band], value: float) -> Band | None:
    """The band ``value`` falls in, or None."""
    return next((b for b in bands if b.contains(value)), None)

"""A masterplan's programmes and the indicators that measure their progress."""

from __future__ import annotations

import enum
import math

from attrs import field, frozen

from cityeval.errors import ModelError, NotFoundError, Problem
from cityeval.i18n import _
from cityeval.masterplan.model._common import first_seen, fmt
from cityeval.masterplan.model.frozenmap import FrozenMap, frozen_map
from cityeval.masterplan.model.values import value_problem
from cityeval.model import Bounds, Direction, Label, Scale, ScaleKind
from cityeval.model._checks import check_finite, check_id

__all__ = ["Baseline", "Programme", "ProgrammeIndicator", "Term"]

_RATIO = Scale()
_PERCENTAGE = Scale(ScaleKind.PERCENTAGE)


@frozen
class Baseline:
    """The value of an indicator before the programme, and the year it was measured."""

    value: float = field(validator=check_finite)
    year: int


class Term(enum.Enum):
    """The horizon of a programme in the masterplan.

    ``quick_win`` (*program percepatan*: delivered within the first year or so), ``short``,
    ``medium`` and ``long`` (*jangka pendek, menengah, panjang*).
    """

    QUICK_WIN = "quick_win"
    SHORT = "short"
    MEDIUM = "medium"
    LONG = "long"


@frozen(kw_only=True)
class ProgrammeIndicator:
    """A measure of a programme's progress, with its baseline and yearly targets.

    Parameters
    ----------
    id : str
        Unique within its programme.
    name : Label
        What is measured.
    baseline : Baseline
        The value before the programme.
    targets : mapping of int to float
        Year to target value; in YAML ``targets: {2018: 40, 2019: 60}``. No target may
        equal the baseline, since progress toward it could not be measured.
    unit : str, optional
        Unit of measurement (``"%"``, ``"desa"``, ``"hari"``).
    direction : Direction
        Whether higher values are better (the default) or lower.
    scale : Scale, optional
        How the indicator is measured; by default a percentage when the unit is ``"%"``,
        else a ratio scale (no limit of its own). Write ``scale: {kind: ratio}`` for a
        percentage that may exceed 100 (a growth rate).
    bounds : Bounds, optional
        The range its values can take (``bounds: {lower: 0, upper: 60}``); none by default.
        The baseline, the targets and every realised value must lie in the scale and the
        bounds.
    data_source : str, optional
        Where the values come from.
    note : str, optional
        Remarks.
    """

    id: str = field(validator=check_id)
    name: Label
    baseline: Baseline
    targets: FrozenMap[int, float] = field(converter=frozen_map)
    unit: str | None = None
    direction: Direction = Direction.HIGHER
    scale: Scale | None = None
    bounds: Bounds | None = None
    data_source: str | None = None
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        natural = self.value_scale.natural_bounds()
        if natural is not None and self.bounds is not None:
            lo, hi = natural
            if self.bounds.lower < lo or self.bounds.upper > hi:
                problems.append(
                    Problem(
                        ("bounds",),
                        _(
                            "[{lower}, {upper}] lies outside the {kind} scale's range [{lo}, {hi}]"
                        ).format(
                            lower=fmt(self.bounds.lower),
                            upper=fmt(self.bounds.upper),
                            kind=self.value_scale.kind.value,
                            lo=fmt(lo),
                            hi=fmt(hi),
                        ),
                    )
                )
        base_problem = self.value_problem(self.baseline.value)
        if base_problem is not None:
            problems.append(Problem(("baseline", "value"), base_problem))
        if not self.targets:
            problems.append(Problem(("targets",), _("give at least one target (year: value)")))
        for year, value in self.targets.items():
            if not math.isfinite(value):
                problems.append(
                    Problem(
                        ("targets", str(year)),
                        _("must be a finite number, got {value}").format(value=value),
                    )
                )
            elif value == self.baseline.value:
                problems.append(
                    Problem(
                        ("targets", str(year)),
                        _(
                            "equals the baseline ({value}); progress toward it cannot be measured"
                        ).format(value=fmt(value)),
                    )
                )
            else:
                problem = self.value_problem(value)
                if problem is not None:
                    problems.append(Problem(("targets", str(year)), problem))
        if problems:
            raise ModelError(problems)

    @property
    def value_scale(self) -> Scale:
        """The scale values are checked against: the declared one, else from the unit."""
        if self.scale is not None:
            return self.scale
        return _PERCENTAGE if (self.unit or "").strip() == "%" else _RATIO

    def value_problem(self, value: float) -> str | None:
        """Why ``value`` (finite) cannot be a value of this indicator, or None."""
        return value_problem(value, self.value_scale, self.bounds)

    def target(self, year: int) -> float | None:
        """The target for ``year``, or None when the masterplan sets none."""
        return self.targets.get(year)


@frozen(kw_only=True)
class Programme:
    """A programme of the masterplan, attached to one element of the framework.

    Parameters
    ----------
    id : str
        Unique in the masterplan, such as ``"simpada"``.
    name : Label
        Its name.
    dimension : str
        The id of a top node of the framework, such as ``"governance"``.
    element : str
        The id of a child of that dimension, such as ``"governance.service"``.
    opds : tuple of str
        Ids of the OPDs responsible, the lead first; at least one.
    term : Term
        ``quick_win``, ``short``, ``medium`` or ``long``.
    start_year, end_year : int
        The years it runs, inside the masterplan's period; its targets fall in them.
    indicators : tuple of ProgrammeIndicator
        At least one.
    budget : float, optional
        Planned budget in rupiah.
    description : Label, optional
        What it does.
    note : str, optional
        Remarks, such as whether the programme is illustrative.
    """

    id: str = field(validator=check_id)
    name: Label
    dimension: str
    element: str
    opds: tuple[str, ...]
    term: Term
    start_year: int
    end_year: int
    indicators: tuple[ProgrammeIndicator, ...]
    budget: float | None = None
    description: Label | None = None
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not self.opds:
            problems.append(
                Problem(
                    ("opds",),
                    _(
                        "a programme needs at least one OPD (organisasi perangkat daerah) "
                        "responsible for it"
                    ),
                )
            )
        first_seen([(opd, ("opds", i)) for i, opd in enumerate(self.opds)], _("OPD id"), problems)
        if not self.indicators:
            problems.append(
                Problem(("indicators",), _("a programme needs at least one indicator"))
            )
        if self.end_year < self.start_year:
            problems.append(
                Problem(
                    ("end_year",),
                    _("must not be before start_year ({start}), got {end}").format(
                        start=self.start_year, end=self.end_year
                    ),
                )
            )
        if self.budget is not None and (not math.isfinite(self.budget) or self.budget < 0):
            problems.append(
                Problem(
                    ("budget",),
                    _("must be a finite number >= 0, got {value}").format(value=fmt(self.budget)),
                )
            )
        first_seen(
            [(ind.id, ("indicators", i, "id")) for i, ind in enumerate(self.indicators)],
            _("indicator id"),
            problems,
        )
        if not problems:
            problems.extend(
                Problem(
                    ("indicators", i, "targets", str(year)),
                    _("the year {year} lies outside the programme's years {start}-{end}").format(
                        year=year, start=self.start_year, end=self.end_year
                    ),
                )
                for i, ind in enumerate(self.indicators)
                for year in ind.targets
                if not self.start_year <= year <= self.end_year
            )
        if problems:
            raise ModelError(problems)

    def indicator(self, indicator_id: str) -> ProgrammeIndicator:
        """The programme's indicator ``indicator_id``."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        known = ", ".join(i.id for i in self.indicators)
        raise NotFoundError(
            _("programme {programme} has no indicator {indicator} (indicators: {known})").format(
                programme=repr(self.id), indicator=repr(indicator_id), known=known
            )
        )

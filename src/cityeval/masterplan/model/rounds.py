"""Evaluation rounds: what the OPDs reported, per programme indicator, at one *tahap*."""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Iterable

from attrs import field, frozen

from cityeval.errors import ModelError, NotFoundError, Problem
from cityeval.i18n import _
from cityeval.masterplan.model.plan import Masterplan
from cityeval.model import Label, Source
from cityeval.model._checks import check_id

__all__ = ["EntryStatus", "EvaluationRound", "RoundEntry", "find_round"]


class EntryStatus(enum.Enum):
    """Where a programme indicator stands at an evaluation round."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


@frozen(kw_only=True)
class RoundEntry:
    """What an OPD reports for one programme indicator at an evaluation round.

    Parameters
    ----------
    programme, indicator : str
        Which programme indicator.
    status : EntryStatus
        ``not_started``, ``in_progress``, ``completed`` or ``cancelled``.
    realised : float, optional
        The value reached (*realisasi*). A ``completed`` entry must give one: "done" without
        a value cannot be compared with its target.
    evidence : str, optional
        Evidence or remarks (*bukti dukung*): a decree, a link, a report.
    opd : str, optional
        The id of the OPD that reported it.
    """

    programme: str
    indicator: str
    status: EntryStatus
    realised: float | None = None
    evidence: str | None = None
    opd: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.realised is not None and not math.isfinite(self.realised):
            raise ModelError.at(
                ("realised",),
                _("must be a finite number, got {value}").format(value=self.realised),
            )
        if self.status is EntryStatus.COMPLETED and self.realised is None:
            raise ModelError.at(("realised",), _("a completed entry needs a realised value"))


@frozen(kw_only=True)
class EvaluationRound:
    """One evaluation of a masterplan's progress: a *tahap* (stage, round) of the monev.

    Parameters
    ----------
    id : str
        Such as ``"2019-tahap-3"``: the year and the stage.
    date : datetime.date
        When it took place.
    label : Label
        Its name.
    masterplan : str
        The id of the masterplan it evaluates.
    entries : tuple of RoundEntry
        At most one per programme indicator.
    year : int, optional
        The year whose targets the round measures; the year of ``date`` by default.
    sources, note
        Where its facts come from, and remarks (such as whether its values are
        illustrative).
    """

    id: str = field(validator=check_id)
    date: dt.date
    label: Label
    masterplan: str
    year: int | None = None
    entries: tuple[RoundEntry, ...] = ()
    sources: tuple[Source, ...] = ()
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        first: dict[tuple[str, str], int] = {}
        problems: list[Problem] = []
        for i, entry in enumerate(self.entries):
            key = (entry.programme, entry.indicator)
            if key in first:
                problems.append(
                    Problem(
                        ("entries", i),
                        _(
                            "duplicate entry for programme {programme}, indicator {indicator} "
                            "(first at entries[{first}])"
                        ).format(
                            programme=repr(entry.programme),
                            indicator=repr(entry.indicator),
                            first=first[key],
                        ),
                    )
                )
            else:
                first[key] = i
        if problems:
            raise ModelError(problems)

    @property
    def target_year(self) -> int:
        """The year whose targets the round measures."""
        return self.year if self.year is not None else self.date.year

    def entry(self, programme: str, indicator: str) -> RoundEntry | None:
        """The entry for a programme indicator, or None when it was not reported."""
        for e in self.entries:
            if e.programme == programme and e.indicator == indicator:
                return e
        return None

    def check_against(self, masterplan: Masterplan) -> list[Problem]:
        """Problems with the round against the masterplan it evaluates.

        The round must name the masterplan, fall in its period, and report only on its
        programmes and their indicators, by declared OPDs, with realised values inside each
        indicator's scale and bounds.
        """
        problems: list[Problem] = []
        if self.masterplan != masterplan.id:
            problems.append(
                Problem(
                    ("masterplan",),
                    _("the round is for masterplan {round}, not {masterplan}").format(
                        round=repr(self.masterplan), masterplan=repr(masterplan.id)
                    ),
                )
            )
        if self.target_year not in masterplan.period:
            key = "year" if self.year is not None else "date"
            problems.append(
                Problem(
                    (key,),
                    _("the year {year} lies outside the masterplan's period {period}").format(
                        year=self.target_year, period=masterplan.period
                    ),
                )
            )
        programmes = {p.id: p for p in masterplan.programmes}
        opds = [o.id for o in masterplan.opds]
        for i, entry in enumerate(self.entries):
            prog = programmes.get(entry.programme)
            if prog is None:
                problems.append(
                    Problem(
                        ("entries", i, "programme"),
                        _("unknown programme {programme} in masterplan {masterplan}").format(
                            programme=repr(entry.programme), masterplan=repr(masterplan.id)
                        ),
                    )
                )
            else:
                ind = next((x for x in prog.indicators if x.id == entry.indicator), None)
                if ind is None:
                    problems.append(
                        Problem(
                            ("entries", i, "indicator"),
                            _(
                                "programme {programme} has no indicator {indicator} "
                                "(indicators: {known})"
                            ).format(
                                programme=repr(prog.id),
                                indicator=repr(entry.indicator),
                                known=", ".join(x.id for x in prog.indicators),
                            ),
                        )
                    )
                elif entry.realised is not None:
                    problem = ind.value_problem(entry.realised)
                    if problem is not None:
                        problems.append(Problem(("entries", i, "realised"), problem))
            if entry.opd is not None and entry.opd not in opds:
                problems.append(
                    Problem(
                        ("entries", i, "opd"),
                        _("unknown OPD {opd} (declared: {declared})").format(
                            opd=repr(entry.opd), declared=", ".join(opds)
                        ),
                    )
                )
        return problems


def find_round(rounds: Iterable[EvaluationRound], round_id: str) -> EvaluationRound:
    """The round ``round_id`` among ``rounds``.

    Raises
    ------
    NotFoundError
        Listing the known round ids.
    """
    rounds = list(rounds)
    for r in rounds:
        if r.id == round_id:
            return r
    known = ", ".join(r.id for r in rounds) or _("none")
    raise NotFoundError(
        _("unknown round {round} (rounds: {known})").format(round=repr(round_id), known=known)
    )

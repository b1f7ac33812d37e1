"""A regency's smart-city masterplan, its programmes, and the rounds that evaluate them.

The objects are frozen and validate themselves when built; checks that need the framework
tree (is ``governance.service`` an element of ``governance``?) or the masterplan (does a
round's entry name a real programme?) are methods that return located problems, so that this
module never loads a framework or a file itself.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from attrs import field, frozen

from cityeval.errors import ModelError, NotFoundError, Problem, format_path
from cityeval.model import Dimension, Direction, Framework, Label, Source
from cityeval.model._checks import check_finite, check_id

__all__ = [
    "Baseline",
    "EntryStatus",
    "EvaluationRound",
    "FrozenMap",
    "Masterplan",
    "Opd",
    "Period",
    "Programme",
    "ProgrammeIndicator",
    "Regency",
    "RegencyKind",
    "RoundEntry",
    "Term",
    "find_round",
]

K = TypeVar("K")
V = TypeVar("V")
Path = tuple[str | int, ...]


class FrozenMap(Mapping[K, V]):
    """An immutable, hashable mapping that keeps the order it was given in.

    Used for the mappings of the file format: targets by year, goals by dimension, weights by
    node id.

    Examples
    --------
    >>> targets = FrozenMap({2018: 40.0, 2019: 60.0})
    >>> targets[2019], len(targets), targets == {2019: 60.0, 2018: 40.0}
    (60.0, 2, True)
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data: dict[K, V] = dict(data)

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


def _years(value: Mapping[int, float]) -> FrozenMap[int, float]:
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


def _labels(value: Mapping[str, Label]) -> FrozenMap[str, Label]:
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


def _weights(value: Mapping[str, float]) -> FrozenMap[str, float]:
    return value if isinstance(value, FrozenMap) else FrozenMap(value)


def _fmt(value: float) -> str:
    return f"{value:g}"


def _not_blank(instance: object, attribute: Any, value: str) -> None:
    if not value.strip():
        raise ModelError.at((attribute.name,), "must not be empty")


def _first_seen(items: Sequence[tuple[str, Path]], what: str, problems: list[Problem]) -> None:
    """Report every id used a second time, pointing at its first use."""
    first: dict[str, Path] = {}
    for key, loc in items:
        if key in first:
            problems.append(
                Problem(loc, f"duplicate {what} {key!r} (first used at {format_path(first[key])})")
            )
        else:
            first[key] = loc


# -- the regency ----------------------------------------------------------------------------


class RegencyKind(enum.Enum):
    """A second-level region: a *kabupaten* (regency, mostly rural) or a *kota* (city)."""

    KABUPATEN = "kabupaten"
    KOTA = "kota"


_CODE = re.compile(r"^[0-9]{2}\.[0-9]{2}$")


def _check_code(instance: object, attribute: Any, value: str | None) -> None:
    if value is not None and not _CODE.match(value):
        raise ModelError.at(
            ("code",),
            f"{value!r} is not a Kemendagri region code: expected two digits, a dot and two "
            "digits, such as '16.07' (in YAML, write it in quotes)",
        )


@frozen
class Regency:
    """The region a masterplan belongs to.

    Parameters
    ----------
    name : str
        Its name without the kind, such as ``"Banyuasin"``.
    province : str, optional
        The province (*provinsi*), such as ``"Sumatera Selatan"``.
    code : str, optional
        The region code of the Ministry of Home Affairs (*kode wilayah Kemendagri*): two
        digits for the province, a dot, two for the region, such as ``"16.07"``.
    kind : RegencyKind
        ``kabupaten`` (regency, the default) or ``kota`` (city).
    """

    name: str = field(validator=_not_blank)
    province: str | None = None
    code: str | None = field(default=None, validator=_check_code)
    kind: RegencyKind = RegencyKind.KABUPATEN

    @property
    def title(self) -> str:
        """``"Kabupaten Banyuasin"``, ``"Kota Kediri"``."""
        return f"{self.kind.value.capitalize()} {self.name}"


@frozen
class Period:
    """The years a masterplan covers, both included."""

    start_year: int
    end_year: int

    def __attrs_post_init__(self) -> None:
        if self.end_year < self.start_year:
            raise ModelError.at(
                ("end_year",),
                f"must not be before start_year ({self.start_year}), got {self.end_year}",
            )

    def __contains__(self, year: object) -> bool:
        return isinstance(year, int) and self.start_year <= year <= self.end_year

    def __str__(self) -> str:
        return f"{self.start_year}-{self.end_year}"

    @property
    def years(self) -> range:
        """Every year of the period."""
        return range(self.start_year, self.end_year + 1)


@frozen
class Opd:
    """A regional government agency: an OPD (*organisasi perangkat daerah*).

    OPDs are the *dinas*, *badan* and offices of a regency that carry out its programmes and
    report their progress at each evaluation.

    Parameters
    ----------
    id : str
        Referred to by programmes and round entries, such as ``"dinkes"``.
    name : Label
        Full name, such as *Dinas Kesehatan* (health office).
    short_name : str, optional
        The usual abbreviation (``"Dinkes"``); names the OPD's sheet in a form.
    note : str, optional
        Remarks, such as why the OPD is assumed to run a programme.
    """

    id: str = field(validator=check_id)
    name: Label
    short_name: str | None = None
    note: str | None = None

    @property
    def short(self) -> str:
        """The abbreviation, or the id when there is none."""
        return self.short_name or self.id


# -- programmes -----------------------------------------------------------------------------


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
    data_source : str, optional
        Where the values come from.
    note : str, optional
        Remarks.
    """

    id: str = field(validator=check_id)
    name: Label
    baseline: Baseline
    targets: FrozenMap[int, float] = field(converter=_years)
    unit: str | None = None
    direction: Direction = Direction.HIGHER
    data_source: str | None = None
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not self.targets:
            problems.append(Problem(("targets",), "give at least one target (year: value)"))
        for year, value in self.targets.items():
            if not math.isfinite(value):
                problems.append(
                    Problem(("targets", str(year)), f"must be a finite number, got {value}")
                )
            elif value == self.baseline.value:
                problems.append(
                    Problem(
                        ("targets", str(year)),
                        f"equals the baseline ({_fmt(value)}); progress toward it cannot be "
                        "measured",
                    )
                )
        if problems:
            raise ModelError(problems)

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
                    "a programme needs at least one OPD (organisasi perangkat daerah) "
                    "responsible for it",
                )
            )
        _first_seen([(opd, ("opds", i)) for i, opd in enumerate(self.opds)], "OPD id", problems)
        if not self.indicators:
            problems.append(Problem(("indicators",), "a programme needs at least one indicator"))
        if self.end_year < self.start_year:
            problems.append(
                Problem(
                    ("end_year",),
                    f"must not be before start_year ({self.start_year}), got {self.end_year}",
                )
            )
        if self.budget is not None and (not math.isfinite(self.budget) or self.budget < 0):
            problems.append(
                Problem(("budget",), f"must be a finite number >= 0, got {self.budget:g}")
            )
        _first_seen(
            [(ind.id, ("indicators", i, "id")) for i, ind in enumerate(self.indicators)],
            "indicator id",
            problems,
        )
        if not problems:
            problems.extend(
                Problem(
                    ("indicators", i, "targets", str(year)),
                    f"the year {year} lies outside the programme's years "
                    f"{self.start_year}-{self.end_year}",
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
            f"programme {self.id!r} has no indicator {indicator_id!r} (indicators: {known})"
        )


# -- the masterplan -------------------------------------------------------------------------


def _check_weight_values(instance: object, attribute: Any, value: FrozenMap[str, float]) -> None:
    problems = [
        Problem(("weights", key), f"must be a finite number >= 0, got {w:g}")
        for key, w in value.items()
        if not math.isfinite(w) or w < 0
    ]
    if problems:
        raise ModelError(problems)


@frozen(kw_only=True)
class Masterplan:
    """A regency's smart-city masterplan: its vision, goals, OPDs and programmes.

    Built from a file by :func:`cityeval.masterplan.load_masterplan`, which also checks the
    programmes against the framework tree (:meth:`check_framework`).

    Parameters
    ----------
    id : str
        The masterplan's name, such as ``"banyuasin"``.
    regency : Regency
        Whose masterplan it is.
    period : Period
        The years it covers.
    vision : Label
        The smart-city vision (*visi*).
    opds : tuple of Opd
        The OPDs that run its programmes.
    programmes : tuple of Programme
        Each under a dimension and an element of the framework.
    framework : str
        A registered framework id (``"gerakan100"`` by default) or the path of a framework
        file, relative to the masterplan file.
    goals : mapping of str to Label
        The masterplan's own goal (*sasaran*) for each dimension, by dimension id.
    weights : mapping of str to float
        Weights by dimension, element or programme id, relative to siblings; nodes not
        listed weigh 1 (equal weights).
    sources : tuple of Source
        Where its facts come from, with grades.
    note : str, optional
        Where the data come from and how far they can be trusted.
    """

    id: str = field(validator=check_id)
    regency: Regency
    period: Period
    framework: str = "gerakan100"
    vision: Label
    goals: FrozenMap[str, Label] = field(factory=FrozenMap, converter=_labels)
    opds: tuple[Opd, ...]
    programmes: tuple[Programme, ...]
    weights: FrozenMap[str, float] = field(
        factory=FrozenMap, converter=_weights, validator=_check_weight_values
    )
    sources: tuple[Source, ...] = ()
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        _first_seen(
            [(o.id, ("opds", i, "id")) for i, o in enumerate(self.opds)], "OPD id", problems
        )
        _first_seen(
            [(p.id, ("programmes", i, "id")) for i, p in enumerate(self.programmes)],
            "programme id",
            problems,
        )
        declared = list(dict.fromkeys(o.id for o in self.opds))
        for i, prog in enumerate(self.programmes):
            for j, opd in enumerate(prog.opds):
                if opd not in declared:
                    problems.append(
                        Problem(
                            ("programmes", i, "opds", j),
                            f"unknown OPD {opd!r} (declared: {', '.join(declared) or 'none'})",
                        )
                    )
            problems.extend(self._year_problems(i, prog))
        if problems:
            raise ModelError(problems)

    def _year_problems(self, i: int, prog: Programme) -> Iterator[Problem]:
        for key in ("start_year", "end_year"):
            year = getattr(prog, key)
            if year not in self.period:
                yield Problem(
                    ("programmes", i, key),
                    f"the year {year} lies outside the masterplan's period {self.period}",
                )
        for j, ind in enumerate(prog.indicators):
            for year in ind.targets:
                if year not in self.period:
                    yield Problem(
                        ("programmes", i, "indicators", j, "targets", str(year)),
                        f"the year {year} lies outside the masterplan's period {self.period}",
                    )

    # -- checks against the framework ------------------------------------------------------

    def check_framework(self, framework: Framework) -> list[Problem]:
        """Problems with the programmes, goals and weights against ``framework``'s tree.

        A programme's dimension must be a top node of the framework and its element a child
        of that dimension; goals must be keyed by top nodes; weights by a dimension, an
        element or a programme; programme ids must not reuse the framework's node ids.

        Returns
        -------
        list of Problem
            Empty when everything fits; paths are relative to the masterplan.
        """
        problems: list[Problem] = []
        tops = [d.id for d in framework.dimensions]
        listing = f"(dimensions of {framework.id!r}: {', '.join(tops)})"
        for i, prog in enumerate(self.programmes):
            if prog.id in framework:
                problems.append(
                    Problem(
                        ("programmes", i, "id"),
                        f"{prog.id!r} is also a node of framework {framework.id!r}; "
                        "give the programme an id of its own",
                    )
                )
            if prog.dimension not in tops:
                problems.append(
                    Problem(
                        ("programmes", i, "dimension"),
                        f"unknown dimension {prog.dimension!r} {listing}",
                    )
                )
                continue
            problems.extend(self._element_problems(i, prog, framework))
        problems.extend(
            Problem(("goals", key), f"unknown dimension {key!r} {listing}")
            for key in self.goals
            if key not in tops
        )
        known = {p.id for p in self.programmes}
        problems.extend(
            Problem(
                ("weights", key),
                f"{key!r} is no dimension or element of {framework.id!r} and no "
                "programme of the masterplan",
            )
            for key in self.weights
            if key not in known and (key not in framework or framework.depth(key) > 1)
        )
        return problems

    @staticmethod
    def _element_problems(i: int, prog: Programme, framework: Framework) -> list[Problem]:
        dimension = framework.node(prog.dimension)
        assert isinstance(dimension, Dimension)
        elements = [c.id for c in dimension.children]
        if prog.element in elements:
            return []
        if prog.element in framework and framework.depth(prog.element) == 1:
            parent = framework.parent(prog.element)
            message = (
                f"{prog.element!r} is an element of {parent!r}, not of {prog.dimension!r} "
                f"(elements of {prog.dimension!r}: {', '.join(elements)})"
            )
        elif elements:
            message = (
                f"unknown element {prog.element!r} "
                f"(elements of {prog.dimension!r}: {', '.join(elements)})"
            )
        else:
            message = (
                f"dimension {prog.dimension!r} of {framework.id!r} has no elements to attach "
                "a programme to"
            )
        return [Problem(("programmes", i, "element"), message)]

    # -- queries ---------------------------------------------------------------------------

    def programme(self, programme_id: str) -> Programme:
        """The programme ``programme_id``."""
        for prog in self.programmes:
            if prog.id == programme_id:
                return prog
        raise NotFoundError(f"unknown programme {programme_id!r} in masterplan {self.id!r}")

    def opd(self, opd_id: str) -> Opd:
        """The OPD ``opd_id``."""
        for opd in self.opds:
            if opd.id == opd_id:
                return opd
        raise NotFoundError(f"unknown OPD {opd_id!r} in masterplan {self.id!r}")

    def programmes_of(self, opd_id: str) -> tuple[Programme, ...]:
        """The programmes an OPD is responsible for (alone or with others)."""
        return tuple(p for p in self.programmes if opd_id in p.opds)

    def items(self) -> Iterator[tuple[Programme, ProgrammeIndicator]]:
        """Every (programme, indicator) pair, in file order: the rows a round reports on."""
        for prog in self.programmes:
            for ind in prog.indicators:
                yield prog, ind


# -- evaluation rounds ----------------------------------------------------------------------


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
            raise ModelError.at(("realised",), f"must be a finite number, got {self.realised}")
        if self.status is EntryStatus.COMPLETED and self.realised is None:
            raise ModelError.at(("realised",), "a completed entry needs a realised value")


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
                        f"duplicate entry for programme {entry.programme!r}, indicator "
                        f"{entry.indicator!r} (first at entries[{first[key]}])",
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
        programmes and their indicators, by declared OPDs.
        """
        problems: list[Problem] = []
        if self.masterplan != masterplan.id:
            problems.append(
                Problem(
                    ("masterplan",),
                    f"the round is for masterplan {self.masterplan!r}, not {masterplan.id!r}",
                )
            )
        if self.target_year not in masterplan.period:
            key = "year" if self.year is not None else "date"
            problems.append(
                Problem(
                    (key,),
                    f"the year {self.target_year} lies outside the masterplan's period "
                    f"{masterplan.period}",
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
                        f"unknown programme {entry.programme!r} in masterplan {masterplan.id!r}",
                    )
                )
            elif entry.indicator not in [ind.id for ind in prog.indicators]:
                known = ", ".join(ind.id for ind in prog.indicators)
                problems.append(
                    Problem(
                        ("entries", i, "indicator"),
                        f"programme {prog.id!r} has no indicator {entry.indicator!r} "
                        f"(indicators: {known})",
                    )
                )
            if entry.opd is not None and entry.opd not in opds:
                problems.append(
                    Problem(
                        ("entries", i, "opd"),
                        f"unknown OPD {entry.opd!r} (declared: {', '.join(opds)})",
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
    known = ", ".join(r.id for r in rounds) or "none"
    raise NotFoundError(f"unknown round {round_id!r} (rounds: {known})")

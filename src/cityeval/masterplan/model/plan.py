"""The masterplan itself: vision, goals, OPDs and programmes, checked against its framework."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from attrs import field, frozen

from cityeval.errors import ModelError, NotFoundError, Problem
from cityeval.i18n import _
from cityeval.masterplan.model._common import first_seen, fmt
from cityeval.masterplan.model.frozenmap import FrozenMap, frozen_map
from cityeval.masterplan.model.programme import Programme, ProgrammeIndicator
from cityeval.masterplan.model.regency import Opd, Period, Regency
from cityeval.model import Dimension, Framework, Label, Source
from cityeval.model._checks import check_id

__all__ = ["Masterplan"]


def _check_weight_values(instance: object, attribute: Any, value: FrozenMap[str, float]) -> None:
    problems = [
        Problem(
            ("weights", key), _("must be a finite number >= 0, got {value}").format(value=fmt(w))
        )
        for key, w in value.items()
        if not math.isfinite(w) or w < 0
    ]
    if problems:
        raise ModelError(problems)


def _outside_period(year: int, period: Period) -> str:
    return _("the year {year} lies outside the masterplan's period {period}").format(
        year=year, period=period
    )


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
    goals: FrozenMap[str, Label] = field(factory=FrozenMap, converter=frozen_map)
    opds: tuple[Opd, ...]
    programmes: tuple[Programme, ...]
    weights: FrozenMap[str, float] = field(
        factory=FrozenMap, converter=frozen_map, validator=_check_weight_values
    )
    sources: tuple[Source, ...] = ()
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        first_seen(
            [(o.id, ("opds", i, "id")) for i, o in enumerate(self.opds)], _("OPD id"), problems
        )
        first_seen(
            [(p.id, ("programmes", i, "id")) for i, p in enumerate(self.programmes)],
            _("programme id"),
            problems,
        )
        declared = list(dict.fromkeys(o.id for o in self.opds))
        for i, prog in enumerate(self.programmes):
            for j, opd in enumerate(prog.opds):
                if opd not in declared:
                    problems.append(
                        Problem(
                            ("programmes", i, "opds", j),
                            _("unknown OPD {opd} (declared: {declared})").format(
                                opd=repr(opd), declared=", ".join(declared) or _("none")
                            ),
                        )
                    )
            problems.extend(self._year_problems(i, prog))
        if problems:
            raise ModelError(problems)

    def _year_problems(self, i: int, prog: Programme) -> Iterator[Problem]:
        for key in ("start_year", "end_year"):
            year = getattr(prog, key)
            if year not in self.period:
                yield Problem(("programmes", i, key), _outside_period(year, self.period))
        for j, ind in enumerate(prog.indicators):
            for year in ind.targets:
                if year not in self.period:
                    yield Problem(
                        ("programmes", i, "indicators", j, "targets", str(year)),
                        _outside_period(year, self.period),
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
        listing = _("(dimensions of {framework}: {dimensions})").format(
            framework=repr(framework.id), dimensions=", ".join(tops)
        )
        for i, prog in enumerate(self.programmes):
            if prog.id in framework:
                problems.append(
                    Problem(
                        ("programmes", i, "id"),
                        _(
                            "{programme} is also a node of framework {framework}; give the "
                            "programme an id of its own"
                        ).format(programme=repr(prog.id), framework=repr(framework.id)),
                    )
                )
            if prog.dimension not in tops:
                problems.append(
                    Problem(
                        ("programmes", i, "dimension"),
                        _("unknown dimension {dimension} {listing}").format(
                            dimension=repr(prog.dimension), listing=listing
                        ),
                    )
                )
                continue
            problems.extend(self._element_problems(i, prog, framework))
        problems.extend(
            Problem(
                ("goals", key),
                _("unknown dimension {dimension} {listing}").format(
                    dimension=repr(key), listing=listing
                ),
            )
            for key in self.goals
            if key not in tops
        )
        known = {p.id for p in self.programmes}
        problems.extend(
            Problem(
                ("weights", key),
                _(
                    "{key} is no dimension or element of {framework} and no programme of the "
                    "masterplan"
                ).format(key=repr(key), framework=repr(framework.id)),
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
        names = {
            "element": repr(prog.element),
            "dimension": repr(prog.dimension),
            "elements": ", ".join(elements),
            "framework": repr(framework.id),
        }
        if prog.element in framework and framework.depth(prog.element) == 1:
            message = _(
                "{element} is an element of {parent}, not of {dimension} "
                "(elements of {dimension}: {elements})"
            ).format(parent=repr(framework.parent(prog.element)), **names)
        elif elements:
            message = _("unknown element {element} (elements of {dimension}: {elements})").format(
                **names
            )
        else:
            message = _(
                "dimension {dimension} of {framework} has no elements to attach a programme to"
            ).format(**names)
        return [Problem(("programmes", i, "element"), message)]

    # -- queries ---------------------------------------------------------------------------

    def programme(self, programme_id: str) -> Programme:
        """The programme ``programme_id``."""
        for prog in self.programmes:
            if prog.id == programme_id:
                return prog
        raise NotFoundError(
            _("unknown programme {programme} in masterplan {masterplan}").format(
                programme=repr(programme_id), masterplan=repr(self.id)
            )
        )

    def opd(self, opd_id: str) -> Opd:
        """The OPD ``opd_id``."""
        for opd in self.opds:
            if opd.id == opd_id:
                return opd
        raise NotFoundError(
            _("unknown OPD {opd} in masterplan {masterplan}").format(
                opd=repr(opd_id), masterplan=repr(self.id)
            )
        )

    def programmes_of(self, opd_id: str) -> tuple[Programme, ...]:
        """The programmes an OPD is responsible for (alone or with others)."""
        return tuple(p for p in self.programmes if opd_id in p.opds)

    def items(self) -> Iterator[tuple[Programme, ProgrammeIndicator]]:
        """Every (programme, indicator) pair, in file order: the rows a round reports on."""
        for prog in self.programmes:
            for ind in prog.indicators:
                yield prog, ind

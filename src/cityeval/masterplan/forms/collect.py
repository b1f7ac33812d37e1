"""Collecting a round: many filled forms merged into one round, and what is still missing.

Diskominfo sends each OPD its workbook and gets them back one by one. :func:`collect_forms`
takes any number of workbooks (or folders of them), checks each, merges their rows (the same
programme indicator reported by two OPDs must agree; a conflict names both cells), and says
which OPDs' forms have not come back and which programmes have no realised value yet.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

import attrs
from attrs import frozen

from cityeval.i18n import _
from cityeval.masterplan.forms.layout import (
    COL_EVIDENCE,
    COL_REALISED,
    COL_STATUS,
    STATUS_LABELS,
    CellProblem,
    FormError,
)
from cityeval.masterplan.forms.read import FormContent, FormRow, read_form
from cityeval.masterplan.model import EntryStatus, EvaluationRound, Masterplan, RoundEntry
from cityeval.model import Label

__all__ = ["Collection", "collect_forms", "form_paths", "read_forms"]

PathLike = str | os.PathLike[str]


@frozen
class Collection:
    """A collected round and the state of its collection.

    Attributes
    ----------
    round : EvaluationRound
        Every reported programme indicator, in the masterplan's order.
    files : tuple of str
        The workbooks read.
    returned : tuple of str
        Ids of the OPDs whose sheet came back with at least one row filled.
    missing : tuple of str
        Ids of the OPDs that run a programme but whose form has not come back (or came back
        empty), in the masterplan's order.
    unrealised : tuple of (str, tuple of str)
        Programmes with an indicator that has no realised value yet (not reported, or
        reported without a value; cancelled ones are not counted), with those indicators.
    """

    round: EvaluationRound
    files: tuple[str, ...]
    returned: tuple[str, ...]
    missing: tuple[str, ...]
    unrealised: tuple[tuple[str, tuple[str, ...]], ...]


def form_paths(sources: Iterable[PathLike]) -> list[Path]:
    """The workbooks named by ``sources``: files as given, folders by their ``*.xlsx`` files.

    Excel's lock files (``~$form.xlsx``) and hidden files in a folder are skipped.
    """
    paths: list[Path] = []
    for source in sources:
        p = Path(source)
        if p.is_dir():
            paths.extend(
                sorted(
                    f
                    for f in p.iterdir()
                    if f.suffix.lower() == ".xlsx"
                    and not f.name.startswith(("~$", "."))
                    and f.is_file()
                )
            )
        else:
            paths.append(p)
    return paths


def _shown(col: str, entry: RoundEntry) -> str:
    if col == COL_REALISED:
        return "-" if entry.realised is None else f"{entry.realised:g}"
    if col == COL_STATUS:
        return STATUS_LABELS[entry.status]
    return entry.evidence or "-"


def _difference(a: RoundEntry, b: RoundEntry) -> str | None:
    """The first column in which two reports of one programme indicator differ."""
    if a.realised != b.realised:
        return COL_REALISED
    if a.status is not b.status:
        return COL_STATUS
    if a.evidence != b.evidence:
        return COL_EVIDENCE
    return None


def _lead_reporter(masterplan: Masterplan, first: FormRow, second: FormRow) -> FormRow:
    """Of two identical reports, the one credited to the OPD listed first on the programme."""
    opds = masterplan.programme(first.entry.programme).opds
    rank = {opd: i for i, opd in enumerate(opds)}
    late = len(opds)
    if rank.get(second.entry.opd or "", late) < rank.get(first.entry.opd or "", late):
        return attrs.evolve(first, entry=attrs.evolve(first.entry, opd=second.entry.opd))
    return first


def _merge(
    contents: list[FormContent], masterplan: Masterplan, problems: list[CellProblem]
) -> dict[tuple[str, str], FormRow]:
    found: dict[tuple[str, str], FormRow] = {}
    for content in contents:
        for row in content.rows:
            key = (row.entry.programme, row.entry.indicator)
            first = found.get(key)
            if first is None:
                found[key] = row
                continue
            col = _difference(first.entry, row.entry)
            if col is None:
                found[key] = _lead_reporter(masterplan, first, row)
                continue
            problems.append(
                CellProblem(
                    row.file,
                    _(
                        "programme {programme}, indicator {indicator} is reported differently "
                        "in {other_file}: {other_sheet}!{other_cell} ({here} here, {there} "
                        "there)"
                    ).format(
                        programme=repr(key[0]),
                        indicator=repr(key[1]),
                        other_file=first.file,
                        other_sheet=first.sheet,
                        other_cell=first.cell(col),
                        here=repr(_shown(col, row.entry)),
                        there=repr(_shown(col, first.entry)),
                    ),
                    row.sheet,
                    row.cell(col),
                )
            )
    return found


def collect_forms(
    sources: Iterable[PathLike],
    masterplan: Masterplan,
    round_id: str,
    *,
    date: dt.date | None = None,
    label: Label | None = None,
) -> Collection:
    """Read filled forms (files or folders) into one round; nothing is returned unless all is well.

    A row counts as reported when its realised value, status or evidence is filled in. A
    reported row needs a status, and a ``selesai`` (completed) row a realised value; a
    realised value must lie in its indicator's scale and bounds. The same programme indicator
    reported on several sheets or workbooks (programmes with several OPDs, or a workbook sent
    twice) must be reported identically; it is then kept once.

    Parameters
    ----------
    sources : iterable of path
        Workbooks written by ``cityeval masterplan form`` for this round, filled in, or
        folders holding them.
    masterplan : Masterplan
        The masterplan the forms were written for.
    round_id : str
        The round being collected; every workbook must be for it.
    date : datetime.date, optional
        The round's date; by default the one stored in the forms. When neither gives one,
        the collection is refused: a round stamped with today's date could not be compared
        with later rounds correctly.
    label : Label, optional
        The round's name; by default the one stored in the forms, else one made from its id.

    Raises
    ------
    FormError
        Listing every problem of every workbook, such as ``form-dinkes.xlsx: Dinkes!G7:
        expected a number, got 'lima puluh'``.
    """
    problems: list[CellProblem] = []
    contents: list[FormContent] = []
    paths = form_paths(sources)
    for path in paths:
        content = read_form(path, masterplan, problems)
        if content is None:
            continue
        meta = content.meta
        if meta.round != round_id:
            problems.append(
                CellProblem(
                    content.file,
                    _("the form is for round {form}, not {round}").format(
                        form=repr(meta.round), round=repr(round_id)
                    ),
                )
            )
            continue
        if contents and meta.year != contents[0].meta.year:
            problems.append(
                CellProblem(
                    content.file,
                    _("the form is for the year {year}, but {first} is for {first_year}").format(
                        year=meta.year, first=contents[0].file, first_year=contents[0].meta.year
                    ),
                )
            )
            continue
        contents.append(content)
    found = _merge(contents, masterplan, problems)
    if not problems and not contents:
        problems.append(CellProblem("<forms>", _("no form given")))
    round_date = date or next((c.meta.date for c in contents if c.meta.date is not None), None)
    if not problems and round_date is None:
        problems.append(
            CellProblem(
                contents[0].file,
                _(
                    "the forms record no date for round {round}; give the date the round took "
                    "place (--date YYYY-MM-DD)"
                ).format(round=repr(round_id)),
            )
        )
    if problems:
        raise FormError(problems)
    assert round_date is not None
    meta = contents[0].meta
    round_label = (
        label
        or meta.label
        or Label(id=f"Evaluasi smart city {round_id}", en=f"Smart-city evaluation {round_id}")
    )
    order = {(p.id, i.id): n for n, (p, i) in enumerate(masterplan.items())}
    entries = sorted(
        (r.entry for r in found.values()), key=lambda e: order[(e.programme, e.indicator)]
    )
    rnd = EvaluationRound(
        id=round_id,
        date=round_date,
        label=round_label,
        masterplan=masterplan.id,
        year=meta.year if meta.year != round_date.year else None,
        entries=tuple(entries),
    )
    returned = {opd for c in contents for opd in c.filled}
    running = [o.id for o in masterplan.opds if masterplan.programmes_of(o.id)]
    unrealised: list[tuple[str, tuple[str, ...]]] = []
    for prog in masterplan.programmes:
        lacking = []
        for ind in prog.indicators:
            entry = rnd.entry(prog.id, ind.id)
            if entry is not None and entry.status is EntryStatus.CANCELLED:
                continue
            if entry is None or entry.realised is None:
                lacking.append(ind.id)
        if lacking:
            unrealised.append((prog.id, tuple(lacking)))
    return Collection(
        round=rnd,
        files=tuple(c.file for c in contents),
        returned=tuple(o for o in running if o in returned),
        missing=tuple(o for o in running if o not in returned),
        unrealised=tuple(unrealised),
    )


def read_forms(
    paths: Iterable[PathLike],
    masterplan: Masterplan,
    round_id: str,
    *,
    date: dt.date | None = None,
    label: Label | None = None,
) -> EvaluationRound:
    """The round of :func:`collect_forms`, without the state of the collection."""
    return collect_forms(paths, masterplan, round_id, date=date, label=label).round

"""``cityeval masterplan``: start, check and collect a regency's smart-city masterplan.

``init`` writes a commented masterplan file, ``validate`` checks one, ``form`` writes the
Excel forms of an evaluation round (one workbook per OPD, or one for all), and ``collect``
reads the filled forms back into a round file and says which OPDs have not answered yet.
Every command takes ``--lang id|en`` for the language of its messages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cityeval.cli.console import out
from cityeval.errors import InputError, NotFoundError, Problem
from cityeval.i18n import N_, _, current_language, ngettext, set_language

if TYPE_CHECKING:
    from cityeval.masterplan import EvaluationRound, Masterplan
    from cityeval.masterplan.forms import Collection

app = typer.Typer(
    help=_("Start, check and collect a regency's smart-city masterplan."), no_args_is_help=True
)

MASTERPLAN_HELP = _("A masterplan shipped by a plugin (its id) or a masterplan file.")

LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="LANG",
        help=_(
            "Language of the messages: id (Indonesian) or en; by default CITYEVAL_LANG, "
            "else the locale."
        ),
    ),
]


def _use_language(lang: str | None) -> None:
    if lang is None:
        return
    try:
        set_language(lang)
    except ValueError:
        raise typer.BadParameter(
            _("expected id or en, got {value}").format(value=repr(lang)), param_hint="--lang"
        ) from None


# C0 and C1 control characters but the newline: a label from a file could hold an escape
# sequence that recolours or rewrites the terminal; it is shown escaped (\x1b) instead.
_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if c != 0x0A}


def _print(text: str) -> None:
    out().print(text.translate(_CONTROLS), markup=False, soft_wrap=True)


def _refuse_overwrite(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise InputError(str(path), [Problem((), _("already exists; add --force to replace it"))])


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            _("expected a date YYYY-MM-DD, got {value}").format(value=repr(text)),
            param_hint=option,
        ) from None


def _summary(mp: Masterplan) -> str:
    n_ind = sum(len(p.indicators) for p in mp.programmes)
    dims = len({p.dimension for p in mp.programmes})
    return _(
        "masterplan {id} of {regency} ({period}, framework {framework}): {programmes} "
        "programmes under {dimensions} dimensions, {indicators} indicators, {opds} OPDs"
    ).format(
        id=repr(mp.id),
        regency=mp.regency.title,
        period=mp.period,
        framework=repr(mp.framework),
        programmes=len(mp.programmes),
        dimensions=dims,
        indicators=n_ind,
        opds=len(mp.opds),
    )


_STATUS_WORDS = {
    "not_started": N_("not started"),
    "in_progress": N_("in progress"),
    "completed": N_("completed"),
    "cancelled": N_("cancelled"),
}


def _round_summary(rnd: EvaluationRound) -> str:
    counts = Counter(e.status.value for e in rnd.entries)
    detail = ", ".join(f"{n} {_(_STATUS_WORDS[status])}" for status, n in sorted(counts.items()))
    return _("round {id} ({date}): {n} entries ({detail})").format(
        id=repr(rnd.id), date=rnd.date, n=len(rnd.entries), detail=detail or _("none")
    )


@app.command(
    "init", help=_("Write a commented masterplan file to fill in; it validates as it stands.")
)
def init(
    regency: Annotated[
        str, typer.Option("--regency", help=_("The regency's or city's name, such as Banyuasin."))
    ],
    out_file: Annotated[
        Path, typer.Option("--out", help=_("The masterplan file to write."))
    ] = Path("masterplan.yaml"),
    framework: Annotated[
        str, typer.Option("--framework", help=_("A registered framework id or a framework file."))
    ] = "gerakan100",
    kind: Annotated[
        str, typer.Option("--kind", help=_("kabupaten (regency) or kota (city)."))
    ] = "kabupaten",
    province: Annotated[
        str | None,
        typer.Option("--province", help=_("The province, such as Sumatera Selatan.")),
    ] = None,
    code: Annotated[
        str | None,
        typer.Option("--code", help=_("The Kemendagri region code, such as 16.07.")),
    ] = None,
    start: Annotated[
        int | None, typer.Option("--start", help=_("The first year (this year by default)."))
    ] = None,
    years: Annotated[
        int, typer.Option("--years", min=1, help=_("How many years the masterplan covers."))
    ] = 5,
    force: Annotated[bool, typer.Option("--force", help=_("Replace an existing file."))] = False,
    lang: LangOption = None,
) -> None:
    from cityeval import get_framework
    from cityeval.io.documents import write_atomic
    from cityeval.masterplan import loads_masterplan, masterplan_template

    _use_language(lang)
    if kind not in ("kabupaten", "kota"):
        raise typer.BadParameter(
            _("expected kabupaten or kota, got {value}").format(value=repr(kind)),
            param_hint="--kind",
        )
    _refuse_overwrite(out_file, force)
    fw = get_framework(framework)
    try:
        text = masterplan_template(
            regency,
            fw,
            start_year=start if start is not None else dt.date.today().year,
            years=years,
            province=province,
            code=code,
            kind=kind,
            framework_ref=framework,
        )
    except ValueError as exc:
        raise InputError(framework, [Problem((), str(exc))]) from None
    mp = loads_masterplan(text, source=out_file.name, framework=fw)  # e.g. a bad --code
    write_atomic(out_file, text)
    _print(_("{file}: wrote {summary}").format(file=out_file, summary=_summary(mp)))


@app.command(
    "validate", help=_("Check a masterplan (and rounds); print a summary, or every problem.")
)
def validate(
    file: Annotated[str, typer.Argument(help=MASTERPLAN_HELP)],
    rounds: Annotated[
        list[str] | None,
        typer.Option(
            "--round", help=_("Also check a round (its id or a round file); repeatable.")
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    from cityeval.masterplan import get_masterplan, get_round

    _use_language(lang)
    mp = get_masterplan(file)
    _print(_("{file}: valid {summary}").format(file=Path(file).name, summary=_summary(mp)))
    for ref in rounds or []:
        rnd = get_round(mp, ref)
        _print(
            _("{file}: valid {summary}").format(file=Path(ref).name, summary=_round_summary(rnd))
        )


def _round_year(round_id: str, year: int | None) -> int:
    if year is not None:
        return year
    match = re.match(r"^(\d{4})\b", round_id)
    if match is None:
        raise typer.BadParameter(
            _(
                "cannot tell the year of round {round}: give --year, or start the round id "
                "with its year (2019-tahap-3)"
            ).format(round=repr(round_id)),
            param_hint="--year",
        )
    return int(match.group(1))


def _existing_round(mp: Masterplan, ref: str) -> EvaluationRound | None:
    from cityeval.masterplan import get_round

    try:
        return get_round(mp, ref)
    except NotFoundError:
        return None  # a new round


@app.command(
    "form",
    help=_(
        "Write the Excel evaluation forms of a round: one workbook per OPD (form-<opd>.xlsx) "
        "in the --out folder, or one for all with --combined (needs openpyxl)."
    ),
)
def form(
    masterplan: Annotated[str, typer.Argument(help=MASTERPLAN_HELP)],
    round_ref: Annotated[
        str,
        typer.Option(
            "--round",
            help=_(
                "The round: a new id (such as 2019-tahap-3) or an existing round (id or "
                "file), whose values fill the forms in."
            ),
        ),
    ],
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            help=_(
                "The folder to write the workbooks into; with --combined, a folder or the "
                ".xlsx file to write."
            ),
        ),
    ] = Path("forms"),
    combined: Annotated[
        bool,
        typer.Option("--combined", help=_("Write one workbook with a sheet per OPD.")),
    ] = False,
    year: Annotated[
        int | None,
        typer.Option("--year", help=_("The year whose targets to show (by default the round's).")),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help=_("The round's date, YYYY-MM-DD, stored in the forms.")),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Replace existing files."))] = False,
    lang: LangOption = None,
) -> None:
    from cityeval.masterplan import get_masterplan
    from cityeval.masterplan.forms import COMBINED_NAME, form_file_name, write_forms

    _use_language(lang)
    folder, combined_name = out_dir, COMBINED_NAME
    if out_dir.suffix.lower() == ".xlsx":
        if not combined:
            raise typer.BadParameter(
                _(
                    "{path} is a workbook name, but the forms are one workbook per OPD: give a "
                    "folder, or add --combined for one workbook"
                ).format(path=out_dir),
                param_hint="--out",
            )
        folder, combined_name = out_dir.parent, out_dir.name
    mp = get_masterplan(masterplan)
    round_date = _date(date, "--date")
    existing = _existing_round(mp, round_ref)
    if existing is not None:
        round_id, label = existing.id, existing.label
        round_year = year if year is not None else existing.target_year
        round_date = round_date or existing.date
    else:
        round_id, label = round_ref, None
        round_year = _round_year(round_id, year)
    names = (
        [combined_name]
        if combined
        else [form_file_name(o) for o in mp.opds if mp.programmes_of(o.id)]
    )
    for name in names:
        _refuse_overwrite(folder / name, force)
    written = write_forms(
        mp,
        round_id,
        folder,
        year=round_year,
        date=round_date,
        label=label,
        prefill=existing,
        combined=combined,
        combined_name=combined_name,
        protect=[Path(masterplan)] if Path(masterplan).is_file() else [],
    )
    _print(
        ngettext(
            "evaluation forms for round {round} ({year}) of masterplan {masterplan}: "
            "{n} workbook in {folder}",
            "evaluation forms for round {round} ({year}) of masterplan {masterplan}: "
            "{n} workbooks in {folder}",
            len(written),
        ).format(
            round=repr(round_id),
            year=round_year,
            masterplan=repr(mp.id),
            n=len(written),
            folder=folder,
        )
    )
    for wf in written:
        sheets = ", ".join(sheet for _opd, sheet in wf.sheets)
        _print(_("  {file}: {sheets}").format(file=folder / wf.file, sheets=sheets))


def _collection_report(mp: Masterplan, col: Collection) -> list[str]:
    lines = []
    running = len(col.returned) + len(col.missing)
    lines.append(
        _("forms back from {n} of {total} OPDs: {opds}").format(
            n=len(col.returned),
            total=running,
            opds=", ".join(mp.opd(o).short for o in col.returned) or _("none"),
        )
    )
    if col.missing:
        lines.append(
            _("OPDs whose forms have not come back: {opds}").format(
                opds=", ".join(
                    f"{mp.opd(o).short} ({mp.opd(o).name.text(current_language())})"
                    for o in col.missing
                )
            )
        )
    if col.unrealised:
        lines.append(_("programmes with no realisation yet:"))
        for prog_id, indicators in col.unrealised:
            prog = mp.programme(prog_id)
            owners = ", ".join(mp.opd(o).short for o in prog.opds)
            lines.append(
                ngettext(
                    "  {programme} ({opds}): {n} of {total} indicator without a value",
                    "  {programme} ({opds}): {n} of {total} indicators without a value",
                    len(prog.indicators),
                ).format(
                    programme=prog.name.text(current_language()),
                    opds=owners,
                    n=len(indicators),
                    total=len(prog.indicators),
                )
            )
    return lines


@app.command(
    "collect",
    help=_(
        "Read filled forms (workbooks or folders of them) into a round file, and list the "
        "OPDs that have not answered; nothing is written if any cell is wrong."
    ),
)
def collect(
    forms: Annotated[
        list[Path],
        typer.Argument(
            metavar="FORMS", help=_("Filled forms (.xlsx) or folders of them, one or more.")
        ),
    ],
    round_id: Annotated[str, typer.Option("--round", help=_("The round the forms are for."))],
    out_file: Annotated[
        Path, typer.Option("--out", help=_("The round file to write (.yaml or .json)."))
    ] = Path("round.yaml"),
    masterplan: Annotated[
        str | None,
        typer.Option(
            "--masterplan", help=_("The masterplan (id or file); by default the forms'.")
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help=_(
                "The round's date, YYYY-MM-DD; by default the round's own (a registered "
                "round's, or the one stored in the forms)."
            ),
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Replace an existing file."))] = False,
    lang: LangOption = None,
) -> None:
    from cityeval.masterplan import get_masterplan, save_round
    from cityeval.masterplan.forms import collect_forms, form_paths, stored_masterplan

    _use_language(lang)
    _refuse_overwrite(out_file, force)
    round_date = _date(date, "--date")
    paths = form_paths(forms)
    if not paths:
        raise InputError(
            ", ".join(str(f) for f in forms), [Problem((), _("no .xlsx form in the folder"))]
        )
    if masterplan is None:
        stored = stored_masterplan(paths[0])
        try:
            mp = get_masterplan(stored)
        except NotFoundError as exc:
            raise NotFoundError(
                _("{error}; give the masterplan file with --masterplan").format(error=exc)
            ) from None
    else:
        mp = get_masterplan(masterplan)
    if round_date is None:
        known = _existing_round(mp, round_id)
        round_date = known.date if known is not None else None
    col = collect_forms(paths, mp, round_id, date=round_date)
    save_round(col.round, out_file)
    _print(_("{file}: wrote {summary}").format(file=out_file, summary=_round_summary(col.round)))
    for line in _collection_report(mp, col):
        _print(line)

"""``cityeval masterplan``: start, check and collect a regency's smart-city masterplan.

``init`` writes a commented masterplan file, ``validate`` checks one, ``form`` writes the
Excel form of an evaluation round for the OPDs, and ``collect`` reads the filled forms back
into a round file.
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

if TYPE_CHECKING:
    from cityeval.masterplan import EvaluationRound, Masterplan

app = typer.Typer(
    help="Start, check and collect a regency's smart-city masterplan.", no_args_is_help=True
)

MASTERPLAN_HELP = "A masterplan shipped by a plugin (its id) or a masterplan file."


def _refuse_overwrite(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise InputError(str(path), [Problem((), "already exists; add --force to replace it")])


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"expected a date YYYY-MM-DD, got {text!r}", param_hint=option
        ) from None


def _summary(mp: Masterplan) -> str:
    n_ind = sum(len(p.indicators) for p in mp.programmes)
    dims = len({p.dimension for p in mp.programmes})
    return (
        f"masterplan {mp.id!r} of {mp.regency.title} ({mp.period}, framework "
        f"{mp.framework!r}): {len(mp.programmes)} programmes under {dims} dimensions, "
        f"{n_ind} indicators, {len(mp.opds)} OPDs"
    )


def _round_summary(rnd: EvaluationRound) -> str:
    counts = Counter(e.status.value.replace("_", " ") for e in rnd.entries)
    detail = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    return f"round {rnd.id!r} ({rnd.date}): {len(rnd.entries)} entries ({detail or 'none'})"


@app.command("init")
def init(
    regency: Annotated[
        str, typer.Option("--regency", help="The regency's or city's name, such as Banyuasin.")
    ],
    out_file: Annotated[Path, typer.Option("--out", help="The masterplan file to write.")] = Path(
        "masterplan.yaml"
    ),
    framework: Annotated[
        str, typer.Option("--framework", help="A registered framework id or a framework file.")
    ] = "gerakan100",
    kind: Annotated[
        str, typer.Option("--kind", help="kabupaten (regency) or kota (city).")
    ] = "kabupaten",
    province: Annotated[
        str | None, typer.Option("--province", help="The province, such as Sumatera Selatan.")
    ] = None,
    code: Annotated[
        str | None, typer.Option("--code", help="The Kemendagri region code, such as 16.07.")
    ] = None,
    start: Annotated[
        int | None, typer.Option("--start", help="The first year (this year by default).")
    ] = None,
    years: Annotated[
        int, typer.Option("--years", min=1, help="How many years the masterplan covers.")
    ] = 5,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write a commented masterplan file to fill in; it validates as it stands."""
    from cityeval import get_framework
    from cityeval.io.documents import write_atomic
    from cityeval.masterplan import loads_masterplan, masterplan_template

    if kind not in ("kabupaten", "kota"):
        raise typer.BadParameter(f"expected kabupaten or kota, got {kind!r}", param_hint="--kind")
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
    out().print(f"{out_file}: wrote {_summary(mp)}", markup=False, soft_wrap=True)


@app.command("validate")
def validate(
    file: Annotated[str, typer.Argument(help=MASTERPLAN_HELP)],
    rounds: Annotated[
        list[str] | None,
        typer.Option("--round", help="Also check a round (its id or a round file); repeatable."),
    ] = None,
) -> None:
    """Check a masterplan (and rounds); print a summary, or every problem and exit 2."""
    from cityeval.masterplan import get_masterplan, get_round

    mp = get_masterplan(file)
    out().print(f"{Path(file).name}: valid {_summary(mp)}", markup=False, soft_wrap=True)
    for ref in rounds or []:
        rnd = get_round(mp, ref)
        out().print(f"{Path(ref).name}: valid {_round_summary(rnd)}", markup=False, soft_wrap=True)


def _round_year(round_id: str, year: int | None) -> int:
    if year is not None:
        return year
    match = re.match(r"^(\d{4})\b", round_id)
    if match is None:
        raise typer.BadParameter(
            f"cannot tell the year of round {round_id!r}: give --year, or start the round id "
            "with its year (2019-tahap-3)",
            param_hint="--year",
        )
    return int(match.group(1))


@app.command("form")
def form(
    masterplan: Annotated[str, typer.Argument(help=MASTERPLAN_HELP)],
    round_ref: Annotated[
        str,
        typer.Option(
            "--round",
            help="The round: a new id (such as 2019-tahap-3) or an existing round (id or file), "
            "whose values fill the form in.",
        ),
    ],
    out_file: Annotated[Path, typer.Option("--out", help="The .xlsx file to write.")] = Path(
        "form.xlsx"
    ),
    year: Annotated[
        int | None,
        typer.Option("--year", help="The year whose targets to show (by default the round's)."),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help="The round's date, YYYY-MM-DD, stored in the form."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Write the Excel evaluation form of a round: one sheet per OPD (needs openpyxl)."""
    from cityeval.masterplan import get_masterplan, get_round
    from cityeval.masterplan.forms import write_form

    mp = get_masterplan(masterplan)
    _refuse_overwrite(out_file, force)
    round_date = _date(date, "--date")
    existing: EvaluationRound | None
    try:
        existing = get_round(mp, round_ref)
    except NotFoundError:
        existing = None  # a new round
    if existing is not None:
        round_id, label = existing.id, existing.label
        round_year = year if year is not None else existing.target_year
        round_date = round_date or existing.date
    else:
        round_id, label = round_ref, None
        round_year = _round_year(round_id, year)
    sheets = write_form(
        mp, round_id, out_file, year=round_year, date=round_date, label=label, prefill=existing
    )
    out().print(
        f"{out_file}: evaluation form for round {round_id!r} ({round_year}) of masterplan "
        f"{mp.id!r}: {len(sheets)} OPD sheets ({', '.join(sheets)})",
        markup=False,
        soft_wrap=True,
    )


@app.command("collect")
def collect(
    forms: Annotated[list[Path], typer.Argument(help="Filled forms (.xlsx), one or more.")],
    round_id: Annotated[str, typer.Option("--round", help="The round the forms are for.")],
    out_file: Annotated[
        Path, typer.Option("--out", help="The round file to write (.yaml or .json).")
    ] = Path("round.yaml"),
    masterplan: Annotated[
        str | None,
        typer.Option("--masterplan", help="The masterplan (id or file); by default the forms'."),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help="The round's date, YYYY-MM-DD; by default the forms'."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Read filled forms into a round file; nothing is written if any cell is wrong."""
    from cityeval.masterplan import get_masterplan, save_round
    from cityeval.masterplan.forms import read_forms, stored_masterplan

    _refuse_overwrite(out_file, force)
    round_date = _date(date, "--date")
    if masterplan is None:
        stored = stored_masterplan(forms[0])
        try:
            mp = get_masterplan(stored)
        except NotFoundError as exc:
            raise NotFoundError(f"{exc}; give the masterplan file with --masterplan") from None
    else:
        mp = get_masterplan(masterplan)
    rnd = read_forms(forms, mp, round_id, date=round_date)
    save_round(rnd, out_file)
    out().print(f"{out_file}: wrote {_round_summary(rnd)}", markup=False, soft_wrap=True)

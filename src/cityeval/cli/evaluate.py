"""``cityeval evaluate``: score a masterplan at a round and write its scorecard and report.

The terminal shows the header, the dimensions, the OPDs and the programmes at risk; the folder
gets ``scorecard.json``, ``scorecard.csv``, ``scorecard.xlsx`` and ``report.html``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cityeval.cli.console import out
from cityeval.cli.frameworks import Language
from cityeval.errors import InputError, Problem

if TYPE_CHECKING:
    from cityeval.masterplan import EvaluationRound, Masterplan
    from cityeval.model import Lang

__all__ = ["evaluate_command"]


def _rounds(mp: Masterplan, files: list[Path]) -> list[EvaluationRound]:
    """The rounds to choose from: the plugin's, and those of ``files`` (which replace a
    plugin's round of the same id), sorted by date."""
    from cityeval.masterplan import load_round, plugin_rounds

    by_id = {r.id: r for r in plugin_rounds(mp)}
    seen: dict[str, Path] = {}
    for file in files:
        rnd = load_round(file, masterplan=mp)
        if rnd.id in seen:
            raise InputError(
                file.name, [Problem(("id",), f"round {rnd.id!r} is also in {seen[rnd.id]}")]
            )
        seen[rnd.id] = file
        by_id[rnd.id] = rnd
    return sorted(by_id.values(), key=lambda r: (r.date, r.id))


def _pick(rounds: list[EvaluationRound], ref: str, mp: Masterplan) -> EvaluationRound:
    """A round by id among ``rounds``, or read from a file when ``ref`` names one."""
    from cityeval.io.documents import FORMATS
    from cityeval.masterplan import find_round, load_round

    path = Path(ref)
    if not any(r.id == ref for r in rounds) and (path.suffix.lower() in FORMATS or path.is_file()):
        return load_round(path, masterplan=mp)
    return find_round(rounds, ref)


def evaluate_command(
    masterplan: Annotated[
        str,
        typer.Argument(
            metavar="MASTERPLAN",
            help="A masterplan shipped by a plugin (its id) or a masterplan file.",
        ),
    ],
    round_ref: Annotated[
        str,
        typer.Option(
            "--round", metavar="ROUND", help="The round to evaluate: its id (or a round file)."
        ),
    ],
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            metavar="DIR",
            help="Folder for scorecard.json, scorecard.csv, scorecard.xlsx and report.html.",
        ),
    ],
    compare_ref: Annotated[
        str | None,
        typer.Option(
            "--compare", metavar="ROUND", help="An earlier round to show the change since."
        ),
    ] = None,
    round_files: Annotated[
        list[Path] | None,
        typer.Option(
            "--rounds",
            metavar="FILE",
            help="Round files to choose --round and --compare from, besides the plugin's; "
            "repeatable.",
        ),
    ] = None,
    lang: Annotated[
        Language,
        typer.Option("--lang", help="Language of the report: id (Indonesian) or en."),
    ] = Language.en,
    cap: Annotated[
        float,
        typer.Option(
            "--cap",
            min=0,
            help="The highest achievement an indicator counts, in percent; 0 for no cap.",
        ),
    ] = 100.0,
) -> None:
    """Evaluate a masterplan at a round and write its scorecard and HTML report."""
    from cityeval.explain.views import print_change_contributors, write_summary_files
    from cityeval.masterplan import get_masterplan, resolve_framework
    from cityeval.masterplan.evaluation import evaluate
    from cityeval.report import write_report
    from cityeval.report.terminal import print_scorecard

    mp = get_masterplan(masterplan)
    base = Path(masterplan).parent if Path(masterplan).is_file() else None
    framework = resolve_framework(mp, base)
    rounds = _rounds(mp, list(round_files or []))
    rnd = _pick(rounds, round_ref, mp)
    earlier = None
    if compare_ref is not None:
        earlier = _pick(rounds, compare_ref, mp)
        if earlier.date >= rnd.date:
            raise InputError(
                "--compare",
                [
                    Problem(
                        (),
                        f"round {earlier.id!r} ({earlier.date}) is not earlier than round "
                        f"{rnd.id!r} ({rnd.date}); --compare takes an earlier round",
                    )
                ],
            )
    scorecard = evaluate(mp, framework, rnd, compare=earlier, cap=cap if cap > 0 else None)
    code: Lang = "id" if lang is Language.id else "en"
    files = write_report(scorecard, out_dir, code)
    files += write_summary_files(scorecard, out_dir, code)  # summary.md, report.docx
    console = out()
    print_scorecard(scorecard, console, code)
    print_change_contributors(scorecard, console, code)
    console.print("wrote " + ", ".join(str(f) for f in files), markup=False, soft_wrap=True)

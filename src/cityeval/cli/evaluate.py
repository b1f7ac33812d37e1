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

if TYPE_CHECKING:
    from cityeval.model import Lang

__all__ = ["evaluate_command"]


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
    from cityeval import api
    from cityeval.report import write_report
    from cityeval.report.terminal import print_scorecard

    scorecard = api.evaluate(
        masterplan,
        round_ref,
        compare=compare_ref,
        rounds=list(round_files or []),
        cap=cap if cap > 0 else None,
    )
    code: Lang = "id" if lang is Language.id else "en"
    files = write_report(scorecard, out_dir, code)
    console = out()
    print_scorecard(scorecard, console, code)
    console.print("wrote " + ", ".join(str(f) for f in files), markup=False, soft_wrap=True)

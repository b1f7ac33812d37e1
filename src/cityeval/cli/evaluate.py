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
from cityeval.i18n import _

if TYPE_CHECKING:
    from cityeval.model import Lang

__all__ = ["evaluate_command"]


def evaluate_command(
    masterplan: Annotated[
        str,
        typer.Argument(
            metavar="MASTERPLAN",
            help=_("A masterplan shipped by a plugin (its id) or a masterplan file."),
        ),
    ],
    round_ref: Annotated[
        str,
        typer.Option(
            "--round",
            metavar="ROUND",
            help=_("The round to evaluate: its id (or a round file)."),
        ),
    ],
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            metavar="DIR",
            help=_("Folder for scorecard.json, scorecard.csv, scorecard.xlsx and report.html."),
        ),
    ],
    compare_ref: Annotated[
        str | None,
        typer.Option(
            "--compare",
            metavar="ROUND",
            help=_("An earlier round to show the change since."),
        ),
    ] = None,
    round_files: Annotated[
        list[Path] | None,
        typer.Option(
            "--rounds",
            metavar="FILE",
            help=_(
                "Round files to choose --round and --compare from, besides the plugin's; "
                "repeatable."
            ),
        ),
    ] = None,
    lang: Annotated[
        Language | None,
        typer.Option(
            "--lang",
            help=_(
                "Language of the report: id (Indonesian) or en; "
                "by default the command line's language."
            ),
        ),
    ] = None,
    cap: Annotated[
        float,
        typer.Option(
            "--cap",
            min=0,
            help=_("The highest achievement an indicator counts, in percent; 0 for no cap."),
        ),
    ] = 100.0,
    pdf: Annotated[
        bool,
        typer.Option(
            "--pdf",
            help=_(
                "Also write report.pdf (A4) from the same page, with headless Chromium "
                "through Playwright."
            ),
        ),
    ] = False,
) -> None:
    """Evaluate a masterplan at a round and write its scorecard and HTML report."""
    from cityeval import api
    from cityeval.io.outputs import check_output_folder

    check_output_folder(out_dir)  # before the work: a file named by --out is refused at once
    scorecard = api.evaluate(
        masterplan,
        round_ref,
        compare=compare_ref,
        rounds=list(round_files or []),
        cap=cap if cap > 0 else None,
    )
    from cityeval.cli.inputs import use_language
    from cityeval.explain.views import prepare, summary_makers
    from cityeval.io.background import Background
    from cityeval.report import report_makers, write_files

    code: Lang = use_language(lang)
    # The files this command read are never replaced by its outputs.
    inputs = [Path(p) for p in (masterplan, round_ref, compare_ref) if p and Path(p).is_file()]
    makers = {**report_makers(scorecard, code), **summary_makers(scorecard, code)}
    # The workbook and the Word document are made in a second process while this one makes
    # the rest (cityeval.io.background: same bytes; made here if that is not possible).
    prepare(scorecard, code)
    later = Background({name: makers.pop(name) for name in ("scorecard.xlsx", "report.docx")})
    try:
        made = {name: make() for name, make in makers.items()}
        from cityeval.explain.views import print_change_contributors
        from cityeval.report.terminal import print_scorecard

        # The terminal's tables are rendered meanwhile too, shown once the files are written.
        console = out()
        with console.capture() as shown:
            print_scorecard(scorecard, console, code)
            print_change_contributors(scorecard, console, code)
    except BaseException:
        later.cancel()
        raise
    made.update(later.result())
    order = ["scorecard.json", "scorecard.csv", "scorecard.xlsx", "report.html"]
    contents = {name: made[name] for name in [*order, "summary.md", "report.docx"]}
    if pdf:  # printed before anything is written: a missing browser leaves the folder as it was
        from cityeval.report.pdf import html_to_pdf

        contents["report.pdf"] = html_to_pdf(contents["report.html"].decode("utf-8"))
    # All of them as one set: a failure leaves the previous report exactly as it was.
    files = write_files(out_dir, contents, protect=[*inputs, *(round_files or [])])
    console.file.write(shown.get())  # the bytes console.print would have written
    console.file.flush()
    console.print(
        _("wrote {files}").format(files=", ".join(str(f) for f in files)),
        markup=False,
        soft_wrap=True,
    )

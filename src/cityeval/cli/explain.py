"""``cityeval explain``: why a node has its score, and why it changed.

Two forms: a unit and a node of a scored data file (``--framework``/``--data`` as for
``score``), or a masterplan and a round (``--round``, ``--compare``) as for ``evaluate``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cityeval.cli.console import out, print_written
from cityeval.cli.inputs import OptionalFrameworkOption, OutputLangOption, PipelineOption
from cityeval.errors import InputError, Problem
from cityeval.i18n import _

if TYPE_CHECKING:
    from cityeval.explain import Explanation
    from cityeval.model import Lang

__all__ = ["explain_command"]

#: The columns of ``explanation.csv``.
COLUMNS = (
    "unit",
    "node",
    "kind",
    "id",
    "label",
    "value",
    "weight",
    "contribution",
    "previous",
    "change",
    "log_contribution",
    "error",
)


def _print(ex: Explanation, kinds: list[str], top: int, lang: Lang) -> None:
    from rich.table import Table
    from rich.text import Text

    from cityeval.explain.summary import fmt_number

    console = out()
    head = Text(f"{ex.label} ({ex.node}), {ex.unit}: ", style="bold") + Text(
        fmt_number(ex.score, lang)
    )
    if ex.change is not None:
        head += Text(
            " "
            + _("(earlier {previous}, change {change})").format(
                previous=fmt_number(ex.previous, lang),
                change=fmt_number(ex.change, lang, signed=True),
            )
        )
    console.print(head, soft_wrap=True)
    console.print(
        Text(_("Method: {method}; {guarantee}").format(method=ex.method, guarantee=ex.guarantee))
    )
    if ex.max_error is not None:
        console.print(
            Text(
                _("Largest standard error of a sampled contribution: {error}").format(
                    error=f"{ex.max_error:.3g}"
                )
            )
        )
    titles = {
        "child": _("Children"),
        "indicator": _("Indicators"),
        "programme": _("Programmes"),
        "opd": _("OPDs"),
        "cause": _("Causes of the change"),
    }
    for kind in kinds:
        parts = list(ex.of(kind))
        if not parts:
            continue
        if ex.change is not None:
            parts.sort(key=lambda p: p.change or 0.0)
        else:
            parts.sort(key=lambda p: -(p.contribution or 0.0))
        table = Table(title=titles[kind], title_justify="left", title_style="bold")
        table.add_column(_("Part"))
        if kind != "cause":
            table.add_column(_("Value"), justify="right")
            table.add_column(_("Contribution"), justify="right")
        if ex.change is not None:
            if kind != "cause":
                table.add_column(_("Previous"), justify="right")
            table.add_column(_("Change"), justify="right")
        for p in parts[:top] if top > 0 else parts:
            cells = [Text(p.label)]
            if kind != "cause":
                cells += [Text(fmt_number(p.value, lang)), Text(fmt_number(p.contribution, lang))]
            if ex.change is not None:
                if kind != "cause":
                    cells.append(Text(fmt_number(p.previous, lang)))
                cells.append(Text(fmt_number(p.change, lang, signed=True)))
            table.add_row(*cells)
        console.print(table)


def _write(ex: Explanation, out_dir: Path, protect: list[Path]) -> list[Path]:
    import json

    from cityeval.io.outputs import OutputSet, csv_text

    rows = [[ex.unit, ex.node, *[getattr(p, c) for c in COLUMNS[2:]]] for p in ex.parts]
    with OutputSet(out_dir, protect=protect) as files:
        files.write_text("explanation.csv", csv_text(rows, header=COLUMNS))
        files.write_text(
            "explanation.json", json.dumps(ex.to_dict(), indent=2, ensure_ascii=False) + "\n"
        )
    return [out_dir / "explanation.csv", out_dir / "explanation.json"]


def explain_command(
    masterplan: Annotated[
        str | None,
        typer.Argument(
            metavar="[MASTERPLAN]",
            help=_("A masterplan (its id or file) to explain at --round; omit with --framework."),
        ),
    ] = None,
    round_ref: Annotated[
        str | None,
        typer.Option("--round", metavar="ROUND", help=_("The masterplan's round to explain.")),
    ] = None,
    compare_ref: Annotated[
        str | None,
        typer.Option(
            "--compare", metavar="ROUND", help=_("An earlier round: explain the change since.")
        ),
    ] = None,
    round_files: Annotated[
        list[Path] | None,
        typer.Option("--rounds", metavar="FILE", help=_("Round files besides the plugin's.")),
    ] = None,
    framework: OptionalFrameworkOption = None,
    data: Annotated[
        Path | None,
        typer.Option("--data", "-d", help=_("The data CSV, as for `cityeval score`.")),
    ] = None,
    pipeline: PipelineOption = None,
    compare_data: Annotated[
        Path | None,
        typer.Option(
            "--compare-data",
            help=_("An earlier data CSV of the same framework: explain the change."),
        ),
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", "-u", help=_("The unit to explain."))
    ] = None,
    node: Annotated[
        str | None,
        typer.Option("--node", "-n", help=_("The node to explain; the overall index by default.")),
    ] = None,
    kinds: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            help=_("Which parts to list: child, indicator, programme, opd, cause (repeatable)."),
        ),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", help=_("How many parts of each kind to list; 0 for all."))
    ] = 10,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help=_("Folder for explanation.csv and explanation.json (optional).")
        ),
    ] = None,
    lang: OutputLangOption = None,
) -> None:
    """Explain a node's score by its children, indicators (programmes, OPDs) and its change."""
    from cityeval.cli.inputs import use_language
    from cityeval.explain import explain

    code: Lang = use_language(lang)
    protect: list[Path] = []
    if masterplan is not None:
        if round_ref is None:
            raise InputError("--round", [Problem((), _("a masterplan needs --round"))])
        from cityeval import api

        # The same resolution as `cityeval evaluate` (ids, round files, an earlier --compare).
        sc = api.evaluate(
            masterplan, round_ref, compare=compare_ref, rounds=list(round_files or [])
        )
        ex = explain(sc, node=node, lang=code)
        default_kinds = ["child", "programme", "opd", "cause"]
    else:
        if framework is None or data is None:
            raise InputError(
                "explain",
                [Problem((), _("give a MASTERPLAN and --round, or --framework and --data"))],
            )
        from cityeval.cli.inputs import score_inputs

        results = score_inputs(framework, data, pipeline)[3]
        earlier_results = None
        protect = [data] + ([compare_data] if compare_data else [])
        if compare_data is not None:
            earlier_results = score_inputs(framework, compare_data, pipeline)[3]
        ex = explain(results, unit, node, compare=earlier_results, lang=code)
        default_kinds = ["child", "indicator", "cause"]
    chosen = kinds or default_kinds
    bad = [k for k in chosen if k not in ("child", "indicator", "programme", "opd", "cause")]
    if bad:
        raise InputError("--kind", [Problem((), _("unknown kind {kind!r}").format(kind=bad[0]))])
    _print(ex, chosen, top, code)
    if out_dir is not None:
        written = _write(ex, out_dir, protect)
        print_written(written)

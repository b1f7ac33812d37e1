"""``cityeval audit``: the statistical audit of an index, written as tables, Excel and HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cityeval.cli.console import out, print_written
from cityeval.cli.inputs import DataOption, FrameworkOption, PipelineOption, score_inputs
from cityeval.i18n import _

__all__ = ["audit_command"]

_SHOWN = 10


def audit_command(
    framework: FrameworkOption,
    data: DataOption,
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help=_("Folder for stats.csv, correlations.csv, ..., audit.xlsx and audit.html."),
        ),
    ],
    pipeline: PipelineOption = None,
    compare: Annotated[
        Path | None,
        typer.Option(
            "--compare",
            help=_("A second pipeline file; its ranks are compared with the first's."),
        ),
    ] = None,
    optimise_level: Annotated[
        str | None,
        typer.Option(
            "--optimise-level",
            help=_("The level whose weights are optimised (number or name); below the index."),
        ),
    ] = None,
    min_availability: Annotated[
        float,
        typer.Option(
            "--min-availability",
            help=_("Screen out units with a smaller share of indicators (COINr: 2/3)."),
        ),
    ] = 2 / 3,
    group_level: Annotated[
        str | None,
        typer.Option(
            "--group-level",
            help=_("Also screen out units short of data in any group of this level."),
        ),
    ] = None,
    group_availability: Annotated[
        float | None,
        typer.Option(
            "--group-availability",
            help=_("The minimum share of indicators in every group of --group-level."),
        ),
    ] = None,
    indicator_availability: Annotated[
        float | None,
        typer.Option(
            "--indicator-availability",
            help=_("Drop indicators available for a smaller share of units."),
        ),
    ] = None,
) -> None:
    """Audit an index as COINr does: statistics, correlations, alpha, PCA, weights, what-if."""
    from cityeval.audit import audit, write_audit
    from cityeval.engine import score
    from cityeval.io.pipelines import load_pipeline

    fw, dataset, _pipe, results = score_inputs(framework, data, pipeline)
    other = None
    if compare is not None:
        other = score(fw, dataset, load_pipeline(compare), source=compare.name)
    report = audit(
        results,
        compare_with=other,
        optimise_level=optimise_level,
        dat_thresh=min_availability,
        group_level=group_level,
        group_thresh=group_availability,
        indicator_thresh=indicator_availability,
    )
    protect = [p for p in (data, pipeline, compare) if p is not None]
    if Path(framework).is_file():
        protect.append(Path(framework))
    files = write_audit(report, out_dir, protect=protect)
    flags = report.flags.records()
    out().print(
        _("{n} flag(s) for {units} units and {nodes} nodes").format(
            n=len(flags), units=len(results.units), nodes=len(results.node_ids)
        ),
        markup=False,
    )
    for flag in flags[:_SHOWN]:
        where = " ".join(str(flag[k]) for k in ("stage", "node", "other") if flag[k])
        out().print(f"  {flag['flag']}: {where}: {flag['detail']}", markup=False)
    if len(flags) > _SHOWN:
        out().print(
            _("  ... and {n} more in flags.csv").format(n=len(flags) - _SHOWN), markup=False
        )
    if report.optimised is not None:
        o = report.optimised
        weights = ", ".join(f"{n} {w:.4f}" for n, w in zip(o.nodes, o.weights, strict=True))
        out().print(_("optimised weights: {weights}").format(weights=weights), markup=False)
    print_written(files)

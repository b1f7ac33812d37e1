"""``cityeval score`` and ``cityeval import-coinr``: build an index from data files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cityeval.cli.console import out
from cityeval.cli.inputs import DataOption, FrameworkOption, PipelineOption
from cityeval.i18n import _, ngettext

if TYPE_CHECKING:
    from cityeval.engine.results import Results

__all__ = ["import_coinr_command", "score_command"]


def _shown(text: str) -> str:
    """``text`` with control characters (escape sequences, bells) shown as ``\\x1b``."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _print_summary(results: Results, framework_id: str, top: int) -> None:
    """The top units of the overall index, what treatment did, and the run's notes."""
    import numpy as np
    from rich.table import Column, Table
    from rich.text import Text

    top_id = results.top_id
    ranks = results.rank(top_id)
    scores = results.score(top_id)
    if ranks.ndim > 1:  # panel: show the latest time point
        ranks, scores = ranks[-1], scores[-1]
    # Missing ranks last; a stable sort keeps tied units in data order.
    order = np.argsort(np.where(np.isnan(ranks), np.inf, ranks), kind="stable")[:top].tolist()
    label = results.compiled.labels[top_id].text("en")
    bands = results.bands_of(top_id)
    columns = [_("rank"), _("unit"), label] + ([_("predicate")] if bands else [])
    table = Table(
        *(Column(header=Text(_shown(c))) for c in columns),
        title=Text(_shown(f"{framework_id}: {label}")),
    )
    if bands:
        from cityeval.model import band_for
    for u in order:
        rank = "-" if np.isnan(ranks[u]) else f"{int(ranks[u])}"
        value = _("missing") if np.isnan(scores[u]) else f"{scores[u]:.2f}"
        row = [rank, results.units[u], value]
        if bands:
            band = None if np.isnan(scores[u]) else band_for(bands, float(scores[u]))
            row.append("-" if band is None else band.label.text("id"))
        table.add_row(*(Text(_shown(cell)) for cell in row))
    console = out()
    console.print(table)
    treated = [r for r in results.treatment if r.treated]
    if treated:
        names = ", ".join(r.indicator + (" (log)" if r.log_applied else "") for r in treated)
        console.print(
            ngettext(
                "outlier treatment changed {n} indicator: {names}",
                "outlier treatment changed {n} indicators: {names}",
                len(treated),
            ).format(n=len(treated), names=names),
            markup=False,
        )
    for note in results.notes:
        console.print(_shown(note), markup=False)


def score_command(
    framework: FrameworkOption,
    data: DataOption,
    out_dir: Annotated[
        Path,
        typer.Option("--out", "-o", help=_("Folder for scores.csv, ranks.csv and results.json.")),
    ],
    pipeline: PipelineOption = None,
    top: Annotated[
        int, typer.Option("--top", help=_("How many units to list in the terminal."))
    ] = 10,
    parquet: Annotated[
        bool,
        typer.Option(
            "--parquet",
            help=_(
                "Also write scores.parquet, ranks.parquet and stages.parquet "
                "(needs pip install 'cityeval[parquet]')."
            ),
        ),
    ] = False,
    stages: Annotated[
        str,
        typer.Option(
            "--stages",
            metavar="changes|full|none",
            help=_(
                "How results.json holds the pipeline's intermediate stages: the cells each "
                "step changed, every stage in full, or none."
            ),
        ),
    ] = "changes",
) -> None:
    """Score every node for every unit and write the results."""
    from cityeval import api
    from cityeval.engine.export import STAGE_MODES
    from cityeval.errors import InputError, Problem
    from cityeval.io.outputs import check_output_folder

    if stages not in STAGE_MODES:
        raise InputError(
            "--stages",
            [
                Problem(
                    (),
                    _("{value!r} is not one of {choices}").format(
                        value=stages, choices=", ".join(STAGE_MODES)
                    ),
                )
            ],
        )
    check_output_folder(out_dir)  # before the work: a file named by --out is refused at once
    if parquet:
        from cityeval.engine.export import parquet_available

        parquet_available()
    fw = api.resolve_framework(framework)
    results = api.score(fw, data, pipeline)
    inputs = [data] + ([pipeline] if pipeline is not None else [])
    if Path(framework).is_file():
        inputs.append(Path(framework))
    files = results.write(
        out_dir,
        stages=stages,  # checked against STAGE_MODES above
        parquet=parquet,
        protect=inputs,
    )
    _print_summary(results, fw.id, top)
    out().print(
        _("wrote {files}").format(files=", ".join(str(f) for f in files)),
        markup=False,
        soft_wrap=True,
    )


def import_coinr_command(
    idata: Annotated[Path, typer.Argument(help=_("COINr's iData table as CSV."))],
    imeta: Annotated[Path, typer.Argument(help=_("COINr's iMeta table as CSV."))],
    out_dir: Annotated[
        Path,
        # --out, as in every other command; --out-dir, its earlier name, still works.
        typer.Option(
            "--out", "--out-dir", "-o", help=_("Folder for framework.yaml and data.csv.")
        ),
    ],
    framework_id: Annotated[
        str | None,
        typer.Option(
            "--id", help=_("Id of the new framework; the data folder's name by default.")
        ),
    ] = None,
) -> None:
    """Convert COINr's iData and iMeta tables into framework.yaml and data.csv."""
    from cityeval.io.coinr import read_coinr
    from cityeval.io.frameworks import dumps_framework
    from cityeval.io.outputs import OutputSet, check_output_folder

    check_output_folder(out_dir)
    result = read_coinr(idata, imeta, framework_id=framework_id)
    with OutputSet(out_dir, protect=[idata, imeta]) as files:
        files.write_text("framework.yaml", dumps_framework(result.framework, "yaml"))
        files.write_text("data.csv", result.data_csv)
    fw_path, data_path = out_dir / "framework.yaml", out_dir / "data.csv"
    out().print(
        _("wrote {framework} and {data}").format(framework=fw_path, data=data_path),
        markup=False,
    )
    out().print(
        _("next: cityeval score --framework {framework} --data {data} --out DIR").format(
            framework=fw_path, data=data_path
        ),
        markup=False,
    )

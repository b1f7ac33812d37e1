"""``cityeval score`` and ``cityeval import-coinr``: build an index from data files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cityeval.cli.console import out
from cityeval.cli.inputs import DataOption, FrameworkOption, PipelineOption

__all__ = ["import_coinr_command", "score_command"]


def score_command(
    framework: FrameworkOption,
    data: DataOption,
    out_dir: Annotated[
        Path,
        typer.Option("--out", "-o", help="Folder for scores.csv, ranks.csv and results.json."),
    ],
    pipeline: PipelineOption = None,
    top: Annotated[
        int, typer.Option("--top", help="How many units to list in the terminal.")
    ] = 10,
) -> None:
    """Score every node for every unit and write the results."""
    from cityeval import api

    fw = api.resolve_framework(framework)
    results = api.score(fw, data, pipeline)
    files = results.write(out_dir)
    top_id = results.top_id
    ranks = results.rank(top_id)
    scores = results.score(top_id)
    if ranks.ndim > 1:  # panel: show the latest time point
        ranks, scores = ranks[-1], scores[-1]
    order = sorted(
        range(len(results.units)), key=lambda u: float("inf") if ranks[u] != ranks[u] else ranks[u]
    )
    label = results.compiled.labels[top_id].text("en")
    predicates = results.predicates().get(top_id)
    columns = ["rank", "unit", label] + (["predicate"] if predicates else [])
    table = Table(*columns, title=f"{fw.id}: {label}")
    for u in order[:top]:
        rank = "-" if ranks[u] != ranks[u] else f"{int(ranks[u])}"
        value = "missing" if scores[u] != scores[u] else f"{scores[u]:.2f}"
        row = [rank, results.units[u], value]
        if predicates:
            band = predicates[results.units[u]]
            row.append("-" if band is None else band.text("id"))
        table.add_row(*row)
    out().print(table)
    treated = [r for r in results.treatment if r.treated]
    if treated:
        out().print(
            f"outlier treatment changed {len(treated)} indicator(s): "
            + ", ".join(r.indicator + (" (log)" if r.log_applied else "") for r in treated)
        )
    for note in results.notes:
        out().print(note, markup=False)
    out().print("wrote " + ", ".join(str(f) for f in files), markup=False)


def import_coinr_command(
    idata: Annotated[Path, typer.Argument(help="COINr's iData table as CSV.")],
    imeta: Annotated[Path, typer.Argument(help="COINr's iMeta table as CSV.")],
    out_dir: Annotated[
        Path, typer.Option("--out-dir", "-o", help="Folder for framework.yaml and data.csv.")
    ],
    framework_id: Annotated[
        str | None,
        typer.Option("--id", help="Id of the new framework; the data folder's name by default."),
    ] = None,
) -> None:
    """Convert COINr's iData and iMeta tables into framework.yaml and data.csv."""
    from cityeval.io.coinr import import_coinr

    fw_path, data_path = import_coinr(idata, imeta, out_dir, framework_id=framework_id)
    out().print(f"wrote {fw_path} and {data_path}", markup=False)
    out().print(
        f"next: cityeval score --framework {fw_path} --data {data_path} --out DIR", markup=False
    )

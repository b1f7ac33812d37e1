"""``cityeval uncertainty``: rank intervals and Sobol' indices over many draws of the choices."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from cityeval.cli.console import err, out
from cityeval.cli.inputs import DataOption, FrameworkOption, PipelineOption
from cityeval.errors import CityevalError

__all__ = ["uncertainty_command"]

#: How long to wait for a Dask scheduler before giving up.
CONNECT_TIMEOUT = "10s"


class UncertaintyCommandError(CityevalError, ValueError):
    """A request the command cannot carry out (a missing extra, an unreachable cluster)."""


@contextmanager
def _executor(workers: int | None, scheduler: str | None) -> Iterator[Executor | None]:
    if workers is not None and scheduler is not None:
        raise UncertaintyCommandError("give --workers or --scheduler, not both")
    if scheduler is not None:
        try:
            from distributed import Client as _Client
        except ImportError:
            raise UncertaintyCommandError(
                "--scheduler needs Dask: pip install 'cityeval[uncertainty]'"
            ) from None
        client_type: Any = _Client  # distributed has no type hints
        try:
            client = client_type(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise UncertaintyCommandError(
                f"cannot reach the Dask scheduler at {scheduler}: {exc}"
            ) from None
        try:
            yield client.get_executor()
        finally:
            client.close()
    elif workers is not None and workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield pool
    else:
        yield None


def uncertainty_command(
    framework: FrameworkOption,
    data: DataOption,
    spec: Annotated[
        Path,
        typer.Option("--spec", "-s", help="The uncertainty specification (YAML, JSON or TOML)."),
    ],
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="Folder for rank_intervals.csv, sobol.csv, draws.csv, charts."
        ),
    ],
    pipeline: PipelineOption = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", min=1, help="Local worker processes (default: none)."),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Address of a Dask scheduler, e.g. tcp://host:8786."),
    ] = None,
    threads: Annotated[
        int | None,
        typer.Option(
            "--threads",
            min=1,
            help="Threads of an in-process run (default: one per core; not with --workers "
            "or --scheduler).",
        ),
    ] = None,
    temp_dir: Annotated[
        Path | None,
        typer.Option(
            "--temp-dir",
            help="Folder for the draws' temporary scores (default: the system's, or TMPDIR).",
        ),
    ] = None,
    batch_size: Annotated[
        int | None,
        typer.Option("--batch-size", "-b", min=1, help="Draws per batch (results never change)."),
    ] = None,
    charts: Annotated[
        bool, typer.Option("--charts/--no-charts", help="Write the SVG and PNG charts.")
    ] = True,
    top: Annotated[int, typer.Option("--top", help="Units listed in the terminal.")] = 10,
) -> None:
    """Re-run the index over many draws of its choices: rank intervals and Sobol' indices."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TimeElapsedColumn,
    )
    from rich.table import Table

    from cityeval import api

    local_pool = scheduler is None and (workers or 1) > 1
    if threads is not None and (scheduler is not None or local_pool):
        raise UncertaintyCommandError(
            "--threads is for in-process runs: give it without --workers or --scheduler"
        )
    fw = api.resolve_framework(framework)
    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err(),
        transient=False,
    )
    tasks: list[TaskID] = []

    def progress(done: int, total: int) -> None:
        if not tasks:  # the bar appears with the first batch, after every input is checked
            bar.start()
            tasks.append(bar.add_task("draws", total=total))
        bar.update(tasks[0], completed=done)

    try:
        with _executor(workers, scheduler) as executor:
            results = api.uncertainty(
                fw,
                data,
                spec,
                pipeline,
                executor=executor,
                batch_size=batch_size,
                threads=threads,
                progress=progress,
                temp_dir=temp_dir,
            )
    except ImportError as exc:
        raise UncertaintyCommandError(
            f"this analysis needs SALib: pip install 'cityeval[uncertainty]' ({exc})"
        ) from None
    finally:
        bar.stop()
    try:
        files = results.write(out_dir, charts=charts)
    except ImportError as exc:
        raise UncertaintyCommandError(
            f"charts need matplotlib: pip install 'cityeval[uncertainty]', or pass --no-charts "
            f"({exc})"
        ) from None

    col = results.column(results.top_id)
    label = fw.node(results.top_id).label.text("en")
    order = sorted(
        range(len(results.units)),
        key=lambda u: (results.rank["median"][u, col], results.nominal_rank[u, col]),
    )
    table = Table(
        "unit", "nominal", "median", "5-95%", title=f"{fw.id}: rank of {label} over the draws"
    )
    for u in order[:top]:
        table.add_row(
            results.units[u],
            f"{results.nominal_rank[u, col]:.0f}",
            f"{results.rank['median'][u, col]:g}",
            f"{results.rank['q05'][u, col]:g}-{results.rank['q95'][u, col]:g}",
        )
    out().print(table)
    if results.sobol is not None:
        sens = Table("factor", "S1", "ST", title="Sobol' indices: mean absolute rank shift")
        for f, name in enumerate(results.factor_names):
            sens.add_row(
                name,
                f"{results.sobol.S1[0, f]:.3f} ± {results.sobol.S1_conf[0, f]:.3f}",
                f"{results.sobol.ST[0, f]:.3f} ± {results.sobol.ST_conf[0, f]:.3f}",
            )
        out().print(sens)
    for note in results.notes:
        out().print(note, markup=False)
    out().print(
        f"{results.n_rows} model runs, {results.n_draws} draws summarised; positivity rule "
        f"applied in {results.rescaled_rows} runs",
        markup=False,
    )
    out().print("wrote " + ", ".join(str(f) for f in files), markup=False)

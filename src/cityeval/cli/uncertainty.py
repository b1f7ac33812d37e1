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
from cityeval.i18n import _

__all__ = ["uncertainty_command"]

#: How long to wait for a Dask scheduler before giving up.
CONNECT_TIMEOUT = "10s"


class UncertaintyCommandError(CityevalError, ValueError):
    """A request the command cannot carry out (a missing extra, an unreachable cluster)."""


@contextmanager
def _executor(workers: int | None, scheduler: str | None) -> Iterator[Executor | None]:
    if workers is not None and scheduler is not None:
        raise UncertaintyCommandError(_("give --workers or --scheduler, not both"))
    if scheduler is not None:
        try:
            from distributed import Client as _Client
        except ImportError:
            raise UncertaintyCommandError(
                _("--scheduler needs Dask: pip install 'cityeval[uncertainty]'")
            ) from None
        client_type: Any = _Client  # distributed has no type hints
        try:
            client = client_type(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise UncertaintyCommandError(
                _("cannot reach the Dask scheduler at {address}: {error}").format(
                    address=scheduler, error=exc
                )
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
        typer.Option(
            "--spec", "-s", help=_("The uncertainty specification (YAML, JSON or TOML).")
        ),
    ],
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help=_("Folder for rank_intervals.csv, sobol.csv, draws.csv, charts.")
        ),
    ],
    pipeline: PipelineOption = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", min=1, help=_("Local worker processes (default: none).")),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help=_("Address of a Dask scheduler, e.g. tcp://host:8786.")),
    ] = None,
    threads: Annotated[
        int | None,
        typer.Option(
            "--threads",
            min=1,
            help=_(
                "Threads of an in-process run (default: one per core; not with --workers "
                "or --scheduler)."
            ),
        ),
    ] = None,
    temp_dir: Annotated[
        Path | None,
        typer.Option(
            "--temp-dir",
            help=_("Folder for the draws' temporary scores (default: the system's, or TMPDIR)."),
        ),
    ] = None,
    batch_size: Annotated[
        int | None,
        typer.Option(
            "--batch-size", "-b", min=1, help=_("Draws per batch (results never change).")
        ),
    ] = None,
    nodes: Annotated[
        str | None,
        typer.Option(
            "--nodes",
            help=_(
                "Aggregates with intervals: 'dimensions' (the index and its dimensions) or "
                "'all' (slower); the specification's 'nodes' by default."
            ),
        ),
    ] = None,
    charts: Annotated[
        bool, typer.Option("--charts/--no-charts", help=_("Write the SVG and PNG charts."))
    ] = True,
    top: Annotated[int, typer.Option("--top", help=_("Units listed in the terminal."))] = 10,
) -> None:
    """Re-run the index over many draws of its choices: rank intervals and Sobol' indices."""
    from rich.table import Table

    from cityeval.io.outputs import OutputSet
    from cityeval.uncertainty import NodeSelection

    local_pool = scheduler is None and (workers or 1) > 1
    if threads is not None and (scheduler is not None or local_pool):
        raise UncertaintyCommandError(
            _("--threads is for in-process runs: give it without --workers or --scheduler")
        )
    selection = None
    if nodes is not None:
        try:
            selection = NodeSelection(nodes)
        except ValueError:
            raise UncertaintyCommandError(
                _("--nodes: expected 'dimensions' or 'all', got {value!r}").format(value=nodes)
            ) from None
    # The output folder is checked before any draw runs; the files land together at the end,
    # and a run that fails leaves the folder as it was.
    inputs = [p for p in (data, spec, pipeline, Path(framework)) if p is not None]
    output = OutputSet(out_dir, protect=inputs)
    with output:
        output.path("rank_intervals.csv")  # stages the folder: can it be written?
        results, prepared, fw, draws_text = _analyse(
            framework,
            data,
            pipeline,
            spec,
            selection,
            workers=workers,
            scheduler=scheduler,
            threads=threads,
            temp_dir=temp_dir,
            batch_size=batch_size,
            local_pool=local_pool,
        )
        try:
            results.write_into(output, charts=charts, draws_text=draws_text)
        except ImportError as exc:  # only the PNG charts import a library here
            raise UncertaintyCommandError(
                _(
                    "the PNG charts need resvg-py: pip install 'cityeval[uncertainty]', or "
                    "pass --no-charts ({error})"
                ).format(error=exc)
            ) from None
    files = [output.folder / name for name in output.names]

    col = results.column(results.top_id)
    from cityeval.i18n import current_language

    label = prepared.compiled.labels[results.top_id].text(current_language())
    order = sorted(
        range(len(results.units)),
        key=lambda u: (results.rank["median"][u, col], results.nominal_rank[u, col]),
    )
    table = Table(
        _("unit"),
        _("nominal"),
        _("median"),
        "5-95%",
        title=_("{framework}: rank of {label} over the draws").format(
            framework=escape(fw.id), label=escape(label)
        ),
    )
    for u in order[:top]:
        table.add_row(
            escape(results.units[u]),
            f"{results.nominal_rank[u, col]:.0f}",
            f"{results.rank['median'][u, col]:g}",
            f"{results.rank['q05'][u, col]:g}-{results.rank['q95'][u, col]:g}",
        )
    out().print(table)
    if results.sobol is not None:
        sens = Table(_("factor"), "S1", "ST", title=_("Sobol' indices: mean absolute rank shift"))
        for f, name in enumerate(results.factor_names):
            sens.add_row(
                escape(name),
                f"{results.sobol.S1[0, f]:.3f} ± {results.sobol.S1_conf[0, f]:.3f}",
                f"{results.sobol.ST[0, f]:.3f} ± {results.sobol.ST_conf[0, f]:.3f}",
            )
        out().print(sens)
    for note in results.notes:
        out().print(note, markup=False)
    out().print(
        _(
            "{runs} model runs, {draws} draws summarised; positivity rule applied in "
            "{rescaled} runs"
        ).format(runs=results.n_rows, draws=results.n_draws, rescaled=results.rescaled_rows),
        markup=False,
    )
    out().print(_("wrote {files}").format(files=", ".join(str(f) for f in files)), markup=False)


def _analyse(
    framework: str,
    data: Path,
    pipeline: Path | None,
    spec: Path,
    selection: Any,
    *,
    workers: int | None,
    scheduler: str | None,
    threads: int | None,
    temp_dir: Path | None,
    batch_size: int | None,
    local_pool: bool,
) -> tuple[Any, Any, Any, str]:
    """Load the inputs, prepare and run the analysis with a progress bar; meanwhile a thread
    formats ``draws.csv`` (it depends on the sample only): Python work that holds the
    interpreter lock numpy's array operations release."""
    from concurrent.futures import ThreadPoolExecutor

    from attrs import evolve
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from cityeval import api
    from cityeval.uncertainty import load_spec, prepare, run_analysis
    from cityeval.uncertainty.results import draws_csv
    from cityeval.uncertainty.space import check_temporary_space

    fw = api.resolve_framework(framework)
    dataset = api.load_data(data, fw)
    pipe, pipe_source = api.resolve_pipeline(pipeline)
    uspec = load_spec(spec)
    if selection is not None:
        uspec = evolve(uspec, nodes=selection)
    try:
        prepared = prepare(
            fw,
            dataset,
            pipe,
            uspec,
            source=spec.name,
            pipeline_source=pipe_source,
        )
    except ImportError as exc:
        raise UncertaintyCommandError(
            _(
                "method {method!r} needs SALib: pip install 'cityeval[uncertainty]' ({error})"
            ).format(method=uspec.method.value, error=exc)
        ) from None
    spool_dir = None if temp_dir is None else str(temp_dir)
    check_temporary_space(prepared, spool_dir, threads, local_pool=local_pool)
    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="cityeval-draws-csv") as writer,
        _executor(workers, scheduler) as executor,
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err(),
            transient=False,
        ) as bar,
    ):
        task = bar.add_task(_("draws"), total=prepared.n_rows)
        draws_text = writer.submit(draws_csv, prepared.plan, prepared.sample)
        results = run_analysis(
            prepared,
            executor=executor,
            batch_size=batch_size,
            threads=threads,
            progress=lambda done, total: bar.update(task, completed=done),
            temp_dir=spool_dir,
        )
        text = draws_text.result()
    return results, prepared, fw, text


def escape(text: str) -> str:
    """Text for a rich table cell: markup and control characters shown, not interpreted."""
    from rich.markup import escape as markup_escape

    shown = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return markup_escape(shown)

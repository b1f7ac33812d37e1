"""``cityeval compare``: rank several regencies' results for one framework.

Three inputs: ``scorecard.json`` files from ``cityeval evaluate``, one data file with a unit
per regency (``--framework``/``--data`` as for ``score``, with ``--uncertainty`` for rank
intervals), or a scores file of published results (``--scores``).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cityeval.cli.console import out, print_written
from cityeval.cli.inputs import OptionalFrameworkOption, OutputLangOption, PipelineOption
from cityeval.errors import InputError, Problem
from cityeval.i18n import _

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from cityeval.compare import ScoreTable
    from cityeval.model import Lang

__all__ = ["compare_command", "read_groups"]


def read_groups(path: Path, units: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """A groups CSV: a ``unit`` column, then one column per grouping (``province``, ...).

    Raises
    ------
    InputError
        Naming the row and column of every problem (unknown units, repeated units).
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(
            path.name, [Problem((), _("cannot read: {why}").format(why=exc.strerror))]
        ) from None
    rows = list(csv.reader(text.splitlines()))
    if not rows or not rows[0] or rows[0][0].strip() != "unit":
        raise InputError(path.name, [Problem(("row 1",), _("the first column must be 'unit'"))])
    header = [h.strip() for h in rows[0]]
    problems: list[Problem] = []
    out_: dict[str, dict[str, str]] = {h: {} for h in header[1:]}
    seen: set[str] = set()
    for r, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        unit = row[0].strip()
        if unit not in units:
            problems.append(
                Problem(
                    (f"row {r}", "column 'unit'"),
                    _("{unit!r} is not a unit of the data").format(unit=unit),
                )
            )
        if unit in seen:
            problems.append(
                Problem(
                    (f"row {r}", "column 'unit'"), _("{unit!r} is given twice").format(unit=unit)
                )
            )
        seen.add(unit)
        if len(row) != len(header):
            problems.append(
                Problem(
                    (f"row {r}",),
                    _("{n} cells, the header has {m}").format(n=len(row), m=len(header)),
                )
            )
            continue
        for column, cell in zip(header[1:], row[1:], strict=True):
            out_[column][unit] = cell.strip()
    if problems:
        raise InputError(path.name, problems)
    return out_


def _intervals(
    framework: object,
    dataset: object,
    pipeline: object,
    spec_path: Path,
    node_ids: tuple[str, ...],
) -> dict[str, npt.NDArray[np.float64]]:
    import numpy as np

    from cityeval.uncertainty import analyse, load_spec

    spec = load_spec(spec_path)
    res = analyse(framework, dataset, pipeline, spec, source=spec_path.name)  # type: ignore[arg-type]
    cols = [res.column(n) for n in node_ids]
    return {
        "low": np.asarray(res.rank["q05"])[:, cols],
        "high": np.asarray(res.rank["q95"])[:, cols],
    }


def compare_command(
    scorecards: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[SCORECARD.json]...",
            help=_("scorecard.json files of one framework, written by `cityeval evaluate`."),
        ),
    ] = None,
    scores: Annotated[
        Path | None,
        typer.Option(
            "--scores", help=_("A scores file of published results (YAML, JSON or TOML).")
        ),
    ] = None,
    framework: OptionalFrameworkOption = None,
    data: Annotated[
        Path | None,
        typer.Option("--data", "-d", help=_("One data CSV with a unit per regency.")),
    ] = None,
    pipeline: PipelineOption = None,
    uncertainty: Annotated[
        Path | None,
        typer.Option(
            "--uncertainty", help=_("An uncertainty specification: rank intervals (with --data).")
        ),
    ] = None,
    groups_file: Annotated[
        Path | None,
        typer.Option(
            "--groups",
            help=_("A CSV of group columns per unit (with --data): unit, province, ..."),
        ),
    ] = None,
    group: Annotated[
        str | None,
        typer.Option(
            "--group", "-g", help=_("Rank and describe leaders within this group column.")
        ),
    ] = None,
    leaders: Annotated[
        int,
        typer.Option(
            "--leaders", min=1, help=_("How many leaders to describe per node and group.")
        ),
    ] = 1,
    parts: Annotated[
        int, typer.Option("--parts", min=1, help=_("How many parts to name per leader."))
    ] = 3,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help=_("Folder for comparison.csv, leaders.csv, .json, .xlsx and .html."),
        ),
    ] = None,
    lang: OutputLangOption = None,
) -> None:
    """Rank regencies overall and per dimension, by group, and say what sets the leaders apart."""
    from cityeval.cli.inputs import use_language
    from cityeval.compare import compare, from_results, from_scorecards, load_scores
    from cityeval.compare.render import print_comparison, write_comparison

    code: Lang = use_language(lang)
    given = [bool(scorecards), scores is not None, data is not None]
    if sum(given) != 1:
        raise InputError(
            "compare",
            [Problem((), _("give scorecard files, or --scores FILE, or --framework and --data"))],
        )
    if (uncertainty is not None or groups_file is not None) and data is None:
        raise InputError(
            "--uncertainty" if uncertainty is not None else "--groups",
            [Problem((), _("rank intervals and group files need --framework and --data"))],
        )
    protect: list[Path] = []
    table: ScoreTable
    if scorecards:
        table = from_scorecards(list(scorecards))
        protect = list(scorecards)
    elif scores is not None:
        table = load_scores(scores)
        protect = [scores]
    else:
        if framework is None:
            raise InputError("--data", [Problem((), _("--data needs --framework"))])
        assert data is not None
        from cityeval.cli.inputs import score_inputs

        fw, dataset, pipe, results = score_inputs(framework, data, pipeline)
        groups = None if groups_file is None else read_groups(groups_file, results.units)
        table = from_results(results, groups=groups, lang=code)
        if uncertainty is not None:
            from attrs import evolve

            table = evolve(
                table, rank_intervals=_intervals(fw, dataset, pipe, uncertainty, table.node_ids)
            )
        protect = [p for p in (data, pipeline, uncertainty, groups_file) if p is not None]
    result = compare(table, group_by=group, leaders=leaders, parts=parts)
    print_comparison(result, out(), code)
    if out_dir is not None:
        written = write_comparison(result, out_dir, code, protect=protect)
        print_written(written)

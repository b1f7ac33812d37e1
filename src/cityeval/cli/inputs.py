"""The options every scoring command shares, and loading what they name."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from cityeval.data import Dataset
    from cityeval.model import Framework, Pipeline

__all__ = ["DataOption", "FrameworkOption", "PipelineOption", "load_inputs", "pipeline_source"]

FrameworkOption = Annotated[
    str,
    typer.Option("--framework", "-f", help="A registered framework id or a framework file."),
]
DataOption = Annotated[
    Path,
    typer.Option("--data", "-d", help="The data CSV (columns: unit, [time], indicators...)."),
]
PipelineOption = Annotated[
    Path | None,
    typer.Option("--pipeline", "-p", help="A pipeline file; the framework's own by default."),
]


def pipeline_source(pipeline: Path | None) -> str:
    """How error messages name the pipeline: its file name, or ``pipeline``."""
    return pipeline.name if pipeline is not None else "pipeline"


def load_inputs(
    framework: str, data: Path, pipeline: Path | None
) -> tuple[Framework, Dataset, Pipeline | None]:
    """The framework (id or file), the data checked against it, and the pipeline file if any."""
    from cityeval import get_framework
    from cityeval.data import read_csv
    from cityeval.io.pipelines import load_pipeline

    fw = get_framework(framework)
    dataset = read_csv(data, fw)
    return fw, dataset, load_pipeline(pipeline) if pipeline is not None else None

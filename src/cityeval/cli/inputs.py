"""The options every scoring command shares, and loading what they name."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cityeval.cli.frameworks import Language
from cityeval.i18n import _

if TYPE_CHECKING:
    from cityeval.data import Dataset
    from cityeval.engine.results import Results
    from cityeval.model import Framework, Lang, Pipeline

__all__ = [
    "DataOption",
    "FrameworkOption",
    "OptionalFrameworkOption",
    "OutputLangOption",
    "PipelineOption",
    "score_inputs",
    "use_language",
]

_FRAMEWORK = typer.Option(
    "--framework", "-f", help=_("A registered framework id or a framework file.")
)
FrameworkOption = Annotated[str, _FRAMEWORK]
#: ``--framework`` for a command that can also work without one (``compare``, ``explain``).
OptionalFrameworkOption = Annotated[str | None, _FRAMEWORK]
DataOption = Annotated[
    Path,
    typer.Option("--data", "-d", help=_("The data CSV (columns: unit, [time], indicators...).")),
]
PipelineOption = Annotated[
    Path | None,
    typer.Option("--pipeline", "-p", help=_("A pipeline file; the framework's own by default.")),
]
#: ``--lang``: the language of what a command prints and writes.
OutputLangOption = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        help=_(
            "Language of the output: id (Indonesian) or en; "
            "by default the command line's language."
        ),
    ),
]


def score_inputs(
    framework: str, data: Path, pipeline: Path | None
) -> tuple[Framework, Dataset, Pipeline | None, Results]:
    """The framework (id or file), the data checked against it, the pipeline file if any, and
    their results: the resolution of :mod:`cityeval.api`, keeping the pieces a command reuses."""
    from cityeval import api
    from cityeval.engine import score

    fw = api.resolve_framework(framework)
    dataset = api.load_data(data, fw)
    pipe, source = api.resolve_pipeline(pipeline)
    return fw, dataset, pipe, score(fw, dataset, pipe, source=source)


def use_language(lang: Enum | None) -> Lang:
    """The language of a command's output: its ``--lang`` when given (then also its messages'
    language for this run), else the command line's."""
    from cityeval.i18n import current_language, set_language

    if lang is not None:
        set_language(str(lang.value))
    return current_language()

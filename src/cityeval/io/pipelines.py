"""Loading and saving pipelines in YAML, JSON and TOML."""

from __future__ import annotations

import os
from typing import Any

from cityeval.io.converter import structure
from cityeval.io.documents import Format
from cityeval.io.model_files import dumps_model, load_model, loads_model, save_model
from cityeval.model import Pipeline

__all__ = [
    "dumps_pipeline",
    "load_pipeline",
    "loads_pipeline",
    "pipeline_from_dict",
    "save_pipeline",
]


def pipeline_from_dict(data: Any, source: str = "") -> Pipeline:
    """Build a :class:`Pipeline` from plain data; problems read ``source: path: problem``."""
    return structure(data, Pipeline, source)


def load_pipeline(path: str | os.PathLike[str]) -> Pipeline:
    """Read a pipeline from a ``.yaml``, ``.yml``, ``.json`` or ``.toml`` file."""
    return load_model(Pipeline, path)


def loads_pipeline(text: str, fmt: Format = "yaml", source: str = "<string>") -> Pipeline:
    """Read a pipeline from text."""
    return loads_model(Pipeline, text, fmt, source)


def dumps_pipeline(pipeline: Pipeline, fmt: Format = "yaml") -> str:
    """The pipeline as text."""
    return dumps_model(pipeline, fmt)


def save_pipeline(pipeline: Pipeline, path: str | os.PathLike[str]) -> None:
    """Write the pipeline to ``path`` (format from the suffix), atomically."""
    save_model(pipeline, path)

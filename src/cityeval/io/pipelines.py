"""Loading and saving pipelines in YAML, JSON and TOML."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from cityeval.io.converter import structure, unstructure
from cityeval.io.documents import (
    Format,
    dump_text,
    format_of,
    load_text,
    read_document,
    write_atomic,
)
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
    return pipeline_from_dict(read_document(path), Path(path).name)


def loads_pipeline(text: str, fmt: Format = "yaml", source: str = "<string>") -> Pipeline:
    """Read a pipeline from text."""
    return pipeline_from_dict(load_text(text, fmt, source), source)


def dumps_pipeline(pipeline: Pipeline, fmt: Format = "yaml") -> str:
    """The pipeline as text."""
    return dump_text(unstructure(pipeline), fmt)


def save_pipeline(pipeline: Pipeline, path: str | os.PathLike[str]) -> None:
    """Write the pipeline to ``path`` (format from the suffix), atomically."""
    write_atomic(path, dumps_pipeline(pipeline, format_of(path)))

"""One way to read and write any model class as a YAML, JSON or TOML file.

Frameworks, pipelines and crosswalks share it; their modules only name the class.
"""

from __future__ import annotations

import os
from contextlib import ExitStack
from importlib.resources import as_file
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from cityeval.io.converter import structure, unstructure
from cityeval.io.documents import (
    Format,
    dump_text,
    format_of,
    load_text,
    read_document,
    write_atomic,
)

__all__ = ["dumps_model", "load_model", "loads_model", "save_model", "to_plain"]

T = TypeVar("T")
PathLike = str | os.PathLike[str]


def load_model(cl: type[T], path: PathLike | Traversable) -> T:
    """Read a ``cl`` from a file; ``path`` may be an ``importlib.resources`` file.

    Raises
    ------
    InputError
        Naming the file, the field path and the problem, for every problem.
    """
    with ExitStack() as stack:
        p = path if isinstance(path, str | os.PathLike) else stack.enter_context(as_file(path))
        return structure(read_document(p), cl, Path(p).name)


def loads_model(cl: type[T], text: str, fmt: Format = "yaml", source: str = "<string>") -> T:
    """Read a ``cl`` from text in the given format."""
    return structure(load_text(text, fmt, source), cl, source)


def to_plain(obj: Any) -> dict[str, Any]:
    """A model object as plain data in its file format (defaults omitted)."""
    data: dict[str, Any] = unstructure(obj)
    return data


def dumps_model(obj: Any, fmt: Format = "yaml") -> str:
    """A model object as YAML, JSON or TOML text."""
    return dump_text(to_plain(obj), fmt)


def save_model(obj: Any, path: PathLike) -> None:
    """Write a model object to ``path`` (format from the suffix), atomically."""
    write_atomic(path, dumps_model(obj, format_of(path)))

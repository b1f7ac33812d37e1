"""Reading and writing crosswalk files (YAML, JSON, TOML) through the shared converter."""

from __future__ import annotations

import os
from contextlib import ExitStack
from importlib.resources import as_file
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from cityeval.crosswalk.model import Crosswalk
from cityeval.io.converter import structure, unstructure
from cityeval.io.documents import (
    Format,
    dump_text,
    format_of,
    load_text,
    read_document,
    write_atomic,
)

__all__ = [
    "crosswalk_from_dict",
    "crosswalk_to_dict",
    "dumps_crosswalk",
    "load_crosswalk",
    "loads_crosswalk",
    "save_crosswalk",
]


def crosswalk_from_dict(data: Any, source: str = "") -> Crosswalk:
    """Build a :class:`Crosswalk` from plain data; problems read ``source: path: problem``."""
    return structure(data, Crosswalk, source)


def crosswalk_to_dict(crosswalk: Crosswalk) -> dict[str, Any]:
    """The crosswalk as plain data in the file format (defaults omitted)."""
    data: dict[str, Any] = unstructure(crosswalk)
    return data


def load_crosswalk(path: str | os.PathLike[str] | Traversable) -> Crosswalk:
    """Read a crosswalk from a ``.yaml``, ``.yml``, ``.json`` or ``.toml`` file.

    ``path`` may also be an ``importlib.resources`` file shipped inside a package.
    """
    with ExitStack() as stack:
        p = path if isinstance(path, str | os.PathLike) else stack.enter_context(as_file(path))
        return crosswalk_from_dict(read_document(p), Path(p).name)


def loads_crosswalk(text: str, fmt: Format = "yaml", source: str = "<string>") -> Crosswalk:
    """Read a crosswalk from text in the given format."""
    return crosswalk_from_dict(load_text(text, fmt, source), source)


def dumps_crosswalk(crosswalk: Crosswalk, fmt: Format = "yaml") -> str:
    """The crosswalk as YAML, JSON or TOML text."""
    return dump_text(crosswalk_to_dict(crosswalk), fmt)


def save_crosswalk(crosswalk: Crosswalk, path: str | os.PathLike[str]) -> None:
    """Write the crosswalk to ``path`` (format from the suffix), atomically."""
    write_atomic(path, dumps_crosswalk(crosswalk, format_of(path)))

"""Reading and writing crosswalk files (YAML, JSON, TOML) through the shared converter."""

from __future__ import annotations

import os
from importlib.resources.abc import Traversable
from typing import Any

from cityeval.crosswalk.model import Crosswalk
from cityeval.io.converter import structure
from cityeval.io.documents import Format
from cityeval.io.model_files import dumps_model, load_model, loads_model, save_model, to_plain

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
    return to_plain(crosswalk)


def load_crosswalk(path: str | os.PathLike[str] | Traversable) -> Crosswalk:
    """Read a crosswalk from a ``.yaml``, ``.yml``, ``.json`` or ``.toml`` file.

    ``path`` may also be an ``importlib.resources`` file shipped inside a package.
    """
    return load_model(Crosswalk, path)


def loads_crosswalk(text: str, fmt: Format = "yaml", source: str = "<string>") -> Crosswalk:
    """Read a crosswalk from text in the given format."""
    return loads_model(Crosswalk, text, fmt, source)


def dumps_crosswalk(crosswalk: Crosswalk, fmt: Format = "yaml") -> str:
    """The crosswalk as YAML, JSON or TOML text."""
    return dumps_model(crosswalk, fmt)


def save_crosswalk(crosswalk: Crosswalk, path: str | os.PathLike[str]) -> None:
    """Write the crosswalk to ``path`` (format from the suffix), atomically."""
    save_model(crosswalk, path)

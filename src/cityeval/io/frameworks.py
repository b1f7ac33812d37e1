"""Loading and saving frameworks in YAML, JSON and TOML."""

from __future__ import annotations

import os
from typing import Any

from cityeval.io.converter import structure
from cityeval.io.documents import Format
from cityeval.io.model_files import dumps_model, load_model, loads_model, save_model, to_plain
from cityeval.model import Framework

__all__ = [
    "dumps_framework",
    "framework_from_dict",
    "framework_to_dict",
    "load_framework",
    "loads_framework",
    "save_framework",
]


def framework_from_dict(data: Any, source: str = "") -> Framework:
    """Build a :class:`Framework` from plain data in the file format.

    Raises
    ------
    InputError
        Listing every problem as ``source: field.path: problem``.
    """
    return structure(data, Framework, source)


def framework_to_dict(framework: Framework) -> dict[str, Any]:
    """The framework as plain data in the file format (defaults omitted)."""
    return to_plain(framework)


def load_framework(path: str | os.PathLike[str]) -> Framework:
    """Read a framework from a ``.yaml``, ``.yml``, ``.json`` or ``.toml`` file."""
    return load_model(Framework, path)


def loads_framework(text: str, fmt: Format = "yaml", source: str = "<string>") -> Framework:
    """Read a framework from text in the given format."""
    return loads_model(Framework, text, fmt, source)


def dumps_framework(framework: Framework, fmt: Format = "yaml") -> str:
    """The framework as YAML, JSON or TOML text."""
    return dumps_model(framework, fmt)


def save_framework(framework: Framework, path: str | os.PathLike[str]) -> None:
    """Write the framework to ``path`` (format from the suffix), atomically."""
    save_model(framework, path)

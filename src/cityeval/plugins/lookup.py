"""Frameworks by id or file: the lookups behind :func:`cityeval.get_framework`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cityeval.model import Framework
    from cityeval.plugins.manager import PluginHost

__all__ = ["FILE_SUFFIXES", "get_framework", "list_frameworks", "looks_like_file"]

#: Suffixes of the document formats (``cityeval.io.documents.FORMATS``; a test keeps the two
#: equal). Written out so that a lookup by id imports no file reader.
FILE_SUFFIXES = frozenset({".yaml", ".yml", ".json", ".toml"})


def looks_like_file(ref: str | os.PathLike[str]) -> bool:
    """Whether ``ref`` names a file: a path object, a name with a file suffix, or a file."""
    path = Path(ref)
    if not isinstance(ref, str) or path.suffix.lower() in FILE_SUFFIXES:
        return True
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for a path, or with a NUL: an id
        return False


def list_frameworks(host: PluginHost | None = None) -> list[Framework]:
    """Every registered framework, sorted by id (each file is read now, once per process)."""
    from cityeval.plugins.manager import get_host

    return [entry.framework for entry in (host or get_host()).frameworks.entries()]


def get_framework(id_or_path: str | os.PathLike[str], host: PluginHost | None = None) -> Framework:
    """A registered framework by id, or a framework read from a file.

    A string that names an existing file, or ends in ``.yaml``, ``.yml``, ``.json`` or
    ``.toml``, is read as a file; anything else is looked up among registered frameworks.
    A registered framework's file is read on first use, once per process, from any thread.

    Raises
    ------
    NotFoundError
        If no framework of that id is registered.
    InputError
        If the file cannot be read or is not a valid framework.
    """
    from cityeval.plugins.manager import get_host

    if looks_like_file(id_or_path):
        from cityeval.io.frameworks import load_framework

        return load_framework(Path(id_or_path))
    return (host or get_host()).frameworks.get(str(id_or_path)).framework

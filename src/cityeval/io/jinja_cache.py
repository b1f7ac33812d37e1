"""Jinja's bytecode cache for cityeval's templates: compiled once a user, not once a run.

Compiling the report's 18 templates took about a tenth of a second on every run of
``cityeval evaluate``. The environments that render them (:mod:`cityeval.report.templating`,
:mod:`cityeval.explain.views`) are built once per process, and their templates' compiled code
is kept across processes in Jinja's bytecode cache, in the user's cache folder
(``$CITYEVAL_CACHE_DIR/jinja``, else ``$XDG_CACHE_HOME/cityeval/jinja`` or
``~/.cache/cityeval/jinja``; ``%LOCALAPPDATA%\\cityeval\\cache\\jinja`` on Windows). The cache is
stale-safe: an entry is keyed by the template's name and file and holds the checksum of the
source it was compiled from, and Jinja compiles the template again when the source differs
(or the Python version does).

The cache is an optimisation only: a folder that cannot be made or written, or an entry that
cannot be read, means the templates are compiled as before; the page is the same either way.
``CITYEVAL_CACHE_DIR=""`` (empty) switches the cache off. jinja2 is imported by
:func:`bytecode_cache`, not by importing this module.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

__all__ = ["bytecode_cache", "cache_folder"]


def cache_folder() -> Path | None:
    """The folder for the templates' compiled code, or None when caching is switched off."""
    explicit = os.environ.get("CITYEVAL_CACHE_DIR")
    if explicit is not None:
        return Path(explicit) / "jinja" if explicit else None
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA")
        root = Path(base) / "cityeval" / "cache" if base else None
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        root = Path(xdg) / "cityeval" if xdg else Path.home() / ".cache" / "cityeval"
    return None if root is None else root / "jinja"


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja's file-system bytecode cache in :func:`cache_folder`, if it can be used safely."""
    import jinja2

    folder = cache_folder()
    if folder is None:
        return None
    try:
        folder.mkdir(mode=stat.S_IRWXU, parents=True, exist_ok=True)
        info = folder.lstat()
        # Only a real folder of this user (the cache holds code that will be run).
        if not stat.S_ISDIR(info.st_mode):
            return None
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return None
    except (OSError, RuntimeError):  # no home folder, read-only disk...
        return None

    class _QuietCache(jinja2.FileSystemBytecodeCache):
        """Never fails a render: an unreadable entry is compiled again, an unwritable one
        is left out."""

        def load_bytecode(self, bucket: Any) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a damaged entry: compile as if there were none
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            # A full disk or a read-only folder: no cache this time.
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    return _QuietCache(str(folder), "cityeval-%s.cache")

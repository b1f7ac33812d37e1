"""The Jinja environments of the report's templates, built once a process, compiled once a user.

Compiling the report's 18 templates took about a tenth of a second on every run of
``cityeval evaluate``. Two things avoid it:

- each environment is built once per process (:func:`functools.cache`), so its templates are
  compiled at most once per process (a second report in the same process reuses them);
- their compiled code is kept across processes in Jinja's bytecode cache, in the user's cache
  folder (``$CITYEVAL_CACHE_DIR``, else ``$XDG_CACHE_HOME/cityeval`` or ``~/.cache/cityeval``;
  ``%LOCALAPPDATA%\\cityeval\\cache`` on Windows). The cache is stale-safe: an entry is keyed by
  the template's name and file and holds the checksum of the source it was compiled from, and
  Jinja compiles the template again when the source differs (or the Python version does).

The cache is an optimisation only: a folder that cannot be made or written, or an entry that
cannot be read, means the templates are compiled as before; the page is the same either way.
``CITYEVAL_CACHE_DIR=""`` (empty) switches the cache off. jinja2 is imported by the functions
here, not by importing this module.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

__all__ = ["cache_folder", "page_environment", "partial_environment"]

#: The package whose ``templates`` folder holds the report's templates.
PACKAGE = "cityeval.report"


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


def _bytecode_cache() -> jinja2.BytecodeCache | None:
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


@functools.cache
def page_environment() -> jinja2.Environment:
    """The environment of the report page (``report.html.j2`` and its partials)."""
    import jinja2

    from cityeval.report.css import css_string

    env = jinja2.Environment(
        # The page is made of partials (styles/, sections/) next to the main template.
        loader=jinja2.PackageLoader(PACKAGE, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
        auto_reload=True,
    )
    env.filters["css_string"] = css_string
    return env


@functools.cache
def partial_environment() -> jinja2.Environment:
    """The environment of the explanation's sections (``_why_changed.html``): Jinja's
    default whitespace handling, autoescaped."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader(PACKAGE, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_bytecode_cache(),
        auto_reload=True,
    )

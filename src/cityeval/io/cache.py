"""The user's cache of cityeval: work a run would repeat, done once and kept, stale-safe.

Two things are kept in the user's cache folder (``$CITYEVAL_CACHE_DIR``, else
``$XDG_CACHE_HOME/cityeval`` or ``~/.cache/cityeval``; ``%LOCALAPPDATA%\\cityeval\\cache`` on
Windows), each in its own subfolder:

- ``jinja/``: the compiled code of the report's Jinja templates (:func:`bytecode_cache`).
  Compiling the report's 18 templates took about a tenth of a second on every run of
  ``cityeval evaluate``. An entry is keyed by the template's name and file and holds the
  checksum of the source it was compiled from: Jinja compiles the template again when the
  source differs (or the Python version does).
- ``documents/``: YAML and TOML documents already parsed and checked
  (:func:`cached_document`, :func:`keep_document`). Parsing a 50 KB framework file takes
  about 30 ms even with libyaml (building the Python objects is pure Python); reading the
  kept result takes about 1 ms. An entry is named by a SHA-256 digest of the text itself,
  its format, cityeval's version and reading code, the parser and the input limits, so a
  file that changes in any way is parsed again; an entry holds only plain data (mappings,
  lists, strings, numbers, dates), pickled.

The cache is an optimisation only: a folder that cannot be made or written, or an entry that
cannot be read, means the work is done as before; the results are the same either way.
Entries are kept in a folder only this user can write (mode 0700, owned by the user), since
they are loaded as code (Jinja) or unpickled (documents); delete the folder at any time.
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

__all__ = ["bytecode_cache", "cache_folder", "cached_document", "keep_document"]


def cache_folder() -> Path | None:
    """The user's cache folder of cityeval, or None when caching is switched off."""
    explicit = os.environ.get("CITYEVAL_CACHE_DIR")
    if explicit is not None:
        return Path(explicit) if explicit else None
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "cityeval" / "cache" if base else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    try:
        return Path(xdg) / "cityeval" if xdg else Path.home() / ".cache" / "cityeval"
    except RuntimeError:  # no home folder
        return None


def _private_folder(kind: str) -> Path | None:
    """``kind``'s subfolder of :func:`cache_folder`, made if need be; None if it cannot be
    used safely (not a folder of this user, or not to be made)."""
    root = cache_folder()
    if root is None:
        return None
    folder = root / kind
    try:
        folder.mkdir(mode=stat.S_IRWXU, parents=True, exist_ok=True)
        info = folder.lstat()
        # Only a real folder of this user (what it holds is run or unpickled).
        if not stat.S_ISDIR(info.st_mode):
            return None
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return None
        if os.name != "nt" and info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return None
    except (OSError, RuntimeError, ValueError):  # a read-only disk, a bad path...
        return None
    return folder


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja's file-system bytecode cache in :func:`cache_folder`, if it can be used safely."""
    import jinja2

    folder = _private_folder("jinja")
    if folder is None:
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


# -- parsed documents ----------------------------------------------------------------------

#: Texts shorter than this are parsed every time (parsing them costs about what reading an
#: entry does).
MIN_DOCUMENT_CHARS = 1024


def _document_key(text: str, fmt: str, salt: str) -> str:
    """The entry's name: a digest of everything the parsed result depends on."""
    import hashlib

    from cityeval._version import __version__

    digest = hashlib.sha256()
    for part in (__version__, fmt, salt):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def cached_document(text: str, fmt: str, salt: str) -> tuple[bool, Any]:
    """``(True, data)`` if ``text`` was parsed and checked before (:func:`keep_document`),
    else ``(False, None)``.

    ``salt`` names what else the result depends on (the parser's version, the limits).
    """
    if len(text) < MIN_DOCUMENT_CHARS:
        return False, None
    folder = _private_folder("documents")
    if folder is None:
        return False, None
    import pickle

    try:
        raw = (folder / _document_key(text, fmt, salt)).read_bytes()
        return True, pickle.loads(raw)
    except FileNotFoundError:
        return False, None
    except Exception:  # a damaged entry: parse as if there were none
        return False, None


def keep_document(text: str, fmt: str, salt: str, data: Any) -> None:
    """Keep ``data``, parsed from ``text`` and checked, for :func:`cached_document`."""
    if len(text) < MIN_DOCUMENT_CHARS:
        return
    folder = _private_folder("documents")
    if folder is None:
        return
    import pickle
    import tempfile

    name = folder / _document_key(text, fmt, salt)
    try:
        raw = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        fd, temp = tempfile.mkstemp(dir=folder, prefix=name.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(raw)
            os.replace(temp, name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.remove(temp)
            raise
    except (OSError, pickle.PicklingError, RecursionError, TypeError, ValueError):
        pass  # a full disk, a read-only folder: no entry this time

"""Shared terminal output: one console for results, one for messages; safe terminal text.

rich is imported when a console is first needed, not when the command line starts.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import TYPE_CHECKING

from cityeval.i18n import _

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from rich.console import Console

__all__ = ["err", "out", "print_written", "safe", "write_text"]


@cache
def out() -> Console:
    """Where results go (standard output)."""
    from rich.console import Console

    return Console(highlight=False)


@cache
def err() -> Console:
    """Where messages and errors go (standard error)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape_char(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str) -> str:
    """``text`` with control characters shown escaped (``\\x1b``, ``\\n``, ``\\u202e``).

    Terminal escape sequences, carriage returns, the invisible or direction-changing format
    characters of Unicode and unassigned code points (categories ``C*``), and line or
    paragraph separators in a label would otherwise act on the terminal; here they are shown
    as text. Use it for every label read from a file.
    """
    if text.isprintable():
        return text
    return "".join(
        _escape_char(c) if unicodedata.category(c)[0] == "C" or c in "\u2028\u2029" else c
        for c in text
    )


def write_text(text: str) -> None:
    """Write machine-readable text (JSON, YAML) to standard output exactly as given.

    Rich would wrap long lines at the terminal width and break the document.
    """
    import sys

    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def print_written(files: Iterable[Path]) -> None:
    """Say on standard output which files a command wrote: ``wrote a.csv, b.json``."""
    out().print(_("wrote {files}").format(files=", ".join(map(str, files))), markup=False)

"""Shared terminal output: one console for results, one for messages."""

from __future__ import annotations

from functools import cache

from rich.console import Console

__all__ = ["err", "out", "write_text"]


@cache
def out() -> Console:
    """Where results go (standard output)."""
    return Console(highlight=False)


@cache
def err() -> Console:
    """Where messages and errors go (standard error)."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def write_text(text: str) -> None:
    """Write machine-readable text (JSON, YAML) to standard output exactly as given.

    Rich would wrap long lines at the terminal width and break the document.
    """
    import sys

    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()

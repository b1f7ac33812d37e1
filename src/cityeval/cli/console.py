"""Shared terminal output: one console for results, one for messages."""

from __future__ import annotations

from functools import cache

from rich.console import Console

__all__ = ["err", "out"]


@cache
def out() -> Console:
    """Where results go (standard output)."""
    return Console(highlight=False)


@cache
def err() -> Console:
    """Where messages and errors go (standard error)."""
    return Console(stderr=True, highlight=False, soft_wrap=True)

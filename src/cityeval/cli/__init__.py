"""The ``cityeval`` command line: a thin layer over the public API (typer and rich)."""

from __future__ import annotations

import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the command line; a user's mistake prints one message and returns status 2.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        The exit status (also passed to ``sys.exit`` when run as a program).
    """
    from cityeval.cli.app import run

    status = run(sys.argv[1:] if argv is None else argv)
    if argv is None:
        sys.exit(status)
    return status

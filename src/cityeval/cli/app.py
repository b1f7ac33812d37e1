"""The root command, its global options, and the error boundary of the command line.

Start-up is kept light: :func:`run` reads the global options ``--lang`` and ``--version``
from ``argv`` before anything else, so the language is set before any help text is built
and ``cityeval --version`` answers without importing typer or loading a plugin. Every
command, cityeval's own as well as a plugin's, comes from the plugin host's command
registry.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from cityeval._version import __version__
from cityeval.i18n import _

if TYPE_CHECKING:
    import typer

__all__ = ["USER_ERROR", "build_app", "command_asked", "prescan", "run"]

USER_ERROR = 2


def prescan(argv: list[str]) -> tuple[str | None, bool]:
    """The global ``--lang`` value and whether ``--version`` is asked for.

    Only the options before the command name are global (``cityeval --lang id frameworks
    show gerakan100 --lang en`` asks for Indonesian messages and English labels).

    Parameters
    ----------
    argv : list of str
        The arguments without the program name.

    Returns
    -------
    tuple of (str or None, bool)
        The language asked for (``None``: none), and whether ``--version`` came first.
    """
    lang: str | None = None
    version = False
    i = 0
    while i < len(argv):
        arg = argv[i]
        if not arg.startswith("-") or arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
            i += 1
        elif arg.startswith("--lang="):
            lang = arg.partition("=")[2]
        elif arg == "--version":
            version = True
        i += 1
    return lang, version


def build_app(command: str | None = None) -> typer.Typer:
    """The ``cityeval`` application with the commands of the plugin host's registry.

    With ``command``, only that command is built (see :func:`cityeval.cli.root.build_app`).
    """
    from cityeval.cli.root import build_app as build

    return build(command)


def command_asked(argv: list[str]) -> str | None:
    """The registered command ``argv`` runs, or ``None`` (no command, or an unknown one).

    Only that command is then built; the root's help and a mistyped name get every command.
    """
    name = next((a for a in _after_global_options(argv)), None)
    if name is None:
        return None
    from cityeval.plugins.manager import get_host

    return name if name in get_host().commands else None


def _after_global_options(argv: list[str]) -> list[str]:
    i = 0
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "--":
        i += 2 if argv[i] == "--lang" else 1
    return argv[i:]


def _error(message: str) -> None:
    from cityeval.cli.console import err

    # "error:" stays English in every language: scripts and tests look for it.
    err().print(f"error: {message}", markup=False)


def run(argv: list[str]) -> int:
    """Run the app on ``argv`` and return the exit status, never a traceback for user errors.

    The language ``--lang`` asks for holds for this run only: a program that calls
    :func:`cityeval.cli.main` keeps its own language afterwards.
    """
    from cityeval.i18n import LANGUAGES, speaking

    lang, version = prescan(argv)
    if lang is not None and lang.strip().lower() not in LANGUAGES:
        _error(_("unknown language {lang!r} for --lang: use 'id' or 'en'").format(lang=lang))
        return USER_ERROR
    with speaking(lang):
        return _run(argv, version)


def _run(argv: list[str], version: bool) -> int:
    from cityeval.errors import CityevalError

    if version:
        sys.stdout.write(f"cityeval {__version__}\n")
        sys.stdout.flush()
        return 0
    try:
        command = command_asked(argv)
        app = build_app(command) if command is not None else build_app()
        from cityeval.cli.typer_i18n import install

        install()
        status = app(args=argv, prog_name="cityeval", standalone_mode=False)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except CityevalError as exc:
        _error(str(exc))
        return USER_ERROR
    except Exception as exc:
        handled = _click_failure(exc)
        if handled is None:
            raise
        return handled
    return status if isinstance(status, int) else 0


def _click_failure(exc: Exception) -> int | None:
    """Typer's own failures (a usage error, an abort) as a message and a status, in the
    user's language; ``None`` for anything else."""
    from typer._click.exceptions import ClickException, UsageError
    from typer.exceptions import Abort

    from cityeval.cli.console import err
    from cityeval.cli.typer_i18n import usage_error_text

    if isinstance(exc, UsageError):
        ctx = exc.ctx
        if ctx is not None:
            err().print(ctx.get_usage(), markup=False, highlight=False)
            hint = _("Try '{command} --help' for help.").format(command=ctx.command_path)
            err().print(hint, markup=False, highlight=False)
        _error(usage_error_text(exc.format_message()))
        return USER_ERROR
    if isinstance(exc, ClickException):
        _error(exc.format_message())
        return exc.exit_code
    if isinstance(exc, Abort):
        _error(_("aborted"))
        return 1
    return None

"""The ``cityeval`` typer application: the root command, its global options, its commands.

Imported only when a command runs (``cityeval --version`` never imports typer): see
:mod:`cityeval.cli.app`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from cityeval._version import __version__
from cityeval.i18n import _

__all__ = ["UiLanguage", "build_app"]


class UiLanguage(StrEnum):
    """Languages of the command line's messages and help."""

    id = "id"
    en = "en"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cityeval {__version__}")
        raise typer.Exit()


def build_app(command: str | None = None) -> typer.Typer:
    """The ``cityeval`` application with the commands of the plugin host's registry.

    Parameters
    ----------
    command : str, optional
        Build only this command (the one a run asks for), so that no other command's module
        is imported; every registered command by default.
    """
    app = typer.Typer(
        name="cityeval",
        help=_("Evaluate smart-city programmes as composite indicators."),
        no_args_is_help=True,
        add_completion=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )

    @app.callback()
    def root(
        version: Annotated[
            bool,
            typer.Option(
                "--version",
                callback=_version,
                is_eager=True,
                help=_("Show the version and exit."),
            ),
        ] = False,
        lang: Annotated[
            UiLanguage | None,
            typer.Option(
                "--lang",
                help=_(
                    "Language of messages and help: id (Indonesian) or en (English); "
                    "by default CITYEVAL_LANG, else the locale."
                ),
            ),
        ] = None,
    ) -> None:
        # The docstring is not the help (it would be shown untranslated); ``help=`` above is.
        if lang is not None:
            from cityeval.i18n import set_language

            set_language(lang.value)

    _add_commands(app, command)
    return app


def _add_commands(app: typer.Typer, only: str | None = None) -> None:
    import warnings

    from cityeval.errors import RegistryError
    from cityeval.plugins.manager import BUILTIN, PluginWarning, get_host

    for entry in get_host().commands.entries():
        if only is not None and entry.name != only:
            continue
        try:
            command = entry.load()
        except RegistryError as exc:
            if entry.plugin == BUILTIN:
                raise
            warnings.warn(str(exc), PluginWarning, stacklevel=2)
            continue
        # help=None would hide a group's own help: pass it only when the plugin gave one
        if isinstance(command, typer.Typer):
            if entry.help is None:
                app.add_typer(command, name=entry.name)
            else:
                app.add_typer(command, name=entry.name, help=entry.help)
        elif entry.help is None:
            app.command(entry.name)(command)
        else:
            app.command(entry.name, help=entry.help)(command)

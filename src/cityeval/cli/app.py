"""The root command, its global options, and the error boundary of the command line."""

from __future__ import annotations

import importlib
from typing import Annotated

import typer

from cityeval._version import __version__
from cityeval.errors import CityevalError

__all__ = ["USER_ERROR", "build_app", "run"]

USER_ERROR = 2


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cityeval {__version__}")
        raise typer.Exit()


def build_app() -> typer.Typer:
    """The ``cityeval`` application with the built-in and plugin commands."""
    from cityeval.cli import evaluate, frameworks, masterplan, plugins, schema, score
    from cityeval.cli import plugin as plugin_cli
    from cityeval.cli import uncertainty as uncertainty_cli

    app = typer.Typer(
        name="cityeval",
        help="Evaluate smart-city programmes as composite indicators.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )

    @app.callback()
    def root(
        version: Annotated[
            bool,
            typer.Option(
                "--version", callback=_version, is_eager=True, help="Show the version and exit."
            ),
        ] = False,
    ) -> None:
        """Evaluate smart-city programmes as composite indicators."""

    app.command("plugins")(plugins.plugins_command)
    app.add_typer(frameworks.app, name="frameworks")
    app.add_typer(schema.app, name="schema")
    app.command("score")(score.score_command)
    app.command("import-coinr")(score.import_coinr_command)
    app.add_typer(masterplan.app, name="masterplan")
    app.command("uncertainty")(uncertainty_cli.uncertainty_command)
    app.command("evaluate")(evaluate.evaluate_command)
    app.command("explain")(importlib.import_module("cityeval.cli.explain").explain_command)
    app.command("compare")(importlib.import_module("cityeval.cli.compare").compare_command)
    app.add_typer(plugin_cli.app, name="plugin")
    _add_plugin_commands(app)
    return app


def _add_plugin_commands(app: typer.Typer) -> None:
    from cityeval.plugins.manager import get_host

    for entry in get_host().commands.entries():
        if isinstance(entry.command, typer.Typer):
            app.add_typer(entry.command, name=entry.name, help=entry.help)
        else:
            app.command(entry.name, help=entry.help)(entry.command)


def run(argv: list[str]) -> int:
    """Run the app on ``argv`` and return the exit status, never a traceback for user errors."""
    from cityeval.cli.console import err

    try:
        app = build_app()
        app(args=argv, prog_name="cityeval")
    except SystemExit as exc:  # typer's standalone mode: usage errors exit with status 2
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except CityevalError as exc:
        err().print(f"error: {exc}", markup=False)
        return USER_ERROR
    return 0

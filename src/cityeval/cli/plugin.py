"""``cityeval plugin``: tools for plugin authors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cityeval.cli.console import out
from cityeval.i18n import _

app = typer.Typer(help=_("Tools for plugin authors."), no_args_is_help=True)


@app.command("new")
def new(
    name: Annotated[
        str,
        typer.Argument(help=_("The plugin's name, such as kota-contoh (also its framework id).")),
    ],
    out_dir: Annotated[
        Path,
        typer.Option("--out", "-o", help=_("A new or empty folder to write the package to.")),
    ],
) -> None:
    """Write a ready-to-install plugin package: pyproject, framework, sample data, tests."""
    from cityeval.plugins.scaffold import new_plugin, plugin_names

    written = new_plugin(name, out_dir)
    names = plugin_names(name)
    out().print(
        _("wrote {n} files to {folder}").format(n=len(written), folder=out_dir), markup=False
    )
    out().print(
        _(
            "next: pip install -e {folder} && cityeval frameworks show {framework} "
            "&& python -m pytest {folder}"
        ).format(folder=out_dir, framework=names["framework_id"]),
        markup=False,
    )

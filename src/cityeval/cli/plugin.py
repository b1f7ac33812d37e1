"""``cityeval plugin``: tools for plugin authors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cityeval.cli.console import out

app = typer.Typer(help="Tools for plugin authors.", no_args_is_help=True)


@app.command("new")
def new(
    name: Annotated[
        str, typer.Argument(help="The plugin's name, such as kota-contoh (also its framework id).")
    ],
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="A new or empty folder to write the package to.")
    ],
) -> None:
    """Write a ready-to-install plugin package: pyproject, framework, sample data, tests."""
    from cityeval.plugins.scaffold import new_plugin, plugin_names

    written = new_plugin(name, out_dir)
    names = plugin_names(name)
    out().print(f"wrote {len(written)} files to {out_dir}", markup=False)
    out().print(
        f"next: pip install -e {out_dir} && cityeval frameworks show {names['framework_id']} "
        f"&& python -m pytest {out_dir}",
        markup=False,
    )

"""``cityeval schema``: JSON Schemas of the file formats, for editors."""

from __future__ import annotations

import json

import typer

from cityeval.cli.console import write_text
from cityeval.i18n import _

app = typer.Typer(help=_("Print the JSON Schema of a file format."), no_args_is_help=True)


@app.command("framework", help=_("Print the JSON Schema of framework files."))
def framework() -> None:
    from cityeval.io.schema import framework_schema

    write_text(json.dumps(framework_schema(), indent=2, ensure_ascii=False))

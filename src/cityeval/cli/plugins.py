"""``cityeval plugins``: what is loaded, in which version, and what failed."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from cityeval.cli.console import out, write_text
from cityeval.plugins.manager import get_host


class ListFormat(StrEnum):
    """Output formats of listings."""

    table = "table"
    json = "json"


def plugins_command(
    format: Annotated[
        ListFormat, typer.Option("--format", help="Output format.")
    ] = ListFormat.table,
) -> None:
    """List loaded plugins with their versions, and plugins that failed."""
    host = get_host()
    failed = {f.name: f for f in host.failures}
    if format is ListFormat.json:
        data = {
            "plugins": [
                {
                    "name": p.name,
                    "module": p.module,
                    "distribution": p.distribution,
                    "version": p.version,
                    "ok": p.name not in failed,
                }
                for p in host.plugins
            ],
            "failures": [
                {"name": f.name, "stage": f.stage, "error": f.error} for f in host.failures
            ],
        }
        write_text(json.dumps(data, indent=2))
        return
    table = Table(
        "plugin", "distribution", "version", "module", "status", title="cityeval plugins"
    )
    for p in host.plugins:
        status = "failed" if p.name in failed else "ok"
        table.add_row(p.name, p.distribution or "-", p.version or "-", p.module, status)
    out().print(table)
    for f in host.failures:
        out().print(f"[red]failed[/red] {f}", highlight=False)

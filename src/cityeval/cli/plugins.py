"""``cityeval plugins``: what is loaded, in which version, what each provides, what failed."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from cityeval.cli.console import out, safe, write_text
from cityeval.cli.frameworks import ListFormat
from cityeval.i18n import _

__all__ = ["ListFormat", "plugins_command"]


def _provides(host: Any) -> dict[str, dict[str, list[str]]]:
    """For each plugin, the names it registered, by registry."""
    found: dict[str, dict[str, list[str]]] = {}
    for attr in ("frameworks", "methods", "commands", "masterplans", "crosswalks"):
        registry = getattr(host, attr)
        for key in registry.keys():  # noqa: SIM118 (a registry, not a dict)
            found.setdefault(registry.owner(key), {}).setdefault(attr, []).append(key)
    return found


def plugins_command(
    format: Annotated[
        ListFormat, typer.Option("--format", help=_("Output format."))
    ] = ListFormat.table,
) -> None:
    """List loaded plugins with their versions, and plugins that failed."""
    from cityeval.plugins.manager import get_host

    host = get_host()
    failures = host.failures  # fills every registry, so every failure is known
    failed = {f.name: f for f in failures}
    provides = _provides(host)
    if format is ListFormat.json:
        data = {
            "plugins": [
                {
                    "name": p.name,
                    "module": p.module,
                    "distribution": p.distribution,
                    "version": p.version,
                    "ok": p.name not in failed,
                    "provides": provides.get(p.name, {}),
                }
                for p in host.plugins
            ],
            "failures": [{"name": f.name, "stage": f.stage, "error": f.error} for f in failures],
        }
        write_text(json.dumps(data, indent=2))
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(
        _("plugin"),
        _("distribution"),
        _("version"),
        _("module"),
        _("status"),
        title=_("cityeval plugins"),
    )
    for p in host.plugins:
        status = _("failed") if p.name in failed else _("ok")
        cells = (p.name, p.distribution or "-", p.version or "-", p.module, status)
        table.add_row(*(escape(safe(c)) for c in cells))
    out().print(table)
    for f in failures:
        out().print(f"[red]{escape(_('failed'))}[/red] {escape(safe(str(f)))}", highlight=False)

"""``cityeval frameworks``: list, show and validate frameworks.

``frameworks list`` shows what the plugins registered (id, plugin, its version, the file)
without reading a framework file; ``--details`` reads them to add names and structure.
Labels come from files a user may not have written: every label printed to the terminal
goes through :func:`cityeval.cli.console.safe`, so control characters show as escapes.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cityeval.cli.console import out, safe, write_text
from cityeval.i18n import _

if TYPE_CHECKING:
    from rich.tree import Tree

    from cityeval.model import Framework, Lang
    from cityeval.model.dimension import Node
    from cityeval.plugins.manager import PluginHost
    from cityeval.plugins.registry import FrameworkEntry

app = typer.Typer(help=_("List, show and validate frameworks."), no_args_is_help=True)


class ListFormat(StrEnum):
    """Output formats of listings."""

    table = "table"
    json = "json"


class ShowFormat(StrEnum):
    """Output formats of ``frameworks show``."""

    tree = "tree"
    yaml = "yaml"
    json = "json"


class Language(StrEnum):
    """Label languages."""

    id = "id"
    en = "en"


def _label_language(lang: Language | None) -> Lang:
    """The label language asked for, else the language of the command line's messages."""
    if lang is not None:
        return "id" if lang is Language.id else "en"
    from cityeval.i18n import current_language

    return current_language()


def _text(value: str) -> str:
    """A label for rich: control characters escaped, rich markup taken literally."""
    from rich.markup import escape

    return escape(safe(value))


def _plural(noun: str) -> str:
    """English plural of a level name: ``category`` -> ``categories``, ``index`` -> ``indices``."""
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    if noun.endswith("ex"):
        return noun[:-2] + "ices"
    return noun if noun.endswith("s") else noun + "s"


def _counts(fw: Framework) -> str:
    parts = []
    for depth, level in enumerate(fw.levels):
        n = sum(1 for node in fw.walk() if fw.depth(node.id) == depth)
        if n:
            parts.append(f"{n} {_plural(level) if n != 1 else level}")
    return ", ".join(parts)


def _plugin_versions(host: PluginHost) -> dict[str, str | None]:
    return {p.name: p.version for p in host.plugins}


def _row(entry: FrameworkEntry, versions: dict[str, str | None]) -> dict[str, Any]:
    return {
        "id": entry.id,
        "plugin": entry.plugin,
        "plugin_version": versions.get(entry.plugin),
        "file": entry.file,
    }


def _details(entry: FrameworkEntry, lang: Lang) -> dict[str, Any]:
    fw = entry.framework
    return {
        "name": fw.name.text(lang),
        "version": fw.version,
        "template": fw.template,
        "levels": list(fw.levels),
        "structure": _counts(fw),
    }


@app.command("list", help=_("List the registered frameworks (no framework file is read)."))
def list_frameworks(
    format: Annotated[
        ListFormat, typer.Option("--format", help=_("Output format."))
    ] = ListFormat.table,
    details: Annotated[
        bool,
        typer.Option(
            "--details",
            help=_("Read every framework file to add its name, version and structure."),
        ),
    ] = False,
    lang: Annotated[
        Language | None,
        typer.Option(
            "--lang", help=_("Label language (with --details); by default the CLI's language.")
        ),
    ] = None,
) -> None:
    from cityeval.plugins.manager import get_host

    host = get_host()
    entries = host.frameworks.entries()
    versions = _plugin_versions(host)
    code = _label_language(lang)
    rows = [{**_row(e, versions), **(_details(e, code) if details else {})} for e in entries]
    if format is ListFormat.json:
        write_text(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from rich.table import Table

    table = Table(title=_("cityeval frameworks"))
    table.add_column(_("id"), no_wrap=True)
    if details:
        for column in (_("name"), _("version"), _("structure")):
            table.add_column(column)
    table.add_column(_("plugin"), no_wrap=True)
    table.add_column(_("file"))
    for row in rows:
        cells = [_text(row["id"])]
        if details:
            structure = row["structure"] + (_(" (template)") if row["template"] else "")
            cells += [_text(row["name"]), _text(row["version"] or "-"), _text(structure)]
        plugin = row["plugin"] + (f" {row['plugin_version']}" if row["plugin_version"] else "")
        cells += [_text(plugin), _text(row["file"] or "-")]
        table.add_row(*cells)
    out().print(table)


def _node_line(fw: Framework, node: Node, lang: Lang) -> str:
    from cityeval.model import Dimension

    level = fw.level(node.id)
    text = (
        f"[bold]{_text(node.label.text(lang))}[/bold] [dim]{_text(level)} {_text(node.id)}[/dim]"
    )
    if node.weight != 1.0:
        text += " [dim]" + _("weight {weight}").format(weight=f"{node.weight:g}") + "[/dim]"
    if not isinstance(node, Dimension):
        extra = [
            _("{direction} is better").format(direction=node.direction.value),
            node.scale.kind.value,
        ]
        if node.unit:
            extra.append(node.unit)
        text += f" [dim]({_text(', '.join(extra))})[/dim]"
    return text


def _tree(fw: Framework, lang: Lang) -> Tree:
    from rich.tree import Tree

    from cityeval.model import Dimension

    title = f"[bold]{_text(fw.name.text(lang))}[/bold] [dim]{_text(fw.id)}"
    if fw.version:
        title += f" {_text(fw.version)}"
    title += f" - {_text(_counts(fw))}" + (_(", template") if fw.template else "") + "[/dim]"
    root = Tree(title)

    def add(parent: Tree, node: Node) -> None:
        branch = parent.add(_node_line(fw, node, lang))
        if isinstance(node, Dimension):
            if node.goal is not None:
                branch.add(f"[italic]{_text(node.goal.text(lang))}[/italic]")
            for child in node.members:
                add(branch, child)

    for dim in fw.dimensions:
        add(root, dim)
    return root


@app.command("show", help=_("Show a framework as a tree, or in the file format (YAML or JSON)."))
def show(
    framework: Annotated[
        str, typer.Argument(help=_("A registered framework id or a framework file."))
    ],
    format: Annotated[
        ShowFormat, typer.Option("--format", help=_("Output format."))
    ] = ShowFormat.tree,
    lang: Annotated[
        Language | None,
        typer.Option("--lang", help=_("Label language of the tree; by default the CLI's.")),
    ] = None,
) -> None:
    from cityeval.io.frameworks import dumps_framework
    from cityeval.plugins.lookup import get_framework

    fw = get_framework(framework)
    if format is ShowFormat.tree:
        out().print(_tree(fw, _label_language(lang)))
    else:
        write_text(dumps_framework(fw, "json" if format is ShowFormat.json else "yaml"))


@app.command(
    "validate", help=_("Check a framework file; print every problem with its field path.")
)
def validate(
    file: Annotated[
        Path, typer.Argument(help=_("A framework file (.yaml, .yml, .json or .toml)."))
    ],
) -> None:
    from cityeval.io.frameworks import load_framework

    fw = load_framework(file)
    message = (
        _("{file}: valid template {id!r} ({structure})")
        if fw.template
        else _("{file}: valid framework {id!r} ({structure})")
    )
    out().print(
        safe(message.format(file=file.name, id=fw.id, structure=_counts(fw))), markup=False
    )

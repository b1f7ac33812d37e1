"""``cityeval frameworks``: list, show and validate frameworks."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from cityeval.cli.console import out, write_text
from cityeval.cli.plugins import ListFormat
from cityeval.model import Dimension, Framework, Lang
from cityeval.model.dimension import Node

app = typer.Typer(help="List, show and validate frameworks.", no_args_is_help=True)


class ShowFormat(StrEnum):
    """Output formats of ``frameworks show``."""

    tree = "tree"
    yaml = "yaml"
    json = "json"


class Language(StrEnum):
    """Label languages."""

    id = "id"
    en = "en"


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


@app.command("list")
def list_frameworks(
    format: Annotated[
        ListFormat, typer.Option("--format", help="Output format.")
    ] = ListFormat.table,
    lang: Annotated[Language, typer.Option("--lang", help="Label language.")] = Language.en,
) -> None:
    """List the registered frameworks."""
    from cityeval.plugins.manager import get_host

    entries = get_host().frameworks.entries()
    if format is ListFormat.json:
        data = [
            {
                "id": e.framework.id,
                "name": e.framework.name.text(lang.value),
                "version": e.framework.version,
                "template": e.framework.template,
                "levels": list(e.framework.levels),
                "plugin": e.plugin,
            }
            for e in entries
        ]
        write_text(json.dumps(data, indent=2, ensure_ascii=False))
        return
    table = Table(title="cityeval frameworks")
    table.add_column("id", no_wrap=True)
    for column in ("name", "version", "structure"):
        table.add_column(column)
    table.add_column("plugin", no_wrap=True)
    for e in entries:
        fw = e.framework
        structure = _counts(fw) + (" (template)" if fw.template else "")
        table.add_row(
            fw.id, escape(fw.name.text(lang.value)), fw.version or "-", structure, e.plugin
        )
    out().print(table)


def _node_line(fw: Framework, node: Node, lang: Lang) -> str:
    level = fw.level(node.id)
    text = f"[bold]{escape(node.label.text(lang))}[/bold] [dim]{level} {escape(node.id)}[/dim]"
    if node.weight != 1.0:
        text += f" [dim]weight {node.weight:g}[/dim]"
    if not isinstance(node, Dimension):
        extra = [node.direction.value + " is better", node.scale.kind.value]
        if node.unit:
            extra.append(node.unit)
        text += f" [dim]({escape(', '.join(extra))})[/dim]"
    return text


def _tree(fw: Framework, lang: Lang) -> Tree:
    title = f"[bold]{escape(fw.name.text(lang))}[/bold] [dim]{escape(fw.id)}"
    if fw.version:
        title += f" {escape(fw.version)}"
    title += f" - {_counts(fw)}" + (", template" if fw.template else "") + "[/dim]"
    root = Tree(title)

    def add(parent: Tree, node: Node) -> None:
        branch = parent.add(_node_line(fw, node, lang))
        if isinstance(node, Dimension):
            if node.goal is not None:
                branch.add(f"[italic]{escape(node.goal.text(lang))}[/italic]")
            for child in node.members:
                add(branch, child)

    for dim in fw.dimensions:
        add(root, dim)
    return root


@app.command("show")
def show(
    framework: Annotated[
        str, typer.Argument(help="A registered framework id or a framework file.")
    ],
    format: Annotated[
        ShowFormat, typer.Option("--format", help="Output format.")
    ] = ShowFormat.tree,
    lang: Annotated[
        Language, typer.Option("--lang", help="Label language of the tree.")
    ] = Language.en,
) -> None:
    """Show a framework as a tree, or in the file format (YAML or JSON)."""
    from cityeval import get_framework
    from cityeval.io.frameworks import dumps_framework

    fw = get_framework(framework)
    if format is ShowFormat.tree:
        out().print(_tree(fw, lang.value))
    else:
        write_text(dumps_framework(fw, "json" if format is ShowFormat.json else "yaml"))


@app.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(help="A framework file (.yaml, .yml, .json or .toml).")],
) -> None:
    """Check a framework file; print every problem with its field path."""
    from cityeval.io.frameworks import load_framework

    fw = load_framework(file)
    kind = "template" if fw.template else "framework"
    out().print(f"{file.name}: valid {kind} {fw.id!r} ({_counts(fw)})", markup=False)

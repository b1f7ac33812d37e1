"""The uncertainty package's modules import each other in one direction only, and each is of a
size one can read."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import cityeval.uncertainty

PACKAGE = Path(cityeval.uncertainty.__file__).parent
PREFIX = "cityeval.uncertainty."


def _imports(path: Path) -> set[str]:
    """Every module of the package this file imports, at the top, in functions or for types."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith(PREFIX):
                found.add(node.module[len(PREFIX) :].split(".")[0])
            elif node.module == "cityeval.uncertainty":
                found.update(a.name for a in node.names if (PACKAGE / f"{a.name}.py").exists())
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names if a.name.startswith(PREFIX)]
            found.update(n[len(PREFIX) :].split(".")[0] for n in names)
    return found


def test_no_module_of_the_package_imports_itself_through_others() -> None:
    graph = {p.stem: _imports(p) - {p.stem} for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert graph["results"] >= {"charts"} and "results" not in graph["charts"]
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:  # pragma: no cover - the failure message names the circle
        raise AssertionError(f"import circle: {exc.args[1]}") from None
    assert set(order) >= set(graph)


def test_no_module_is_over_500_lines() -> None:
    sizes = {p.name: len(p.read_text().splitlines()) for p in PACKAGE.glob("*.py")}
    assert max(sizes.values()) <= 500, sizes

"""The house stays as drawn: every package is in the architecture page and in the layers
contract, and no two modules import each other (directly or round a longer circle).

``lint-imports`` (run by ``.ci/run``) enforces the layers themselves; these tests make sure the
picture and the contract cover every package, and prove the absence of circles between
modules, which a layers contract does not check inside one layer.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src" / "cityeval"
ARCHITECTURE = REPO / "docs" / "explanation" / "architecture.md"

#: Import circles allowed to remain (none: every circle between modules fails the test).
KNOWN_CYCLES: frozenset[frozenset[str]] = frozenset()

#: Imports that are not dependencies: the facade's lazy re-export of the verbs, and the
#: callable uncertainty package delegating to its verb (both declared in pyproject.toml).
NOT_DEPENDENCIES = {
    ("cityeval", "cityeval.api"),
    ("cityeval.uncertainty", "cityeval.api"),
    ("cityeval.audit", "cityeval.api"),
    ("cityeval.explain", "cityeval.api"),
}


def packages() -> list[str]:
    """Every subpackage and top-level module of cityeval (``py.typed`` and data aside)."""
    names = {p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    names |= {p.stem for p in SRC.glob("*.py") if p.stem != "__init__"}
    return sorted(names)


def test_there_are_packages_to_check() -> None:
    assert {"model", "engine", "methods", "cli", "api"} <= set(packages())


@pytest.mark.parametrize("name", packages())
def test_every_package_is_in_the_architecture_page(name: str) -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    diagram = text.split("```text", 1)[1].split("```", 1)[0]
    assert name in diagram, f"{name} is not in the layer diagram of {ARCHITECTURE.name}"
    assert f"cityeval.{name}" in text, f"cityeval.{name} is not described in {ARCHITECTURE.name}"


@pytest.mark.parametrize("name", packages())
def test_every_package_is_in_the_layers_contract(name: str) -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    members = {m.strip() for layer in layers for m in layer.split("|")}
    assert f"cityeval.{name}" in members


def _cycles() -> list[frozenset[str]]:
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph("cityeval", exclude_type_checking_imports=True)
    modules = sorted(graph.modules)
    edges = {
        m: sorted(
            i
            for i in graph.find_modules_directly_imported_by(m)
            if (m, i) not in NOT_DEPENDENCIES and i != "cityeval"
        )
        for m in modules
    }
    # Tarjan's strongly connected components, iteratively.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[frozenset[str]] = []
    counter = 0
    for root in modules:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def test_no_import_cycle_between_modules() -> None:
    new = [sorted(c) for c in _cycles() if not any(c <= known for known in KNOWN_CYCLES)]
    assert not new, f"import circles: {new}"


def test_the_cycle_finder_finds_a_cycle(monkeypatch: pytest.MonkeyPatch) -> None:
    """The finder itself: a planted circle between two modules is found."""
    grimp = pytest.importorskip("grimp")
    real = grimp.build_graph

    def planted(*args: object, **kwargs: object) -> object:
        graph = real(*args, **kwargs)
        graph.add_import(importer="cityeval.model.labels", imported="cityeval.engine.run")
        return graph

    monkeypatch.setattr(grimp, "build_graph", planted)
    assert any("cityeval.model.labels" in c for c in _cycles())
    assert sys.modules["grimp"] is grimp


#: The house's size for a module: above it, the module's docstring must say why (STYLE.md,
#: "a file has one job"; issue 16: "none over about 500 lines unless the file says why").
MODULE_LINES = 500


def unexplained_long_modules(root: Path = SRC) -> list[str]:
    """Every module below ``root`` over :data:`MODULE_LINES` lines whose docstring gives no
    reason (the words "over the house's 500"), as ``name (lines)``."""
    import ast

    found = []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        n = len(text.splitlines())
        if n <= MODULE_LINES:
            continue
        doc = ast.get_docstring(ast.parse(text)) or ""
        if f"over the house's {MODULE_LINES}" not in doc:
            found.append(f"{path.relative_to(root)} ({n} lines)")
    return found


def test_no_module_is_long_without_saying_why() -> None:
    unexplained = unexplained_long_modules()
    assert not unexplained, (
        f"modules over {MODULE_LINES} lines whose docstring does not say why "
        f'("over the house\'s {MODULE_LINES}: ..."): {", ".join(unexplained)}; '
        "split them along their seams or state the reason"
    )


def test_the_long_module_check_bites(tmp_path: Path) -> None:
    body = "x = 1\n" * MODULE_LINES
    (tmp_path / "short.py").write_text('"""Short."""\n' + "x = 1\n" * 10)
    (tmp_path / "long.py").write_text('"""Long, for no reason."""\n' + body)
    (tmp_path / "said.py").write_text(
        f'"""Long: over the house\'s {MODULE_LINES} because it is one table."""\n' + body
    )
    assert unexplained_long_modules(tmp_path) == [f"long.py ({MODULE_LINES + 1} lines)"]

"""The masterplan package reads from the bottom up: small modules, imports pointing down only,
and the public names where they always were."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import cityeval.masterplan

PACKAGE = Path(cityeval.masterplan.__file__).parent
MAX_LINES = 500

# Each layer may import the layers after it in this list, never those before it.
LAYERS = [
    "cityeval.masterplan.evaluation",
    "cityeval.masterplan.compile",
    "cityeval.masterplan.forms.collect",
    "cityeval.masterplan.forms.read",
    "cityeval.masterplan.forms.write",
    "cityeval.masterplan.forms.cells",
    "cityeval.masterplan.forms.zipguard",
    "cityeval.masterplan.forms.print_setup",
    "cityeval.masterplan.forms.layout",
    "cityeval.masterplan.files",
    "cityeval.masterplan.template",
    "cityeval.masterplan.model.rounds",
    "cityeval.masterplan.model.plan",
    "cityeval.masterplan.model.programme",
    "cityeval.masterplan.model.regency",
    "cityeval.masterplan.model.values",
    "cityeval.masterplan.model._common",
    "cityeval.masterplan.model.frozenmap",
]


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent.parent).with_suffix("")
        name = ".".join(rel.parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n for n in names if n.startswith("cityeval.masterplan")}


@pytest.mark.parametrize("name", sorted(_modules()))
def test_no_module_holds_more_than_one_job(name: str) -> None:
    lines = len(_modules()[name].read_text("utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines"


def test_every_module_has_a_layer() -> None:
    packages = {"cityeval.masterplan", "cityeval.masterplan.model", "cityeval.masterplan.forms"}
    assert set(_modules()) - packages == set(LAYERS)


@pytest.mark.parametrize("name", LAYERS)
def test_imports_point_down_only(name: str) -> None:
    rank = {n: i for i, n in enumerate(LAYERS)}
    for imported in _imports(_modules()[name]):
        if imported in rank:
            assert rank[imported] > rank[name], f"{name} imports {imported}, a layer above it"
        else:  # a package: only the sub-packages below may be imported through it
            assert imported in ("cityeval.masterplan.model", "cityeval.masterplan.forms")
            below = [n for n in LAYERS if n.startswith(imported + ".")]
            assert all(rank[b] > rank[name] for b in below), f"{name} imports {imported}"


@pytest.mark.parametrize(
    "names_of",
    ["cityeval.masterplan", "cityeval.masterplan.model", "cityeval.masterplan.forms"],
)
def test_public_names_stay_importable(names_of: str) -> None:
    module = importlib.import_module(names_of)
    for name in module.__all__:
        assert getattr(module, name) is not None
    expected = {
        "cityeval.masterplan": {"Masterplan", "EvaluationRound", "FrozenMap", "find_round",
                                "load_masterplan", "save_round", "masterplan_template"},
        "cityeval.masterplan.model": {"Baseline", "Opd", "Programme", "ProgrammeIndicator",
                                      "RoundEntry", "Term", "Regency", "Period", "EntryStatus"},
        "cityeval.masterplan.forms": {"write_form", "read_forms", "stored_masterplan",
                                      "put_text", "FormError", "CellProblem", "STATUS_LABELS",
                                      "FORM_VERSION", "collect_forms", "write_forms"},
    }[names_of]  # fmt: skip
    assert expected <= set(module.__all__)

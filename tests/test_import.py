"""``import cityeval`` stays light: heavy and optional parts load only when used."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = {
    "pandas",
    "matplotlib",
    "typer",
    "rich",
    "click",
    "openpyxl",
    "SALib",
    "dask",
    "distributed",
    "scipy",
    "jinja2",
    "yaml",
    "tomli_w",
    "hypothesis",
    "skcriteria",
    "pydantic",
}
# typing_extensions comes with cattrs.
ALLOWED_THIRD_PARTY = {"attrs", "attr", "cattrs", "cattr", "pluggy", "numpy", "typing_extensions"}


def imported_after(code: str) -> set[str]:
    script = f"import sys; {code}; import json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return {name.split(".")[0] for name in json.loads(out.stdout)}


def test_import_cityeval_loads_nothing_heavy() -> None:
    modules = imported_after("import cityeval")
    assert not modules & HEAVY, modules & HEAVY


def test_import_cityeval_third_party_modules_are_only_the_core_four() -> None:
    baseline = imported_after("pass")
    stdlib = set(sys.stdlib_module_names)
    extra = {
        m
        for m in imported_after("import cityeval") - baseline
        if m not in stdlib and not m.startswith("_") and m != "cityeval"
    }
    assert extra <= ALLOWED_THIRD_PARTY, extra - ALLOWED_THIRD_PARTY

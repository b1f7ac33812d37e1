"""``import cityeval`` stays light: every part, heavy or not, loads only when used."""

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


def _third_party(code: str) -> set[str]:
    baseline = imported_after("pass")
    stdlib = set(sys.stdlib_module_names)
    return {
        m
        for m in imported_after(code) - baseline
        if m not in stdlib and not m.startswith("_") and m != "cityeval"
    }


def test_import_cityeval_and_its_cli_load_no_third_party_module() -> None:
    for code in ("import cityeval", "import cityeval.cli", "import cityeval.cli.app"):
        assert _third_party(code) == set(), code


def test_first_use_of_a_name_loads_only_what_it_needs() -> None:
    assert _third_party("import cityeval; cityeval.hookimpl") == {"pluggy"}
    assert _third_party("import cityeval; cityeval.Framework") <= ALLOWED_THIRD_PARTY


def test_every_public_name_resolves_and_dir_lists_it() -> None:
    import cityeval

    for name in cityeval.__all__:
        assert getattr(cityeval, name) is not None, name
    assert set(cityeval.__all__) <= set(dir(cityeval))
    assert "os" not in cityeval.__all__ and "Path" not in cityeval.__all__


def test_an_unknown_name_is_an_attribute_error() -> None:
    import pytest

    import cityeval

    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        cityeval.nothing_here  # noqa: B018


def test_file_suffixes_agree_with_the_document_formats() -> None:
    from cityeval.io.documents import FORMATS
    from cityeval.plugins.lookup import FILE_SUFFIXES

    assert set(FORMATS) == FILE_SUFFIXES

"""``cityeval plugin new``: the generated package registers, lists and passes its own tests."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cityeval.errors import InputError
from cityeval.plugins import PluginHost
from cityeval.plugins.scaffold import new_plugin, plugin_names

HostFactory = Callable[..., PluginHost]


@pytest.fixture
def generated(tmp_path: Path) -> Iterator[Path]:
    out = tmp_path / "kota-contoh"
    new_plugin("kota-contoh", out)
    sys.path.insert(0, str(out / "src"))
    yield out
    sys.path.remove(str(out / "src"))
    sys.modules.pop("cityeval_kota_contoh", None)


def test_the_package_has_everything_a_plugin_needs(generated: Path) -> None:
    files = {p.relative_to(generated).as_posix() for p in generated.rglob("*") if p.is_file()}
    assert files == {
        "pyproject.toml",
        "README.md",
        "conftest.py",
        "src/cityeval_kota_contoh/__init__.py",
        "src/cityeval_kota_contoh/py.typed",
        "src/cityeval_kota_contoh/data/kota-contoh.yaml",
        "src/cityeval_kota_contoh/data/sample.csv",
        "tests/test_cityeval_kota_contoh.py",
    }
    pyproject = (generated / "pyproject.toml").read_text(encoding="utf-8")
    assert '[project.entry-points.cityeval]\nkota-contoh = "cityeval_kota_contoh"' in pyproject
    assert 'name = "cityeval-kota-contoh"' in pyproject


def test_the_generated_plugin_registers_and_is_listed(
    generated: Path, host_with: HostFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    module = importlib.import_module("cityeval_kota_contoh")
    host = host_with(("kota-contoh", module))
    assert host.failures == []
    assert host.frameworks.get("kota-contoh").plugin == "kota-contoh"
    from cityeval.cli import main

    assert main(["frameworks", "list", "--format", "json"]) == 0
    listed = {f["id"]: f["plugin"] for f in json.loads(capsys.readouterr().out)}
    assert listed == {"kota-contoh": "kota-contoh"}


def test_the_generated_tests_pass(generated: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(generated / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(generated)],
        cwd=generated,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout


@pytest.mark.parametrize("name", ["Kota", "1kota", "kota contoh", "kota--contoh", "kota-", ""])
def test_invalid_names_are_refused(name: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is not a valid plugin name"):
        new_plugin(name, tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_names_are_derived_from_the_slug() -> None:
    names = plugin_names("kota_contoh")
    assert (names["module"], names["dist"], names["framework_id"]) == (
        "cityeval_kota_contoh",
        "cityeval-kota-contoh",
        "kota_contoh",
    )


def test_a_non_empty_folder_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="is not empty"):
        new_plugin("kota", tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cityeval.cli import main

    assert main(["plugin", "new", "kota", "--out", str(tmp_path / "k")]) == 0
    assert "wrote 8 files" in capsys.readouterr().out
    assert main(["plugin", "new", "kota", "--out", str(tmp_path / "k")]) == 2
    assert "is not empty" in capsys.readouterr().err

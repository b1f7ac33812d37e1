"""The examples of the explain and compare how-to pages run as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from cityeval.cli import app as app_module

REPO = Path(__file__).resolve().parents[2]
PAGES = [
    REPO / "docs" / "how-to" / "explain-scores.md",
    REPO / "docs" / "how-to" / "compare-regencies.md",
]


def _blocks(page: Path, lang: str) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.DOTALL)


def _absolute(text: str) -> str:
    return text.replace("docs/examples/", f"{REPO / 'docs' / 'examples'}/")


CONSOLE = [(page.name, block) for page in PAGES for block in _blocks(page, "console")]
PYTHON = [(page.name, block) for page in PAGES for block in _blocks(page, "python")]


@pytest.mark.parametrize(
    ("page", "block"), CONSOLE, ids=[f"{p}-{i}" for i, (p, _) in enumerate(CONSOLE)]
)
def test_console_example_runs(
    page: str,
    block: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    lines = block.splitlines()
    command, shown = lines[0], lines[1:]
    assert command.startswith("$ cityeval ")
    status = app_module.run(shlex.split(_absolute(command[len("$ cityeval ") :])))
    out = capsys.readouterr().out
    assert status == 0, out
    flat = " ".join(out.split())
    for line in shown:  # the lines the page shows appear in the output
        assert " ".join(line.split()) in flat


@pytest.mark.parametrize(
    ("page", "block"), PYTHON, ids=[f"{p}-{i}" for i, (p, _) in enumerate(PYTHON)]
)
def test_python_example_runs(
    page: str,
    block: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    exec(compile(_absolute(block), page, "exec"), {})  # the docs' own example
    out = capsys.readouterr().out
    for line in block.splitlines():
        if "print(" in line and "# " in line:
            assert line.split("# ", 1)[1] in out

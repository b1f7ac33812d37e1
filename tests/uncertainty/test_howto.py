"""docs/how-to/uncertainty.md runs as written: its commands, its Python example, and the rows
it shows are in the files they write."""

from __future__ import annotations

import csv
import re
import shlex
import shutil
from pathlib import Path

import pytest

from cityeval.cli import main

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "docs" / "how-to" / "uncertainty.md"
ASEM = REPO.parent / "shared" / "datasets" / "asem"

pytestmark = pytest.mark.skipif(not ASEM.is_dir(), reason="ASEM example data not available")


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"^```{kind}\n(.*?)^```", PAGE.read_text(), flags=re.S | re.M)


def _commands() -> list[list[str]]:
    out = []
    for block in _blocks("sh"):
        lines = block.replace("\\\n", " ").splitlines()
        out.extend(shlex.split(command) for command in lines if command.strip())
    return out


def _matches(shown: str, rows: list[list[str]]) -> bool:
    """Whether a row shown on the page (fields may end in ``...``) is one of ``rows``."""
    fields = shown.split(",")
    if fields[-1] == "...":
        fields = fields[:-1]

    def same(a: str, b: str) -> bool:
        return b.startswith(a[:-3]) if a.endswith("...") else a == b

    return any(all(same(a, b) for a, b in zip(fields, row, strict=False)) for row in rows)


def test_the_how_to_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("SALib")
    pytest.importorskip("resvg_py")
    for name in ("iData.csv", "iMeta.csv"):
        shutil.copy(ASEM / name, tmp_path / name)
    shutil.copytree(REPO / "docs" / "examples", tmp_path / "docs" / "examples")
    monkeypatch.chdir(tmp_path)
    commands = _commands()
    assert [c[:2] for c in commands] == [
        ["cityeval", "import-coinr"],
        ["cityeval", "uncertainty"],
    ]
    for command in commands:
        assert main(command[1:]) == 0, command
    printed = capsys.readouterr().out
    assert "CHE" in printed and "Sobol' indices" in printed

    # The rows the page shows are in the files.
    files = {
        "unit,node": tmp_path / "asem" / "uncertainty" / "rank_intervals.csv",
        "output,factor": tmp_path / "asem" / "uncertainty" / "sobol.csv",
    }
    checked = 0
    for block in _blocks("text"):
        lines = block.strip().splitlines()
        for header, path in files.items():
            if lines and lines[0].startswith(header):
                with path.open() as fh:
                    rows = list(csv.reader(fh))
                for line in lines[1:]:
                    assert _matches(line, rows), line
                    checked += 1
    assert checked == 9

    # The Python example, after the commands, writes the same files.
    before = (tmp_path / "asem" / "uncertainty" / "rank_intervals.csv").read_bytes()
    (code,) = _blocks("python")
    exec(compile(code, str(PAGE), "exec"), {})
    after = (tmp_path / "asem" / "uncertainty" / "rank_intervals.csv").read_bytes()
    assert after == before

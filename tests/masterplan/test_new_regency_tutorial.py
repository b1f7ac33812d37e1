"""The new-regency tutorial, run as written: every command, every Python step, in order.

docs/tutorials/new-regency.md is the test: each ``sh`` block is run through the command line
(in-process, through its real error boundary), each ``python`` block is executed (it fills the
forms with openpyxl, as the OPDs would in Excel), and every line of a ``text`` block must appear
in what the command before it printed. ``none`` blocks are illustrations and are not run.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from cityeval.cli import main

openpyxl = pytest.importorskip("openpyxl")
pytest.importorskip("jinja2")

TUTORIAL = Path(__file__).parents[2] / "docs" / "tutorials" / "new-regency.md"
_FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.M | re.S)


def blocks() -> list[tuple[str, str]]:
    """The tutorial's fenced blocks, in order, as (language, text)."""
    return [(m.group(1), m.group(2)) for m in _FENCE.finditer(TUTORIAL.read_text("utf-8"))]


def commands(text: str) -> list[list[str]]:
    """The command lines of a ``sh`` block, backslash continuations joined."""
    return [shlex.split(line) for line in text.replace("\\\n", " ").splitlines() if line.strip()]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_tutorial_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")  # wide enough that rich wraps no line
    monkeypatch.setenv("CITYEVAL_LANG", "en")  # the page is the English original
    namespace: dict[str, object] = {}
    printed = ""
    ran = {"sh": 0, "python": 0, "text": 0}
    for lang, text in blocks():
        if lang == "sh":
            printed = ""
            for argv in commands(text):
                assert argv[0] == "cityeval", argv
                status = main(argv[1:])
                captured = capsys.readouterr()
                printed += captured.out + captured.err
                assert status == 0, f"{shlex.join(argv)} failed:\n{printed}"
            ran["sh"] += 1
        elif lang == "python":
            exec(compile(text, f"{TUTORIAL.name} (python block)", "exec"), namespace)
            ran["python"] += 1
        elif lang == "text":
            for line in text.splitlines():
                assert _squash(line) in _squash(printed), f"not printed: {line!r}\n{printed}"
            ran["text"] += 1
    assert ran["sh"] >= 8 and ran["python"] == 2 and ran["text"] >= 5

    # what the tutorial promises, checked in the files it leaves behind
    assert sorted(p.name for p in Path("forms-2025-1").iterdir()) == [
        "form-bappeda.xlsx",
        "form-diskominfo.xlsx",
    ]
    assert openpyxl.load_workbook("forms-2025-1/form-bappeda.xlsx").sheetnames == [
        "Petunjuk",
        "Bappeda",
        "_cityeval",
    ]
    first = json.loads(Path("laporan-2025-1/scorecard.json").read_text("utf-8"))
    second = json.loads(Path("laporan-2025-2/scorecard.json").read_text("utf-8"))
    assert first["round"]["id"] == "2025-tahap-1" and first["round"]["date"] == "2025-06-30"
    dims = [n for n in first["nodes"] if n["level"] == "dimension"]
    assert len(dims) == 6 and sum(d["score"] is None for d in dims) == 3  # Diskominfo's
    assert second["compare"]["id"] == "2025-tahap-1"
    page = Path("laporan-2025-2/report.html").read_text("utf-8")
    assert page.count("belum ada data") == 3  # a gap per dimension without an earlier score

"""cityeval evaluate writes the same files with and without its second process."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from cityeval.cli import main

ARGS = ["evaluate", "banyuasin", "--round", "2019-tahap-3", "--compare", "2018-tahap-2"]


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_files_are_the_same_with_and_without_a_child(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lang: str,
) -> None:
    shown = {}
    for flag in ("1", "0"):
        monkeypatch.setenv("CITYEVAL_BACKGROUND", flag)
        assert main([*ARGS, "--lang", lang, "--out", str(tmp_path / flag)]) == 0
        shown[flag] = capsys.readouterr().out.replace(str(tmp_path / flag), "OUT")
    assert shown["1"] == shown["0"]
    for name in ("scorecard.json", "scorecard.csv", "report.html", "summary.md"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "0" / name).read_bytes()
    for name in ("scorecard.xlsx", "report.docx"):  # zip time stamps aside
        one, zero = _members(tmp_path / "1" / name), _members(tmp_path / "0" / name)
        assert list(one) == list(zero)
        changing = {"docProps/core.xml"} if name == "scorecard.xlsx" else set()
        assert {k: v for k, v in one.items() if k not in changing} == {
            k: v for k, v in zero.items() if k not in changing
        }

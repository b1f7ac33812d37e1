"""io/outputs.py: a command's files appear together or not at all, inputs are never
replaced, bad destinations are the library's own error, CSV cells never run as formulas."""

from __future__ import annotations

import csv
import errno
import io
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cityeval.errors import OutputError
from cityeval.io import outputs
from cityeval.io.outputs import (
    FORMULA_TRIGGERS,
    OutputSet,
    csv_text,
    neutralise_cell,
    write_output_file,
)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".cityeval-staging-"))


def test_a_new_folder_gets_every_file_at_once(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    with OutputSet(dest) as out:
        out.write_text("a.txt", "A")
        out.write_bytes("b.bin", b"\x00B")
        assert not dest.exists()  # nothing is in place before the block ends
        assert out.names == ("a.txt", "b.bin")
    assert (dest / "a.txt").read_text() == "A" and (dest / "b.bin").read_bytes() == b"\x00B"
    assert _leftovers(tmp_path) == []


def test_an_existing_folder_gets_the_new_set_and_keeps_other_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("old")
    (tmp_path / "keep.txt").write_text("mine")
    out = OutputSet(tmp_path)
    out.write_text("a.txt", "new")
    out.write_text("c.txt", "C")
    assert out.commit() == [tmp_path / "a.txt", tmp_path / "c.txt"]
    assert (tmp_path / "a.txt").read_text() == "new"
    assert (tmp_path / "keep.txt").read_text() == "mine"
    assert _leftovers(tmp_path) == []


def _fail_half_way(folder: Path) -> None:
    with OutputSet(folder) as out:
        out.write_text("a.txt", "new")
        raise ValueError("half-way")


def test_a_failure_inside_the_block_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("old")
    with pytest.raises(ValueError, match="half-way"):
        _fail_half_way(tmp_path)
    assert (tmp_path / "a.txt").read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_a_failed_move_puts_the_old_files_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(f"old {name}")
    out = OutputSet(tmp_path)
    out.write_text("a.txt", "new a")
    out.write_text("b.txt", "new b")
    real = os.replace
    calls = []

    def flaky(src: os.PathLike[str], dst: os.PathLike[str]) -> None:
        calls.append((src, dst))
        if (
            Path(dst) == tmp_path / "b.txt"
            and "staging" in str(src)
            and ".previous" not in str(src)
        ):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(outputs.os, "replace", flaky)
    with pytest.raises(OutputError, match="no space left on the device"):
        out.commit()
    monkeypatch.setattr(outputs.os, "replace", real)
    assert (tmp_path / "a.txt").read_text() == "old a.txt"
    assert (tmp_path / "b.txt").read_text() == "old b.txt"
    assert _leftovers(tmp_path) == []


def test_an_input_is_never_overwritten(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text("unit\n")
    out = OutputSet(tmp_path, protect=[data])
    with pytest.raises(OutputError, match="is an input of this command"):
        out.write_text("data.csv", "x")
    out.discard()
    assert data.read_text() == "unit\n"


@pytest.mark.parametrize("name", ["", ".", "..", "../a.txt", "/tmp/a.txt", "sub/../../a.txt"])
def test_only_relative_file_names_inside_the_folder(tmp_path: Path, name: str) -> None:
    with pytest.raises(OutputError, match="not a relative file name inside the folder"):
        OutputSet(tmp_path / "out").write_text(name, "x")


def test_a_file_in_a_subfolder_lands_with_the_set(tmp_path: Path) -> None:
    with OutputSet(tmp_path / "out") as out:
        out.write_text("sub/a.txt", "x")
    assert (tmp_path / "out" / "sub" / "a.txt").read_text() == "x"


def test_destinations_that_cannot_be_used_are_output_errors(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        OutputSet(a_file)
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "sub").mkdir()
    with pytest.raises(OutputError, match="is a folder, not a file"):
        OutputSet(tmp_path / "dir").write_text("sub", "x")
    with pytest.raises(OutputError, match="below"):
        OutputSet(a_file / "below").write_text("a.txt", "x")


def test_an_unwritable_folder_is_an_output_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(OutputError, match="permission denied"):
        OutputSet(tmp_path / "new").write_text("a.txt", "x")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (errno.EROFS, "permission denied"),
        (errno.EDQUOT, "disk quota exceeded"),
        (errno.ENAMETOOLONG, "too long"),
        (errno.EISDIR, "is a folder"),
        (errno.EIO, "Input/output error"),
    ],
)
def test_os_errors_are_described(code: int, message: str) -> None:
    assert message in outputs._describe(OSError(code, os.strerror(code)))


def test_a_set_is_used_once(tmp_path: Path) -> None:
    out = OutputSet(tmp_path)
    assert out.commit() == []  # nothing staged, nothing moved
    with pytest.raises(RuntimeError):
        out.commit()
    with pytest.raises(RuntimeError):
        out.write_text("a.txt", "x")


def test_an_announced_file_that_was_never_written_is_an_error(tmp_path: Path) -> None:
    out = OutputSet(tmp_path / "o")
    out.path("chart.png")  # a library was to write it, and did not
    with pytest.raises(OutputError, match="announced but never written"):
        out.commit()
    assert not (tmp_path / "o").exists()


def test_write_output_file_replaces_one_file(tmp_path: Path) -> None:
    target = tmp_path / "one.json"
    target.write_text("old")
    assert write_output_file(target, b"new") == target
    assert target.read_bytes() == b"new"
    with pytest.raises(OutputError, match="input"):
        write_output_file(target, b"x", protect=[target])


@given(st.text(max_size=20))
def test_no_neutralised_text_cell_starts_a_formula(text: str) -> None:
    cell = neutralise_cell(text)
    assert isinstance(cell, str)
    if cell.startswith(FORMULA_TRIGGERS):
        float(cell)  # only a number may start with + or -
    assert cell in (text, "'" + text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("-1.5", "-1.5"), ("+x", "'+x"),
     ("\tx", "'\tx"), ("ok", "ok"), (3.5, 3.5), (None, None)],
)  # fmt: skip
def test_neutralise_cell_follows_owasp(value: object, expected: object) -> None:
    assert neutralise_cell(value) == expected


def test_csv_text_neutralises_header_and_rows_and_keeps_numbers() -> None:
    text = csv_text([["=cmd", 1.25], ["-2", -2.0]], header=["unit", "+score"])
    assert list(csv.reader(io.StringIO(text))) == [
        ["unit", "'+score"], ["'=cmd", "1.25"], ["-2", "-2.0"]
    ]  # fmt: skip
    assert text.endswith("\n") and "\r" not in text

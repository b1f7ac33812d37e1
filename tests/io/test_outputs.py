"""Outputs written as one transaction, with the user's umask, and CSV cells no spreadsheet runs.

The machine runs the tests as root, so a folder that cannot be written and a full disk are
simulated by making the OS calls fail (monkeypatch), not with chmod.
"""

from __future__ import annotations

import csv
import errno
import io
import math
import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cityeval.errors import CityevalError, OutputError
from cityeval.io.outputs import (
    FORMULA_TRIGGERS,
    OutputSet,
    check_output_folder,
    csv_table,
    csv_text,
    neutralise_cell,
    number_cells,
    write_output_file,
)


@pytest.fixture
def umask() -> Iterator[int]:
    """Run with umask 027 (group may read, others nothing) and restore the old one."""
    old = os.umask(0o027)
    try:
        yield 0o027
    finally:
        os.umask(old)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def fill(folder: Path) -> dict[str, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_bytes(b"old a\n")
    (folder / "b.txt").write_bytes(b"old b\n")
    (folder / "keep.txt").write_bytes(b"not an output\n")
    return snapshot(folder)


def write_set(folder: Path, files: dict[str, str], *, fail: bool = False) -> None:
    """Stage ``files`` into ``folder``; with ``fail``, a later stage then raises."""
    with OutputSet(folder) as out:
        for name, text in files.items():
            out.write_text(name, text)
        if fail:
            raise ZeroDivisionError("a later stage fails")


# -- the transaction ------------------------------------------------------------------------


def test_new_folder_gets_every_file(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "out"
    with OutputSet(target) as out:
        out.write_text("a.txt", "new a\n")
        out.write_bytes("b.bin", b"\x00\x01")
        assert not target.exists()  # nothing visible before the end of the block
    assert snapshot(target) == {"a.txt": b"new a\n", "b.bin": b"\x00\x01"}
    assert not list(tmp_path.rglob(".cityeval-staging-*"))


def test_existing_folder_replaces_only_the_outputs(tmp_path: Path) -> None:
    before = fill(tmp_path / "out")
    with OutputSet(tmp_path / "out") as out:
        out.write_text("a.txt", "new a\n")
        out.write_text("c.txt", "new c\n")
    after = snapshot(tmp_path / "out")
    assert after == {**before, "a.txt": b"new a\n", "c.txt": b"new c\n"}
    assert not list((tmp_path / "out").glob(".cityeval-staging-*"))


def test_exception_in_block_leaves_the_folder_byte_identical(tmp_path: Path) -> None:
    before = fill(tmp_path / "out")
    with pytest.raises(ZeroDivisionError):
        write_set(tmp_path / "out", {"a.txt": "new a\n", "b.txt": "new b\n"}, fail=True)
    assert snapshot(tmp_path / "out") == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.txt", "b.txt", "keep.txt"]


def test_failed_move_rolls_every_file_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The move of the second file fails after the first old file was moved aside and the
    first new file put in place: both old files must come back."""
    before = fill(tmp_path / "out")
    real = os.replace
    calls: list[tuple[str, str]] = []

    def flaky(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append((str(src), str(dst)))
        # staging/b.txt -> out/b.txt is the fourth move (a aside, a in, b aside, b in)
        if len(calls) == 4:
            raise OSError(errno.EIO, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    with pytest.raises(OutputError, match="Input/output error"):
        write_set(tmp_path / "out", {"a.txt": "new a\n", "b.txt": "new b\n"})
    monkeypatch.setattr(os, "replace", real)
    assert snapshot(tmp_path / "out") == before
    assert not list((tmp_path / "out").glob(".cityeval-staging-*"))


def test_nested_names_and_rollback_removes_new_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pkg").mkdir()
    with OutputSet(tmp_path / "pkg") as out:
        out.write_text("src/mod/__init__.py", "")
        out.write_text("README.md", "hello\n")
    assert snapshot(tmp_path / "pkg") == {"README.md": b"hello\n", "src/mod/__init__.py": b""}

    (tmp_path / "empty").mkdir()
    real = os.replace

    def fail_second(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if str(dst).endswith("README.md"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", fail_second)
    with pytest.raises(OutputError, match="no space left"):
        write_set(tmp_path / "empty", {"src/mod/__init__.py": "", "README.md": "hello\n"})
    assert list((tmp_path / "empty").iterdir()) == []


@pytest.mark.parametrize("name", ["", "/abs.txt", "../up.txt", "a/../b", "a//b", "."])
def test_names_outside_the_folder_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(OutputError, match="not a relative file name"), OutputSet(tmp_path) as out:
        out.write_text(name, "x")


def test_announced_but_unwritten_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="never written"), OutputSet(tmp_path / "o") as out:
        out.path("chart.png")  # the library that should have written it did not
    assert not (tmp_path / "o").exists()


# -- paths that cannot be written ----------------------------------------------------------


def test_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        OutputSet(tmp_path / "f")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        check_output_folder(tmp_path / "f")
    with pytest.raises(OutputError, match="is a file, not a folder") as info:
        check_output_folder(tmp_path / "f" / "below")
    assert info.value.path == str(tmp_path / "f")


def test_output_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.txt").mkdir()
    with pytest.raises(OutputError, match="is a folder, not a file"), OutputSet(tmp_path) as out:
        out.write_text("a.txt", "x")


def test_inputs_are_never_replaced(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text("unit\n")
    with pytest.raises(OutputError, match="is an input"), OutputSet(tmp_path, protect=[data]) as o:
        o.write_text("data.csv", "overwritten")
    assert data.read_text() == "unit\n"


def test_folder_that_cannot_be_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", denied)
    with pytest.raises(OutputError) as info, OutputSet(tmp_path / "out") as out:
        out.write_text("a.txt", "x")
    assert (
        str(info.value) == f"{tmp_path / 'out'}: permission denied: the folder cannot be written"
    )
    assert isinstance(info.value, CityevalError)


def test_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = fill(tmp_path / "out")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError) as info, OutputSet(tmp_path / "out") as out:
        out.write_text("a.txt", "new a\n")
    assert str(info.value) == f"{tmp_path / 'out' / 'a.txt'}: no space left on the device"
    monkeypatch.undo()
    assert snapshot(tmp_path / "out") == before


def test_library_writing_a_staged_file_hits_a_full_disk(tmp_path: Path) -> None:
    """An OSError about a staged file (from openpyxl, matplotlib) names the output."""

    def save_workbook() -> None:
        with OutputSet(tmp_path / "out") as out:
            staged = out.path("book.xlsx")
            raise OSError(errno.ENOSPC, "No space left on device", str(staged))

    with pytest.raises(OutputError) as info:
        save_workbook()
    assert str(info.value) == f"{tmp_path / 'out' / 'book.xlsx'}: no space left on the device"
    assert not (tmp_path / "out").exists()


def test_other_errors_in_the_block_pass_through(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError), OutputSet(tmp_path / "out"):
        (tmp_path / "missing-input.csv").read_text()


# -- umask -----------------------------------------------------------------------------------


def test_files_and_new_folders_follow_the_umask(tmp_path: Path, umask: int) -> None:
    with OutputSet(tmp_path / "new") as out:
        out.write_text("a.txt", "x")
        out.write_text("sub/b.txt", "y")
    assert (tmp_path / "new").stat().st_mode & 0o777 == 0o777 & ~umask
    assert (tmp_path / "new" / "a.txt").stat().st_mode & 0o777 == 0o666 & ~umask
    assert (tmp_path / "new" / "sub").stat().st_mode & 0o777 == 0o777 & ~umask
    existing = tmp_path / "existing"
    existing.mkdir()
    write_output_file(existing / "c.txt", b"z")
    assert (existing / "c.txt").stat().st_mode & 0o777 == 0o666 & ~umask


def test_umask_022_gives_files_others_can_read(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_output_file(tmp_path / "r.json", b"{}")
    finally:
        os.umask(old)
    assert (tmp_path / "r.json").stat().st_mode & 0o777 == 0o644


# -- CSV neutralisation ---------------------------------------------------------------------


@pytest.mark.parametrize("start", FORMULA_TRIGGERS)
def test_every_trigger_is_neutralised(start: str) -> None:
    assert neutralise_cell(start + "cmd|' /C calc'!A0") == "'" + start + "cmd|' /C calc'!A0"


@pytest.mark.parametrize("number", ["-1.5", "+2", "-0", "-1e-3", "+inf"])
def test_numbers_stay_numbers(number: str) -> None:
    assert neutralise_cell(number) == number


def test_non_text_is_untouched() -> None:
    assert neutralise_cell(-1.5) == -1.5
    assert neutralise_cell(None) is None


def reference_csv_table(
    header: list[str], keys: list[list[str]], values: np.ndarray, integers: bool
) -> str:
    """The plain way: csv.writer over neutralised text cells and formatted numbers."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([neutralise_cell(h) for h in header])
    for key_row, row in zip(keys, values.tolist(), strict=True):
        cells = [
            "" if not math.isfinite(x) else (str(int(x)) if integers else repr(x)) for x in row
        ]
        writer.writerow([*(neutralise_cell(k) for k in key_row), *cells])
    return buf.getvalue()


text_cells = st.text(
    alphabet=st.sampled_from([*FORMULA_TRIGGERS, "a", "1", ",", '"', "\n", " ", "é", "."]),
    max_size=6,
)
numbers = st.floats(allow_nan=True, allow_infinity=True, width=64) | st.sampled_from(
    [float("nan"), -0.0, 1e16, 1e-7, -3.0]
)


@given(
    data=st.data(),
    n_rows=st.integers(1, 6),
    n_keys=st.integers(1, 2),
    n_cols=st.integers(0, 5),
    integers=st.booleans(),
)
def test_csv_table_agrees_with_the_plain_writer(
    data: st.DataObject, n_rows: int, n_keys: int, n_cols: int, integers: bool
) -> None:
    header = data.draw(st.lists(text_cells, min_size=n_keys + n_cols, max_size=n_keys + n_cols))
    keys = [
        data.draw(st.lists(text_cells, min_size=n_keys, max_size=n_keys)) for _ in range(n_rows)
    ]
    element = (
        st.integers(-(10**6), 10**6).map(float) | st.just(float("nan")) if integers else numbers
    )
    values = np.array(
        [data.draw(st.lists(element, min_size=n_cols, max_size=n_cols)) for _ in range(n_rows)],
        dtype=np.float64,
    ).reshape(n_rows, n_cols)
    got = csv_table(header, keys, values, integers=integers)
    expected = reference_csv_table(header, keys, values, integers)
    # A reader gets back exactly the neutralised cells. csv_table also quotes a carriage
    # return, which the csv module leaves bare when lines end with \n (and a reader then
    # loses it), so the text equals the csv module's only without one.
    cells = [[str(neutralise_cell(h)) for h in header]] + [
        [str(neutralise_cell(k)) for k in key_row]
        + ["" if not math.isfinite(x) else (str(int(x)) if integers else repr(x)) for x in row]
        for key_row, row in zip(keys, values.tolist(), strict=True)
    ]
    assert list(csv.reader(io.StringIO(got, newline=""))) == cells
    if "\r" not in expected:
        assert got == expected
    # and no text cell a spreadsheet would run survives, read back as a reader sees it
    for row in csv.reader(io.StringIO(got)):
        for cell in row[:n_keys]:
            assert not cell.startswith(FORMULA_TRIGGERS) or neutralise_cell(cell) == cell


def test_number_cells_round_trip() -> None:
    values = np.array([[0.1, -2.5e-300, np.nan], [1e22, 53.281673610384731, -0.0]])
    cells = number_cells(values)
    assert cells[:2] == ["0.1", "-2.5e-300"] and cells[2] == "nan"
    back = np.array([float(c) for c in cells]).reshape(values.shape)
    np.testing.assert_array_equal(back, values)


def test_csv_text_neutralises_header_and_rows() -> None:
    text = csv_text([["=1+1", 2.5], ["ok", "-3"]], header=["@unit", "x"])
    assert text == "'@unit,x\n'=1+1,2.5\nok,-3\n"

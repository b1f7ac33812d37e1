"""Every command's outputs through the real error boundary: whole sets, one-line errors for
paths that cannot be written, the user's umask, and CSV cells that no spreadsheet runs.

The tests run as root, so unwritable folders and full disks are simulated at the OS level.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cityeval.cli import app as app_module

FRAMEWORK = """\
id: kecil
name: {id: Indeks kecil, en: Small index}
levels: [dimension, indicator]
dimensions:
  - id: a
    label: A
    indicators:
      - {id: x, label: X}
      - {id: y, label: Y, direction: lower}
  - id: b
    label: B
    indicators:
      - {id: z, label: Z}
"""

# Unit codes a spreadsheet would run as formulas (a leading tab or carriage return is refused
# by the data reader, so it never reaches an output).
HOSTILE = ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "plain", "-7")
DATA = "unit,x,y,z\n" + "".join(
    f'"{u}",{10 + 7 * k % 13},{3 + k},{(5 * k) % 11}\n' for k, u in enumerate(HOSTILE)
)


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    status = app_module.run([str(a) for a in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def inputs(tmp_path: Path) -> tuple[Path, Path]:
    fw, data = tmp_path / "kecil.yaml", tmp_path / "data.csv"
    fw.write_text(FRAMEWORK, encoding="utf-8")
    data.write_text(DATA, encoding="utf-8")
    return fw, data


def score_args(inputs: tuple[Path, Path], out: Path, *extra: object) -> list[object]:
    return ["score", "--framework", inputs[0], "--data", inputs[1], "--out", out, *extra]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def one_line_error(status: int, out: str, err: str, *needles: str) -> None:
    assert status == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err + out
    for needle in needles:
        assert needle in err, err


def deny_mkdir(monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", denied)


def fill_disk_after(monkeypatch: pytest.MonkeyPatch, n_files: int) -> None:
    """Let ``n_files`` staged files be written, then the disk is full."""
    real = os.fsync
    count = iter(range(10**6))

    def fsync(fd: int) -> None:
        if next(count) >= n_files:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


# -- score -------------------------------------------------------------------------------------


def test_score_writes_neutralised_csv(
    inputs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, *score_args(inputs, tmp_path / "out"))
    assert (status, err) == (0, "")
    assert "wrote " in out
    for name in ("scores.csv", "ranks.csv"):
        text = (tmp_path / "out" / name).read_text(encoding="utf-8")
        units = [row[0] for row in csv.reader(io.StringIO(text, newline=""))][1:]
        assert units == ["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "plain", "-7"], name
    doc = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert doc["units"] == list(HOSTILE)  # JSON holds the codes as they are


def test_terminal_shows_formula_units_as_text(
    inputs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, *score_args(inputs, tmp_path / "out", "--top", 6))
    assert status == 0
    assert "=1+1" in out and "@cmd" in out


@pytest.mark.parametrize(
    "make",
    [
        lambda p: (p / "out").write_text("x"),  # --out is a file
        lambda p: (p / "f").write_text("x"),  # --out lies under a file
    ],
)
def test_score_out_that_is_a_file(
    inputs: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Path], object],
) -> None:
    make(tmp_path)
    target = tmp_path / "out" if (tmp_path / "out").exists() else tmp_path / "f" / "out"
    status, out, err = run(capsys, *score_args(inputs, target))
    one_line_error(status, out, err, "is a file, not a folder")


def test_score_unwritable_folder(
    inputs: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    deny_mkdir(monkeypatch)
    status, out, err = run(capsys, *score_args(inputs, tmp_path / "new"))
    one_line_error(status, out, err, "permission denied")
    assert not (tmp_path / "new").exists()


def test_score_full_disk_keeps_the_previous_results(
    inputs: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert run(capsys, *score_args(inputs, tmp_path / "out"))[0] == 0
    before = snapshot(tmp_path / "out")
    (tmp_path / "data.csv").write_text(DATA.replace("plain", "other"), encoding="utf-8")
    fill_disk_after(monkeypatch, 2)  # scores.csv and ranks.csv fit, results.json does not
    status, out, err = run(capsys, *score_args(inputs, tmp_path / "out"))
    one_line_error(status, out, err, "results.json", "no space left on the device")
    assert snapshot(tmp_path / "out") == before
    assert not list((tmp_path / "out").glob(".cityeval-staging-*"))


def test_score_never_overwrites_its_data(
    inputs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "scores.csv"
    data.write_text(DATA, encoding="utf-8")
    status, out, err = run(
        capsys, "score", "--framework", inputs[0], "--data", data, "--out", tmp_path
    )
    one_line_error(status, out, err, "is an input of this command")
    assert data.read_text(encoding="utf-8") == DATA


def test_score_parquet_and_stages(
    inputs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    status, _, err = run(
        capsys, *score_args(inputs, tmp_path / "out", "--parquet", "--stages", "full")
    )
    assert (status, err) == (0, "")
    table = pq.read_table(tmp_path / "out" / "scores.parquet")
    assert table.column("unit").to_pylist() == list(HOSTILE)
    doc = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert doc["stages"]["mode"] == "full"
    status, out, err = run(capsys, *score_args(inputs, tmp_path / "o2", "--stages", "some"))
    one_line_error(status, out, err, "--stages", "changes, full, none")


@pytest.fixture
def umask_027() -> Iterator[None]:
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def test_score_files_follow_the_umask(
    inputs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], umask_027: None
) -> None:
    assert run(capsys, *score_args(inputs, tmp_path / "out"))[0] == 0
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o750
    for path in (tmp_path / "out").iterdir():
        assert path.stat().st_mode & 0o777 == 0o640, path.name


# -- import-coinr ------------------------------------------------------------------------------


IDATA = "uCode,uName,x1,x2\nA,Alpha,1,2\nB,Beta,3,4\nC,Gamma,5,1\n"
IMETA = (
    "Level,iCode,iName,Direction,Weight,Parent,Type\n"
    "1,x1,X one,1,1,g,Indicator\n"
    "1,x2,X two,1,1,g,Indicator\n"
    "2,g,Group,,1,,Aggregate\n"
)


def coinr_tables(tmp_path: Path) -> tuple[Path, Path]:
    idata, imeta = tmp_path / "iData.csv", tmp_path / "iMeta.csv"
    idata.write_text(IDATA, encoding="utf-8")
    imeta.write_text(IMETA, encoding="utf-8")
    return idata, imeta


def test_import_coinr_writes_both_files_with_the_umask(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], umask_027: None
) -> None:
    idata, imeta = coinr_tables(tmp_path)
    status, _, err = run(capsys, "import-coinr", idata, imeta, "--out-dir", tmp_path / "idx")
    assert (status, err) == (0, ""), err
    assert sorted(p.name for p in (tmp_path / "idx").iterdir()) == ["data.csv", "framework.yaml"]
    assert (tmp_path / "idx" / "data.csv").stat().st_mode & 0o777 == 0o640


def test_import_coinr_out_dir_that_is_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    idata, imeta = coinr_tables(tmp_path)
    status, out, err = run(capsys, "import-coinr", idata, imeta, "--out-dir", idata)
    one_line_error(status, out, err, "is a file, not a folder")
    assert idata.read_text(encoding="utf-8") == IDATA


def test_import_coinr_unwritable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    idata, imeta = coinr_tables(tmp_path)
    deny_mkdir(monkeypatch)
    status, out, err = run(capsys, "import-coinr", idata, imeta, "--out-dir", tmp_path / "new")
    one_line_error(status, out, err, "permission denied")


# -- plugin new --------------------------------------------------------------------------------


def test_plugin_new_out_that_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "f").write_text("x")
    status, out, err = run(capsys, "plugin", "new", "kota-contoh", "--out", tmp_path / "f")
    one_line_error(status, out, err, "is not a folder")


def test_plugin_new_unwritable_or_full_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_disk_after(monkeypatch, 3)
    status, out, err = run(capsys, "plugin", "new", "kota-contoh", "--out", tmp_path / "pkg")
    one_line_error(status, out, err, "no space left on the device")
    assert not (tmp_path / "pkg").exists()
    assert not list(tmp_path.glob(".cityeval-staging-*"))
    monkeypatch.undo()
    deny_mkdir(monkeypatch)
    status, out, err = run(capsys, "plugin", "new", "kota-contoh", "--out", tmp_path / "pkg")
    one_line_error(status, out, err, "permission denied")


def test_plugin_new_into_an_empty_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pkg").mkdir()
    status, out, err = run(capsys, "plugin", "new", "kota-contoh", "--out", tmp_path / "pkg")
    assert (status, err) == (0, "")
    assert (tmp_path / "pkg" / "src" / "cityeval_kota_contoh" / "py.typed").is_file()
    assert "wrote 8 files" in out


# -- evaluate ----------------------------------------------------------------------------------


EVALUATE = ("evaluate", "banyuasin", "--round", "2019-tahap-3", "--compare", "2018-tahap-2")


@pytest.fixture
def report_libraries() -> None:
    pytest.importorskip("openpyxl")
    pytest.importorskip("jinja2")


def test_failed_evaluate_leaves_the_scorecard_byte_identical(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    report_libraries: None,
) -> None:
    out_dir = tmp_path / "laporan"
    status, _, err = run(capsys, *EVALUATE, "--out", out_dir, "--lang", "id")
    assert (status, err) == (0, "")
    before = snapshot(out_dir)
    # scorecard.json, .csv, .xlsx, report.html, and the written summary: summary.md, report.docx
    assert len(before) == 6

    # A later stage fails: the HTML page, after the JSON, CSV and workbook are made.
    from cityeval.errors import CityevalError
    from cityeval.report import html

    def broken(*args: object, **kwargs: object) -> str:
        raise CityevalError("the HTML report needs jinja2: pip install 'cityeval[report]'")

    monkeypatch.setattr(html, "render_html", broken)
    status, out, err = run(capsys, *EVALUATE, "--out", out_dir, "--lang", "en")
    one_line_error(status, out, err, "jinja2")
    assert snapshot(out_dir) == before

    # The disk fills up while the workbook is written.
    monkeypatch.undo()
    fill_disk_after(monkeypatch, 2)
    status, out, err = run(capsys, *EVALUATE, "--out", out_dir, "--lang", "en")
    one_line_error(status, out, err, "scorecard.xlsx", "no space left on the device")
    assert snapshot(out_dir) == before
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(before)


def test_evaluate_out_that_is_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], report_libraries: None
) -> None:
    (tmp_path / "f").write_text("x")
    status, out, err = run(capsys, *EVALUATE, "--out", tmp_path / "f")
    one_line_error(status, out, err, "is a file, not a folder")


def test_evaluate_unwritable_folder(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    report_libraries: None,
) -> None:
    deny_mkdir(monkeypatch)
    status, out, err = run(capsys, *EVALUATE, "--out", tmp_path / "new")
    one_line_error(status, out, err, "permission denied")


def test_evaluate_files_follow_the_umask(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], umask_027: None, report_libraries: None
) -> None:
    assert run(capsys, *EVALUATE, "--out", tmp_path / "r")[0] == 0
    modes = {p.name: p.stat().st_mode & 0o777 for p in (tmp_path / "r").iterdir()}
    assert set(modes.values()) == {0o640}


def test_scorecard_csv_neutralises_formula_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], report_libraries: None
) -> None:
    from tests.report import conftest

    plan = tmp_path / "hostile.yaml"
    plan.write_text(conftest.HOSTILE, encoding="utf-8")
    rounds = []
    for k, text in enumerate(conftest.HOSTILE_ROUNDS):
        rounds.append(tmp_path / f"round{k}.yaml")
        rounds[-1].write_text(text, encoding="utf-8")
    status, _, err = run(
        capsys, "evaluate", plan, "--round", rounds[1], "--compare", rounds[0],
        "--out", tmp_path / "r",
    )  # fmt: skip
    assert (status, err) == (0, ""), err
    text = (tmp_path / "r" / "scorecard.csv").read_text(encoding="utf-8-sig")
    labels = {row["id"]: row["label"] for row in csv.DictReader(io.StringIO(text, newline=""))}
    assert labels["formula"] == "'" + conftest.HYPERLINK
    assert labels["arithmetic"] == "'" + conftest.ARITHMETIC
    assert labels["later"] == "'=1+1"
    assert labels["script"] == conftest.SCRIPT  # harmless in a spreadsheet


def test_terminal_escapes_control_characters_in_labels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fw = tmp_path / "esc.yaml"
    fw.write_text(
        FRAMEWORK.replace("{id: Indeks kecil, en: Small index}", '"\\e[31mRed\\a index"'),
        encoding="utf-8",
    )
    data = tmp_path / "data.csv"
    data.write_text(DATA, encoding="utf-8")
    status, out, err = run(capsys, "score", "-f", fw, "-d", data, "--out", tmp_path / "o")
    assert (status, err) == (0, ""), err
    assert "\x1b" not in out and "\a" not in out
    assert "\\x1b[31mRed\\x07 index" in out

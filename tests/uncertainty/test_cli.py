"""``cityeval uncertainty`` on the ASEM example: files, columns, and user errors (exit 2)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from cityeval.cli import main
from cityeval.io.coinr import import_coinr
from tests.shared_data import require_asem

REPO = Path(__file__).resolve().parents[2]
ASEM = REPO.parent / "shared" / "datasets" / "asem"
PIPELINE = REPO / "docs" / "examples" / "asem-pipeline.yaml"
EXAMPLE = REPO / "docs" / "examples" / "asem-uncertainty.yaml"


@pytest.fixture(scope="module", autouse=True)
def _asem_data() -> None:
    """Skip locally, fail under CI, when the shared ASEM data set is missing."""
    require_asem()


@pytest.fixture(scope="module")
def asem(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return import_coinr(ASEM / "iData.csv", ASEM / "iMeta.csv", tmp_path_factory.mktemp("asem"))


def _run(asem: tuple[Path, Path], spec: Path, out: Path, *extra: str) -> int:
    return main(
        [
            "uncertainty",
            "--framework",
            str(asem[0]),
            "--data",
            str(asem[1]),
            "--pipeline",
            str(PIPELINE),
            "--spec",
            str(spec),
            "--out",
            str(out),
            *extra,
        ]
    )


def _small_example(tmp_path: Path) -> Path:
    spec = tmp_path / "spec.yaml"
    spec.write_text(EXAMPLE.read_text().replace("draws: 1024", "draws: 32"))
    return spec


def test_the_example_writes_every_file(
    asem: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("resvg_py")
    out = tmp_path / "out"
    assert _run(asem, _small_example(tmp_path), out, "--batch-size", "48") == 0
    for name in ("rank_intervals", "sobol"):
        assert (out / f"{name}.svg").read_text().lstrip().startswith("<?xml")
        assert (out / f"{name}.png").read_bytes()[:4] == b"\x89PNG"
    with (out / "rank_intervals.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == [
        "unit", "node", "nominal", "median", "mean", "q05", "q95",
        "score_nominal", "score_median", "score_mean", "score_q05", "score_q95",
    ]  # fmt: skip
    # By default the index and its dimensions (ASEM's two sub-indices), the index first.
    assert len(rows) == 51 * 3 and rows[0]["node"] == "Index"
    assert {r["node"] for r in rows} == {"Index", "Conn", "Sust"}
    with (out / "sobol.csv").open() as fh:
        sobol = list(csv.DictReader(fh))
    assert list(sobol[0]) == ["output", "factor", "S1", "S1_conf", "ST", "ST_conf"]
    assert sobol[0]["output"] == "mean_abs_rank_shift"
    assert len(sobol) == (1 + 51) * 4
    with (out / "draws.csv").open() as fh:
        draws = list(csv.DictReader(fh))
    assert len(draws) == 32 * 6 and draws[0]["block"] == "A"
    assert draws[0]["aggregation"] in ("arithmetic", "geometric")
    summary = json.loads((out / "summary.json").read_text())
    assert summary["score_precision"] == "single"
    assert summary["node_selection"] == "dimensions" and summary["nodes"] == 3
    assert summary["model_runs"] == 32 * 6 and summary["draws"] == 64
    printed = capsys.readouterr().out
    assert "Sobol' indices" in printed and "wrote" in printed


def test_a_spec_error_exits_2_with_one_message(
    asem: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text("draws: 8\nfactors:\n  gone: {step: exclude, level: 6}\n")
    assert _run(asem, spec, tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        "error: bad.yaml: factors.gone.level: unknown level 6 (levels are 1 = indicator, "
        "2 = pillar, 3 = sub-index, 4 = index)"
    )


def test_workers_and_scheduler_exclude_each_other(
    asem: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _run(
        asem, _small_example(tmp_path), tmp_path / "o", "--workers", "2", "--scheduler", "x:1"
    )
    assert code == 2
    assert "give --workers or --scheduler, not both" in capsys.readouterr().err


def test_threads_are_for_in_process_runs(
    asem: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _run(asem, _small_example(tmp_path), tmp_path / "o", "--workers", "2", "--threads", "2")
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        "error: --threads is for in-process runs: give it without --workers or --scheduler"
    )
    assert not (tmp_path / "o").exists()


def test_threads_give_the_same_files(asem: tuple[Path, Path], tmp_path: Path) -> None:
    spec = _small_example(tmp_path)
    assert _run(asem, spec, tmp_path / "one", "--threads", "1", "--no-charts") == 0
    assert _run(asem, spec, tmp_path / "three", "--threads", "3", "--no-charts") == 0
    for name in ("rank_intervals.csv", "sobol.csv", "draws.csv"):
        one = (tmp_path / "one" / name).read_bytes()
        assert one == (tmp_path / "three" / name).read_bytes(), name


def test_nodes_all_adds_every_aggregate_and_keeps_the_rest(
    asem: tuple[Path, Path], tmp_path: Path
) -> None:
    spec = _small_example(tmp_path)
    assert _run(asem, spec, tmp_path / "dims", "--no-charts") == 0
    assert _run(asem, spec, tmp_path / "all", "--nodes", "all", "--no-charts") == 0
    with (tmp_path / "all" / "rank_intervals.csv").open() as fh:
        every = list(csv.DictReader(fh))
    with (tmp_path / "dims" / "rank_intervals.csv").open() as fh:
        dims = list(csv.DictReader(fh))
    assert len(every) == 51 * 11
    # The dimensions' rows are the same numbers, whichever nodes are summarised.
    assert [r for r in every if r["node"] in {"Index", "Conn", "Sust"}] == dims
    for name in ("sobol.csv", "draws.csv"):
        assert (tmp_path / "all" / name).read_bytes() == (tmp_path / "dims" / name).read_bytes()


def test_an_unknown_node_selection_exits_2(
    asem: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _run(asem, _small_example(tmp_path), tmp_path / "o", "--nodes", "pillars")
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        "error: --nodes: expected 'dimensions' or 'all', got 'pillars'"
    )


def test_an_output_path_that_is_a_file_exits_2_before_any_draw(
    asem: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "taken"
    target.write_text("not a folder")
    assert _run(asem, _small_example(tmp_path), target, "--no-charts") == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and str(target) in err and "Traceback" not in err
    assert "draws" not in err  # refused before the progress bar started
    assert target.read_text() == "not a folder"


def test_a_folder_that_cannot_be_written_exits_2(
    asem: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import errno
    import os

    real_mkdir = os.mkdir

    def refuse(path: object, *args: object, **kwargs: object) -> None:
        if ".cityeval-staging-" in str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        real_mkdir(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "mkdir", refuse)
    assert _run(asem, _small_example(tmp_path), tmp_path / "o", "--no-charts") == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "permission denied" in err
    assert "Traceback" not in err


def test_a_failed_run_leaves_the_previous_outputs(
    asem: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("resvg_py")
    out = tmp_path / "out"
    spec = _small_example(tmp_path)
    assert _run(asem, spec, out) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert {"rank_intervals.csv", "rank_intervals.png", "sobol.svg"} <= set(before)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    # The second run (another seed) fails while drawing its charts, after its CSVs are staged.
    monkeypatch.setattr("cityeval.uncertainty.charts.save_figure", broken)
    spec.write_text(spec.read_text().replace("seed: 20190611", "seed: 7"))
    assert _run(asem, spec, out) == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_missing_temporary_folder_exits_2(
    asem: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = tmp_path / "gone"
    code = _run(asem, _small_example(tmp_path), tmp_path / "o", "--temp-dir", str(gone))
    assert code == 2
    assert capsys.readouterr().err.strip() == f"error: temporary folder {gone}: no such folder"


def test_too_little_temporary_room_exits_2_before_any_draw(
    asem: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import shutil

    spool = tmp_path / "spool"
    spool.mkdir()
    real = shutil.disk_usage
    monkeypatch.setattr(
        "cityeval.uncertainty.space.shutil.disk_usage",
        lambda p: real(p)._replace(free=1000) if Path(p) == spool else real(p),
    )
    code = _run(asem, _small_example(tmp_path), tmp_path / "o", "--temp-dir", str(spool))
    assert code == 2
    err = capsys.readouterr().err
    assert f"draws' scores to {spool}, which has 0 MiB free" in err
    assert "--temp-dir" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists() and not list(spool.iterdir())


def test_the_temporary_folder_is_used_and_left_empty(
    asem: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cityeval.uncertainty.stats as stats

    spool = tmp_path / "spool"
    spool.mkdir()
    seen: list[Path] = []
    real_init = stats.DrawStore.__init__

    def spy(self: stats.DrawStore, directory: str, *args: object, **kwargs: object) -> None:
        seen.append(Path(directory))
        real_init(self, directory, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stats.DrawStore, "__init__", spy)
    spec = _small_example(tmp_path)
    assert _run(asem, spec, tmp_path / "o", "--temp-dir", str(spool), "--no-charts") == 0
    assert seen and all(p.parent == spool for p in seen)
    assert not list(spool.iterdir())


def test_an_unreachable_scheduler_exits_2(
    asem: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("distributed")
    monkeypatch.setattr("cityeval.cli.uncertainty.CONNECT_TIMEOUT", "1s")
    code = _run(
        asem,
        _small_example(tmp_path),
        tmp_path / "o",
        "--scheduler",
        "tcp://127.0.0.1:9",
        "--no-charts",
    )
    assert code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err

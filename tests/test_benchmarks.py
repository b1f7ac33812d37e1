"""The benchmark code works: its synthetic index is valid and the loop reference agrees.

Runs at the reduced size (40 units x 30 indicators) so that it stays fast; the timings
themselves live in ``benchmarks/`` and are never asserted here.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from benchmarks import bench_engine
from benchmarks.agreement import max_difference
from benchmarks.reference_loop import reference_index
from benchmarks.synthetic import FULL, GROUP, LEVELS, REDUCED, make_framework, make_workload

from cityeval.engine import score


def test_full_framework_has_the_issue_shape() -> None:
    fw = make_framework(FULL)
    assert len(fw.indicators()) == 300
    assert fw.levels == LEVELS
    assert fw.height == 4
    directions = {i.direction for i in fw.indicators()}
    assert len(directions) == 2


def test_generator_is_deterministic() -> None:
    a, b = make_workload(REDUCED), make_workload(REDUCED)
    assert a.framework == b.framework
    assert a.dataset.equals(b.dataset)


def test_reduced_data_have_missing_values_and_provinces() -> None:
    ds = make_workload(REDUCED).dataset
    assert ds.values.shape == (40, 30)
    assert 0.0 < np.isnan(ds.values).mean() < 0.1
    assert len(set(ds.groups[GROUP])) == REDUCED.n_provinces


def test_reference_agrees_with_engine() -> None:
    w = make_workload(REDUCED)
    results = score(*w)
    assert any(t.treated for t in results.treatment)  # treatment is exercised
    ds = w.dataset
    reference = reference_index(
        w.framework, ds.values.tolist(), ds.indicators, list(ds.groups[GROUP])
    )
    assert max_difference(results, reference) <= bench_engine.TOLERANCE


def test_reference_disagreement_is_detected() -> None:
    w = make_workload(REDUCED)
    results = score(*w)
    ds = w.dataset
    reference = reference_index(
        w.framework, ds.values.tolist(), ds.indicators, list(ds.groups[GROUP]), upper=99.0
    )
    assert max_difference(results, reference) > 0.1


def test_bench_script_runs_and_writes_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "engine.json"
    argv = ["--size", "reduced", "--repeats", "2", "--reference-repeats", "1"]
    assert bench_engine.main([*argv, "--output", str(out)]) == 0
    figures = json.loads(out.read_text())
    assert figures["machine"]["numpy"] == np.__version__
    assert figures["agreement"]["reference_max_abs_difference"] <= 1e-9
    assert figures["ratios"]["reference_over_cityeval"] > 0
    assert "reference / cityeval build" in capsys.readouterr().out


def test_uncertainty_benchmark_runs_and_checks_itself(tmp_path: Path) -> None:
    pytest.importorskip("skcriteria")
    from benchmarks import bench_uncertainty

    out = tmp_path / "uncertainty.json"
    argv = ["--size", "reduced", "--draws", "24", "--engine-sample", "3"]
    assert (
        bench_uncertainty.main([*argv, "--workers", "1", "--repeats", "1", "--output", str(out)])
        == 0
    )
    figures = json.loads(out.read_text())
    assert figures["draws"] == 24
    assert len(figures["vectorised"]["runs_seconds"]) == 1
    assert figures["one_at_a_time_engine"]["max_abs_difference_vs_batched"] < 1e-8
    assert set(figures["targets"]) == {
        "dimensions_at_most_1_5_s",
        "every_aggregate_at_most_4_s",
        "at_least_40x_skcriteria_loop",
        "at_least_100x_one_at_a_time",
        "peak_rss_under_600_mib",
        "command_at_most_2_5_s",
    }
    whole = figures["whole_process"]
    assert "rank_intervals.png" in whole["files"] and whole["ratio_to_python_c_pass"] > 1
    assert len(figures["vectorised_dimensions"]["runs_seconds"]) == 1


def test_whole_process_benchmark_runs_every_command_at_the_reduced_size() -> None:
    """Every command of the table runs and is reported with its ratios (no timing asserted)."""
    from benchmarks import bench_commands

    figures = bench_commands.run("reduced", repeats=1, draws=16)
    rows = figures["rows"]
    assert set(rows) == {
        "python -c pass",
        "cityeval --version",
        "cityeval --help",
        "cityeval score --help",
        "cityeval frameworks list",
        "cityeval evaluate (Quick start)",
        "cityeval score",
        "cityeval uncertainty",
        "first score() / warm score()",
    }
    for row in rows.values():
        if "ratio" in row:
            assert row["ratio"] == pytest.approx(row["first_s"] / row["warm_s"])
            continue
        assert len(row["runs_s"]) == 1 and row["median_s"] > 0
        assert row["x_python"] == pytest.approx(
            row["median_s"] / rows["python -c pass"]["median_s"]
        )
        if "engine_s" in row:
            assert row["x_engine"] == pytest.approx(row["median_s"] / row["engine_s"])
    assert {n for n, r in rows.items() if "engine_s" in r} == {
        "cityeval score",
        "cityeval evaluate (Quick start)",
        "cityeval uncertainty",
    }
    table = bench_commands.table(figures).splitlines()
    assert len(table) == 2 + len(rows)
    assert json.loads(json.dumps(figures)) == figures

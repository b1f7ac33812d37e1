"""The charts benchmark runs and reports each figure (its timings are never asserted)."""

from __future__ import annotations

import pytest

pytest.importorskip("resvg_py")


def test_bench_charts_runs() -> None:
    from benchmarks import bench_charts

    figures = bench_charts.run("reduced", repeats=1, draws=16)
    row = figures["rows"]["current"]
    assert set(row) >= {"chart_step_s", "process_s", "process_no_charts_s", "charts_in_process_s"}
    assert row["chart_step_s"] > 0 and len(row["runs"]["charts"]) == 1
    assert "ratios (baseline / current)" not in figures["rows"]

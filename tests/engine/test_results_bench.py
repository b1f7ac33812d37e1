"""The results-writing benchmark runs and checks what it compares (timings are not asserted)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from benchmarks import bench_results


def test_benchmark_runs_at_the_reduced_size() -> None:
    if not Path(sys.executable).with_name("cityeval").exists() and not shutil.which("cityeval"):
        pytest.skip("the cityeval script is not installed beside this Python")
    figures = bench_results.run("reduced", repeats=1, process_repeats=1)
    assert figures["size"] == {"units": 40, "indicators": 30}
    assert figures["bytes"]["format_2"] < figures["bytes"]["format_1"]
    assert set(figures["ratios"]) >= {"format_1_over_format_2_time", "score_process_over_engine"}

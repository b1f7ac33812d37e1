"""Time writing a run's results, against the format-1 writer, and ``cityeval score`` whole.

Run from the repository root::

    .venv/bin/python -m benchmarks.bench_results   # 514 x 300, writes results-writing.json
    .venv/bin/python -m benchmarks.bench_results --size reduced --no-write

What is timed (``time.perf_counter``; each in-process case warmed up once, then ``--repeats``
runs, median and minimum):

1. **format 1**: the ``results.json`` writer of format version 1 (one object per unit and
   node, ``json.dumps(..., indent=2)`` then one write; :mod:`benchmarks.legacy_results`);
2. **format 2**: :func:`cityeval.engine.export.results_json` (columnar) writing its file;
3. **all outputs**: :meth:`Results.write` (``scores.csv``, ``ranks.csv``, ``results.json``
   as one :class:`~cityeval.io.outputs.OutputSet`), and the same with ``parquet=True``;
4. **whole process**: ``cityeval score`` on the framework, pipeline and data written to a
   temporary folder (``--process-repeats`` runs), against ``python -c pass``.

The ratios (format 1 / format 2, in one process, one run) are the figures to quote; the
absolute times depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.legacy_results import legacy_json
from benchmarks.synthetic import FULL, REDUCED, make_workload
from cityeval.engine import score
from cityeval.engine.export import results_json
from cityeval.engine.results import Results

__all__ = ["main", "run"]

RESULTS = Path(__file__).parent / "results" / "results-writing.json"


def _timed(fn: Callable[[], object], repeats: int) -> dict[str, float]:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return {"median_s": statistics.median(times), "min_s": min(times), "runs": repeats}


def _process(argv: list[str], repeats: int, cwd: Path) -> dict[str, float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return {"median_s": statistics.median(times), "min_s": min(times), "runs": repeats}


def _write_legacy(results: Results, path: Path) -> None:
    # What Results.to_json and write did before: json.dumps(indent=2), then one write.
    path.write_text(legacy_json(results), encoding="utf-8")


def _write_columnar(results: Results, path: Path) -> None:
    path.write_text(results_json(results), encoding="utf-8")


def run(size: str = "full", repeats: int = 7, process_repeats: int = 5) -> dict[str, Any]:
    """Every case at ``size``; the figures as plain data."""
    from cityeval.data import write_csv
    from cityeval.io.frameworks import save_framework
    from cityeval.io.pipelines import save_pipeline

    workload = make_workload(FULL if size == "full" else REDUCED)
    results = score(*workload)
    figures: dict[str, Any] = {
        "size": {"units": len(results.units), "indicators": len(results.indicator_ids)},
        "machine": "shared: 2 cores, other jobs running; compare ratios within this run",
    }
    with tempfile.TemporaryDirectory(prefix="cityeval-bench-results-") as tmp:
        folder = Path(tmp)
        old, new = folder / "v1.json", folder / "v2.json"
        figures["format_1"] = _timed(lambda: _write_legacy(results, old), repeats)
        figures["format_2"] = _timed(lambda: _write_columnar(results, new), repeats)
        figures["all_outputs"] = _timed(lambda: results.write(folder / "out"), repeats)
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            figures["all_outputs_parquet"] = None
        else:
            figures["all_outputs_parquet"] = _timed(
                lambda: results.write(folder / "outpq", parquet=True), repeats
            )
        figures["bytes"] = {
            "format_1": old.stat().st_size,
            "format_2": new.stat().st_size,
            "format_2_full_stages": len(results_json(results, stages="full").encode()),
            "scores_csv": (folder / "out" / "scores.csv").stat().st_size,
        }
        # Same numbers: every score of the old file is in the new one at its place.
        v1, v2 = json.loads(old.read_text()), json.loads(new.read_text())
        for i, row in enumerate(v1["scores"]):
            for node, value in row.items():
                if node != "unit" and v2["scores"][node][i] != value:
                    raise AssertionError(f"score of {node} for row {i} differs")

        save_framework(workload.framework, folder / "framework.yaml")
        save_pipeline(workload.pipeline, folder / "pipeline.yaml")
        write_csv(workload.dataset, folder / "data.csv")
        cli = Path(sys.executable).with_name("cityeval")
        argv = [
            str(cli),
            "score",
            "-f",
            "framework.yaml",
            "-d",
            "data.csv",
            "-p",
            "pipeline.yaml",
            "--out",
            "cli-out",
        ]
        figures["python_pass"] = _process([sys.executable, "-c", "pass"], process_repeats, folder)
        figures["cityeval_score"] = _process(argv, process_repeats, folder)
        figures["engine_warm"] = _timed(lambda: score(*workload), repeats)

    f1, f2 = figures["format_1"]["median_s"], figures["format_2"]["median_s"]
    figures["ratios"] = {
        "format_1_over_format_2_time": f1 / f2,
        "format_1_over_format_2_bytes": figures["bytes"]["format_1"]
        / figures["bytes"]["format_2"],
        "format_1_over_all_outputs_time": f1 / figures["all_outputs"]["median_s"],
        "score_process_over_python_pass": figures["cityeval_score"]["median_s"]
        / figures["python_pass"]["median_s"],
        "score_process_over_engine": figures["cityeval_score"]["median_s"]
        / figures["engine_warm"]["median_s"],
    }
    return figures


def _print(figures: dict[str, Any]) -> None:
    size = figures["size"]
    print(f"writing results, {size['units']} units x {size['indicators']} indicators")
    rows = [
        ("format 1 results.json (indent=2)", figures["format_1"]),
        ("format 2 results.json (columnar)", figures["format_2"]),
        ("all outputs (2 CSV + JSON)", figures["all_outputs"]),
        ("all outputs + Parquet", figures["all_outputs_parquet"]),
        ("engine score(), warm", figures["engine_warm"]),
        ("python -c pass", figures["python_pass"]),
        ("cityeval score, whole process", figures["cityeval_score"]),
    ]
    for name, fig in rows:
        if fig is not None:
            print(f"  {name:34s} median {fig['median_s']:8.3f} s   min {fig['min_s']:8.3f} s")
    b = figures["bytes"]
    print(
        f"  results.json: format 1 {b['format_1'] / 1e6:.1f} MB, format 2 "
        f"{b['format_2'] / 1e6:.2f} MB ({b['format_2_full_stages'] / 1e6:.1f} MB with full stages)"
    )
    for name, value in figures["ratios"].items():
        print(f"  {name:34s} {value:8.1f}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print its table and (unless ``--no-write``) save the figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_results")
    parser.add_argument("--size", choices=("full", "reduced"), default="full")
    parser.add_argument("--repeats", type=int, default=7, help="timed runs of in-process cases")
    parser.add_argument("--process-repeats", type=int, default=5, help="runs of each process")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    figures = run(args.size, args.repeats, args.process_repeats)
    _print(figures)
    if not args.no_write:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Time reading the 514 x 300 data CSV against the stdlib csv module and pandas, in one process.

Run from the repository root::

    .venv/bin/python -m benchmarks.bench_csv              # 514 x 300, writes results/csv.json
    .venv/bin/python -m benchmarks.bench_csv --size reduced --no-write

What is timed (``time.perf_counter``, after import, the text already in memory, each case
warmed up once, median of ``--repeats`` runs):

1. ``cityeval.data.parse_csv(text)``: the whole read, cells checked and a ``Dataset`` built;
2. the same with the framework, so every column and every value is checked against it;
3. ``cityeval.data.read_csv(path)`` from a file (decoding included);
4. baselines on the same text: ``list(csv.reader(...))`` (splitting only, no number read),
   ``csv.reader`` plus ``float`` on every indicator cell (the least a checked reader does),
   and ``pandas.read_csv`` (C parser) when pandas is installed.

The data read back must equal the data written; otherwise the run fails.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.bench_engine import machine_info
from benchmarks.synthetic import FULL, REDUCED, make_workload
from cityeval.data import format_csv, parse_csv, read_csv

__all__ = ["main", "run"]

RESULTS = Path(__file__).parent / "results" / "csv.json"


def _time(fn: Callable[[], object], repeats: int) -> dict[str, float]:
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return {"median_s": statistics.median(times), "min_s": min(times)}


def _csv_and_floats(text: str) -> object:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    first = rows[0].index(next(c for c in rows[0] if ":" not in c and c not in ("unit", "name")))
    return [[float(c) if c else float("nan") for c in row[first:]] for row in rows[1:]]


def run(size: str = "full", repeats: int = 11) -> dict[str, Any]:
    """Time every case; the returned dict is what ``results/csv.json`` holds."""
    workload = make_workload(FULL if size == "full" else REDUCED)
    text = format_csv(workload.dataset)
    back = parse_csv(text, source="data.csv", framework=workload.framework)
    if not back.equals(workload.dataset):
        raise SystemExit("the data read back differ from the data written")
    cases: dict[str, Callable[[], object]] = {
        "cityeval parse_csv": lambda: parse_csv(text, source="data.csv"),
        "cityeval parse_csv, checked against the framework": lambda: parse_csv(
            text, source="data.csv", framework=workload.framework
        ),
        "csv.reader (split only)": lambda: list(csv.reader(io.StringIO(text, newline=""))),
        "csv.reader + float on every cell": lambda: _csv_and_floats(text),
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.csv"
        path.write_text(text, encoding="utf-8")
        cases["cityeval read_csv (file)"] = lambda: read_csv(path, workload.framework)
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - optional
            pd = None
        if pd is not None:
            cases["pandas.read_csv"] = lambda: pd.read_csv(io.StringIO(text))
        timings = {name: _time(fn, repeats) for name, fn in cases.items()}
    base = timings["cityeval parse_csv, checked against the framework"]["median_s"]
    for t in timings.values():
        t["ratio_to_cityeval_checked"] = t["median_s"] / base
    return {
        "size": {
            "n_units": workload.dataset.n_units,
            "n_indicators": workload.dataset.n_indicators,
            "bytes": len(text.encode()),
        },
        "repeats": repeats,
        "machine": machine_info(),
        "cases": timings,
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["full", "reduced"], default="full")
    parser.add_argument("--repeats", type=int, default=11)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.size, args.repeats)
    for name, t in result["cases"].items():
        print(
            f"{name:55s} {t['median_s'] * 1000:8.1f} ms  "
            f"({t['ratio_to_cityeval_checked']:.2f}x the checked read)"
        )
    if not args.no_write:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

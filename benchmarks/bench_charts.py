"""The charts of ``cityeval uncertainty``: the chart step alone and the whole process.

Measures, on :mod:`benchmarks.synthetic`'s national index (514 units x 300 indicators) with
``--draws`` draws (10,000 by default):

- the chart step alone, in one process: ``UncertaintyResults.write_charts`` (both charts, SVG
  and PNG) on the results of one analysis, median of ``--repeats``;
- ``cityeval uncertainty`` as a whole process, with its charts and with ``--no-charts``
  (the difference is what the charts cost a user), median of ``--repeats`` fresh processes:
  wall time, and CPU time (user + system of every thread), which a busy machine disturbs less.

``--baseline PATH`` measures the same figures a second time with ``PYTHONPATH=PATH`` (for
example an earlier checkout's ``src`` and a folder holding its dependencies, such as
matplotlib for the charts before :mod:`cityeval.charts`), each repeat interleaved with the
current code's, so both are measured in the same run on the same, possibly busy, machine::

    git archive <commit> src | tar -x -C /tmp/base
    pip install --target /tmp/mpl matplotlib        # then remove its numpy copy
    python -m benchmarks.bench_charts --baseline /tmp/base/src:/tmp/mpl
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.bench_commands import cityeval_command, write_inputs

CHART_STEP = """\
import json, statistics, sys, tempfile, time
from pathlib import Path
from cityeval.api import load_data, resolve_framework, resolve_pipeline
from cityeval.io.outputs import OutputSet
from cityeval.uncertainty import load_spec, prepare, run_analysis
folder = Path(sys.argv[1])
fw = resolve_framework(str(folder / "framework.yaml"))
data = load_data(folder / "data.csv", fw)
pipeline, _ = resolve_pipeline(folder / "pipeline.yaml")
results = run_analysis(prepare(fw, data, pipeline, load_spec(folder / "spec.yaml")))
times = []
for k in range(int(sys.argv[2]) + 1):
    with OutputSet(Path(tempfile.mkdtemp()) / "charts") as out:
        t0 = time.perf_counter()
        results.write_charts(out)
        elapsed = time.perf_counter() - t0
    if k:  # the first run imports what the charts need; a process pays that once
        times.append(elapsed)
    else:
        first = elapsed
print(json.dumps({"first_s": first, "median_s": statistics.median(times)}))
"""


def _env(pythonpath: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    else:
        env.pop("PYTHONPATH", None)
    return env


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system, every thread) of one fresh process."""
    c0, t0 = _cpu(), time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False, env=env)
    elapsed, cpu = time.perf_counter() - t0, _cpu() - c0
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-2000:]}")
    return elapsed, cpu


def run(
    size_name: str = "full", repeats: int = 5, draws: int = 10_000, baseline: str | None = None
) -> dict[str, Any]:
    """Every figure, for the current code and (with ``baseline``) the baseline's."""
    folder = Path(tempfile.mkdtemp(prefix="cityeval-bench-charts-"))
    variants = {"current": None, **({"baseline": baseline} if baseline else {})}
    try:
        write_inputs(folder, size_name, draws)
        cli = [sys.executable, "-m", "cityeval.cli"] if baseline else cityeval_command()
        args = ["uncertainty", "--framework", "framework.yaml", "--data", "data.csv"]
        args += ["--pipeline", "pipeline.yaml", "--spec", "spec.yaml", "--out"]
        keys = ("charts", "no_charts", "charts_cpu", "no_charts_cpu")
        whole: dict[str, dict[str, list[float]]] = {v: {k: [] for k in keys} for v in variants}
        for i in range(repeats + 1):  # the first round warms the disk cache, untimed
            for name, path in variants.items():
                env = _env(path)
                with_charts = _timed([*cli, *args, f"out-{name}"], folder, env)
                without = _timed([*cli, *args, f"bare-{name}", "--no-charts"], folder, env)
                if i:
                    whole[name]["charts"].append(with_charts[0])
                    whole[name]["no_charts"].append(without[0])
                    whole[name]["charts_cpu"].append(with_charts[1])
                    whole[name]["no_charts_cpu"].append(without[1])
        rows: dict[str, Any] = {}
        for name, path in variants.items():
            done = subprocess.run(
                [sys.executable, "-c", CHART_STEP, str(folder), str(repeats)],
                cwd=folder,
                capture_output=True,
                text=True,
                check=True,
                env=_env(path),
            )
            step = json.loads(done.stdout.strip().splitlines()[-1])
            charts = statistics.median(whole[name]["charts"])
            bare = statistics.median(whole[name]["no_charts"])
            cpu = statistics.median(whole[name]["charts_cpu"])
            cpu_bare = statistics.median(whole[name]["no_charts_cpu"])
            rows[name] = {
                "chart_step_s": step["median_s"],
                "chart_step_first_s": step["first_s"],
                "process_s": charts,
                "process_no_charts_s": bare,
                "charts_in_process_s": charts - bare,
                "process_cpu_s": cpu,
                "process_no_charts_cpu_s": cpu_bare,
                "charts_in_process_cpu_s": cpu - cpu_bare,
                "runs": whole[name],
            }
        if baseline:
            base, now = rows["baseline"], rows["current"]
            rows["ratios (baseline / current)"] = {
                key: base[key] / now[key]
                for key in (
                    "chart_step_s",
                    "chart_step_first_s",
                    "process_s",
                    "process_cpu_s",
                    "charts_in_process_cpu_s",
                )
            }
        return {"size": size_name, "draws": draws, "repeats": repeats, "rows": rows}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=["full", "reduced"], default="full")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--baseline", help="PYTHONPATH of the code to compare with")
    ns = parser.parse_args(argv)
    figures = run(ns.size, ns.repeats, ns.draws, ns.baseline)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

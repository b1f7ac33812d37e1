"""Time whole ``cityeval`` processes, as a user waits for them, against ``python -c pass``.

Run from the repository root::

    .venv/bin/python -m benchmarks.bench_commands                  # 514 x 300, 10,000 draws
    .venv/bin/python -m benchmarks.bench_commands --repeats 3 --draws 1000 --no-write

Each command of issue 13's table runs as a fresh process (the ``cityeval`` console script
beside this Python), ``--repeats`` times after one untimed warm-up run; the median wall time
is reported, with two ratios measured in the same run:

- ``x python``: the median divided by the median of ``python -c pass`` (start-up of Python
  itself);
- ``x engine``: the median divided by the engine's own time for that work, in one warm
  process: ``score()`` for ``cityeval score``, ``prepare`` + ``run_analysis`` for
  ``cityeval uncertainty``, and the command itself run a second time in one process
  (``cityeval.cli.main``) for ``cityeval evaluate``.

A last row, ``first score()``, is the first ``score()`` call of a fresh process divided by a
warm one (everything imported, the data already in memory), the cost of first use.

Processes are timed with bytecode compiled, as an installed package has it: before anything
is timed, ``compileall`` compiles the ``cityeval`` package (and the plugins beside it), and
every child runs with ``PYTHONDONTWRITEBYTECODE`` removed from its environment, so that the
untimed warm-up run writes whatever bytecode is still missing (another library's modules).
Without this, a shell that sets ``PYTHONDONTWRITEBYTECODE=1`` makes every process compile
cityeval from source (about 0.2 s), which a user of an installed wheel never pays.

``--only NAME`` (repeatable, a substring of a row's name) times only some commands, e.g.
``--only evaluate --only "cityeval score"``; the ``first score()`` row always runs.

The data for ``score`` and ``uncertainty`` are :mod:`benchmarks.synthetic`'s national index
written to a temporary folder (framework YAML, data CSV, pipeline YAML, uncertainty spec).
Results go to ``benchmarks/results/commands.json`` (with ``--no-write``, nowhere).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.bench_engine import machine_info
from benchmarks.synthetic import FULL, REDUCED, benchmark_pipeline, make_workload

RESULTS = Path(__file__).parent / "results" / "commands.json"
SPEC = """\
draws: {draws}
seed: 20190611
method: monte-carlo
factors:
  pillar_weights: {{step: weight, level: 2, noise: 0.25}}
  normalisation: {{step: normalise, choices: [minmax, zscore]}}
  aggregation: {{step: aggregate, choices: [arithmetic, geometric]}}
"""
QUICK_START = ["evaluate", "banyuasin", "--round", "2019-tahap-3", "--compare", "2018-tahap-2"]

FIRST_SCORE = """\
import json, statistics, sys, time
from cityeval.data import read_csv
from cityeval.engine import score
from cityeval.io.frameworks import load_framework
from cityeval.io.pipelines import load_pipeline
folder = sys.argv[1]
fw = load_framework(folder + "/framework.yaml")
pipeline = load_pipeline(folder + "/pipeline.yaml")
data = read_csv(folder + "/data.csv", framework=fw)
t0 = time.perf_counter(); score(fw, data, pipeline); first = time.perf_counter() - t0
warm = []
for _ in range(int(sys.argv[2])):
    t0 = time.perf_counter(); score(fw, data, pipeline); warm.append(time.perf_counter() - t0)
print(json.dumps({"first": first, "warm": statistics.median(warm)}))
"""

WARM_COMMAND = """\
import contextlib, io, json, statistics, sys, time
from cityeval.cli import main
argv = json.loads(sys.argv[1])
times = []
for _ in range(int(sys.argv[2]) + 1):
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(argv)
    times.append(time.perf_counter() - t0)
    assert code == 0, code
print(json.dumps({"warm": statistics.median(times[1:])}))
"""

ENGINE_UNCERTAINTY = """\
import json, statistics, sys, time
from cityeval.data import read_csv
from cityeval.io.frameworks import load_framework
from cityeval.io.pipelines import load_pipeline
from cityeval.uncertainty import load_spec, prepare, run_analysis
folder = sys.argv[1]
fw = load_framework(folder + "/framework.yaml")
pipeline = load_pipeline(folder + "/pipeline.yaml")
data = read_csv(folder + "/data.csv", framework=fw)
spec = load_spec(folder + "/spec.yaml")
run_analysis(prepare(fw, data, pipeline, spec))
times = []
for _ in range(int(sys.argv[2])):
    t0 = time.perf_counter(); run_analysis(prepare(fw, data, pipeline, spec))
    times.append(time.perf_counter() - t0)
print(json.dumps({"warm": statistics.median(times)}))
"""


def cityeval_command() -> list[str]:
    """The console script installed beside this Python, or ``python -m cityeval.cli``."""
    script = Path(sys.executable).with_name("cityeval")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cityeval.cli"]


def write_inputs(folder: Path, size_name: str, draws: int) -> None:
    """The synthetic framework, data, pipeline and uncertainty spec, as a user has them."""
    from cityeval.data import write_csv
    from cityeval.io.frameworks import save_framework
    from cityeval.io.pipelines import save_pipeline

    work = make_workload(FULL if size_name == "full" else REDUCED)
    save_framework(work.framework, folder / "framework.yaml")
    write_csv(work.dataset, folder / "data.csv")
    save_pipeline(benchmark_pipeline(), folder / "pipeline.yaml")
    (folder / "spec.yaml").write_text(SPEC.format(draws=draws), encoding="utf-8")


def child_environment() -> dict[str, str]:
    """This process's environment without ``PYTHONDONTWRITEBYTECODE``: children use bytecode."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_packages() -> None:
    """Compile cityeval's (and its plugins') modules to bytecode, as an installed wheel has."""
    import compileall
    import importlib.util

    roots = set()
    for name in (
        "cityeval",
        "cityeval_gerakan100",
        "cityeval_banyuasin",
        "cityeval_spbe",
        "cityeval_giffinger",
        "cityeval_u4ssc",
        "cityeval_cohen_wheel",
    ):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            roots.update(spec.submodule_search_locations)
    for root in sorted(roots):
        compileall.compile_dir(root, quiet=1)


def time_process(argv: list[str], repeats: int, cwd: Path) -> dict[str, Any]:
    """Median wall time of ``argv`` as a fresh process, after one untimed warm-up run."""
    times = []
    env = child_environment()
    for i in range(repeats + 1):
        t0 = time.perf_counter()
        done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False, env=env)
        elapsed = time.perf_counter() - t0
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr}")
        if i:
            times.append(elapsed)
    return {"median_s": statistics.median(times), "runs_s": times}


def _python_json(script: str, *args: str, cwd: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        env=child_environment(),
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(
    size_name: str = "full",
    repeats: int = 5,
    draws: int = 10_000,
    only: Sequence[str] = (),
) -> dict[str, Any]:
    """Every figure of the table, in one run; see the module's docstring."""
    compile_packages()
    cli = cityeval_command()
    folder = Path(tempfile.mkdtemp(prefix="cityeval-bench-"))
    try:
        write_inputs(folder, size_name, draws)
        inputs = ["--framework", "framework.yaml", "--data", "data.csv"]
        pipeline = ["--pipeline", "pipeline.yaml"]
        commands: dict[str, list[str]] = {
            "cityeval --version": ["--version"],
            "cityeval --help": ["--help"],
            "cityeval score --help": ["score", "--help"],
            "cityeval frameworks list": ["frameworks", "list"],
            "cityeval evaluate (Quick start)": [*QUICK_START, "--out", "report"],
            "cityeval score": ["score", *inputs, *pipeline, "--out", "scored"],
            "cityeval uncertainty": [
                "uncertainty",
                *inputs,
                *pipeline,
                "--spec",
                "spec.yaml",
                "--out",
                "uncertain",
            ],
        }
        if only:
            commands = {k: v for k, v in commands.items() if any(o in k for o in only)}
        python = time_process([sys.executable, "-c", "pass"], repeats, folder)
        rows: dict[str, Any] = {"python -c pass": {**python, "x_python": 1.0}}
        for name, args in commands.items():
            row = time_process([*cli, *args], repeats, folder)
            row["x_python"] = row["median_s"] / python["median_s"]
            rows[name] = row

        first = _python_json(FIRST_SCORE, str(folder), str(repeats), cwd=folder)
        engine: dict[str, float] = {}
        if "cityeval score" in rows:
            engine["cityeval score"] = first["warm"]
        if "cityeval evaluate (Quick start)" in rows:
            engine["cityeval evaluate (Quick start)"] = _python_json(
                WARM_COMMAND,
                json.dumps([*QUICK_START, "--out", str(folder / "report-warm")]),
                str(repeats),
                cwd=folder,
            )["warm"]
        if "cityeval uncertainty" in rows:
            engine["cityeval uncertainty"] = _python_json(
                ENGINE_UNCERTAINTY, str(folder), str(max(1, repeats // 2)), cwd=folder
            )["warm"]
        for name, seconds in engine.items():
            rows[name]["engine_s"] = seconds
            rows[name]["x_engine"] = rows[name]["median_s"] / seconds
        rows["first score() / warm score()"] = {
            "first_s": first["first"],
            "warm_s": first["warm"],
            "ratio": first["first"] / first["warm"],
        }
        return {
            "size": size_name,
            "draws": draws,
            "repeats": repeats,
            "command": cli,
            "machine": machine_info(),
            "rows": rows,
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def table(figures: dict[str, Any]) -> str:
    """The figures as a Markdown table (medians, ratios)."""
    lines = [
        "| command | median | x `python -c pass` | engine (warm, in-process) | x engine |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, row in figures["rows"].items():
        if "ratio" in row:
            lines.append(
                f"| {name} | {row['first_s'] * 1000:.0f} ms (first) | | "
                f"{row['warm_s'] * 1000:.0f} ms | {row['ratio']:.1f} |"
            )
            continue
        engine = f"{row['engine_s']:.3f} s" if "engine_s" in row else ""
        x_engine = f"{row['x_engine']:.1f}" if "x_engine" in row else ""
        lines.append(
            f"| `{name}` | {row['median_s']:.3f} s | {row['x_python']:.1f} | {engine} | "
            f"{x_engine} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print (and by default write) its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=["full", "reduced"], default="full")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="Time only the commands whose name contains this (repeatable).",
    )
    parser.add_argument("--no-write", action="store_true", help="Do not write the results file.")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Where to write the figures.")
    args = parser.parse_args(argv)
    figures = run(args.size, max(1, args.repeats), args.draws, args.only)
    print(table(figures))
    if not args.no_write:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"written to {os.path.relpath(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

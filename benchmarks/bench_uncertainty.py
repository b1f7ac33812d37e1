"""Time the batched uncertainty analysis against one-at-a-time engine runs and scikit-criteria.

Run from the repository root::

    .venv/bin/python -m benchmarks.bench_uncertainty             # 10,000 draws, 514 x 300
    .venv/bin/python -m benchmarks.bench_uncertainty --draws 1000 --no-write

Workload: the synthetic national index of :mod:`benchmarks.synthetic` (514 units, 300
indicators, four named levels plus the overall index), and 10,000 Monte Carlo draws varying
the pillar weights (+/-25%), the normalisation (min-max or z-scores) and the aggregation
(arithmetic or geometric means).

What is measured, in one process:

1. the vectorised analysis (``prepare`` + ``run_analysis``), after an untimed warm-up, with
   rank and score intervals of the index and its dimensions (``nodes: dimensions``, the
   default) and of all 113 aggregates (``nodes: all``): in-process on one thread per core
   (``--repeats`` runs of each, the median reported), and for every aggregate also on one
   thread and with a two-process pool;
2. the same draws one at a time through ``cityeval.engine.score`` with each draw's settings as
   an ordinary pipeline (explicit per-node weights): ``--engine-sample`` draws are timed and
   the time is extrapolated to all draws (said so in the output); the sampled draws' scores
   are checked against the batched ones;
3. a Python loop of scikit-criteria's ``WeightedSumModel`` over the same draws (effective
   indicator weights and the normalised matrix built before the clock starts), sampled and
   extrapolated likewise; it does less than the analysis (min-max and the index's weighted
   sum only), so the ratio is a lower bound;
4. peak resident memory of the process (``ru_maxrss``) after the vectorised runs;
5. the whole command, ``cityeval uncertainty`` in a new process on the workload written as
   files (framework, data CSV, pipeline, specification), charts included, ``--repeats`` runs,
   beside ``python -c pass`` and ``cityeval --version`` in the same run (the ratios say how
   much is start-up), with the command's peak memory; and the same command with
   ``--no-charts`` (what the charts cost is the difference).
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
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.bench_engine import machine_info
from benchmarks.synthetic import FULL, REDUCED, make_workload
from cityeval.engine import score
from cityeval.model import ExplicitWeights, Framework, Override, Pipeline, Step, StepKind
from cityeval.uncertainty import loads_spec, prepare, run_analysis
from cityeval.uncertainty.design import Prepared
from cityeval.uncertainty.runner import default_batch_size, default_threads

RESULTS = Path(__file__).parent / "results" / "uncertainty.json"
SPEC = """
draws: {draws}
seed: 20190611
method: monte-carlo
factors:
  pillar_weights: {{step: weight, level: 2, noise: 0.25}}
  normalisation: {{step: normalise, choices: [minmax, zscore]}}
  aggregation: {{step: aggregate, choices: [arithmetic, geometric]}}
"""


def _option(prepared: Prepared, row: int, name: str) -> str:
    f = next(f for f in prepared.plan.factors if f.name == name)
    return f.labels[int(f.option(prepared.sample[row : row + 1])[0])]


def draw_weights(prepared: Prepared, fw: Framework, row: int) -> dict[str, float]:
    """Every node's raw weight in one draw: declared, pillars times their noise."""
    raw = ExplicitWeights().weights(fw)
    noise = next(f for f in prepared.plan.factors if f.name == "pillar_weights")
    lo, hi = noise.columns
    for pillar, u in zip(noise.labels, prepared.sample[row, lo:hi], strict=True):
        raw[pillar] *= 1 - noise.noise + 2 * noise.noise * u
    return raw


def draw_pipeline(prepared: Prepared, base: Pipeline, fw: Framework, row: int) -> Pipeline:
    """One draw's settings as an ordinary pipeline for the engine."""
    raw = draw_weights(prepared, fw, row)
    method = _option(prepared, row, "aggregation")
    normalise = _option(prepared, row, "normalisation")
    if method == "geometric":  # the positivity rule: both normalisations reach <= 0
        norm = Step(StepKind.NORMALISE, "minmax", {"lower": 1.0, "upper": 100.0})
    elif normalise == "minmax":
        norm = Step(StepKind.NORMALISE, "minmax", {"lower": 0.0, "upper": 100.0})
    else:
        norm = Step(StepKind.NORMALISE, "zscore")
    nodes = [*fw.aggregates()]
    overrides = (
        *(
            Override(
                nodes=(n.id,),
                method="explicit",
                params={"weights": {c.id: raw[c.id] for c in n.members}},
            )
            for n in nodes
        ),
        Override(
            nodes=(fw.id,),
            method="explicit",
            params={"weights": {d.id: raw[d.id] for d in fw.dimensions}},
        ),
    )
    steps = [s for s in base.steps if s.step in (StepKind.IMPUTE, StepKind.TREAT)]
    return Pipeline(
        steps=(
            *steps,
            norm,
            Step(StepKind.WEIGHT, "explicit", overrides=overrides),
            Step(StepKind.AGGREGATE, method),
        )
    )


def effective_weights(fw: Framework, raw: dict[str, float]) -> np.ndarray:
    """Each indicator's weight in the index: the product of normalised weights on its path."""
    out = []
    for ind in fw.indicators():
        w = 1.0
        path = fw.path(ind.id)
        siblings_of = {None: fw.dimensions}
        for depth, node_id in enumerate(path):
            parent = path[depth - 1] if depth else None
            group = siblings_of[None] if parent is None else fw.node(parent).members
            w *= raw[node_id] / sum(raw[m.id] for m in group)
        out.append(w)
    return np.asarray(out)


#: Runs a command from a small process and prints its wall time and peak RSS: a child forked
#: straight from this (large) process would report this process's peak as its own.
_LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def _timed(command: list[str], repeats: int, cwd: Path) -> dict[str, Any]:
    """Median and runs of a command in a new process, and its largest peak memory."""
    runs, peaks = [], []
    for _ in range(repeats):
        done = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, *command],
            cwd=cwd,
            check=True,
            capture_output=True,
            text=True,
        )
        seconds, rss_kib, code = done.stdout.split()
        if int(code):
            raise RuntimeError(f"{command} exited with {code}")
        runs.append(float(seconds))
        peaks.append(int(rss_kib) / 1024)
    return {"seconds": statistics.median(runs), "runs_seconds": runs, "peak_rss_mib": max(peaks)}


def whole_process(
    fw: Framework, data: Any, base: Pipeline, draws: int, repeats: int
) -> dict[str, Any]:
    """``cityeval uncertainty`` as a user runs it, beside ``python -c pass``."""
    from cityeval.data import write_csv
    from cityeval.io.frameworks import dumps_framework
    from cityeval.io.pipelines import dumps_pipeline

    folder = Path(tempfile.mkdtemp(prefix="cityeval-bench-"))
    try:
        (folder / "framework.json").write_text(dumps_framework(fw, "json"))
        (folder / "pipeline.yaml").write_text(dumps_pipeline(base))
        write_csv(data, folder / "data.csv")
        (folder / "spec.yaml").write_text(SPEC.format(draws=draws))
        cli = str(Path(sys.executable).with_name("cityeval"))
        python = _timed([sys.executable, "-c", "pass"], repeats, folder)
        version = _timed([cli, "--version"], repeats, folder)
        command = [
            cli, "uncertainty", "-f", "framework.json", "-d", "data.csv", "-p", "pipeline.yaml",
            "-s", "spec.yaml", "-o", "out",
        ]  # fmt: skip
        timed = _timed(command, repeats, folder)
        files = sorted(p.name for p in (folder / "out").iterdir())
        no_charts = _timed([*command, "--no-charts"], repeats, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "command": "cityeval uncertainty (charts included)",
        **timed,
        "files": files,
        "python_c_pass_seconds": python["seconds"],
        "cityeval_version_seconds": version["seconds"],
        "ratio_to_python_c_pass": timed["seconds"] / python["seconds"],
        "no_charts": {"command": "cityeval uncertainty --no-charts", **no_charts},
    }


def run(
    draws: int,
    engine_sample: int,
    workers: int,
    size_name: str,
    repeats: int = 3,
    whole: bool = True,
) -> dict[str, Any]:
    workload = make_workload(FULL if size_name == "full" else REDUCED)
    fw, data, base = workload
    spec = loads_spec(SPEC.format(draws=draws) + "nodes: all\n")
    dims_spec = loads_spec(SPEC.format(draws=draws))
    figures: dict[str, Any] = {"draws": draws}

    # Warm-up, untimed: imports, plugin discovery and the framework's compiled form, which
    # the one-at-a-time loop below also finds ready.
    run_analysis(prepare(fw, data, base, loads_spec(SPEC.format(draws=2))))
    dims_times = []
    for _ in range(repeats):
        start = time.perf_counter()
        dims = run_analysis(prepare(fw, data, base, dims_spec))
        dims_times.append(time.perf_counter() - start)
    dims_s = statistics.median(dims_times)
    figures["vectorised_dimensions"] = {
        "seconds": dims_s,
        "runs_seconds": dims_times,
        "nodes": list(dims.node_ids),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    times, prepare_times = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        prepared = prepare(fw, data, base, spec)
        prepare_times.append(time.perf_counter() - start)
        results = run_analysis(prepared)
        times.append(time.perf_counter() - start)
    vector_s = statistics.median(times)
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    top = results.column(results.top_id)
    assert np.array_equal(dims.rank["q05"][:, 0], results.rank["q05"][:, top], equal_nan=True)
    figures["vectorised"] = {
        "seconds": vector_s,
        "runs_seconds": times,
        "prepare_seconds": statistics.median(prepare_times),
        "batch_rows": default_batch_size(prepared, default_threads()),
        "threads": default_threads(),
        "peak_rss_mib": rss_mib,
        "positivity_rule_runs": results.rescaled_rows,
    }
    start = time.perf_counter()
    single = run_analysis(prepare(fw, data, base, spec), threads=1)
    figures["vectorised_one_thread"] = {"seconds": time.perf_counter() - start}
    assert np.array_equal(single.score["q05"], results.score["q05"], equal_nan=True)
    assert np.array_equal(single.rank["median"], results.rank["median"], equal_nan=True)
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pooled = run_analysis(prepare(fw, data, base, spec), executor=pool)
    figures["vectorised_pool"] = {"workers": workers, "seconds": time.perf_counter() - start}
    assert np.array_equal(pooled.rank["median"], results.rank["median"], equal_nan=True)
    figures["peak_rss_mib_after_pool"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    rows = np.linspace(0, prepared.n_rows - 1, engine_sample).astype(int)
    pipelines = [draw_pipeline(prepared, base, fw, int(r)) for r in rows]
    batched, _ = prepared.draw_scores(rows)
    start = time.perf_counter()
    worst = 0.0
    for k, pipe in enumerate(pipelines):
        engine = score(fw, data, pipe)
        worst = max(worst, float(np.nanmax(np.abs(engine.aggregates - batched[k]))))
    engine_s = time.perf_counter() - start
    figures["one_at_a_time_engine"] = {
        "sampled_draws": engine_sample,
        "sampled_seconds": engine_s,
        "extrapolated_seconds": engine_s / engine_sample * draws,
        "max_abs_difference_vs_batched": worst,
    }
    assert worst < 1e-8, worst

    from skcriteria import mkdm
    from skcriteria.agg.simple import WeightedSumModel

    minmax = score(fw, data, base).normalised
    model = WeightedSumModel()
    units, ids = list(data.units), [i.id for i in fw.indicators()]
    # The draws' effective weights are built before the clock starts: this module's Python
    # loop over the framework is no part of scikit-criteria (timed apart, it took about as
    # long as scikit-criteria itself, and the loop used to include it).
    start = time.perf_counter()
    weights = [effective_weights(fw, draw_weights(prepared, fw, int(r))) for r in rows]
    weights_s = time.perf_counter() - start
    start = time.perf_counter()
    for w in weights:
        dm = mkdm(minmax, objectives=[max] * len(ids), weights=w, alternatives=units, criteria=ids)
        model.evaluate(dm)
    sk_s = time.perf_counter() - start
    figures["skcriteria_weighted_sum_loop"] = {
        "sampled_draws": engine_sample,
        "sampled_seconds": sk_s,
        "extrapolated_seconds": sk_s / engine_sample * draws,
        "weights_seconds_not_timed": weights_s,
        "extrapolated_seconds_with_weights": (sk_s + weights_s) / engine_sample * draws,
        "note": "min-max and weighted sum of the index only (no z-scores, no geometric "
        "means, no dimensions, no percentiles): a lower bound for the same draws; the "
        "draws' effective weights built before timing",
    }
    figures["speedup_vs_one_at_a_time"] = (
        figures["one_at_a_time_engine"]["extrapolated_seconds"] / vector_s
    )
    figures["speedup_vs_skcriteria_loop"] = (
        figures["skcriteria_weighted_sum_loop"]["extrapolated_seconds"] / vector_s
    )
    figures["speedup_vs_skcriteria_loop_dimensions"] = (
        figures["skcriteria_weighted_sum_loop"]["extrapolated_seconds"] / dims_s
    )
    figures["speedup_vs_skcriteria_loop_dimensions_weights_timed"] = (
        figures["skcriteria_weighted_sum_loop"]["extrapolated_seconds_with_weights"] / dims_s
    )
    if whole:
        figures["whole_process"] = whole_process(fw, data, base, draws, repeats)
    targets = {
        "dimensions_at_most_1_5_s": dims_s <= 1.5,
        "every_aggregate_at_most_4_s": vector_s <= 4,
        "at_least_40x_skcriteria_loop": figures["speedup_vs_skcriteria_loop_dimensions"] >= 40,
        "at_least_100x_one_at_a_time": figures["speedup_vs_one_at_a_time"] >= 100,
        "peak_rss_under_600_mib": figures["vectorised_dimensions"]["peak_rss_mib"] < 600,
    }
    if whole:
        targets["command_at_most_2_5_s"] = figures["whole_process"]["seconds"] <= 2.5
    figures["targets"] = targets
    figures["size"] = {
        "units": data.n_units,
        "indicators": data.n_indicators,
        "aggregates": len(results.node_ids),
        "varying_aggregates": prepared.plan.n_varying_nodes,
    }
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    """Run, print and (unless told not to) write ``results/uncertainty.json``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_uncertainty")
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--engine-sample", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3, help="runs of the in-process analysis")
    parser.add_argument("--size", choices=("full", "reduced"), default="full")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--no-whole-process", action="store_true", help="skip the cityeval uncertainty runs"
    )
    args = parser.parse_args(argv)
    figures = {
        "benchmark": "uncertainty",
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine_info(),
        "load_average_before": os.getloadavg(),
        **run(
            args.draws,
            args.engine_sample,
            args.workers,
            args.size,
            max(1, args.repeats),
            whole=not args.no_whole_process,
        ),
        "load_average_after": os.getloadavg(),
    }
    v, e = figures["vectorised"], figures["one_at_a_time_engine"]
    d = figures["vectorised_dimensions"]
    w = figures.get("whole_process")
    print(
        f"{figures['size']['units']} units x {figures['size']['indicators']} indicators, "
        f"{args.draws} draws\n"
        f"index and dimensions, in-process: {d['seconds']:.2f} s, median of "
        f"{', '.join(f'{t:.2f}' for t in d['runs_seconds'])} "
        f"({figures['speedup_vs_skcriteria_loop_dimensions']:.0f}x the scikit-criteria loop)\n"
        f"every aggregate, in-process: {v['seconds']:.2f} s, median of "
        f"{', '.join(f'{t:.2f}' for t in v['runs_seconds'])} (prepare "
        f"{v['prepare_seconds']:.2f} s, batches of {v['batch_rows']}, {v['threads']} threads)\n"
        f"vectorised, one thread: {figures['vectorised_one_thread']['seconds']:.2f} s\n"
        f"vectorised, {args.workers} processes: {figures['vectorised_pool']['seconds']:.2f} s\n"
        f"one at a time through the engine: {e['sampled_seconds']:.2f} s for "
        f"{e['sampled_draws']} draws, extrapolated {e['extrapolated_seconds']:.0f} s "
        f"({figures['speedup_vs_one_at_a_time']:.0f}x)\n"
        f"scikit-criteria weighted-sum loop: extrapolated "
        f"{figures['skcriteria_weighted_sum_loop']['extrapolated_seconds']:.0f} s "
        f"({figures['speedup_vs_skcriteria_loop']:.0f}x; "
        f"{figures['speedup_vs_skcriteria_loop_dimensions_weights_timed']:.0f}x the index "
        f"and dimensions with the weights' Python loop timed too, as before)\n"
        f"peak RSS: {figures['peak_rss_mib_after_pool']:.0f} MiB\n"
        + (
            f"cityeval uncertainty, whole process: {w['seconds']:.2f} s, median of "
            f"{', '.join(f'{t:.2f}' for t in w['runs_seconds'])} (python -c pass "
            f"{w['python_c_pass_seconds']:.3f} s, cityeval --version "
            f"{w['cityeval_version_seconds']:.2f} s; peak RSS "
            f"{w['peak_rss_mib']:.0f} MiB)\n"
            f"the same without the charts (--no-charts): {w['no_charts']['seconds']:.2f} s, "
            f"median of {', '.join(f'{t:.2f}' for t in w['no_charts']['runs_seconds'])}\n"
            if w
            else ""
        )
        + f"load average: {figures['load_average_before']} -> {figures['load_average_after']}\n"
        f"targets: {figures['targets']}"
    )
    if not args.no_write:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(figures, indent=2) + "\n")
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

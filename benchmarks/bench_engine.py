"""Time the scoring engine against a loop-based reference and scikit-criteria, in one process.

Run from the repository root::

    .venv/bin/python -m benchmarks.bench_engine            # 514 x 300, writes results/engine.json
    .venv/bin/python -m benchmarks.bench_engine --size reduced --no-write

What is timed (``time.perf_counter``, after import and after the framework and the data set
are built, each case warmed up once):

1. ``score(framework, dataset, pipeline)``: the whole build (impute, treat, normalise,
   aggregate, rank);
2. the loop-based reference (:mod:`benchmarks.reference_loop`) on the same rows;
3. scikit-criteria's ``WeightedSumModel.evaluate`` on the normalised matrix with the
   indicators' effective weights, against cityeval doing the same sub-task (weighted
   aggregation of an already normalised matrix): ``score`` with ``identity`` normalisation,
   and the bare matrix kernel;
4. peak memory of one build (``tracemalloc``, which sees numpy's buffers) and the process's
   maximum resident set size.

The engine and the reference must agree within 1e-9 on every normalised indicator and every
aggregate, and scikit-criteria's scores must equal the engine's index; otherwise the run fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.agreement import max_difference
from benchmarks.reference_loop import reference_index
from benchmarks.synthetic import FULL, GROUP, REDUCED, Size, Workload, make_workload
from cityeval.data import Dataset
from cityeval.engine import score
from cityeval.methods.aggregate import aggregate_matrix_arithmetic
from cityeval.model import Pipeline, Step, StepKind

__all__ = ["TOLERANCE", "aggregation_only", "machine_info", "main", "run", "skcriteria_case"]

TOLERANCE = 1e-9
RESULTS = Path(__file__).parent / "results" / "engine.json"
#: The weighted-sum sub-task in cityeval's terms: data already on [0, 100], weighted means.
AGGREGATION_ONLY = Pipeline(
    steps=(Step(StepKind.NORMALISE, "identity"), Step(StepKind.AGGREGATE, "arithmetic")),
    name="aggregation-only",
)


def timings(fn: Callable[[], object], repeats: int) -> dict[str, float]:
    """Median and minimum wall time of ``fn`` in milliseconds, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(1e3 * (time.perf_counter() - start))
    return {
        "median_ms": statistics.median(times),
        "min_ms": min(times),
        "max_ms": max(times),
        "repeats": repeats,
    }


def peak_memory_mib(fn: Callable[[], object]) -> float:
    """Peak traced allocation of one call of ``fn``, in MiB."""
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def machine_info() -> dict[str, Any]:
    """CPU count, Python and numpy versions, the BLAS in use and the BLAS-related environment."""
    info: dict[str, Any] = {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_count": os.cpu_count(),
        "machine": platform.machine(),
        "processor": _cpu_model(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "environment": {
            k: os.environ.get(k)
            for k in (
                "OPENBLAS_CORETYPE",
                "OPENBLAS_NUM_THREADS",
                "OMP_NUM_THREADS",
                "MKL_NUM_THREADS",
            )
        },
    }
    try:
        from threadpoolctl import threadpool_info

        info["blas"] = [
            {k: pool.get(k) for k in ("internal_api", "version", "architecture", "num_threads")}
            for pool in threadpool_info()
            if pool.get("user_api") == "blas"
        ]
    except ImportError:  # fall back on numpy's build information
        config = np.show_config(mode="dicts")
        info["blas"] = [config.get("Build Dependencies", {}).get("blas")]
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def aggregation_only(workload: Workload, normalised: np.ndarray) -> tuple[Dataset, Pipeline]:
    """The normalised matrix as a data set, and the pipeline that only aggregates it."""
    data = Dataset(
        units=workload.dataset.units,
        indicators=workload.dataset.indicators,
        values=normalised,
        source="<normalised>",
    )
    return data, AGGREGATION_ONLY


def skcriteria_case(
    normalised: np.ndarray, weights: np.ndarray, units: Sequence[str], indicators: Sequence[str]
) -> Callable[[], Any]:
    """``WeightedSumModel().evaluate`` on a decision matrix built once, as a callable."""
    from skcriteria import mkdm
    from skcriteria.agg.simple import WeightedSumModel

    matrix = mkdm(
        normalised,
        objectives=[max] * len(indicators),
        weights=weights,
        alternatives=list(units),
        criteria=list(indicators),
    )
    model = WeightedSumModel()
    return lambda: model.evaluate(matrix)


def run(size: Size, repeats: int, reference_repeats: int) -> dict[str, Any]:
    """Every measurement of one size, as a JSON-ready dict; raises if the numbers disagree."""
    start = time.perf_counter()
    workload = make_workload(size)
    generate_ms = 1e3 * (time.perf_counter() - start)
    framework, dataset, pipeline = workload

    results = score(framework, dataset, pipeline)
    build = timings(lambda: score(framework, dataset, pipeline), repeats)

    rows = dataset.values.tolist()
    groups = list(dataset.groups[GROUP])
    reference = reference_index(framework, rows, dataset.indicators, groups)
    difference = max_difference(results, reference)
    if not difference <= TOLERANCE:
        raise AssertionError(f"engine and reference differ by {difference:g} > {TOLERANCE:g}")
    loop = timings(
        lambda: reference_index(framework, rows, dataset.indicators, groups), reference_repeats
    )

    normalised = np.ascontiguousarray(results.normalised)
    effective = framework.effective_weights(within="index")
    weights = np.array([effective[i] for i in dataset.indicators])
    data, only = aggregation_only(workload, normalised)
    same_task = timings(lambda: score(framework, data, only), repeats)
    membership = weights[:, None]
    kernel = timings(lambda: aggregate_matrix_arithmetic(normalised, membership), repeats)

    evaluate = skcriteria_case(normalised, weights, dataset.units, dataset.indicators)
    sk_scores = np.asarray(evaluate().e_.score)
    sk_difference = float(np.max(np.abs(sk_scores - results.score(results.top_id))))
    if not sk_difference <= TOLERANCE:
        raise AssertionError(f"scikit-criteria and the engine differ by {sk_difference:g}")
    skc = timings(evaluate, repeats)

    treated = [t for t in results.treatment if t.treated]
    return {
        "size": {
            "units": size.n_units,
            "indicators": size.n_indicators,
            "provinces": size.n_provinces,
            "aggregates": len(results.aggregate_ids),
            "levels": [level.name for level in results.compiled.levels],
            "missing_share": float(np.isnan(dataset.values).mean()),
            "winsorised": sum(not t.log_applied for t in treated),
            "log_transformed": sum(t.log_applied for t in treated),
            "winsorisation_passes": sum(t.passes for t in results.treatment),
        },
        "generate_ms": generate_ms,
        "cityeval_build": build,
        "reference_loop": loop,
        "cityeval_aggregate_only": same_task,
        "cityeval_aggregate_kernel": kernel,
        "skcriteria_wsm": skc,
        "ratios": {
            "reference_over_cityeval": loop["median_ms"] / build["median_ms"],
            "skcriteria_over_cityeval_aggregate_only": (skc["median_ms"] / same_task["median_ms"]),
            "skcriteria_over_cityeval_kernel": skc["median_ms"] / kernel["median_ms"],
        },
        "agreement": {
            "reference_max_abs_difference": difference,
            "skcriteria_max_abs_difference": sk_difference,
            "tolerance": TOLERANCE,
        },
        "memory": {
            "cityeval_build_peak_mib": peak_memory_mib(
                lambda: score(framework, dataset, pipeline)
            ),
            "reference_loop_peak_mib": peak_memory_mib(
                lambda: reference_index(framework, rows, dataset.indicators, groups)
            ),
            "process_max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        },
        "targets": {
            "build_under_50_ms": build["median_ms"] < 50.0,
            "at_least_20x_reference": loop["median_ms"] / build["median_ms"] >= 20.0,
        },
    }


def table(figures: dict[str, Any]) -> str:
    """The figures as a plain-text table with the ratios."""
    lines = [f"{'case':<52}{'median ms':>11}{'min ms':>10}{'runs':>6}"]
    for key, title in (
        ("cityeval_build", "cityeval score(): full build"),
        ("reference_loop", "loop-based reference: full build"),
        ("cityeval_aggregate_only", "cityeval score(): aggregate a normalised matrix"),
        ("cityeval_aggregate_kernel", "cityeval kernel: effective-weight matrix product"),
        ("skcriteria_wsm", "scikit-criteria WeightedSumModel.evaluate"),
    ):
        row = figures[key]
        lines.append(
            f"{title:<52}{row['median_ms']:>11.2f}{row['min_ms']:>10.2f}{row['repeats']:>6}"
        )
    r, m, t = figures["ratios"], figures["memory"], figures["targets"]
    lines += [
        "",
        f"reference / cityeval build:              {r['reference_over_cityeval']:8.2f} x",
        f"skcriteria / cityeval aggregate-only:    "
        f"{r['skcriteria_over_cityeval_aggregate_only']:8.2f} x",
        f"skcriteria / cityeval kernel:            {r['skcriteria_over_cityeval_kernel']:8.2f} x",
        f"peak memory of one build (tracemalloc):  {m['cityeval_build_peak_mib']:8.1f} MiB",
        f"peak memory of the reference:            {m['reference_loop_peak_mib']:8.1f} MiB",
        f"process max RSS:                         {m['process_max_rss_mib']:8.1f} MiB",
        f"targets: build < 50 ms: {t['build_under_50_ms']}; "
        f">= 20x reference: {t['at_least_20x_reference']}",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print the table and (unless told not to) write the JSON figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_engine")
    parser.add_argument("--size", choices=("full", "reduced"), default="full")
    parser.add_argument("--repeats", type=int, default=21, help="timed runs of each fast case")
    parser.add_argument("--reference-repeats", type=int, default=5, help="timed reference runs")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)

    size = FULL if args.size == "full" else REDUCED
    figures = {
        "benchmark": "engine",
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine_info(),
        **run(size, args.repeats, args.reference_repeats),
    }
    s = figures["size"]
    print(
        f"{s['units']} units x {s['indicators']} indicators, {s['aggregates']} aggregates "
        f"({' -> '.join(s['levels'])}); {s['winsorised']} winsorised, "
        f"{s['log_transformed']} log-transformed"
    )
    print(table(figures))
    if not args.no_write:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(figures, indent=2) + "\n")
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

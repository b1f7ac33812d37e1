"""Benchmark of the audit: the correlation kernel against its pairwise reference, the whole
audit in one process, and ``cityeval audit`` as a process.

Run ``.venv/bin/python -m benchmarks.bench_audit [--size reduced] [--repeats N]``. The
kernel, its reference and the in-process audit (every analysis, removing the pillars one
at a time) are warmed up once and timed ``--repeats`` times (the reference and the audit
half as often) with ``time.perf_counter``; ``cityeval audit`` runs once as a process, at
``--process-size`` (reduced by default: at full size it removes each of 412 elements in
turn). The medians and the kernel's speed-up are printed (and written to
``benchmarks/results/audit.json`` unless ``--no-write``). The kernel and its reference
must agree within 1e-9.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.synthetic import FULL, REDUCED, make_workload
from cityeval.audit import audit
from cityeval.audit.coefficients import coefficient, pearson_matrix
from cityeval.engine import score

RESULTS = Path(__file__).parent / "results" / "audit.json"


def _time(fn: Callable[[], Any], repeats: int, warm: bool = True) -> tuple[float, Any]:
    out = fn() if warm else None
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def pairwise_reference(values: np.ndarray) -> np.ndarray:
    """Pearson's r of every pair of columns, one pair at a time (the plain reference)."""
    k = values.shape[1]
    out = np.full((k, k), np.nan)
    for i in range(k):
        for j in range(i, k):
            out[i, j] = out[j, i] = coefficient(values[:, i], values[:, j], "pearson")
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["full", "reduced"], default="full")
    parser.add_argument(
        "--process-size",
        choices=["full", "reduced"],
        default="reduced",
        help="size of the `cityeval audit` process run (once, no warm-up)",
    )
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    size = FULL if args.size == "full" else REDUCED
    work = make_workload(size)
    results = score(work.framework, work.dataset, work.pipeline)
    raw = results.stages["raw"]

    kernel, fast = _time(lambda: pearson_matrix(raw), args.repeats)
    reference, slow = _time(lambda: pairwise_reference(raw), max(1, args.repeats // 2))
    both = np.isfinite(fast) & np.isfinite(slow)
    agreement = float(np.max(np.abs(fast[both] - slow[both])))
    if agreement > 1e-9:
        raise SystemExit(f"kernel and reference disagree by {agreement}")

    print(f"pearson_matrix {kernel:.4g} s, pairwise reference {reference:.4g} s", flush=True)
    whole, report = _time(lambda: audit(results, remove_levels=[2]), max(1, args.repeats // 2))
    print(f"audit {whole:.4g} s", flush=True)

    work = make_workload(FULL if args.process_size == "full" else REDUCED)
    with tempfile.TemporaryDirectory() as tmp:
        from cityeval.io.frameworks import save_framework
        from cityeval.io.pipelines import save_pipeline

        folder = Path(tmp)
        save_framework(work.framework, folder / "framework.yaml")
        work.dataset.to_csv(folder / "data.csv")
        save_pipeline(work.pipeline, folder / "pipeline.yaml")
        command = [
            sys.executable,
            "-m",
            "cityeval.cli",
            "audit",
            "-f",
            str(folder / "framework.yaml"),
        ]
        command += ["-d", str(folder / "data.csv"), "-p", str(folder / "pipeline.yaml")]
        command += ["-o", str(folder / "out")]
        process, _ = _time(lambda: subprocess.run(command, check=True, capture_output=True), 1)

    figures = {
        "size": {"units": len(results.units), "indicators": len(results.indicator_ids)},
        "pearson_matrix_s": kernel,
        "pairwise_reference_s": reference,
        "kernel_speed_up": reference / kernel,
        "agreement": agreement,
        "audit_s": whole,
        "audit_rows": {name: len(t) for name, t in report.tables().items()},
        "cityeval_audit_process_s": process,
        "process_size": args.process_size,
    }
    print(json.dumps(figures, indent=2))
    if not args.no_write:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    return figures


if __name__ == "__main__":
    main()

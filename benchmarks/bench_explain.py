"""Benchmarks of cityeval.explain: contributions of a whole index, and exact Shapley values.

Run ``python -m benchmarks.bench_explain`` (514 units x 300 indicators; ``--size reduced`` for
40 x 30). Reported as medians of ``--repeats`` runs in one process, with ratios against a
baseline timed in the same run, so figures from a shared machine stay comparable:

* ``tree_contributions`` (every node's children's and indicators' contributions, all units)
  against ``score`` (the run it explains);
* vectorised exact Shapley values (median aggregator, 6 children, every unit) against the
  plain reference of the tests (a loop over the 720 orders of the children).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence
from itertools import permutations
from typing import Any

import numpy as np

from benchmarks.synthetic import FULL, REDUCED, make_workload
from cityeval.engine import score
from cityeval.explain import shapley
from cityeval.explain.contributions import tree_contributions
from cityeval.methods import aggregate as agg


def _median_ms(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(1e3 * (time.perf_counter() - start))
    return statistics.median(times)


def _reference(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    n, c = x.shape
    phi = np.zeros((n, c))
    orders = list(permutations(range(c)))
    for order in orders:
        mask = np.zeros(c, dtype=bool)
        before = np.zeros(n)
        for j in order:
            mask[j] = True
            now = np.nan_to_num(agg.median(np.where(mask, x, np.nan), w))
            phi[:, j] += now - before
            before = now
    return phi / len(orders)


def main(argv: Sequence[str] | None = None) -> int:
    """Time the kernels and print the medians and ratios."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_explain")
    parser.add_argument("--size", choices=["full", "reduced"], default="full")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    work = make_workload(FULL if args.size == "full" else REDUCED)
    results = score(work.framework, work.dataset, work.pipeline)
    score_ms = _median_ms(lambda: score(work.framework, work.dataset, work.pipeline), args.repeats)
    explain_ms = _median_ms(lambda: tree_contributions(results), args.repeats)
    rng = np.random.default_rng(7)
    x = rng.uniform(0, 100, size=(len(results.units), 6))
    w = rng.uniform(0.5, 2.0, size=6)
    fast_ms = _median_ms(lambda: shapley.exact(agg.median, x, w), args.repeats)
    ref_ms = _median_ms(lambda: _reference(x, w), 1)
    assert np.allclose(shapley.exact(agg.median, x, w), _reference(x, w), atol=1e-9)
    print(f"units x indicators: {len(results.units)} x {len(results.indicator_ids)}")
    print(
        f"score: {score_ms:.1f} ms; tree_contributions: {explain_ms:.1f} ms "
        f"(ratio {explain_ms / score_ms:.2f})"
    )
    print(
        f"exact Shapley, 6 children: vectorised {fast_ms:.1f} ms, reference {ref_ms:.0f} ms "
        f"(speed-up {ref_ms / fast_ms:.0f}x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

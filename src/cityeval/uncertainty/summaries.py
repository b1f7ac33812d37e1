"""The statistics of an analysis, node by node, once every draw is stored and counted.

Nodes below the first varying level are summarised from their distinct values and counts;
the others from the spooled scores (read back one node and block of units at a time) and the
rank histograms (or spooled ranks). Nodes are summarised on a few threads, each writing its
own columns, so the numbers do not depend on the threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import numpy as np
import numpy.typing as npt

from cityeval.uncertainty.design import Prepared
from cityeval.uncertainty.stats import (
    DrawStore,
    RankHistograms,
    SpooledCodes,
    counted_summary,
    rank_summary,
    sample_summary,
)

__all__ = ["summaries"]

FloatArray = npt.NDArray[np.float64]


def summaries(
    prepared: Prepared,
    slot_counts: npt.NDArray[np.int64],
    score_store: DrawStore,
    ranks: RankHistograms | SpooledCodes | DrawStore,
    n_threads: int,
) -> dict[str, FloatArray]:
    """``{rank,score}_{q05,median,q95,mean}`` arrays ``(n_units, n_nodes)``, internal order.

    Columns of the nodes not summarised (not in :attr:`Plan.kept
    <cityeval.uncertainty.plan.Plan.kept>`) are NaN. The stores hold the summarised per-draw
    nodes in order (position ``i`` is ``plan.kept_varying[i]``).
    """
    plan = prepared.plan
    n_units, n_nodes = plan.n_units, plan.n_nodes
    keys = ("q05", "median", "q95", "mean")
    out = {
        f"{kind}_{k}": np.full((n_units, n_nodes), np.nan)
        for kind in ("rank", "score")
        for k in keys
    }
    counts = np.broadcast_to(slot_counts[:, np.newaxis], (slot_counts.shape[0], n_units))
    for j in plan.kept_prefix:
        for kind, table in (("score", prepared.prefix_scores), ("rank", prepared.prefix_ranks)):
            summary = counted_summary(table[:, :, j], counts)
            for k, values in zip(keys, summary, strict=True):
                out[f"{kind}_{k}"][:, j] = values
    score_store.flush()
    if isinstance(ranks, DrawStore):
        ranks.flush()
    elif isinstance(ranks, SpooledCodes):
        ranks.store.flush()

    local = threading.local()

    kept = plan.kept_varying.tolist()

    def scores(i: int, bi: int) -> None:
        j = plan.varying_offset + kept[i]
        a, b = score_store.blocks[bi]
        # Per-thread buffers, reused task after task: fresh pages are slow to fault in.
        shape = (score_store.n_slots, b - a)
        if getattr(local, "shape", None) != shape:
            local.shape = shape
            local.block = np.empty(shape, dtype=score_store.dtype)
            local.work = np.empty(shape[::-1], dtype=score_store.dtype)
        score_store.read_into(i, bi, local.block)
        summary = sample_summary(local.block, local.work)
        for k, values in zip(keys, summary, strict=True):
            out[f"score_{k}"][a:b, j] = values

    def ranked(i: int) -> None:
        j = plan.varying_offset + kept[i]
        if isinstance(ranks, RankHistograms | SpooledCodes):
            for k, values in zip(keys, ranks.summary(i), strict=True):
                out[f"rank_{k}"][:, j] = values
            return
        for bi, (a, b) in enumerate(ranks.blocks):
            block = np.asarray(ranks.read(i, bi), dtype=np.int64)
            summary = rank_summary(block, n_units)
            for k, values in zip(keys, summary, strict=True):
                out[f"rank_{k}"][a:b, j] = values

    # numpy's selections and positioned reads release the GIL: nodes (and blocks of units) are
    # summarised on a few threads, each task writing its own cells.
    tasks: list[Callable[[], None]] = [
        partial(scores, i, bi) for i in range(len(kept)) for bi in range(len(score_store.blocks))
    ]
    tasks += [partial(ranked, i) for i in range(len(kept))]
    with ThreadPoolExecutor(max_workers=n_threads) as threads:
        list(threads.map(lambda task: task(), tasks))
    return out

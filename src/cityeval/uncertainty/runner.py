"""Run a prepared analysis on threads or any executor and gather the statistics.

Batches of whole Saltelli blocks run in this process on one thread per core by default (each
thread storing and counting its own batches), or go to a :class:`concurrent.futures.Executor`
(a process pool, or a Dask cluster through ``Client.get_executor()``) whose results this
process stores; a bounded number are in flight so memory stays bounded. Every batch result
lands at the rows and slots its draws own, and counts are integers, so the outcome is the
same whatever the threads, the executor, the number of workers, the batch size and the order
in which batches finish.
"""

from __future__ import annotations

import errno
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from cityeval.i18n import _
from cityeval.uncertainty import space
from cityeval.uncertainty.batch import BatchOutput, evaluate_batch, rank_dtype, release_scratch
from cityeval.uncertainty.design import Prepared
from cityeval.uncertainty.plan import Plan
from cityeval.uncertainty.results import UncertaintyResults
from cityeval.uncertainty.sobol import SobolIndices, sobol_indices
from cityeval.uncertainty.space import (
    BATCH_BUDGET,
    BATCH_BUDGET_ONE,
    TemporarySpaceError,
    check_space,
    default_threads,
    mib,
    n_slots,
    rank_spool,
    temporary_bytes,
)
from cityeval.uncertainty.spec import ScorePrecision
from cityeval.uncertainty.stats import DrawStore, RankHistograms, SpooledCodes, SpoolLayout
from cityeval.uncertainty.summaries import summaries

__all__ = [
    "InlineExecutor",
    "TemporarySpaceError",
    "default_batch_size",
    "default_threads",
    "run_analysis",
    "temporary_bytes",
]

FloatArray = npt.NDArray[np.float64]
T = TypeVar("T")


class InlineExecutor(Executor):
    """Runs each task at once in the calling thread: the default, with no pickling at all."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the caller through the future
            future.set_exception(exc)
        return future


def default_batch_size(prepared: Prepared, concurrent: int = 1) -> int:
    """Rows per batch: whole Saltelli blocks, as many as fit one batch's share of memory.

    A draw holds its varying nodes' scores, the sort keys and ranks of their units (about six
    arrays of that size at once), and one level's weighted children at a time. With
    ``concurrent`` batches running at once, each gets ``BATCH_BUDGET / concurrent`` bytes, at
    most :data:`BATCH_BUDGET_ONE`.
    """
    plan = prepared.plan
    varying = prepared.compiled.levels[plan.first_varying :]
    widest = max([sum(len(c) for c in lv.children) for lv in varying], default=1)
    parents = max([len(lv.node_ids) for lv in varying], default=1)
    per_draw = 8 * (plan.n_units * (plan.n_varying_nodes * 6 + widest * 2) + widest * parents * 4)
    budget = min(BATCH_BUDGET_ONE, BATCH_BUDGET // max(1, concurrent))
    rows = max(1, budget // max(1, per_draw))
    block = plan.rows_per_block
    return int(max(block, rows // block * block))


def _batches(n_rows: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, n_rows, size):
        yield start, min(start + size, n_rows)


def _max_workers(executor: Executor) -> int:
    for attr in ("_max_workers",):
        value = getattr(executor, attr, None)
        if isinstance(value, int) and value > 0:
            return value
    client = getattr(executor, "_client", None)
    if client is not None:
        try:
            return int(max(1, sum(client.nthreads().values())))
        except Exception:  # a client that cannot say: assume a few
            return 4
    return 1


class _Sink:
    """Where batch results land: Sobol' outputs, counts, the score spool, rank histograms.

    :meth:`absorb` may run on several threads at once: every batch writes its own rows and
    slots, each thread counts ranks into its own table, and the small group counts are
    updated under a lock; the tables are summed at the end (integers, so in any order).
    """

    def __init__(
        self,
        prepared: Prepared,
        n_slots: int,
        score_store: DrawStore,
        rank_store: DrawStore | None,
        n_threads: int = 1,
    ) -> None:
        plan = prepared.plan
        self.count_buffer = max(1 << 20, space.COUNT_BUFFER // max(1, n_threads))
        self.plan = plan
        self.n_slots = n_slots
        self.outputs = np.empty((prepared.n_rows, 1 + plan.n_units))
        self.slot_counts = np.zeros(plan.n_groups, dtype=np.int64)
        self.row_counts = np.zeros(plan.n_groups, dtype=np.int64)
        self.score_store = score_store
        self.rank_store = rank_store
        self._lock = threading.Lock()
        self._local = threading.local()
        self._tables: list[RankHistograms] = []

    def _histograms(self) -> RankHistograms:
        table: RankHistograms | None = getattr(self._local, "table", None)
        if table is None:
            plan = self.plan
            table = RankHistograms(
                plan.n_kept_varying, plan.n_units, self.n_slots, budget=self.count_buffer
            )
            self._local.table = table
            with self._lock:
                self._tables.append(table)
        return table

    def absorb(self, out: BatchOutput) -> int:
        """Store one batch's results; returns its number of rows."""
        plan = self.plan
        n = int(out.group.shape[0])
        self.outputs[out.row0 : out.row0 + n] = out.outputs
        rows = np.bincount(out.group, minlength=plan.n_groups)
        slots = np.bincount(out.slot_group, minlength=plan.n_groups)
        self.score_store.write(out.slot0, out.scores)
        if self.rank_store is None:
            self._histograms().add(out.rank_codes)
        else:
            self.rank_store.write(out.slot0, _unit_order(out.rank_codes, plan.n_units))
        with self._lock:
            self.row_counts += rows
            self.slot_counts += slots
        return n

    def histograms(self) -> RankHistograms:
        """Every thread's counts summed into one table (counted in full)."""
        plan = self.plan
        if not self._tables:
            return RankHistograms(plan.n_kept_varying, plan.n_units, self.n_slots)
        total, *others = self._tables
        total.flush()
        for table in others:
            table.flush()
            total.counts += table.counts
        return total


def _evaluate_and_absorb(
    sink: _Sink, plan: Plan, x: FloatArray, row0: int, score_dtype: type[np.floating[Any]]
) -> int:
    return sink.absorb(evaluate_batch(plan, x, row0, score_dtype))


def _evaluate_and_spool(
    plan: Plan,
    x: FloatArray,
    row0: int,
    score_dtype: type[np.floating[Any]],
    scores: SpoolLayout,
    ranks: SpoolLayout,
    as_codes: bool,
) -> BatchOutput:
    """In a worker process: evaluate a batch and write its scores and ranks into the files.

    Ranks are written as the codes counted at the end (``as_codes``), or in unit order.
    Returns the batch without them (what is left to collect: the Sobol' outputs and counts).
    """
    out = evaluate_batch(plan, x, row0, score_dtype)
    scores.write_file(out.slot0, out.scores)
    codes = out.rank_codes
    ranks.write_file(out.slot0, codes if as_codes else _unit_order(codes, plan.n_units))
    n_var, _, u = out.scores.shape
    return out._replace(
        scores=np.empty((n_var, 0, u), dtype=score_dtype),
        rank_codes=np.empty((n_var, 0, u), dtype=np.int32),
    )


def run_analysis(
    prepared: Prepared,
    *,
    executor: Executor | None = None,
    batch_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    temp_dir: str | None = None,
    threads: int | None = None,
) -> UncertaintyResults:
    """Evaluate every draw of ``prepared`` and summarise.

    Parameters
    ----------
    prepared : Prepared
        From :func:`cityeval.uncertainty.prepare`.
    executor : concurrent.futures.Executor, optional
        Where batches run (a process pool, ``distributed.Client.get_executor()``...); their
        results are stored and counted in this process. By default batches run in this
        process on ``threads`` threads, each storing and counting its own batches.
    batch_size : int, optional
        Rows per batch (rounded up to whole Saltelli blocks); by default as many as keep a
        batch's working memory near :data:`BATCH_BUDGET`.
    progress : callable, optional
        Called as ``progress(rows_done, rows_total)`` after each batch.
    temp_dir : str, optional
        Where the per-draw scores are spooled (:func:`temporary_bytes` of them); the system's
        temporary folder by default. Checked for room before any draw runs.
    threads : int, optional
        Threads of an in-process run (without ``executor``); :func:`default_threads` by
        default. numpy releases the interpreter lock in the array operations, so batches run
        side by side on the cores. Ignored with an ``executor``.

    Returns
    -------
    UncertaintyResults
        The same numbers whatever the executor, threads and batch size.
    """
    if threads is not None and threads < 1:
        raise ValueError(
            _("threads: expected a positive number, got {threads}").format(threads=threads)
        )
    plan = prepared.plan
    block = plan.rows_per_block
    inline = executor is None
    n_threads = (threads or default_threads()) if inline else 1
    concurrent = n_threads if executor is None else _max_workers(executor)
    size = batch_size or default_batch_size(prepared, concurrent)
    size = max(block, -(-size // block) * block)
    n_rows = prepared.n_rows
    slots = n_slots(prepared)
    n_units = plan.n_units
    n_var = plan.n_kept_varying
    # Worker processes on this machine write into the temporary files themselves, instead of
    # sending every batch's scores and ranks back through a pipe.
    local_pool = isinstance(executor, ProcessPoolExecutor)
    needed = temporary_bytes(prepared, n_threads, local_pool)
    where = check_space(temp_dir, needed)
    if inline and n_threads == 1:
        executor = InlineExecutor()
    elif inline:
        executor = ThreadPoolExecutor(max_workers=n_threads, thread_name_prefix="cityeval-draws")
    assert executor is not None
    in_flight_max = max(2, 2 * _max_workers(executor))
    spool = rank_spool(n_var, n_units, n_threads, local_pool)
    in_memory = spool is None
    rank_kind, rank_spool_dtype = spool or ("", rank_dtype(n_units))
    single = prepared.spec.score_precision is ScorePrecision.SINGLE
    score_dtype = np.float32 if single else np.float64
    try:
        with (
            tempfile.TemporaryDirectory(prefix="cityeval-uncertainty-", dir=temp_dir) as tmp,
            DrawStore(
                tmp,
                slots,
                n_units,
                n_var,
                score_dtype,
                budget=_block_budget(slots, n_units, n_var, score_dtype, n_threads),
            ) as score_store,
            DrawStore(
                tmp, slots, n_units, 0 if in_memory else n_var, rank_spool_dtype
            ) as rank_store,
        ):
            sink = _Sink(
                prepared, slots, score_store, None if in_memory else rank_store, n_threads
            )
            done = 0

            def finish(fut: Future[Any]) -> None:
                nonlocal done
                result = fut.result()
                done += result if inline else sink.absorb(result)
                if progress is not None:
                    progress(done, n_rows)

            pending: set[Future[Any]] = set()
            for start, stop in _batches(n_rows, size):
                if len(pending) >= in_flight_max:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in finished:
                        finish(fut)
                x = prepared.sample[start:stop]
                task: Future[Any]
                if inline:
                    task = executor.submit(_evaluate_and_absorb, sink, plan, x, start, score_dtype)
                elif local_pool:
                    task = executor.submit(
                        _evaluate_and_spool,
                        plan,
                        x,
                        start,
                        score_dtype,
                        score_store.layout,
                        rank_store.layout,
                        rank_kind == "codes",
                    )
                else:
                    task = executor.submit(evaluate_batch, plan, x, start, score_dtype)
                pending.add(task)
            for fut in wait(pending).done:
                finish(fut)

            histograms: RankHistograms | SpooledCodes | DrawStore
            if in_memory:
                histograms = sink.histograms()
            elif rank_kind == "codes":
                histograms = SpooledCodes(rank_store)
            else:
                histograms = rank_store
            stats = summaries(
                prepared,
                sink.slot_counts,
                score_store,
                histograms,
                n_threads if inline else default_threads(),
            )
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise TemporarySpaceError(
                _(
                    "ran out of room in {folder} while writing the draws' scores ({needed} in "
                    "all); point it at a folder with more room (--temp-dir, "
                    "run_analysis(temp_dir=...) or the TMPDIR environment variable)"
                ).format(folder=where, needed=mib(needed))
            ) from exc
        raise
    finally:
        if inline and isinstance(executor, ThreadPoolExecutor):
            executor.shutdown(wait=True, cancel_futures=True)
        release_scratch()
    sobol = _sobol(prepared, sink.outputs)
    return UncertaintyResults.build(
        prepared, stats, sobol, sink.outputs, sink.row_counts, sink.slot_counts
    )


def _block_budget(
    n_slots: int,
    n_units: int,
    n_nodes: int,
    dtype: type[np.floating[Any]],
    n_threads: int,
) -> int:
    """Bytes of one block of spooled scores: at most 64 MiB, and small enough that the final
    summaries have a few blocks per thread (with few nodes, one block per node would leave
    threads idle)."""
    per_unit = max(1, n_slots * np.dtype(dtype).itemsize)
    blocks_per_node = -(-4 * max(1, n_threads) // max(1, n_nodes))
    width = max(1, -(-n_units // blocks_per_node))
    return int(min(64 << 20, width * per_unit))


def _unit_order(
    codes: npt.NDArray[np.signedinteger[Any]], n_units: int
) -> npt.NDArray[np.signedinteger[Any]]:
    """Ranks in unit order ``(n_nodes, n, n_units)`` from rank codes (0: missing)."""
    out = np.empty(codes.shape, dtype=rank_dtype(n_units))
    np.put_along_axis(out, codes % n_units, (codes // n_units).astype(out.dtype), axis=-1)
    return out


def _sobol(prepared: Prepared, outputs: FloatArray) -> SobolIndices | None:
    plan = prepared.plan
    if not plan.sobol:
        return None
    spec = prepared.spec
    return sobol_indices(outputs, len(plan.factors), num_resamples=spec.resamples, seed=spec.seed)

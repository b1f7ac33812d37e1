"""Room for an analysis's temporary files: how much it writes, where, and the check before it runs.

The draws' scores of the summarised nodes are spooled to a temporary file (and their ranks too
when the histogram tables would not fit in memory, or a local process pool writes them); the
folder is checked for room before any draw runs, so a run does not fail half-way.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

import numpy as np

from cityeval.errors import CityevalError
from cityeval.i18n import _
from cityeval.uncertainty.batch import rank_dtype
from cityeval.uncertainty.design import Prepared
from cityeval.uncertainty.spec import ScorePrecision
from cityeval.uncertainty.stats import RankHistograms

__all__ = [
    "TemporarySpaceError",
    "check_space",
    "check_temporary_space",
    "default_threads",
    "mib",
    "n_slots",
    "rank_spool",
    "temporary_bytes",
]

#: Working memory of the batches running at once, in bytes: each of ``k`` threads (or
#: worker processes) gets ``BATCH_BUDGET / k``, at most :data:`BATCH_BUDGET_ONE` (the default
#: batch size follows from it).
BATCH_BUDGET = 384 << 20
#: Largest working memory of one batch.
BATCH_BUDGET_ONE = 192 << 20
#: Largest memory for rank-histogram tables (one per thread counting); beyond it ranks are
#: spooled like scores.
HISTOGRAM_BUDGET = 512 << 20
#: Rank codes buffered before they are counted, over all threads. Small enough that the
#: buffers freed after a count are reused for the next ones: with 128 MB every count pass
#: faulted in fresh pages (a tenth of the analysis's time went to the kernel).
COUNT_BUFFER = 32 << 20
#: Largest one-node count table for spooled rank codes (a local process pool's).
CODE_TABLE_BUDGET = 64 << 20


class TemporarySpaceError(CityevalError, OSError):
    """The temporary folder cannot hold the draws' scores (or is not a folder)."""


def temporary_bytes(prepared: Prepared, threads: int = 1, local_pool: bool = False) -> int:
    """Bytes of temporary files an analysis writes: the draws' scores (and ranks if spooled).

    Ranks are spooled when the histogram tables of ``threads`` counting threads would pass
    :data:`HISTOGRAM_BUDGET`, and with a local process pool (``local_pool``), whose workers
    write their batches' scores and rank codes straight into the files.
    """
    plan = prepared.plan
    cells = n_slots(prepared) * plan.n_units * plan.n_kept_varying
    single = prepared.spec.score_precision is ScorePrecision.SINGLE
    total = cells * (4 if single else 8)
    spooled = rank_spool(plan.n_kept_varying, plan.n_units, threads, local_pool)
    if spooled is not None:
        total += cells * np.dtype(spooled[1]).itemsize
    return int(total)


def n_slots(prepared: Prepared) -> int:
    """Draws summarised: every row (Monte Carlo), or the A and B rows of each Sobol' block."""
    plan = prepared.plan
    return prepared.n_rows if not plan.sobol else 2 * (prepared.n_rows // plan.rows_per_block)


def rank_spool(
    n_var: int, n_units: int, threads: int, local_pool: bool
) -> tuple[str, type[np.signedinteger[Any]]] | None:
    """How ranks leave memory, if they do: ``("codes", int32)`` from a local process pool
    (counted node by node at the end), ``("ranks", dtype)`` in unit order when even one
    node's table is too large, or None (counted in memory, per thread)."""
    one_table = 8 * (n_units + 1) * n_units
    if local_pool and one_table <= CODE_TABLE_BUDGET:
        return "codes", np.int32
    if local_pool or RankHistograms.nbytes(n_var, n_units) * threads > HISTOGRAM_BUDGET:
        return "ranks", rank_dtype(n_units)
    return None


def check_temporary_space(
    prepared: Prepared,
    temp_dir: str | None = None,
    threads: int | None = None,
    local_pool: bool = False,
) -> str:
    """The folder an analysis will spool to, checked for room; raises TemporarySpaceError.

    Parameters
    ----------
    prepared : Prepared
        The analysis.
    temp_dir : str, optional
        The folder asked for; the system's temporary folder (``TMPDIR``) by default.
    threads : int, optional
        Threads of an in-process run (they may each count ranks in memory).
    local_pool : bool
        Whether a local process pool will run the batches (its workers spool rank codes).
    """
    n_threads = 1 if local_pool else threads or default_threads()
    return check_space(temp_dir, temporary_bytes(prepared, n_threads, local_pool))


def check_space(temp_dir: str | None, needed: int) -> str:
    """The folder ``temp_dir`` (the system's by default), checked for ``needed`` free bytes."""
    where = temp_dir if temp_dir is not None else tempfile.gettempdir()
    if not os.path.isdir(where):
        raise TemporarySpaceError(
            _("temporary folder {folder}: no such folder").format(folder=where)
        )
    try:
        free = shutil.disk_usage(where).free
    except OSError:  # cannot tell: let the writes say
        return where
    if needed > free:
        raise TemporarySpaceError(
            _(
                "the analysis writes {needed} of draws' scores to {folder}, which has {free} "
                "free; point it at a folder with more room (--temp-dir, "
                "run_analysis(temp_dir=...) or the TMPDIR environment variable), or use "
                "fewer draws"
            ).format(needed=mib(needed), folder=where, free=mib(free))
        )
    return where


def mib(n: int) -> str:
    """A size in bytes as whole MiB, for messages."""
    return f"{n / 2**20:,.0f} MiB"


def default_threads() -> int:
    """Threads of an in-process run: the processor cores this process may use (at most 8)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(8, cores))

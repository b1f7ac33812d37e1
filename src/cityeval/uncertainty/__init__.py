"""Uncertainty and sensitivity analysis: re-run the index over many draws of its choices.

Draws vary weights, normalisation, aggregation, imputation, treatment and exclusions; each
draw's scores and ranks are computed in batches with a leading draw axis, summarised into
rank and score intervals, and, for a Sobol' design, apportioned to the factors with first-order
and total Sobol' indices, for COINr's scalar and for each unit's rank.

>>> spec = load_spec("asem-uncertainty.yaml")                    # doctest: +SKIP
>>> results = analyse(framework, dataset, pipeline, spec)         # doctest: +SKIP
>>> results.write("out")                                          # doctest: +SKIP

SALib, Dask and resvg-py are imported only when a Sobol' design, a Dask executor or a PNG
chart needs them.
"""

from __future__ import annotations

import sys as _sys
import types as _types
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

from cityeval.uncertainty.checks import check_spec
from cityeval.uncertainty.design import Prepared, prepare
from cityeval.uncertainty.kernels import BatchedAggregator, register_batched_aggregator
from cityeval.uncertainty.results import UncertaintyResults
from cityeval.uncertainty.runner import InlineExecutor, default_batch_size, run_analysis
from cityeval.uncertainty.sobol import SobolIndices, sobol_indices
from cityeval.uncertainty.space import TemporarySpaceError, temporary_bytes
from cityeval.uncertainty.spec import (
    Factor,
    FactorStep,
    NodeSelection,
    SamplingMethod,
    ScorePrecision,
    UncertaintySpec,
    load_spec,
    loads_spec,
    spec_from_dict,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from cityeval.data import Dataset
    from cityeval.model import Framework, Pipeline
    from cityeval.plugins.manager import PluginHost

__all__ = [
    "BatchedAggregator",
    "Factor",
    "FactorStep",
    "InlineExecutor",
    "NodeSelection",
    "Prepared",
    "SamplingMethod",
    "ScorePrecision",
    "SobolIndices",
    "TemporarySpaceError",
    "UncertaintyResults",
    "UncertaintySpec",
    "analyse",
    "check_spec",
    "default_batch_size",
    "load_spec",
    "loads_spec",
    "prepare",
    "register_batched_aggregator",
    "run_analysis",
    "sobol_indices",
    "spec_from_dict",
    "temporary_bytes",
]


def analyse(
    framework: Framework,
    dataset: Dataset,
    pipeline: Pipeline | None,
    spec: UncertaintySpec,
    *,
    executor: Executor | None = None,
    batch_size: int | None = None,
    threads: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    temp_dir: str | None = None,
    host: PluginHost | None = None,
    source: str = "spec",
) -> UncertaintyResults:
    """Check ``spec``, evaluate every draw and summarise (:func:`prepare` + :func:`run_analysis`).

    Parameters
    ----------
    framework, dataset, pipeline
        As for :func:`cityeval.engine.score`.
    spec : UncertaintySpec
        The draws and factors.
    executor : concurrent.futures.Executor, optional
        In-process by default; a ``ProcessPoolExecutor`` or ``distributed.Client.get_executor()``
        spread the batches.
    batch_size : int, optional
        Rows per batch; results do not depend on it.
    threads : int, optional
        Threads of an in-process run (one per core by default); results do not depend on it.
    progress : callable, optional
        ``progress(rows_done, rows_total)``.
    temp_dir : str, optional
        Where the draws' scores are spooled; the system's temporary folder by default.
    host : PluginHost, optional
        Where methods are looked up.
    source : str
        The specification's file name, for error messages.
    """
    prepared = prepare(framework, dataset, pipeline, spec, host=host, source=source)
    return run_analysis(
        prepared,
        executor=executor,
        batch_size=batch_size,
        threads=threads,
        progress=progress,
        temp_dir=temp_dir,
    )


class _CallablePackage(_types.ModuleType):
    """This package, callable: ``cityeval.uncertainty(...)`` is :func:`cityeval.api.uncertainty`.

    ``cityeval.uncertainty`` names both the public verb and this subpackage; once the
    subpackage is imported the import system makes it the attribute of ``cityeval``, so the
    package itself must answer the call.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> UncertaintyResults:
        from cityeval.api import uncertainty

        return uncertainty(*args, **kwargs)


_sys.modules[__name__].__class__ = _CallablePackage

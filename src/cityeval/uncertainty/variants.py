"""The pre-aggregation variants of an analysis: each distinct pipeline scored once.

Imputation, treatment and normalisation choices have few combinations. Every combination of
their options is written as a pipeline; combinations that give the same pipeline share one
variant, and each variant is run once through the engine, so these steps are exactly the
engine's. Draws then differ only in their weights and aggregation.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from attrs import evolve, frozen

from cityeval.data import Dataset
from cityeval.engine import score as engine_score
from cityeval.engine.signatures import method_params
from cityeval.errors import CityevalError, InputError, Problem
from cityeval.i18n import _
from cityeval.model import Framework, Pipeline, Step
from cityeval.plugins.manager import PluginHost
from cityeval.plugins.registry import MethodRegistry
from cityeval.uncertainty.checks import PRE_STEPS
from cityeval.uncertainty.spec import Factor

__all__ = ["Variants", "options", "score_variants"]

FloatArray = npt.NDArray[np.float64]


def options(factor: Factor) -> list[Any]:
    """A discrete factor's options: its method names, or the whole numbers of its range."""
    if factor.form == "choices":
        return list(factor.choices)
    assert factor.range is not None
    return list(range(factor.range[0], factor.range[1] + 1))


def _variant_pipeline(
    pipeline: Pipeline,
    settings: Sequence[tuple[Factor, Any]],
    methods: MethodRegistry,
    ignored: set[str],
    names: Sequence[str],
) -> Pipeline:
    steps = {s.step: s for s in pipeline.steps}
    for factor, value in settings:
        if factor.form == "choices":
            kind = PRE_STEPS[factor.step]
            if steps[kind].method != value:
                # Another method runs with its own defaults: the step's params are the old one's.
                steps[kind] = Step(kind, value)
    for (factor, value), name in zip(settings, names, strict=True):
        if factor.form == "param":
            kind = PRE_STEPS[factor.step]
            step = steps[kind]
            impl = methods.get(kind.value, step.method).implementation
            assert factor.param is not None
            if factor.param in method_params(impl, kind.value).names:
                steps[kind] = evolve(step, params=step.params.merged({factor.param: value}))
            else:
                ignored.add(
                    _(
                        "{factor} ({param}) is ignored where {kind} is {method!r}, which has "
                        "no such parameter"
                    ).format(factor=name, param=factor.param, kind=kind.value, method=step.method)
                )
    return evolve(pipeline, steps=tuple(steps[s.step] for s in pipeline.steps))


@frozen
class Variants:
    """The distinct pre-aggregation pipelines of an analysis and their normalised data.

    Attributes
    ----------
    of_combo : ndarray of intp
        The variant of each combination of the pre-aggregation factors' options.
    normalised : tuple of ndarray of shape ``(n_units, n_indicators)``
        Each variant's normalised values, as the engine computes them.
    labels : tuple of str
        What each variant is (``normalisation=zscore, treatment=none``), for reports.
    notes : tuple of str
        Parameters ignored by some of the methods.
    """

    of_combo: npt.NDArray[np.intp]
    normalised: tuple[FloatArray, ...]
    labels: tuple[str, ...]
    notes: tuple[str, ...]


def score_variants(
    framework: Framework,
    dataset: Dataset,
    pipeline: Pipeline,
    pre: Sequence[tuple[str, Factor]],
    host: PluginHost,
    *,
    source: str,
    pipeline_source: str,
) -> Variants:
    """Write every combination of the pre-aggregation factors ``pre`` and score each distinct
    pipeline once.

    Raises
    ------
    InputError
        If a variant cannot be scored (located at ``factors`` of ``source``).
    """
    from cityeval.io.pipelines import dumps_pipeline

    registry = host.methods
    opts = [options(f) for _n, f in pre]
    combos = list(itertools.product(*opts)) if pre else [()]
    distinct: dict[str, int] = {}
    of_combo = np.zeros(len(combos), dtype=np.intp)
    pipelines: list[Pipeline] = []
    labels: list[str] = []
    ignored: set[str] = set()
    for ci, combo in enumerate(combos):
        settings = [(f, v) for (_n, f), v in zip(pre, combo, strict=True)]
        vp = _variant_pipeline(pipeline, settings, registry, ignored, [n for n, _f in pre])
        key = dumps_pipeline(vp)
        if key not in distinct:
            distinct[key] = len(pipelines)
            pipelines.append(vp)
            labels.append(
                ", ".join(f"{n}={v}" for (n, _f), v in zip(pre, combo, strict=True)) or "nominal"
            )
        of_combo[ci] = distinct[key]
    normalised: list[FloatArray] = []
    for vp, label in zip(pipelines, labels, strict=True):
        try:
            res = engine_score(framework, dataset, vp, host=host, source=pipeline_source)
        except CityevalError as exc:
            raise InputError(
                source,
                [
                    Problem(
                        ("factors",),
                        _("the pipeline variant {label} cannot be scored: {error}").format(
                            label=label, error=exc
                        ),
                    )
                ],
            ) from None
        normalised.append(np.asarray(res.stages["normalised"], dtype=np.float64))
    return Variants(of_combo, tuple(normalised), tuple(labels), tuple(sorted(ignored)))

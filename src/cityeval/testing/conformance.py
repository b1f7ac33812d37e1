"""A conformance check any framework plugin can run in its own tests.

:func:`check_framework_plugin` loads a framework (by id or object), checks that it
round-trips through YAML, JSON and TOML, that its default pipeline resolves against it, that
its bands do not overlap and cover the scores the pipeline can produce (where that range can be
known), and, unless the framework is a template, scores generated data with the default
pipeline. The scores must then behave as scores do: the same data scored twice gives the same
scores, listing the units in another order moves their scores with them, and (for pipelines
that average, where this holds) giving a unit a better value of an indicator never lowers
its overall index. Every problem found is collected; the check fails once, listing them all.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from attrs import define, field

from cityeval.model import Band, Framework, Indicator, Pipeline, ScaleKind, StepKind
from cityeval.model.bands import band_problems

if TYPE_CHECKING:
    from cityeval.data import Dataset
    from cityeval.engine.results import Results
    from cityeval.plugins.manager import PluginHost

__all__ = [
    "ConformanceError",
    "ConformanceReport",
    "check_framework_plugin",
    "generated_dataset",
    "score_range",
]


class ConformanceError(AssertionError):
    """A framework failed the conformance check; the message lists every problem."""


@define
class ConformanceReport:
    """What :func:`check_framework_plugin` checked.

    Attributes
    ----------
    framework : Framework
        The framework checked.
    checks : list of str
        The checks that ran and passed.
    skipped : list of str
        Checks that could not run, with the reason.
    results : Results or None
        The results of scoring generated data, when the framework is scorable.
    """

    framework: Framework
    checks: list[str] = field(factory=list)
    skipped: list[str] = field(factory=list)
    results: Results | None = None


def _natural(ind: Indicator) -> tuple[float, float]:
    if ind.bounds is not None:
        return ind.bounds.lower, ind.bounds.upper
    natural = ind.scale.natural_bounds()
    return natural if natural is not None else (0.0, 100.0)


def generated_dataset(
    framework: Framework, n_units: int = 12, seed: int = 0, missing: float = 0.0
) -> Dataset:
    """A :class:`~cityeval.data.Dataset` of plausible values for every indicator.

    Ordinal indicators take their levels' values; others uniform values inside their bounds
    (or their scale's range, or 0 to 100 for a ratio scale without bounds). ``missing`` is
    the share of cells left missing.
    """
    from cityeval.data import Dataset

    rng = np.random.default_rng(seed)
    inds = framework.indicators()
    values = np.empty((n_units, len(inds)))
    for j, ind in enumerate(inds):
        if ind.scale.kind is ScaleKind.ORDINAL:
            levels = [lv.value for lv in ind.scale.levels]
            values[:, j] = rng.choice(levels, size=n_units)
        elif ind.scale.kind is ScaleKind.BINARY:
            values[:, j] = rng.integers(0, 2, size=n_units)
        else:
            lo, hi = _natural(ind)
            values[:, j] = rng.uniform(lo, hi, size=n_units)
    if missing > 0:
        values[rng.random(values.shape) < missing] = np.nan
    units = tuple(f"U{u + 1:02d}" for u in range(n_units))
    return Dataset(units=units, indicators=tuple(i.id for i in inds), values=values)


def score_range(framework: Framework, pipeline: Pipeline) -> tuple[float, float] | None:
    """The range of the overall index the pipeline can produce, or None when unknown.

    Known for the aggregations that are means (arithmetic, geometric, harmonic, power mean,
    median, minimum) after ``identity`` (the indicators' own bounds or scale ranges) or
    ``minmax`` (its ``lower`` and ``upper``) normalisation without per-indicator overrides.
    """
    normalise = pipeline.get(StepKind.NORMALISE)
    aggregate = pipeline.get(StepKind.AGGREGATE)
    if normalise is None or aggregate is None or normalise.overrides:
        return None
    if not _averages(pipeline):
        return None
    if normalise.method == "minmax":
        lo, hi = normalise.params.get("lower", 0.0), normalise.params.get("upper", 100.0)
        if isinstance(lo, int | float) and isinstance(hi, int | float):
            return float(lo), float(hi)
        return None
    if normalise.method == "identity":
        inds = framework.indicators()
        if any(i.bounds is None and i.scale.natural_bounds() is None for i in inds):
            return None
        ranges = [_natural(i) for i in inds]
        return min(r[0] for r in ranges), max(r[1] for r in ranges)
    return None


def _coverage_gaps(bands: tuple[Band, ...], lo: float, hi: float) -> list[str]:
    """Parts of ``[lo, hi]`` that no band covers."""
    gaps: list[str] = []
    ordered = sorted(bands, key=lambda b: -math.inf if b.lower is None else b.lower)
    reached = lo
    for band in ordered:
        start = -math.inf if band.lower is None else band.lower
        if start > reached:
            gaps.append(f"[{reached:g}, {start:g})")
        end = math.inf if band.upper is None else band.upper
        reached = max(reached, end)
    if reached <= hi:
        gaps.append(f"[{reached:g}, {hi:g}]")
    return gaps


_MEANS = frozenset({"arithmetic", "geometric", "harmonic", "power_mean", "median", "minimum"})


def _averages(pipeline: Pipeline) -> bool:
    """Whether every aggregation is a mean, so that a better value cannot lower the index.

    Normalisations are taken to be monotone in a unit's own value, as all of cityeval's are
    (a z-score too: its derivative in the unit's own value is never negative).
    """
    aggregate = pipeline.get(StepKind.AGGREGATE)
    if aggregate is None or aggregate.method not in _MEANS:
        return False
    return all(o.method in (None, *_MEANS) for o in aggregate.overrides)


def _best(ind: Indicator) -> float:
    """The best value an indicator can take (its direction decides which end)."""
    from cityeval.model import Direction

    if ind.scale.kind is ScaleKind.ORDINAL:
        levels = [lv.value for lv in ind.scale.levels]
        lo, hi = min(levels), max(levels)
    elif ind.scale.kind is ScaleKind.BINARY:
        lo, hi = 0.0, 1.0
    else:
        lo, hi = _natural(ind)
    return lo if ind.direction is Direction.LOWER else hi


def _behaviour(
    fw: Framework,
    data: Dataset,
    pipeline: Pipeline,
    results: Results,
    host: PluginHost,
    report: ConformanceReport,
    max_indicators: int = 12,
) -> list[str]:
    """Reproducibility, unit-order equivariance and monotonicity of the overall index."""
    import attrs

    from cityeval.engine import score

    problems: list[str] = []
    top = np.asarray(results.score(results.top_id), dtype=np.float64)
    again = np.asarray(score(fw, data, host=host).score(results.top_id), dtype=np.float64)
    if np.array_equal(top, again, equal_nan=True):
        report.checks.append("scores are reproducible")
    else:
        problems.append("scoring the same data twice gave different scores")

    order = np.arange(data.n_units)[::-1]
    reordered = attrs.evolve(
        data,
        units=tuple(data.units[u] for u in order),
        names=tuple(data.names[u] for u in order),
        values=np.asarray(data.values)[order],
    )
    moved = np.asarray(score(fw, reordered, host=host).score(results.top_id), dtype=np.float64)
    if np.allclose(moved, top[order], rtol=1e-9, atol=1e-12, equal_nan=True):
        report.checks.append("unit order does not matter")
    else:
        problems.append("listing the units in another order changed their scores")

    if not _averages(pipeline):
        report.skipped.append("monotonicity: the pipeline does not simply average")
        return problems
    inds = fw.indicators()
    chosen = np.random.default_rng(0).permutation(len(inds))[:max_indicators]
    worse: list[str] = []
    for j in sorted(chosen):
        values = np.array(data.values, dtype=np.float64)
        values[0, j] = _best(inds[j])
        better = score(fw, attrs.evolve(data, values=values), host=host)
        new = float(np.asarray(better.score(results.top_id))[0])
        tol = 1e-9 * max(1.0, abs(float(top[0])))
        if new < float(top[0]) - tol:
            worse.append(f"{inds[j].id} ({float(top[0]):g} -> {new:g})")
    if worse:
        problems.append(
            f"a better value lowered unit {data.units[0]}'s overall index: " + ", ".join(worse)
        )
    else:
        report.checks.append("better values never lower the index")
    return problems


def check_framework_plugin(
    framework_or_id: Framework | str,
    *,
    host: PluginHost | None = None,
    n_units: int = 12,
    seed: int = 0,
) -> ConformanceReport:
    """Check that a framework shipped by a plugin is fit to use.

    Parameters
    ----------
    framework_or_id : Framework or str
        The framework, or the id of a registered framework.
    host : PluginHost, optional
        Where the framework and methods are looked up; the process-wide host by default.
    n_units, seed : int
        Size and seed of the generated data set.

    Returns
    -------
    ConformanceReport
        The checks that ran, and those skipped with the reason.

    Raises
    ------
    ConformanceError
        Listing every problem found.
    """
    from cityeval.engine import score
    from cityeval.engine.compiled import compile_framework
    from cityeval.engine.resolve import resolve_pipeline
    from cityeval.engine.run import DEFAULT_PIPELINE
    from cityeval.errors import CityevalError
    from cityeval.io.frameworks import dumps_framework, loads_framework
    from cityeval.plugins.manager import get_host

    host = host or get_host()
    if isinstance(framework_or_id, str):
        fw = host.frameworks.get(framework_or_id).framework
    else:
        fw = framework_or_id
    report = ConformanceReport(fw)
    problems: list[str] = []

    # Load and validate: the model validates on construction; the file form must too.
    for fmt in ("yaml", "json", "toml"):
        try:
            again = loads_framework(dumps_framework(fw, fmt), fmt, f"{fw.id}.{fmt}")
        except CityevalError as exc:
            problems.append(f"{fmt} round trip: {exc}")
            continue
        if again != fw:
            problems.append(f"{fmt} round trip: the framework read back differs")
        else:
            report.checks.append(f"round trip {fmt}")

    pipeline = fw.pipeline or DEFAULT_PIPELINE
    for step in pipeline.steps:
        known_methods = {e.name for e in host.methods.of_kind(step.step.value)}
        methods = {step.method, *(o.method for o in step.overrides if o.method)}
        problems.extend(
            f"pipeline: unknown {step.step.value} method {method!r}"
            for method in sorted(methods - known_methods)
        )
    if not fw.template:
        try:
            resolve_pipeline(pipeline, compile_framework(fw), host.methods, f"{fw.id} pipeline")
            report.checks.append("pipeline resolves")
        except CityevalError as exc:
            problems.append(f"pipeline does not resolve: {exc}")

    problems.extend(f"bands: {p}" for p in band_problems(fw.bands))
    problems.extend(
        f"{dim.id}.bands: {p}" for dim in fw.aggregates() for p in band_problems(dim.bands)
    )
    if fw.bands:
        known = score_range(fw, pipeline)
        if known is None:
            report.skipped.append("band coverage: the pipeline's score range is not known")
        else:
            gaps = _coverage_gaps(fw.bands, *known)
            if gaps:
                problems.append(
                    f"bands leave scores of the index uncovered: {', '.join(gaps)} "
                    f"(the pipeline gives scores in [{known[0]:g}, {known[1]:g}])"
                )
            else:
                report.checks.append(f"bands cover [{known[0]:g}, {known[1]:g}]")

    if fw.template:
        report.skipped.append("scoring: the framework is a template")
    elif not problems:
        data = generated_dataset(fw, n_units, seed)
        try:
            results = score(fw, data, host=host)
        except CityevalError as exc:
            problems.append(f"scoring generated data failed: {exc}")
        else:
            report.results = results
            top = np.asarray(results.score(results.top_id), dtype=np.float64)
            if not np.isfinite(top).all():
                problems.append("scoring generated data gave a missing overall index")
            known = score_range(fw, pipeline)
            if known is not None and np.isfinite(top).all():
                lo, hi = known
                tol = 1e-9 * max(1.0, abs(lo), abs(hi))
                if (top < lo - tol).any() or (top > hi + tol).any():
                    problems.append(f"index scores leave the range [{lo:g}, {hi:g}]")
            if fw.bands:
                unbanded = [
                    u for u, lab in results.predicates().get(results.top_id, {}).items() if not lab
                ]
                if unbanded:
                    problems.append(f"units outside every band: {', '.join(unbanded)}")
            report.checks.append("scores generated data")
            problems.extend(_behaviour(fw, data, pipeline, results, host, report))
    if problems:
        raise ConformanceError(
            f"framework {fw.id!r} fails the conformance check:\n- " + "\n- ".join(problems)
        )
    return report

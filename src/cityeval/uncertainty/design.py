"""Check a specification against a framework and pipeline, and compile it into a :class:`Plan`.

Every factor is checked before anything runs: a factor on a step the pipeline lacks, a level
the framework does not have, an unregistered method or weight set is an error naming the
factor (``spec.yaml: factors.norm.choices[1]: unknown normalise method 'z' ...``). Then the
few pre-aggregation variants are scored once each with the engine, and the sample matrix is
drawn.

The positivity rule
-------------------
A geometric or harmonic mean (or a power mean of order ``p <= 0``) is undefined for values
``<= 0``, which z-scores and min-max onto ``[0, 100]`` produce. For a draw that combines such a
mean with a variant whose normalised values are not all positive, the normalised values are
rescaled indicator by indicator by min-max onto ``[1, 100]`` before aggregation (an increasing
affine map of each column, so the indicator's ranking of units is kept). The number of draws
where the rule applied is reported. A pipeline whose aggregate step clips (``nonpositive:
clip``) keeps clipping instead, as the engine does.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from attrs import define, evolve

from cityeval.data import Dataset
from cityeval.engine import DEFAULT_PIPELINE, CompiledFramework, Results, compile_framework
from cityeval.engine import score as engine_score
from cityeval.engine.resolve import kernel_kwargs, resolve_pipeline
from cityeval.engine.signatures import method_params
from cityeval.errors import CityevalError, InputError, NotFoundError, Problem
from cityeval.methods.normalise import minmax
from cityeval.model import ExplicitWeights, Framework, Pipeline, Step, StepKind
from cityeval.plugins.manager import PluginHost, get_host
from cityeval.plugins.registry import MethodRegistry
from cityeval.uncertainty.batch import aggregate_level, evaluate_rows, rank_units
from cityeval.uncertainty.plan import FactorPlan, LevelPlan, Plan
from cityeval.uncertainty.spec import DECLARED, Factor, FactorStep, SamplingMethod, UncertaintySpec

__all__ = ["BATCH_AGGREGATES", "Prepared", "check_spec", "prepare"]

FloatArray = npt.NDArray[np.float64]

#: Aggregation methods a factor may choose among (evaluated with the matrix kernels).
BATCH_AGGREGATES = ("arithmetic", "geometric", "harmonic")
#: Aggregation methods the pipeline's own step may use in an analysis.
_NOMINAL_AGGREGATES = (*BATCH_AGGREGATES, "power_mean")
_PRE_STEPS = {
    FactorStep.IMPUTE: StepKind.IMPUTE,
    FactorStep.TREAT: StepKind.TREAT,
    FactorStep.NORMALISE: StepKind.NORMALISE,
}
#: The range of the positivity rule's rescaling.
RESCALE_RANGE = (1.0, 100.0)


@define(frozen=True, eq=False)
class Prepared:
    """A checked analysis ready to run: the plan, the sample and the nominal results.

    Attributes
    ----------
    spec : UncertaintySpec
        The specification.
    plan : Plan
        What workers evaluate.
    sample : ndarray of shape ``(n_rows, n_inputs)``
        The design in ``[0, 1)``: one row per model run.
    input_names : tuple of str
        Column names of the sample (``factor`` or ``factor:node`` for weight noise).
    compiled : CompiledFramework
        The framework as scored.
    nominal : Results
        The engine's results for the pipeline as written.
    node_ids : tuple of str
        Aggregate ids in the plan's internal order (bottom-up, level by level).
    prefix_scores, prefix_ranks : ndarray of shape ``(n_groups, n_units, n_prefix_nodes)``
        Scores and ranks of the nodes below the first varying level, per group.
    group_labels : tuple of str
        What each (variant, method) group is, for reports.
    notes : tuple of str
        What the analysis reports (the positivity rule, ignored parameters).
    """

    spec: UncertaintySpec
    plan: Plan
    sample: FloatArray
    input_names: tuple[str, ...]
    compiled: CompiledFramework
    nominal: Results
    node_ids: tuple[str, ...]
    prefix_scores: FloatArray
    prefix_ranks: FloatArray
    group_labels: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def factor_names(self) -> tuple[str, ...]:
        """The factors, in sample order."""
        return tuple(f.name for f in self.plan.factors)

    @property
    def n_rows(self) -> int:
        """Model runs."""
        return int(self.sample.shape[0])

    def draw_scores(self, rows: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Scores and ranks of every aggregate for some rows of the sample.

        Returns arrays of shape ``(n_rows, n_units, n_aggregates)``, columns in the engine's
        order (:attr:`cityeval.engine.Results.aggregate_ids`, top first), so a draw can be
        compared with :func:`cityeval.engine.score` run with that draw's settings.
        """
        idx = np.atleast_1d(np.asarray(rows, dtype=np.intp))
        decoded, varying, varying_ranks = evaluate_rows(self.plan, self.sample[idx])
        prefix = self.prefix_scores[decoded.group]
        prefix_ranks = self.prefix_ranks[decoded.group]
        scores = np.concatenate([prefix, varying], axis=-1)
        ranks = np.concatenate([prefix_ranks, varying_ranks], axis=-1)
        order = [self.node_ids.index(n) for n in self.nominal.aggregate_ids]
        return scores[..., order], ranks[..., order]


# --------------------------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------------------------


def _level_names(compiled: CompiledFramework) -> str:
    return ", ".join(f"{i + 1} = {name}" for i, name in enumerate(compiled.level_names))


def _check_level(
    where: tuple[str | int, ...], level: int, compiled: CompiledFramework, what: str
) -> list[Problem]:
    top = len(compiled.levels) + 1
    if level > top:
        return [
            Problem(
                (*where, "level"),
                f"unknown level {level} (levels are {_level_names(compiled)})",
            )
        ]
    if level == top:
        return [
            Problem(
                (*where, "level"),
                f"level {level} is the top ({compiled.level_names[-1]}), which has no "
                f"siblings to {what}; use a level from 1 to {top - 1} "
                f"({_level_names(compiled)})",
            )
        ]
    return []


def _method_problems(
    where: tuple[str | int, ...], kind: str, names: Sequence[str], methods: MethodRegistry
) -> list[Problem]:
    problems = []
    for i, name in enumerate(names):
        try:
            methods.get(kind, name)
        except NotFoundError as exc:
            problems.append(Problem((*where, "choices", i), str(exc)))
            continue
        if kind == "aggregate" and name not in BATCH_AGGREGATES:
            problems.append(
                Problem(
                    (*where, "choices", i),
                    f"aggregate method {name!r} cannot be evaluated in batches of draws; "
                    f"choose among {', '.join(BATCH_AGGREGATES)}",
                )
            )
    return problems


def check_spec(
    spec: UncertaintySpec,
    compiled: CompiledFramework,
    pipeline: Pipeline,
    methods: MethodRegistry,
) -> list[Problem]:
    """Every problem of ``spec`` against a framework, a pipeline and the method registry.

    Returns
    -------
    list of Problem
        Located under ``factors.<name>``; empty when the specification fits.
    """
    problems: list[Problem] = []
    seen: dict[tuple[object, ...], str] = {}
    fw = compiled.framework
    for name, factor in spec.factors.items():
        where: tuple[str | int, ...] = ("factors", name)
        step = factor.step
        key: tuple[object, ...]
        if factor.form == "noise":
            key = ("noise", factor.level)
        elif factor.form == "param":
            key = ("param", step, factor.param)
        elif factor.form == "exclude":
            key = ("exclude", factor.level)
        else:
            key = (factor.form, step)
        if key in seen:
            problems.append(
                Problem(
                    where,
                    f"factors.{seen[key]} already varies the same thing; one factor each",
                )
            )
        seen.setdefault(key, name)
        if step in _PRE_STEPS:
            kind = _PRE_STEPS[step]
            own = pipeline.get(kind)
            if own is None:
                problems.append(
                    Problem(
                        (*where, "step"),
                        f"the pipeline has no {kind.value!r} step; add one to the pipeline "
                        "to vary it",
                    )
                )
                continue
        if factor.form == "choices":
            problems += _method_problems(where, step.value, factor.choices, methods)
        elif factor.form == "param":
            problems += _param_problems(where, spec, factor, pipeline, methods)
        elif factor.form == "sets":
            known = [ws.name for ws in fw.weight_sets]
            for i, set_name in enumerate(factor.sets):
                if set_name != DECLARED and set_name not in known:
                    listing = ", ".join(map(repr, [*known, DECLARED]))
                    problems.append(
                        Problem(
                            (*where, "sets", i),
                            f"unknown weight set {set_name!r} (the framework has: {listing})",
                        )
                    )
        if factor.level is not None:
            verb = "weigh against" if step is FactorStep.WEIGHT else "be excluded from"
            problems += _check_level(where, factor.level, compiled, verb)
    return problems


def _param_problems(
    where: tuple[str | int, ...],
    spec: UncertaintySpec,
    factor: Factor,
    pipeline: Pipeline,
    methods: MethodRegistry,
) -> list[Problem]:
    kind = _PRE_STEPS[factor.step]
    own = pipeline.get(kind)
    assert own is not None and factor.param is not None
    candidates = {own.method}
    for other in spec.factors.values():
        if other.step is factor.step and other.form == "choices":
            candidates |= set(other.choices)
    accepted = []
    for method in sorted(candidates):
        try:
            impl = methods.get(kind.value, method).implementation
        except NotFoundError:
            continue
        if factor.param in method_params(impl, kind.value).names:
            accepted.append(method)
    if accepted:
        return []
    return [
        Problem(
            (*where, "param"),
            f"{factor.param!r} is no parameter of {kind.value} method(s) "
            f"{', '.join(map(repr, sorted(candidates)))}",
        )
    ]


# --------------------------------------------------------------------------------------------
# Compiling
# --------------------------------------------------------------------------------------------


def _options(factor: Factor) -> list[Any]:
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
            kind = _PRE_STEPS[factor.step]
            if steps[kind].method != value:
                # Another method runs with its own defaults: the step's params are the old one's.
                steps[kind] = Step(kind, value)
    for (factor, value), name in zip(settings, names, strict=True):
        if factor.form == "param":
            kind = _PRE_STEPS[factor.step]
            step = steps[kind]
            impl = methods.get(kind.value, step.method).implementation
            assert factor.param is not None
            if factor.param in method_params(impl, kind.value).names:
                steps[kind] = evolve(step, params=step.params.merged({factor.param: value}))
            else:
                ignored.add(
                    f"{name} ({factor.param}) is ignored where {kind.value} is "
                    f"{step.method!r}, which has no such parameter"
                )
    return evolve(pipeline, steps=tuple(steps[s.step] for s in pipeline.steps))


def _needs_positive(method: str, kwargs: dict[str, Any]) -> tuple[bool, bool]:
    """(needs a check, strictly positive) for a mean and its parameters."""
    if kwargs.get("nonpositive") == "clip":
        return False, False
    if method in ("geometric", "harmonic"):
        return True, True
    if method == "power_mean":
        p = float(kwargs.get("p", 1.0))
        return p != 1.0, p <= 0
    return False, False


def _level_weights(
    compiled: CompiledFramework, raw: Callable[[str, str], float]
) -> list[FloatArray]:
    """Per aggregate level, the children's weights normalised within each parent."""
    out = []
    for level in compiled.levels:
        n_children = sum(len(c) for c in level.children)
        w = np.zeros(n_children)
        for node, cols, ids in zip(level.node_ids, level.children, level.child_ids, strict=True):
            vals = np.array([raw(node, c) for c in ids], dtype=np.float64)
            total = vals.sum()
            if not np.isfinite(total) or total <= 0:
                raise InputError(
                    "", [Problem((), f"the weights of the children of {node!r} sum to {total}")]
                )
            w[list(cols)] = vals / total
        out.append(w)
    return out


def _parents(compiled: CompiledFramework) -> list[npt.NDArray[np.intp]]:
    out = []
    for level in compiled.levels:
        n_children = sum(len(c) for c in level.children)
        parent = np.empty(n_children, dtype=np.intp)
        for p, cols in enumerate(level.children):
            parent[list(cols)] = p
        out.append(parent)
    return out


def _sample(
    spec: UncertaintySpec, names: list[str], groups: list[str], n_factors: int
) -> tuple[FloatArray, bool]:
    d = len(names)
    if spec.method is SamplingMethod.SOBOL and n_factors > 0:
        from SALib.sample import sobol as sobol_sample

        problem = {"num_vars": d, "names": names, "bounds": [[0.0, 1.0]] * d, "groups": groups}
        x = sobol_sample.sample(problem, spec.draws, calc_second_order=False, seed=spec.seed)
        return np.asarray(x, dtype=np.float64), True
    rng = np.random.default_rng(spec.seed)
    return rng.random((spec.draws, d)), False


def prepare(
    framework: Framework,
    dataset: Dataset,
    pipeline: Pipeline | None,
    spec: UncertaintySpec,
    *,
    host: PluginHost | None = None,
    source: str = "spec",
    pipeline_source: str = "pipeline",
) -> Prepared:
    """Check ``spec`` and compile the analysis.

    Parameters
    ----------
    framework, dataset, pipeline
        As for :func:`cityeval.engine.score`; the pipeline defaults to the framework's own.
    spec : UncertaintySpec
        What varies.
    host : PluginHost, optional
        Where methods are looked up.
    source, pipeline_source : str
        File names used in error messages.

    Raises
    ------
    InputError
        If the specification does not fit the framework or pipeline (every problem listed),
        or the data is a panel.
    """
    host = host or get_host()
    registry = host.methods
    compiled = compile_framework(framework)
    chosen = pipeline or framework.pipeline or DEFAULT_PIPELINE
    if dataset.is_panel:
        raise InputError(
            source,
            [Problem((), "the data is a panel; analyse one time point (a cross-section)")],
        )
    nominal = engine_score(framework, dataset, chosen, host=host, source=pipeline_source)
    problems = check_spec(spec, compiled, chosen, registry)
    if problems:
        raise InputError(source, problems)

    factors = list(spec.factors.items())
    pre = [(n, f) for n, f in factors if f.step in _PRE_STEPS]
    agg_factor = next(((n, f) for n, f in factors if f.step is FactorStep.AGGREGATE), None)
    notes: list[str] = []

    # -- aggregation methods -----------------------------------------------------------------
    resolved = resolve_pipeline(chosen, compiled, registry, pipeline_source)
    agg_step = resolved.get(StepKind.AGGREGATE)
    assert agg_step is not None
    nominal_choices = {(c.method, c.params) for c in agg_step.choices.values()}
    top_choice = agg_step.choices[compiled.top_id]
    nominal_method = (top_choice.method, kernel_kwargs(top_choice, "aggregate"))
    methods: list[tuple[str, dict[str, object]]]
    if agg_factor is not None:
        methods = [
            nominal_method if c == nominal_method[0] else (c, {}) for c in agg_factor[1].choices
        ]
    else:
        if len(nominal_choices) > 1 or nominal_method[0] not in _NOMINAL_AGGREGATES:
            raise InputError(
                pipeline_source,
                [
                    Problem(
                        ("steps", agg_step.index),
                        "an uncertainty analysis evaluates one aggregation method for every "
                        f"node, among {', '.join(_NOMINAL_AGGREGATES)}; add an aggregate "
                        "factor with choices to the specification, or simplify the step",
                    )
                ],
            )
        methods = [nominal_method]

    # -- pre-aggregation variants ------------------------------------------------------------
    options = [_options(f) for _, f in pre]
    combos = list(itertools.product(*options)) if pre else [()]
    distinct: dict[str, int] = {}
    variant_of_combo = np.zeros(len(combos), dtype=np.intp)
    variant_pipelines: list[Pipeline] = []
    variant_labels: list[str] = []
    ignored: set[str] = set()
    from cityeval.io.pipelines import dumps_pipeline

    for ci, combo in enumerate(combos):
        settings = [(f, v) for (_, f), v in zip(pre, combo, strict=True)]
        vp = _variant_pipeline(chosen, settings, registry, ignored, [n for n, _ in pre])
        key = dumps_pipeline(vp)
        if key not in distinct:
            distinct[key] = len(variant_pipelines)
            variant_pipelines.append(vp)
            variant_labels.append(
                ", ".join(f"{n}={v}" for (n, _), v in zip(pre, combo, strict=True)) or "nominal"
            )
        variant_of_combo[ci] = distinct[key]
    notes.extend(sorted(ignored))
    normalised: list[FloatArray] = []
    for vp, label in zip(variant_pipelines, variant_labels, strict=True):
        try:
            res = engine_score(framework, dataset, vp, host=host, source=pipeline_source)
        except CityevalError as exc:
            raise InputError(
                source,
                [Problem(("factors",), f"the pipeline variant {label} cannot be scored: {exc}")],
            ) from None
        normalised.append(np.asarray(res.stages["normalised"], dtype=np.float64))

    # -- weights -------------------------------------------------------------------------------
    parents = _parents(compiled)
    by_child = {
        node: dict(zip(ids, nominal.weights[node], strict=True))
        for level in compiled.levels
        for node, ids in zip(level.node_ids, level.child_ids, strict=True)
    }
    w_nominal = _level_weights(compiled, lambda node, child: by_child[node][child])
    sets_factor = next(((n, f) for n, f in factors if f.form == "sets"), None)
    set_weights: list[list[FloatArray]] = []
    if sets_factor is not None:
        for set_name in sets_factor[1].sets:
            scheme = (
                ExplicitWeights()
                if set_name == DECLARED
                else ExplicitWeights.from_set(framework, set_name)
            )
            set_weights.append(_level_weights(compiled, _lookup(scheme.weights(framework))))
    n_levels = len(compiled.levels)
    varies = [False] * n_levels
    sets_vary = [False] * n_levels
    for _, f in factors:
        if f.form in ("noise", "exclude"):
            assert f.level is not None
            varies[f.level - 1] = True
    base = list(w_nominal)
    if set_weights:
        for k in range(n_levels):
            base[k] = set_weights[0][k]
            if any(
                not np.allclose(sw[k], set_weights[0][k], rtol=0, atol=0) for sw in set_weights
            ):
                sets_vary[k] = varies[k] = True
    levels = tuple(
        LevelPlan(parents[k], len(compiled.levels[k].node_ids), base[k], varies[k], sets_vary[k])
        for k in range(n_levels)
    )
    first_varying = next((k for k in range(n_levels) if varies[k]), n_levels)

    # -- factor plans and the sample -----------------------------------------------------------
    input_names: list[str] = []
    groups: list[str] = []
    plans: list[FactorPlan] = []
    radix = 1
    radices: dict[str, int] = {}
    for (n, _), opts in zip(reversed(pre), reversed(options), strict=True):
        radices[n] = radix
        radix *= len(opts)
    for n, f in factors:
        col = len(input_names)
        if f.form == "noise":
            assert f.level is not None
            k = f.level - 1
            child_ids = tuple(c for ids in compiled.levels[k].child_ids for c in ids)
            ordered = [""] * len(child_ids)
            for cols, ids in zip(
                compiled.levels[k].children, compiled.levels[k].child_ids, strict=True
            ):
                for c, cid in zip(cols, ids, strict=True):
                    ordered[c] = cid
            input_names += [f"{n}:{cid}" for cid in ordered]
            groups += [n] * len(ordered)
            assert f.noise is not None
            plans.append(
                FactorPlan(n, "noise", (col, col + len(ordered)), 0, tuple(ordered), k, f.noise)
            )
            continue
        input_names.append(n)
        groups.append(n)
        cols = (col, col + 1)
        if f.form == "exclude":
            assert f.level is not None
            k = f.level - 1
            nodes = compiled.indicator_ids if k == 0 else compiled.levels[k - 1].node_ids
            plans.append(FactorPlan(n, "exclude", cols, len(nodes) + 1, ("none", *nodes), k))
        elif f.form == "sets":
            plans.append(
                FactorPlan(
                    n,
                    "sets",
                    cols,
                    len(f.sets),
                    f.sets,
                    set_weights=tuple(tuple(w) for w in set_weights),
                )
            )
        elif f.step is FactorStep.AGGREGATE:
            plans.append(
                FactorPlan(n, "choices", cols, len(f.choices), f.choices, aggregation=True)
            )
        else:
            opts = _options(f)
            plans.append(
                FactorPlan(
                    n,
                    f.form,
                    cols,
                    len(opts),
                    tuple(str(o) for o in opts),
                    radix=radices[n],
                    pre_aggregation=True,
                )
            )
    sample, is_sobol = _sample(spec, input_names, groups, len(plans))

    # -- per-group prefixes --------------------------------------------------------------------
    n_methods = len(methods)
    n_variants = len(normalised)
    rescale = np.zeros((n_variants, n_methods), dtype=bool)
    inputs: list[FloatArray] = []
    prefix_top: list[FloatArray] = []
    prefix_levels = compiled.levels[:first_varying]
    n_prefix = sum(len(lv.node_ids) for lv in prefix_levels)
    n_units = len(nominal.units)
    prefix_scores = np.empty((n_variants * n_methods, n_units, n_prefix))
    group_labels: list[str] = []
    ones = np.ones(len(compiled.indicator_ids))
    for v in range(n_variants):
        for m, (method, kwargs) in enumerate(methods):
            values = normalised[v]
            check, strict = _needs_positive(method, kwargs)
            finite = values[~np.isnan(values)]
            if check and finite.size and (finite.min() <= 0 if strict else finite.min() < 0):
                rescale[v, m] = True
                values = minmax(values, ones, lower=RESCALE_RANGE[0], upper=RESCALE_RANGE[1])
            offset = 0
            for k in range(first_varying):
                lv = levels[k]
                values = aggregate_level(
                    values,
                    lv.membership(lv.base_weights),
                    method,
                    dict(kwargs),
                    agg_step.threshold,
                )
                prefix_scores[v * n_methods + m, :, offset : offset + lv.n_parents] = values
                offset += lv.n_parents
            inputs.append(values)
            if first_varying == n_levels:
                prefix_top.append(rank_units(values)[:, -1])
            group_labels.append(
                f"{variant_labels[v]}; aggregate={method}"
                + (" (rescaled onto [1, 100])" if rescale[v, m] else "")
            )
    prefix_ranks = rank_units(prefix_scores) if n_prefix else prefix_scores.copy()
    node_ids = tuple(i for lv in compiled.levels for i in lv.node_ids)
    offsets = tuple(
        int(x) for x in np.cumsum([0] + [len(lv.node_ids) for lv in compiled.levels])[:-1]
    )
    plan = Plan(
        n_units=n_units,
        levels=levels,
        level_offsets=offsets,
        first_varying=first_varying,
        factors=tuple(plans),
        variant_of_combo=variant_of_combo,
        methods=tuple(methods),
        rescale=rescale,
        inputs=tuple(inputs),
        threshold=agg_step.threshold,
        nominal_top_rank=np.asarray(nominal.rank(compiled.top_id), dtype=np.float64),
        prefix_top_rank=tuple(prefix_top),
        rows_per_block=len(plans) + 2 if is_sobol else 1,
        sobol=is_sobol,
        n_nodes=len(node_ids),
    )
    if rescale.any():
        notes.append(
            f"positivity rule: in {int(rescale.sum())} of {rescale.size} (variant, aggregation) "
            "combinations a geometric or harmonic mean met normalised values <= 0; their "
            "normalised values were rescaled by min-max onto [1, 100] first"
        )
    return Prepared(
        spec=spec,
        plan=plan,
        sample=sample,
        input_names=tuple(input_names),
        compiled=compiled,
        nominal=nominal,
        node_ids=node_ids,
        prefix_scores=prefix_scores,
        prefix_ranks=prefix_ranks,
        group_labels=tuple(group_labels),
        notes=tuple(notes),
    )


def _lookup(raw: dict[str, float]) -> Callable[[str, str], float]:
    """A child's raw weight from a weighting scheme's table (the parent does not matter)."""
    return lambda node, child: raw.get(child, 1.0)

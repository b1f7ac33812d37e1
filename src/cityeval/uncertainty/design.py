"""Compile a checked specification into a :class:`Prepared` analysis: the plan and the sample.

:func:`prepare` checks the specification (:mod:`cityeval.uncertainty.checks`), scores the
few pre-aggregation variants with the engine (:mod:`cityeval.uncertainty.variants`), looks the
aggregation methods up in the method registry and takes their batched forms
(:mod:`cityeval.uncertainty.kernels`), lays out the weights (:mod:`cityeval.uncertainty.weights`)
and the sample (:mod:`cityeval.uncertainty.sampling`), and aggregates the levels that no draw
changes once per group.

The positivity rule
-------------------
A mean that needs positive values (geometric, harmonic, a power mean of order ``p <= 0``: its
batched form says so) is undefined for values ``<= 0``, which z-scores and min-max onto
``[0, 100]`` produce. For a draw that combines such a mean with a variant whose normalised
values are not all positive, the normalised values are rescaled indicator by indicator by
min-max onto ``[1, 100]`` before aggregation (an increasing affine map of each column, so the
indicator's ranking of units is kept). The number of draws where the rule applied is
reported. A pipeline whose aggregate step clips (``nonpositive: clip``) keeps clipping
instead, as the engine does.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from attrs import define

from cityeval.data import Dataset
from cityeval.engine import DEFAULT_PIPELINE, CompiledFramework, Results, compile_framework
from cityeval.engine import score as engine_score
from cityeval.engine.resolve import kernel_kwargs, resolve_pipeline
from cityeval.errors import InputError, Problem
from cityeval.i18n import _
from cityeval.methods.normalise import minmax
from cityeval.model import Framework, Pipeline, StepKind
from cityeval.plugins.manager import PluginHost, get_host
from cityeval.uncertainty.batch import aggregate_level, evaluate_rows, rank_units
from cityeval.uncertainty.checks import PRE_STEPS, check_spec
from cityeval.uncertainty.kernels import BatchedAggregator, batched_form
from cityeval.uncertainty.plan import Plan
from cityeval.uncertainty.sampling import draw_sample, factor_plans
from cityeval.uncertainty.spec import FactorStep, NodeSelection, UncertaintySpec
from cityeval.uncertainty.variants import score_variants
from cityeval.uncertainty.weights import level_plans, level_weights, set_weights

__all__ = ["RESCALE_RANGE", "Prepared", "check_spec", "prepare"]

FloatArray = npt.NDArray[np.float64]

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


def _methods(
    spec: UncertaintySpec,
    compiled: CompiledFramework,
    pipeline: Pipeline,
    host: PluginHost,
    pipeline_source: str,
) -> tuple[list[tuple[str, dict[str, Any]]], list[BatchedAggregator], float | None]:
    """The aggregation options (name and kernel parameters), their batched forms, and the
    aggregate step's data-availability threshold."""
    registry = host.methods
    resolved = resolve_pipeline(pipeline, compiled, registry, pipeline_source)
    agg_step = resolved.get(StepKind.AGGREGATE)
    assert agg_step is not None
    top_choice = agg_step.choices[compiled.top_id]
    nominal = (top_choice.method, kernel_kwargs(top_choice, "aggregate"))
    factor = next((f for f in spec.factors.values() if f.step is FactorStep.AGGREGATE), None)
    if factor is None:
        distinct = {(c.method, c.params) for c in agg_step.choices.values()}
        if len(distinct) > 1:
            raise InputError(
                pipeline_source,
                [
                    Problem(
                        ("steps", agg_step.index),
                        _(
                            "an uncertainty analysis evaluates one aggregation method for "
                            "every node; add an aggregate factor with choices to the "
                            "specification, or use one method in the step"
                        ),
                    )
                ],
            )
        return [nominal], [batched_form(top_choice.implementation)], agg_step.threshold
    methods = [nominal if c == nominal[0] else (c, {}) for c in factor.choices]
    forms = [batched_form(registry.get("aggregate", c).implementation) for c in factor.choices]
    return methods, forms, agg_step.threshold


def _kept(compiled: CompiledFramework, nodes: NodeSelection) -> tuple[int, ...]:
    """The summarised nodes in internal order: every one, or the index and its dimensions
    (the two top levels, the last nodes of the internal order)."""
    sizes = [len(lv.node_ids) for lv in compiled.levels]
    n_nodes = sum(sizes)
    if nodes is NodeSelection.ALL:
        return tuple(range(n_nodes))
    top_two = sum(sizes[-2:])
    return tuple(range(n_nodes - top_two, n_nodes))


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
    compiled = compile_framework(framework)
    chosen = pipeline or framework.pipeline or DEFAULT_PIPELINE
    if dataset.is_panel:
        raise InputError(
            source,
            [Problem((), _("the data is a panel; analyse one time point (a cross-section)"))],
        )
    nominal = engine_score(framework, dataset, chosen, host=host, source=pipeline_source)
    problems = check_spec(spec, compiled, chosen, host.methods)
    if problems:
        raise InputError(source, problems)

    factors = list(spec.factors.items())
    pre = [(n, f) for n, f in factors if f.step in PRE_STEPS]
    methods, forms, threshold = _methods(spec, compiled, chosen, host, pipeline_source)
    variants = score_variants(
        framework, dataset, chosen, pre, host, source=source, pipeline_source=pipeline_source
    )
    notes = list(variants.notes)

    # -- weights and the sample ----------------------------------------------------------------
    by_child = {
        node: dict(zip(ids, nominal.weights[node], strict=True))
        for level in compiled.levels
        for node, ids in zip(level.node_ids, level.child_ids, strict=True)
    }
    w_nominal = level_weights(compiled, lambda node, child: by_child[node][child])
    sets_factor = next((f for _n, f in factors if f.form == "sets"), None)
    sets = [] if sets_factor is None else set_weights(framework, compiled, sets_factor.sets)
    levels = level_plans(compiled, w_nominal, sets, [f for _n, f in factors])
    n_levels = len(levels)
    first_varying = next((k for k in range(n_levels) if levels[k].varies), n_levels)
    plans, input_names, groups = factor_plans(compiled, factors, pre, sets)
    sample, is_sobol = draw_sample(spec, input_names, groups, len(plans))

    # -- per-group prefixes --------------------------------------------------------------------
    n_methods = len(methods)
    n_variants = len(variants.normalised)
    rescale = np.zeros((n_variants, n_methods), dtype=bool)
    inputs: list[FloatArray] = []
    prefix_top: list[FloatArray] = []
    n_prefix = sum(len(lv.node_ids) for lv in compiled.levels[:first_varying])
    n_units = len(nominal.units)
    prefix_scores = np.empty((n_variants * n_methods, n_units, n_prefix))
    group_labels: list[str] = []
    ones = np.ones(len(compiled.indicator_ids))
    for v in range(n_variants):
        for m, ((method, kwargs), form) in enumerate(zip(methods, forms, strict=True)):
            values = variants.normalised[v]
            check, strict = form.positivity(kwargs)
            finite = values[~np.isnan(values)]
            if check and finite.size and (finite.min() <= 0 if strict else finite.min() < 0):
                rescale[v, m] = True
                values = minmax(values, ones, lower=RESCALE_RANGE[0], upper=RESCALE_RANGE[1])
            offset = 0
            for k in range(first_varying):
                lv = levels[k]
                values = aggregate_level(
                    values, lv.membership(lv.base_weights), form, dict(kwargs), threshold
                )
                prefix_scores[v * n_methods + m, :, offset : offset + lv.n_parents] = values
                offset += lv.n_parents
            inputs.append(values)
            if first_varying == n_levels:
                prefix_top.append(rank_units(values)[:, -1])
            group_labels.append(
                f"{variants.labels[v]}; aggregate={method}"
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
        variant_of_combo=variants.of_combo,
        methods=tuple(methods),
        rescale=rescale,
        inputs=tuple(inputs),
        threshold=threshold,
        nominal_top_rank=np.asarray(nominal.rank(compiled.top_id), dtype=np.float64),
        prefix_top_rank=tuple(prefix_top),
        rows_per_block=len(plans) + 2 if is_sobol else 1,
        sobol=is_sobol,
        n_nodes=len(node_ids),
        kept=_kept(compiled, spec.nodes),
        kernels=tuple(forms),
    )
    if rescale.any():
        notes.append(
            _(
                "positivity rule: in {rescaled} of {total} (variant, aggregation) combinations "
                "a geometric or harmonic mean met normalised values <= 0; their normalised "
                "values were rescaled by min-max onto [1, 100] first"
            ).format(rescaled=int(rescale.sum()), total=rescale.size)
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

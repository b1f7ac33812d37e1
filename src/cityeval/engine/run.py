"""Run a resolved pipeline: raw data to scores and ranks for every node and unit.

Every step works on whole arrays of shape ``(..., n_units, n_indicators)``; a panel data set
simply adds a leading time axis, and the uncertainty analysis a leading draw axis. Loops run
over methods, indicators (treatment) and aggregate nodes, never over units.

At about 550 lines this module is over the house's 500: it is one job (running the steps of
a resolved pipeline in order), and about a tenth of it is the messages of each step written
out for translation; the kernels, the resolution of the pipeline and the results live in
their own modules.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from cityeval.engine.compiled import CompiledFramework, compile_framework
from cityeval.engine.resolve import Choice, ResolvedPipeline, kernel_kwargs, resolve_pipeline
from cityeval.engine.results import Results
from cityeval.engine.signatures import DERIVED, method_params
from cityeval.engine.weight_methods import WeightingError, WeightOutcome
from cityeval.errors import CityevalError, InputError, Problem
from cityeval.i18n import _
from cityeval.methods import aggregate as agg
from cityeval.methods.ranking import rank_descending
from cityeval.model import Framework, Indicator, Pipeline, ScaleKind, Step, StepKind
from cityeval.plugins.manager import PluginHost, get_host

if TYPE_CHECKING:
    from cityeval.data import Dataset

__all__ = ["DEFAULT_PIPELINE", "EngineError", "score"]

FloatArray = npt.NDArray[np.float64]

#: The pipeline used when neither the caller nor the framework names one: min-max onto
#: [0, 100] and weighted arithmetic means, COINr's defaults.
DEFAULT_PIPELINE = Pipeline(
    steps=(
        Step(StepKind.NORMALISE, "minmax", {"lower": 0.0, "upper": 100.0}),
        Step(StepKind.AGGREGATE, "arithmetic"),
    ),
    name="default",
    description="min-max normalisation onto [0, 100], weighted arithmetic means",
)

_MATRIX_FAST = {
    "arithmetic": lambda v, m, p: agg.aggregate_matrix_arithmetic(v, m),
    "geometric": lambda v, m, p: agg.aggregate_matrix_geometric(v, m, **p),
    "harmonic": lambda v, m, p: agg.aggregate_matrix_harmonic(v, m, **p),
    "power_mean": lambda v, m, p: agg.aggregate_matrix_power_mean(v, m, **p),
}


class EngineError(CityevalError, ValueError):
    """A pipeline could not be applied to the data (for example a geometric mean of zeros)."""


def score(
    framework: Framework,
    dataset: Dataset,
    pipeline: Pipeline | None = None,
    *,
    host: PluginHost | None = None,
    source: str = "pipeline",
) -> Results:
    """Build the index: scores and ranks for every node and unit.

    Parameters
    ----------
    framework : Framework
        A scorable framework (not a template).
    dataset : Dataset
        Raw data with a column for every indicator of the framework.
    pipeline : Pipeline, optional
        The construction steps; the framework's own pipeline, or :data:`DEFAULT_PIPELINE`.
    host : PluginHost, optional
        Where methods are looked up; the process-wide plugin host by default.
    source : str
        The pipeline's file name, used in error messages.

    Returns
    -------
    Results
        Every intermediate data set, the aggregates, ranks, weights and reports.

    Raises
    ------
    InputError
        If the data or the pipeline do not fit the framework (every problem listed).
    EngineError
        If a method cannot be applied to the data.
    """
    compiled = compile_framework(framework)
    chosen = pipeline or framework.pipeline or DEFAULT_PIPELINE
    if pipeline is None and framework.pipeline is not None:
        source = _("{framework} (default pipeline)").format(framework=framework.id)
    methods = (host or get_host()).methods
    # A pipeline resolves the same way against the same framework and registry every time:
    # keep the resolution with the framework (errors are not cached, so they repeat).
    by_registry: weakref.WeakKeyDictionary[Any, dict[tuple[Pipeline, str], ResolvedPipeline]]
    by_registry = framework.derived("engine.resolved", weakref.WeakKeyDictionary)
    cache = by_registry.setdefault(methods, {})
    resolved = cache.get((chosen, source))
    if resolved is None:
        resolved = cache[(chosen, source)] = resolve_pipeline(chosen, compiled, methods, source)
    dataset.check_against(framework)
    return Runner(compiled, resolved, dataset, source).run()


class Runner:
    """Carries one pipeline run; each ``_step`` method transforms the current array."""

    def __init__(
        self,
        compiled: CompiledFramework,
        resolved: ResolvedPipeline,
        dataset: Dataset,
        source: str,
    ) -> None:
        self.compiled = compiled
        self.resolved = resolved
        self.dataset = dataset.select(compiled.indicator_ids)
        self.source = source
        self.indicators: dict[str, Indicator] = {i.id: i for i in compiled.framework.indicators()}
        self.direction = np.asarray(compiled.direction, dtype=np.float64)
        self.treatment: list[tuple[tuple[str, ...], str, Any, float | None]] = []
        self.notes: list[str] = []

    # -- helpers -------------------------------------------------------------------------------

    def _fail(self, choice: Choice, message: str) -> InputError:
        return InputError(self.source, [Problem(choice.origin, message)])

    def _groups(self, kind: StepKind) -> list[tuple[Choice, list[int]]]:
        """Indicators sharing the same method and parameters, as column lists."""
        step = self.resolved.get(kind)
        assert step is not None
        return [(choice, list(cols)) for choice, cols in step.groups]

    # -- steps ---------------------------------------------------------------------------------

    def run(self) -> Results:
        # Every step returns a new array and never writes into its input, so the stages can
        # share them without copies.
        x = np.array(self.dataset.values, dtype=np.float64)
        stages: dict[str, FloatArray] = {"raw": x}
        for kind, name, fn in (
            (StepKind.DENOMINATE, "denominated", self._denominate),
            (StepKind.IMPUTE, "imputed", self._impute),
            (StepKind.TREAT, "treated", self._treat),
            (StepKind.NORMALISE, "normalised", self._normalise),
        ):
            if self.resolved.get(kind) is not None:
                x = fn(x)
                stages[name] = x
        aggregates, weights, weight_info = self._aggregate(x)
        # Ranks come from the unrounded scores, ties decided by exact comparison, as R's
        # rank() in COINr: rounding first would let near-ties share a rank. Only what is
        # written is formatted.
        ranks = np.moveaxis(rank_descending(np.moveaxis(aggregates, -1, -2)), -2, -1)
        return Results(
            compiled=self.compiled,
            pipeline=self.resolved.pipeline,
            dataset=self.dataset,
            stages=stages,
            aggregates=aggregates,
            ranks=ranks,
            weights=weights,
            weight_info=weight_info,
            treatment_runs=tuple(self.treatment),
            notes=tuple(self.notes),
        )

    def _denominate(self, x: FloatArray) -> FloatArray:
        step = self.resolved.get(StepKind.DENOMINATE)
        assert step is not None
        names = sorted(self.dataset.denominators)
        for choice, cols in self._groups(StepKind.DENOMINATE):
            index = np.full(len(self.compiled.indicator_ids), -1, dtype=np.intp)
            for col in cols:
                ind = self.indicators[self.compiled.indicator_ids[col]]
                if ind.denominator is not None:
                    index[col] = names.index(ind.denominator)
            if not names or (index < 0).all():
                continue
            dens = np.stack([np.asarray(self.dataset.denominators[n]) for n in names], axis=-1)
            result = choice.implementation(x, dens, index)
            values = getattr(result, "values", result)
            zero = getattr(result, "zero_division", None)
            if zero is not None and np.any(zero):
                cells = np.argwhere(zero)
                shown = ", ".join(
                    f"{self.dataset.units[c[-2]]}/{self.compiled.indicator_ids[c[-1]]}"
                    for c in cells[:5]
                )
                self.notes.append(
                    _(
                        "denominate: {count} value(s) divided by a zero denominator became "
                        "missing: {cells}"
                    ).format(count=len(cells), cells=shown)
                )
            x = np.asarray(values, dtype=np.float64)
        return x

    def _impute(self, x: FloatArray) -> FloatArray:
        out = x.copy()
        for choice, cols in self._groups(StepKind.IMPUTE):
            spec = method_params(choice.implementation, "impute")
            kwargs = kernel_kwargs(choice, "impute")
            if "groups" in spec.context:
                by = kwargs.pop("groups", None)
                if by is None:
                    raise self._fail(
                        choice,
                        _(
                            "impute method {method!r} needs 'by': the name of a group column"
                        ).format(method=choice.method),
                    )
                codes, _labels = self.dataset.group_codes(str(by))
                kwargs["groups"] = codes
            if "times" in spec.context:
                if not self.dataset.is_panel:
                    raise self._fail(
                        choice,
                        _("impute method {method!r} needs panel data (a 'time' column)").format(
                            method=choice.method
                        ),
                    )
                kwargs["times"] = np.asarray(self.dataset.times, dtype=np.float64)
            if len(cols) == x.shape[-1]:  # one method for every indicator: no column copies
                out = choice.implementation(x, **kwargs)
            else:
                out[..., cols] = choice.implementation(x[..., cols], **kwargs)
        left = int(np.isnan(out).sum())
        if left:
            self.notes.append(
                _(
                    "impute: {count} cell(s) are still missing after imputation (for example a "
                    "unit without a group label, or a group with no observed value)"
                ).format(count=left)
            )
        return out

    def _treat(self, x: FloatArray) -> FloatArray:
        out = x.copy()
        batch = x.shape[:-2]
        for choice, cols in self._groups(StepKind.TREAT):
            kwargs = kernel_kwargs(choice, "treat")
            for b in np.ndindex(*batch):
                result = choice.implementation(x[b][:, cols], **kwargs)
                out[b][:, cols] = result.values
                times = self.dataset.times
                time = times[b[0]] if batch and times is not None else None
                ids = tuple(self.compiled.indicator_ids[col] for col in cols)
                self.treatment.append((ids, choice.method, result, time))
                self._note_constant(ids, result, time)
        return out

    def _note_constant(self, ids: tuple[str, ...], result: Any, time: float | None) -> None:
        """A note for every indicator that Winsorisation left constant: it would score every
        unit alike without a word (COINr reports nothing either; cityeval says so)."""
        from cityeval.methods._stats import nan_max, nan_min

        high = np.asarray(getattr(result, "winsorised_high", 0))
        low = np.asarray(getattr(result, "winsorised_low", 0))
        changed = np.broadcast_to(high + low, (len(ids),))
        values = np.asarray(result.values, dtype=np.float64)
        with np.errstate(invalid="ignore"):
            constant = ~(nan_max(values) > nan_min(values))
        when = "" if time is None else _(" at time {time}").format(time=f"{time:g}")
        for k in np.flatnonzero((changed > 0) & constant):
            self.notes.append(
                _(
                    "treat: indicator {indicator!r} is constant after Winsorisation{when} "
                    "({points} value(s) changed): it now scores every unit alike; raise the "
                    "skew or kurtosis threshold, or lower winmax"
                ).format(indicator=ids[k], when=when, points=int(changed[k]))
            )

    def _derived(
        self, choice: Choice, cols: list[int], kwargs: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Per-indicator parameters taken from metadata; one kwargs dict per call."""
        spec = method_params(choice.implementation, "normalise")
        present = spec.required | spec.optional
        needed = [n for n in DERIVED if n in present and n not in kwargs]
        needed = [n for n in needed if n in spec.required or n == "levels"]
        if "reference_index" in kwargs:
            ref = str(kwargs["reference_index"])
            if ref not in self.dataset.units:
                raise self._fail(
                    choice, _("reference unit {unit!r} is not in the data").format(unit=ref)
                )
            kwargs["reference_index"] = self.dataset.units.index(ref)
        missing = set(spec.required) - set(kwargs) - set(DERIVED)
        if missing:
            raise self._fail(
                choice,
                _("normalise method {method!r} needs {params}").format(
                    method=choice.method, params=", ".join(sorted(missing))
                ),
            )
        if not needed:
            return [kwargs]
        if "levels" in needed:  # ordinal scales may differ in size: one call per indicator
            calls = []
            for col in cols:
                ind = self.indicators[self.compiled.indicator_ids[col]]
                if ind.scale.kind is not ScaleKind.ORDINAL:
                    raise self._fail(
                        choice,
                        _(
                            "normalise method {method!r} needs ordinal levels: indicator "
                            "{indicator!r} has a {scale} scale (give 'levels' in params)"
                        ).format(
                            method=choice.method, indicator=ind.id, scale=ind.scale.kind.value
                        ),
                    )
                calls.append(
                    {**kwargs, "levels": [lv.value for lv in ind.scale.levels], "_cols": [col]}
                )
            return calls
        arrays: dict[str, list[float]] = defaultdict(list)
        lacking: list[str] = []
        for col in cols:
            ind = self.indicators[self.compiled.indicator_ids[col]]
            for name in needed:
                if name in ("low", "high"):
                    if ind.goalposts is None:
                        lacking.append(ind.id)
                        break
                    arrays[name].append(
                        ind.goalposts.lower if name == "low" else ind.goalposts.upper
                    )
                elif name == "target":
                    if ind.target is None:
                        lacking.append(ind.id)
                        break
                    arrays[name].append(ind.target)
        if lacking:
            what = " and ".join(f"'{n}'" for n in needed)
            field = "goalposts" if "low" in needed else "target"
            raise self._fail(
                choice,
                _(
                    "normalise method {method!r} needs {what}: give them in params, or give "
                    "indicator(s) {indicators} {field} in the framework"
                ).format(
                    method=choice.method,
                    what=what,
                    indicators=", ".join(map(repr, dict.fromkeys(lacking))),
                    field=field,
                ),
            )
        return [{**kwargs, **{k: np.asarray(v) for k, v in arrays.items()}}]

    def _normalise(self, x: FloatArray) -> FloatArray:
        out = np.full_like(x, np.nan)
        for choice, cols in self._groups(StepKind.NORMALISE):
            kwargs = kernel_kwargs(choice, "normalise")
            for call in self._derived(choice, cols, kwargs):
                call_cols = call.pop("_cols", cols)
                try:
                    if len(call_cols) == x.shape[-1]:  # every indicator: no column copies
                        out = choice.implementation(x, self.direction, **call)
                        continue
                    out[..., call_cols] = choice.implementation(
                        x[..., call_cols], self.direction[call_cols], **call
                    )
                except ValueError as exc:
                    raise self._fail(
                        choice,
                        _("normalise method {method!r}: {problem}").format(
                            method=choice.method, problem=exc
                        ),
                    ) from None
        return out

    # -- weights and aggregation -----------------------------------------------------------------

    def _declared_weights(self) -> dict[str, tuple[float, ...]]:
        """Each aggregate's children's declared weights, normalised (once per framework)."""

        def make() -> dict[str, tuple[float, ...]]:
            fw = self.compiled.framework
            out: dict[str, tuple[float, ...]] = {}
            for level in self.compiled.levels:
                for node, kids in zip(level.node_ids, level.child_ids, strict=True):
                    raw = [fw.node(c).weight for c in kids]
                    total = sum(raw)
                    out[node] = tuple(v / total for v in raw)
            return out

        return self.compiled.framework.derived("engine.declared-weights", make)

    def _node_weights(
        self, node: str, children: tuple[str, ...], below: FloatArray, cols: list[int]
    ) -> WeightOutcome:
        fw = self.compiled.framework
        step = self.resolved.get(StepKind.WEIGHT)
        assert step is not None  # without a weight step the declared weights are used
        choice = step.choices[node]
        kwargs = kernel_kwargs(choice, "weight")
        values = below[..., cols]
        rows = values.reshape(-1, values.shape[-1])
        try:
            outcome = choice.implementation(
                rows, framework=fw, node=node, children=children, **kwargs
            )
        except (WeightingError, ValueError) as exc:
            raise self._fail(
                choice,
                _("weight method {method!r}: {problem}").format(method=choice.method, problem=exc),
            ) from None
        if not isinstance(outcome, WeightOutcome):
            outcome = WeightOutcome(tuple(float(w) for w in np.asarray(outcome).ravel()))
        if len(outcome.weights) != len(children):
            raise self._fail(
                choice,
                _(
                    "weight method {method!r} gave {count} weights for {n} children of {node!r}"
                ).format(
                    method=choice.method, count=len(outcome.weights), n=len(children), node=node
                ),
            )
        return outcome

    def _aggregate(
        self, x: FloatArray
    ) -> tuple[FloatArray, dict[str, tuple[float, ...]], dict[str, dict[str, Any]]]:
        step = self.resolved.get(StepKind.AGGREGATE)
        assert step is not None
        weights: dict[str, tuple[float, ...]] = {}
        info: dict[str, dict[str, Any]] = {}
        weight_step = self.resolved.get(StepKind.WEIGHT)
        below = x
        per_level: list[FloatArray] = []
        for level in self.compiled.levels:
            out = np.full((*below.shape[:-1], len(level.node_ids)), np.nan)
            fast: dict[tuple[str, Any], list[int]] = defaultdict(list)
            declared = self._declared_weights() if weight_step is None else {}
            for p, node in enumerate(level.node_ids):
                cols = list(level.children[p])
                if weight_step is None:  # validated when the framework was built
                    weights[node] = declared[node]
                    w = np.asarray(declared[node])
                else:
                    outcome = self._node_weights(node, level.child_ids[p], below, cols)
                    w = np.asarray(outcome.weights, dtype=np.float64)
                    total = w.sum()
                    if not np.isfinite(total) or total <= 0 or (w < 0).any():
                        raise EngineError(
                            _(
                                "weights of the children of {node!r} must be non-negative with "
                                "a positive sum, got {weights}"
                            ).format(node=node, weights=outcome.weights)
                        )
                    weights[node] = tuple((w / total).tolist())
                    if outcome.info:
                        info[node] = outcome.info
                choice = step.choices[node]
                if choice.method in _MATRIX_FAST and choice.implementation is getattr(
                    agg, choice.method
                ):
                    fast[(choice.method, choice.params)].append(p)
                    continue
                out[..., p] = self._call_aggregate(
                    choice, node, level.child_ids[p], below[..., cols], w
                )
            starts = level.segment_starts
            whole = len(fast) == 1 and len(next(iter(fast.values()))) == len(level.node_ids)
            if whole and starts is not None and next(iter(fast))[0] == "arithmetic":
                # The whole level is weighted means over contiguous children: segment sums.
                flat = np.concatenate([weights[node] for node in level.node_ids])
                out = agg.aggregate_segments_arithmetic(below, flat, starts)
                fast = {}
            for (method, _params), parents in fast.items():
                membership = np.zeros((below.shape[-1], len(parents)))
                for k, p in enumerate(parents):
                    membership[list(level.children[p]), k] = weights[level.node_ids[p]]
                choice = step.choices[level.node_ids[parents[0]]]
                kwargs = kernel_kwargs(choice, "aggregate")
                try:
                    out[..., parents] = _MATRIX_FAST[method](below, membership, kwargs)
                except agg.NonPositiveValueError:
                    for p in parents:  # find and name the offending node
                        cols = list(level.children[p])
                        out[..., p] = self._call_aggregate(
                            choice,
                            level.node_ids[p],
                            level.child_ids[p],
                            below[..., cols],
                            np.asarray(weights[level.node_ids[p]]),
                        )
            if step.threshold is not None:
                for p, node in enumerate(level.node_ids):
                    cols = list(level.children[p])
                    share = agg.availability(below[..., cols], np.asarray(weights[node]))
                    out[..., p] = np.where(share < step.threshold, np.nan, out[..., p])
            per_level.append(out)
            below = out
        ordered = np.concatenate(per_level[::-1], axis=-1)
        return ordered, weights, info

    def _call_aggregate(
        self,
        choice: Choice,
        node: str,
        child_ids: tuple[str, ...],
        values: FloatArray,
        w: FloatArray,
    ) -> FloatArray:
        kwargs = kernel_kwargs(choice, "aggregate")
        try:
            result: FloatArray = choice.implementation(values, w, **kwargs)
        except agg.NonPositiveValueError as exc:
            cells = ", ".join(
                _("unit {unit!r} child {child!r} = {value}").format(
                    unit=self.dataset.units[u], child=child_ids[c], value=f"{v:g}"
                )
                for u, c, v in zip(exc.units, exc.children, exc.values, strict=True)
            )
            raise EngineError(
                _(
                    "{source}: aggregate node {node!r} with {method!r} needs values "
                    "{requirement}; {count} are not ({cells}). Normalise onto a "
                    "positive range (for example minmax with lower: 1), or set "
                    "params: {{nonpositive: clip, epsilon: ...}} for this node"
                ).format(
                    source=self.source,
                    node=node,
                    method=choice.method,
                    requirement=exc.requirement,
                    count=exc.n_offending,
                    cells=cells,
                )
            ) from None
        except ValueError as exc:
            raise self._fail(
                choice,
                _("aggregate method {method!r}: {problem}").format(
                    method=choice.method, problem=exc
                ),
            ) from None
        return result

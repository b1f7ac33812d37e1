"""Resolve a pipeline against a framework: which method and parameters apply where.

Every problem (an unregistered method, an unknown parameter, an override naming a level, node
or indicator the framework does not have) is collected and reported at once, located in the
pipeline file, so that a pipeline fails before any arithmetic runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from attrs import frozen

from cityeval.engine.compiled import CompiledFramework
from cityeval.engine.param_checks import length_problems, value_problems
from cityeval.engine.signatures import ALIASES, method_params
from cityeval.errors import InputError, NotFoundError, Problem
from cityeval.i18n import _
from cityeval.model import Indicator, Override, Params, Pipeline, Step, StepKind
from cityeval.model.pipeline import target_problems
from cityeval.plugins.registry import MethodRegistry

__all__ = ["Choice", "ResolvedPipeline", "ResolvedStep", "resolve_pipeline"]

INDICATOR_STEPS = (StepKind.DENOMINATE, StepKind.IMPUTE, StepKind.TREAT, StepKind.NORMALISE)


@frozen
class Choice:
    """The method and parameters that apply to one indicator or node.

    Attributes
    ----------
    method : str
        Registered name.
    params : Params
        Parameters as the pipeline gives them (aliases not yet translated).
    implementation : callable
        The registered kernel.
    origin : tuple
        The pipeline path of the step or override it comes from.
    """

    method: str
    params: Params
    implementation: Callable[..., Any]
    origin: tuple[str | int, ...]


@frozen
class ResolvedStep:
    """A step with its choice for every indicator (indicator-wise steps) or aggregate node."""

    step: Step
    index: int
    choices: dict[str, Choice]
    threshold: float | None
    groups: tuple[tuple[Choice, tuple[int, ...]], ...] = ()
    """For indicator-wise steps: indicators sharing a method and parameters, as columns."""


@frozen
class ResolvedPipeline:
    """A pipeline checked against a framework and a method registry."""

    pipeline: Pipeline
    steps: dict[StepKind, ResolvedStep]

    def get(self, kind: StepKind) -> ResolvedStep | None:
        """The resolved step of that kind, or None when the pipeline has none."""
        return self.steps.get(kind)


def _specificity(
    ov: Override, target: str, compiled: CompiledFramework, indicator: bool
) -> tuple[int, int] | None:
    """How specifically ``ov`` matches ``target`` (None: it does not)."""
    fw = compiled.framework
    if ov.scope == "indicators":
        return (3, 0) if target in ov.indicators else None
    if ov.scope == "nodes":
        if indicator:
            path = fw.path(target)
            depths = [len(path) - path.index(n) for n in ov.nodes if n in path and n != target]
            return (2, -min(depths)) if depths else None
        return (2, 0) if target in ov.nodes else None
    level_name = compiled.level_names[compiled.level_of(target) - 1]
    return (1, 0) if level_name in ov.levels else None


def _params_problems(
    kind: str,
    method: str,
    implementation: Callable[..., Any],
    params: Params,
    where: tuple[str | int, ...],
) -> list[Problem]:
    spec = method_params(implementation, kind)
    listing = spec.describe()
    unknown = [
        Problem(
            (*where, "params", name),
            _("unknown parameter of {kind} method {method!r} (parameters: {listing})").format(
                kind=kind, method=method, listing=listing
            ),
        )
        for name in params
        if name not in spec.names
    ]
    unknown.extend(
        Problem(
            (*where, "params", alias),
            _("give {alias!r} or {name!r}, not both: they are the same parameter").format(
                alias=alias, name=name
            ),
        )
        for name, alias in ALIASES.items()
        if name in params and alias in params
    )
    known = Params({k: v for k, v in params.items() if k in spec.names})
    return unknown + value_problems(implementation, known, where, _PIPELINE_TO_KERNEL)


_PIPELINE_TO_KERNEL = {alias: name for name, alias in ALIASES.items()}


def resolve_pipeline(
    pipeline: Pipeline,
    compiled: CompiledFramework,
    methods: MethodRegistry,
    source: str = "pipeline",
) -> ResolvedPipeline:
    """Check ``pipeline`` against ``compiled`` and ``methods`` and decide every choice.

    Raises
    ------
    InputError
        Listing every problem as ``source: steps[i]...: problem``.
    """
    fw = compiled.framework
    problems: list[Problem] = []
    kinds = {n.id: isinstance(n, Indicator) for n in fw.walk()}
    if compiled.root_id is not None:
        kinds[compiled.root_id] = False
    level_names = tuple(dict.fromkeys((*fw.levels, *compiled.level_names)))
    for path, message in target_problems(pipeline, level_names, kinds):
        problems.append(Problem(path, message))

    resolved: dict[StepKind, ResolvedStep] = {}
    for si, step in enumerate(pipeline.steps):
        kind = step.step.value
        base: tuple[str | int, ...] = ("steps", si)
        impls: dict[str, Callable[..., Any]] = {}
        for method, where in [(step.method, base)] + [
            (ov.method, (*base, "overrides", oi))
            for oi, ov in enumerate(step.overrides)
            if ov.method is not None
        ]:
            assert method is not None
            try:
                impls[method] = methods.get(kind, method).implementation
            except NotFoundError as exc:
                problems.append(Problem((*where, "method"), str(exc)))
        if step.step in INDICATOR_STEPS:
            for oi, ov in enumerate(step.overrides):
                if ov.scope == "levels":
                    bad = [
                        lv
                        for lv in ov.levels
                        if lv != compiled.level_names[0] and lv in level_names
                    ]
                    problems.extend(
                        Problem(
                            (*base, "overrides", oi, "levels"),
                            f"the {kind} step works on indicators; level {lv!r} is not the "
                            f"indicator level ({compiled.level_names[0]!r})",
                        )
                        for lv in bad
                    )
        else:
            for oi, ov in enumerate(step.overrides):
                if ov.scope == "indicators":
                    problems.append(
                        Problem(
                            (*base, "overrides", oi, "indicators"),
                            f"the {kind} step works on aggregates; name nodes or levels",
                        )
                    )
        if step.method in impls:
            problems.extend(
                _params_problems(kind, step.method, impls[step.method], step.params, base)
            )
        for oi, ov in enumerate(step.overrides):
            method = ov.method or step.method
            if method in impls:
                merged = (
                    ov.params
                    if ov.method not in (None, step.method)
                    else step.params.merged(ov.params)
                )
                problems.extend(
                    _params_problems(kind, method, impls[method], merged, (*base, "overrides", oi))
                )
        if problems:
            continue
        targets = (
            compiled.indicator_ids
            if step.step in INDICATOR_STEPS
            else tuple(i for level in compiled.levels for i in level.node_ids)
        )
        choices: dict[str, Choice] = {}
        is_indicator = step.step in INDICATOR_STEPS
        for target in targets:
            best: tuple[tuple[int, int, int], Override, int] | None = None
            for oi, ov in enumerate(step.overrides):
                spec = _specificity(ov, target, compiled, is_indicator)
                if spec is not None and (best is None or (*spec, oi) >= best[0]):
                    best = ((*spec, oi), ov, oi)
            if best is None:
                choices[target] = Choice(step.method, step.params, impls[step.method], base)
            else:
                _, ov, oi = best
                method = ov.method or step.method
                params = ov.params if method != step.method else step.params.merged(ov.params)
                choices[target] = Choice(method, params, impls[method], (*base, "overrides", oi))
        groups: tuple[tuple[Choice, tuple[int, ...]], ...] = ()
        if is_indicator:
            buckets: dict[tuple[str, Params], tuple[Choice, list[int]]] = {}
            for col, ind_id in enumerate(compiled.indicator_ids):
                choice = choices[ind_id]
                buckets.setdefault((choice.method, choice.params), (choice, []))[1].append(col)
            groups = tuple((c, tuple(cols)) for c, cols in buckets.values())
            for choice, cols in groups:
                problems.extend(
                    length_problems(
                        choice.implementation,
                        choice.params,
                        choice.origin,
                        len(cols),
                        _PIPELINE_TO_KERNEL,
                    )
                )
        resolved[step.step] = ResolvedStep(step, si, choices, step.threshold, groups)
    if problems:
        raise InputError(source, problems)
    return ResolvedPipeline(pipeline, resolved)


def kernel_kwargs(choice: Choice, kind: str) -> dict[str, Any]:
    """The pipeline parameters of ``choice`` under the kernel's own names (aliases undone)."""
    spec = method_params(choice.implementation, kind)
    reverse = {
        alias: name
        for name, alias in ALIASES.items()
        if name in spec.context | spec.required | spec.optional
    }
    out: dict[str, Any] = {}
    for key, value in choice.params.to_dict().items():
        out[reverse.get(key, key)] = value
    return out

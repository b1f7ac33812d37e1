"""Check a specification against a framework, a pipeline and the method registry.

Every factor is checked before anything runs: a factor on a step the pipeline lacks, a level
the framework does not have, an unregistered method or weight set is an error naming the
factor (``spec.yaml: factors.norm.choices[1]: unknown normalise method 'z' ...``). All the
problems of a specification are collected and reported together.
"""

from __future__ import annotations

from collections.abc import Sequence

from cityeval.engine import CompiledFramework
from cityeval.engine.signatures import method_params
from cityeval.errors import NotFoundError, Problem
from cityeval.i18n import _
from cityeval.model import Pipeline, StepKind
from cityeval.plugins.registry import MethodRegistry
from cityeval.uncertainty.spec import DECLARED, Factor, FactorStep, UncertaintySpec

__all__ = ["PRE_STEPS", "check_spec"]

#: The pipeline step each pre-aggregation factor varies.
PRE_STEPS = {
    FactorStep.IMPUTE: StepKind.IMPUTE,
    FactorStep.TREAT: StepKind.TREAT,
    FactorStep.NORMALISE: StepKind.NORMALISE,
}


def _level_names(compiled: CompiledFramework) -> str:
    return ", ".join(f"{i + 1} = {name}" for i, name in enumerate(compiled.level_names))


def _check_level(
    where: tuple[str | int, ...], level: int, compiled: CompiledFramework, exclude: bool
) -> list[Problem]:
    top = len(compiled.levels) + 1
    if level > top:
        return [
            Problem(
                (*where, "level"),
                _("unknown level {level} (levels are {levels})").format(
                    level=level, levels=_level_names(compiled)
                ),
            )
        ]
    if level == top:
        message = (
            _(
                "level {level} is the top ({top}), which has no siblings to be excluded "
                "from; use a level from 1 to {highest} ({levels})"
            )
            if exclude
            else _(
                "level {level} is the top ({top}), which has no siblings to weigh against; "
                "use a level from 1 to {highest} ({levels})"
            )
        )
        return [
            Problem(
                (*where, "level"),
                message.format(
                    level=level,
                    top=compiled.level_names[-1],
                    highest=top - 1,
                    levels=_level_names(compiled),
                ),
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
    return problems


def _key(factor: Factor) -> tuple[object, ...]:
    """What a factor varies: two factors with one key would vary the same thing."""
    if factor.form == "noise":
        return ("noise", factor.level)
    if factor.form == "param":
        return ("param", factor.step, factor.param)
    if factor.form == "exclude":
        return ("exclude", factor.level)
    return (factor.form, factor.step)


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
        key = _key(factor)
        if key in seen:
            problems.append(
                Problem(
                    where,
                    _("factors.{other} already varies the same thing; one factor each").format(
                        other=seen[key]
                    ),
                )
            )
        seen.setdefault(key, name)
        if step in PRE_STEPS:
            kind = PRE_STEPS[step]
            if pipeline.get(kind) is None:
                problems.append(
                    Problem(
                        (*where, "step"),
                        _(
                            "the pipeline has no {kind!r} step; add one to the pipeline to vary it"
                        ).format(kind=kind.value),
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
                            _("unknown weight set {name!r} (the framework has: {known})").format(
                                name=set_name, known=listing
                            ),
                        )
                    )
        if factor.level is not None:
            problems += _check_level(
                where, factor.level, compiled, exclude=step is not FactorStep.WEIGHT
            )
    return problems


def _param_problems(
    where: tuple[str | int, ...],
    spec: UncertaintySpec,
    factor: Factor,
    pipeline: Pipeline,
    methods: MethodRegistry,
) -> list[Problem]:
    kind = PRE_STEPS[factor.step]
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
            _("{param!r} is no parameter of {kind} method(s) {methods}").format(
                param=factor.param,
                kind=kind.value,
                methods=", ".join(map(repr, sorted(candidates))),
            ),
        )
    ]

"""Pipelines: the declared, ordered construction steps that turn raw data into an index.

A pipeline is pure data. The engine (:mod:`cityeval.engine`) interprets it, looking each
method up by name in the plugin registry. Parameters are set globally on a step and can be
overridden per level, per node or per indicator; the most specific override wins
(indicator over node over level over the step's own), and among overrides of the same kind
the later one wins.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable

from attrs import field, frozen

from cityeval.errors import ModelError
from cityeval.model.params import Params

__all__ = ["Override", "Pipeline", "Step", "StepKind"]


class StepKind(enum.Enum):
    """The construction steps, in the order a pipeline runs them."""

    DENOMINATE = "denominate"
    IMPUTE = "impute"
    TREAT = "treat"
    NORMALISE = "normalise"
    WEIGHT = "weight"
    AGGREGATE = "aggregate"

    @property
    def order(self) -> int:
        """The position of the step in a pipeline."""
        return list(StepKind).index(self)


def _to_params(value: object) -> Params:
    if isinstance(value, Params):
        return value
    if value is None:
        return Params()
    if isinstance(value, dict):
        return Params(value)
    raise ModelError.at((), f"expected a mapping of parameters, got {type(value).__name__}")


def _ids(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value) if value is not None else ()


@frozen
class Override:
    """A different method or parameters for some levels, nodes or indicators.

    Exactly one of ``levels``, ``nodes`` and ``indicators`` is given. For the indicator-wise
    steps (denominate, impute, treat, normalise), ``nodes`` means every indicator below those
    nodes and ``levels`` must be the indicator level; for ``weight`` and ``aggregate`` they
    name the aggregate nodes themselves.

    Parameters
    ----------
    levels, nodes, indicators : tuple of str
        Where the override applies.
    method : str, optional
        A different registered method; the step's own by default.
    params : Params
        Parameters merged over the step's parameters (or replacing them when the method
        changes).
    """

    levels: tuple[str, ...] = field(default=(), converter=_ids)
    nodes: tuple[str, ...] = field(default=(), converter=_ids)
    indicators: tuple[str, ...] = field(default=(), converter=_ids)
    method: str | None = None
    params: Params = field(factory=Params, converter=_to_params)

    def __attrs_post_init__(self) -> None:
        given = [k for k in ("levels", "nodes", "indicators") if getattr(self, k)]
        if len(given) != 1:
            raise ModelError.at(
                (),
                "an override names exactly one of 'levels', 'nodes' or 'indicators'"
                + (f" (got {', '.join(given)})" if given else ""),
            )

    @property
    def scope(self) -> str:
        """``"levels"``, ``"nodes"`` or ``"indicators"``."""
        return next(k for k in ("levels", "nodes", "indicators") if getattr(self, k))

    @property
    def targets(self) -> tuple[str, ...]:
        """The level names, node ids or indicator ids it applies to."""
        result: tuple[str, ...] = getattr(self, self.scope)
        return result


def _check_threshold(instance: object, attribute: object, value: float | None) -> None:
    if value is not None and (not math.isfinite(value) or not 0 <= value <= 1):
        raise ModelError.at(("threshold",), f"must be between 0 and 1, got {value}")


@frozen
class Step:
    """One construction step: a registered method with its parameters and overrides.

    Parameters
    ----------
    step : StepKind
        Which step (denominate, impute, treat, normalise, weight, aggregate).
    method : str
        The registered method's name, such as ``"minmax"`` or ``"arithmetic"``.
    params : Params
        Parameters of the method.
    overrides : tuple of Override
        Per-level, per-node or per-indicator exceptions.
    threshold : float, optional
        For ``aggregate``: the minimum share of a node's children weight that must be
        available, below which the node is missing (COINr's ``dat_thresh``).
    """

    step: StepKind
    method: str
    params: Params = field(factory=Params, converter=_to_params)
    overrides: tuple[Override, ...] = ()
    threshold: float | None = field(default=None, validator=_check_threshold)

    def __attrs_post_init__(self) -> None:
        if self.threshold is not None and self.step is not StepKind.AGGREGATE:
            raise ModelError.at(("threshold",), "only the aggregate step has a threshold")


@frozen
class Pipeline:
    """An ordered list of construction steps, each kind at most once.

    Parameters
    ----------
    steps : tuple of Step
        In the order denominate, impute, treat, normalise, weight, aggregate; ``normalise`` and
        ``aggregate`` are required, the others optional.
    name, description : str, optional
        What the pipeline is.
    """

    steps: tuple[Step, ...]
    name: str | None = None
    description: str | None = None

    def __attrs_post_init__(self) -> None:
        seen: dict[StepKind, int] = {}
        for i, s in enumerate(self.steps):
            if s.step in seen:
                raise ModelError.at(
                    ("steps", i, "step"),
                    f"step {s.step.value!r} appears twice (first at steps[{seen[s.step]}])",
                )
            previous = [k for k in seen if k.order > s.step.order]
            if previous:
                raise ModelError.at(
                    ("steps", i, "step"),
                    f"step {s.step.value!r} must come before {previous[0].value!r} "
                    f"(the order is {', '.join(k.value for k in StepKind)})",
                )
            seen[s.step] = i
        for required in (StepKind.NORMALISE, StepKind.AGGREGATE):
            if required not in seen:
                raise ModelError.at(("steps",), f"a pipeline needs the step {required.value!r}")

    def get(self, kind: StepKind) -> Step | None:
        """The step of that kind, or None."""
        return next((s for s in self.steps if s.step is kind), None)


def target_problems(
    pipeline: Pipeline, levels: tuple[str, ...], node_kinds: dict[str, bool]
) -> list[tuple[tuple[str | int, ...], str]]:
    """Overrides that name levels, nodes or indicators a framework does not have.

    Parameters
    ----------
    pipeline : Pipeline
        The pipeline to check.
    levels : tuple of str
        The framework's level names.
    node_kinds : dict of str to bool
        Every node id of the framework, mapped to True for indicators.

    Returns
    -------
    list of (path, message)
        Paths are relative to the pipeline.
    """
    problems: list[tuple[tuple[str | int, ...], str]] = []
    for si, step in enumerate(pipeline.steps):
        for oi, ov in enumerate(step.overrides):
            where: tuple[str | int, ...] = ("steps", si, "overrides", oi, ov.scope)
            for ti, target in enumerate(ov.targets):
                if ov.scope == "levels" and target not in levels:
                    problems.append(
                        (
                            (*where, ti),
                            f"unknown level {target!r} (levels are: {', '.join(levels)})",
                        )
                    )
                elif ov.scope == "nodes" and target not in node_kinds:
                    problems.append(((*where, ti), f"unknown node {target!r}"))
                elif (
                    ov.scope == "nodes"
                    and node_kinds[target]
                    and step.step
                    in (
                        StepKind.WEIGHT,
                        StepKind.AGGREGATE,
                    )
                ):
                    problems.append(
                        (
                            (*where, ti),
                            f"{target!r} is an indicator; "
                            f"{step.step.value} overrides name aggregates",
                        )
                    )
                elif ov.scope == "indicators" and not node_kinds.get(target, False):
                    what = (
                        "is not an indicator"
                        if target in node_kinds
                        else "is no indicator of the framework"
                    )
                    problems.append(((*where, ti), f"{target!r} {what}"))
    return problems

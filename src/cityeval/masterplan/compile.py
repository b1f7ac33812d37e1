"""Compile a masterplan into a scorable framework, and a round into a data set.

The masterplan's tree is dimension, element, programme, indicator: the framework's top
dimensions and elements that have programmes, the programmes under their element, and each
programme's indicators with goalposts from the baseline to the round's target. The round
becomes a one-unit data set (the regency), so that the scoring engine does the arithmetic:
there is no second engine.
"""

from __future__ import annotations

import math

import numpy as np
from attrs import frozen

from cityeval.data import Dataset
from cityeval.errors import ModelError, Problem
from cityeval.masterplan.model import (
    EntryStatus,
    EvaluationRound,
    Masterplan,
    Programme,
    ProgrammeIndicator,
)
from cityeval.model import (
    Bounds,
    Dimension,
    Direction,
    Framework,
    Indicator,
    Label,
    Pipeline,
    Source,
    Step,
    StepKind,
)

__all__ = ["CompiledRound", "compile_round", "indicator_node_id", "progress_pipeline"]

LEVELS = ("dimension", "element", "programme", "indicator")


def indicator_node_id(programme: Programme, indicator: ProgrammeIndicator) -> str:
    """The framework node id of a programme indicator: ``PROGRAMME.INDICATOR``."""
    return f"{programme.id}.{indicator.id}"


def progress_pipeline(cap: float | None = 100.0) -> Pipeline:
    """Achievement as progress from baseline to target, capped, rolled up by weighted means."""
    return Pipeline(
        steps=(
            Step(StepKind.NORMALISE, "progress", {"cap": cap}),
            Step(StepKind.WEIGHT, "explicit"),
            Step(StepKind.AGGREGATE, "arithmetic"),
        ),
        name="masterplan-progress",
        description="achievement = progress from the baseline toward the round's target, "
        f"{'capped at ' + format(cap, 'g') + ' percent' if cap is not None else 'uncapped'}; "
        "weighted arithmetic means up the tree (programme, element, dimension, overall)",
    )


@frozen
class CompiledRound:
    """A round ready for the engine, with what could not be scored and why.

    Attributes
    ----------
    framework : Framework
        Dimension, element, programme, indicator; goalposts for the round's target year.
    dataset : Dataset
        One unit (the regency), one column per scored indicator.
    targets : dict of str to float
        The target each indicator node is measured against.
    excluded : dict of str to str
        Indicator nodes left out of the score, with the reason (cancelled, no target yet...).
    missing : tuple of str
        Indicator nodes with no realised value this round (scored as missing).
    """

    framework: Framework
    dataset: Dataset
    targets: dict[str, float]
    excluded: dict[str, str]
    missing: tuple[str, ...]


def _target_for(ind: ProgrammeIndicator, year: int) -> tuple[float | None, int | None]:
    """The target that applies in ``year``: that year's, else the latest earlier one."""
    if year in ind.targets:
        return ind.targets[year], year
    earlier = [y for y in ind.targets if y < year]
    if earlier:
        y = max(earlier)
        return ind.targets[y], y
    return None, None


def compile_round(
    masterplan: Masterplan, framework: Framework, rnd: EvaluationRound
) -> CompiledRound:
    """Build the framework and one-unit data set that score ``rnd`` of ``masterplan``.

    Raises
    ------
    ModelError
        If nothing in the round can be scored (every indicator excluded).
    """
    year = rnd.target_year
    weights = dict(masterplan.weights)
    excluded: dict[str, str] = {}
    missing: list[str] = []
    values: dict[str, float] = {}
    targets: dict[str, float] = {}
    by_element: dict[str, list[Dimension]] = {}
    for prog in masterplan.programmes:
        leaves: list[Indicator] = []
        for ind in prog.indicators:
            node_id = indicator_node_id(prog, ind)
            entry = rnd.entry(prog.id, ind.id)
            target, target_year = _target_for(ind, year)
            if prog.start_year > year:
                excluded[node_id] = f"the programme starts in {prog.start_year}"
                continue
            if target is None:
                excluded[node_id] = f"no target for {year} or earlier"
                continue
            if entry is not None and entry.status is EntryStatus.CANCELLED:
                excluded[node_id] = "cancelled"
                continue
            base = ind.baseline.value
            if target == base:
                excluded[node_id] = f"the {target_year} target equals the baseline"
                continue
            direction = Direction.HIGHER if target > base else Direction.LOWER
            targets[node_id] = target
            if entry is not None and entry.realised is not None:
                values[node_id] = entry.realised
            elif entry is not None and entry.status is EntryStatus.NOT_STARTED:
                values[node_id] = base  # not started: no progress from the baseline
            else:
                values[node_id] = math.nan
                missing.append(node_id)
            leaves.append(
                Indicator(
                    id=node_id,
                    label=ind.name,
                    unit=ind.unit,
                    direction=direction,
                    goalposts=Bounds(min(base, target), max(base, target)),
                    target=target,
                    data_source=ind.data_source,
                )
            )
        if leaves:
            node = Dimension(
                id=prog.id,
                label=prog.name,
                weight=weights.get(prog.id, 1.0),
                indicators=tuple(leaves),
                description=prog.description,
            )
            by_element.setdefault(prog.element, []).append(node)
    if not values:
        raise ModelError.at(
            (), f"round {rnd.id!r}: no programme indicator of {masterplan.id!r} can be scored"
        )
    tops: list[Dimension] = []
    for dim in framework.dimensions:
        elements = [
            Dimension(
                id=el.id,
                label=el.label,
                weight=weights.get(el.id, 1.0),
                children=tuple(by_element[el.id]),
            )
            for el in framework.children(dim.id)
            if isinstance(el, Dimension) and el.id in by_element
        ]
        if elements:
            goal = masterplan.goals.get(dim.id)
            tops.append(
                Dimension(
                    id=dim.id,
                    label=dim.label,
                    weight=weights.get(dim.id, 1.0),
                    children=tuple(elements),
                    goal=goal if goal is not None else dim.goal,
                )
            )
    try:
        compiled = Framework(
            id=masterplan.id,
            name=Label(
                id=f"Masterplan smart city {masterplan.regency.title}",
                en=f"Smart-city masterplan of {masterplan.regency.title}",
            ),
            levels=LEVELS,
            dimensions=tuple(tops),
            version=f"{masterplan.period}",
            sources=masterplan.sources or (Source(citation=f"masterplan {masterplan.id}"),),
            note=masterplan.note,
        )
    except ModelError as exc:
        raise ModelError(
            [
                Problem(("compiled",), f"the masterplan's tree is not scorable: {p}")
                for p in exc.problems
            ]
        ) from None
    columns = tuple(i.id for i in compiled.indicators())
    dataset = Dataset(
        units=(masterplan.id,),
        indicators=columns,
        values=np.array([[values[c] for c in columns]], dtype=np.float64),
        names=(masterplan.regency.title,),
        source=f"round {rnd.id}",
    )
    return CompiledRound(compiled, dataset, targets, excluded, tuple(missing))

"""Hypothesis strategies for cityeval's model objects, for property-based tests.

Plugin authors can property-test their own code with these generators::

    from hypothesis import given
    from cityeval.testing import strategies as cst

    @given(cst.frameworks())
    def test_my_exporter(framework): ...

Every generated object is valid (it passes the model's validation), bounded (small trees,
finite numbers) and round-trips through YAML, JSON and TOML.
"""

from __future__ import annotations

import string
from functools import cache
from typing import TYPE_CHECKING

from hypothesis import strategies as st

if TYPE_CHECKING:
    from cityeval.data import Dataset

from cityeval.model import (
    Bounds,
    Dimension,
    Direction,
    Framework,
    Grade,
    Indicator,
    Label,
    OrdinalLevel,
    Pipeline,
    Scale,
    ScaleKind,
    Source,
    Step,
    StepKind,
)

__all__ = [
    "bounds",
    "datasets",
    "framework_weights",
    "frameworks",
    "ids",
    "indicators",
    "labels",
    "pipelines",
    "scales",
    "sources",
    "texts",
    "weights",
]

_ALPHABET = string.ascii_letters + string.digits + " -'.,()éàüñ"


@cache
def texts(max_size: int = 24) -> st.SearchStrategy[str]:
    """Short, printable, non-blank text (stripped, as the model stores it)."""
    return st.text(alphabet=_ALPHABET, min_size=1, max_size=max_size).map(
        lambda t: t.strip() or "x"
    )


@cache
def ids() -> st.SearchStrategy[str]:
    """Valid node ids."""
    return st.builds(
        lambda head, tail: head + tail,
        st.sampled_from(string.ascii_lowercase),
        st.text(alphabet=string.ascii_lowercase + string.digits + "_.-", max_size=11),
    )


@cache
def labels() -> st.SearchStrategy[Label]:
    """Bilingual labels with Indonesian text, English text or both."""
    return st.one_of(
        st.builds(Label, id=texts(), en=texts()),
        st.builds(Label, id=texts()),
        st.builds(Label, en=texts()),
        texts().map(Label.neutral),
    )


@cache
def weights(min_value: float = 0.0, max_value: float = 100.0) -> st.SearchStrategy[float]:
    """Finite, non-negative weights."""
    return st.floats(min_value=min_value, max_value=max_value, allow_nan=False)


@cache
def sources() -> st.SearchStrategy[Source]:
    """Citations with an optional grade."""
    return st.builds(
        Source,
        citation=texts(40),
        url=st.none() | st.just("https://example.org/source"),
        grade=st.none() | st.sampled_from(Grade),
        note=st.none() | texts(),
    )


@cache
def scales() -> st.SearchStrategy[Scale]:
    """Ratio, percentage, binary or ordinal (2 to 5 labelled levels) scales."""
    ordinal = st.integers(min_value=2, max_value=5).flatmap(
        lambda n: st.lists(labels(), min_size=n, max_size=n).map(
            lambda labs: Scale(
                ScaleKind.ORDINAL,
                tuple(OrdinalLevel(float(i + 1), lab) for i, lab in enumerate(labs)),
            )
        )
    )
    simple = st.sampled_from([ScaleKind.RATIO, ScaleKind.PERCENTAGE, ScaleKind.BINARY]).map(Scale)
    return simple | ordinal


@cache
def bounds(lower: float = -1e6, upper: float = 1e6) -> st.SearchStrategy[Bounds]:
    """Intervals with ``lower < upper`` inside ``[lower, upper]``."""
    return (
        st.tuples(
            st.floats(lower, upper, allow_nan=False), st.floats(lower, upper, allow_nan=False)
        )
        .filter(lambda t: t[0] != t[1])
        .map(lambda t: Bounds(min(t), max(t)))
    )


@st.composite
def indicators(
    draw: st.DrawFn, id: str | None = None, *, checked_values: bool = True
) -> Indicator:
    """Valid indicators: bounds inside the scale, goalposts inside bounds, target consistent.

    With ``checked_values=False`` the indicator has no bounds and is declared ``unbounded``,
    so that data of any finite values may be scored against it.
    """
    scale = draw(scales())
    direction = draw(st.sampled_from(Direction))
    natural = scale.natural_bounds()
    lo, hi = natural if natural is not None else (-1e6, 1e6)
    bnd = draw(st.none() | bounds(lo, hi)) if checked_values else None
    outer = bnd or Bounds(lo, hi)
    goalposts = draw(st.none() | bounds(outer.lower, outer.upper))
    target = draw(st.none() | st.floats(outer.lower, outer.upper, allow_nan=False))
    if target is not None and goalposts is not None:
        worst = goalposts.lower if direction is Direction.HIGHER else goalposts.upper
        better = target > worst if direction is Direction.HIGHER else target < worst
        if not better:
            target = goalposts.upper if direction is Direction.HIGHER else goalposts.lower
    return Indicator(
        id=id if id is not None else draw(ids()),
        label=draw(labels()),
        unit=draw(st.none() | texts(8)),
        direction=direction,
        scale=scale,
        bounds=bnd,
        goalposts=goalposts,
        target=target,
        weight=draw(weights(min_value=0.01)),
        unbounded=not checked_values,
        description=draw(st.none() | labels()),
        data_source=draw(st.none() | texts()),
        sources=tuple(draw(st.lists(sources(), max_size=2))),
        note=draw(st.none() | texts()),
    )


@st.composite
def frameworks(
    draw: st.DrawFn,
    *,
    max_depth: int = 3,
    max_children: int = 3,
    template: bool | None = False,
    checked_values: bool = True,
) -> Framework:
    """Valid frameworks: 1 to ``max_depth`` levels of dimensions above a level of indicators.

    Parameters
    ----------
    max_depth : int
        The greatest number of dimension levels above the indicators.
    max_children : int
        The greatest number of children of any node.
    template : bool or None
        False: every dimension has indicators below it. True: a template with dimensions only.
        None: either.
    checked_values : bool
        False: every indicator is declared ``unbounded`` (and has no bounds), so that data
        of any finite values may be scored against the framework.
    """
    is_template = draw(st.booleans()) if template is None else template
    depth = draw(st.integers(min_value=1, max_value=max_depth))
    counter = iter(range(10_000))

    def fresh_id() -> str:
        return f"{draw(st.sampled_from(['d', 'n', 'x', 'pillar', 'el']))}{next(counter)}"

    def build(level: int) -> Dimension:
        n = draw(st.integers(min_value=1, max_value=max_children))
        node_id = fresh_id()
        children: tuple[Dimension, ...] = ()
        members: tuple[Indicator, ...] = ()
        if level + 1 < depth:
            children = tuple(build(level + 1) for _ in range(n))
        elif not is_template:
            members = tuple(
                draw(indicators(id=fresh_id(), checked_values=checked_values)) for _ in range(n)
            )
        return Dimension(
            id=node_id,
            label=draw(labels()),
            weight=draw(weights(min_value=0.01)),
            children=children,
            indicators=members,
            description=draw(st.none() | labels()),
            goal=draw(st.none() | labels()),
            note=draw(st.none() | texts()),
        )

    n_top = draw(st.integers(min_value=1, max_value=max_children))
    level_names = [*["dimension", "element", "sub-element", "pillar"][:depth], "indicator"]
    return Framework(
        id="fw-" + draw(ids()),
        name=draw(labels()),
        levels=tuple(level_names),
        dimensions=tuple(build(0) for _ in range(n_top)),
        version=draw(st.none() | st.sampled_from(["1", "2017", "59/2020"])),
        template=is_template,
        description=draw(st.none() | labels()),
        citation=draw(st.none() | texts(40)),
        sources=tuple(draw(st.lists(sources(), max_size=2))),
        note=draw(st.none() | texts()),
    )


@st.composite
def datasets(
    draw: st.DrawFn,
    framework: Framework,
    *,
    min_units: int = 2,
    max_units: int = 8,
    missing: bool = False,
) -> Dataset:
    """Data sets for ``framework``: a column per indicator, values inside each indicator's range.

    Ordinal indicators take the values of their levels, binary ones 0 or 1, others values
    inside their bounds (or their scale's range, or ``[-1e3, 1e3]`` for an unbounded ratio).

    Parameters
    ----------
    framework : Framework
        A scorable framework (not a template).
    min_units, max_units : int
        How many units (rows).
    missing : bool
        Whether some cells may be missing (NaN).
    """
    import numpy as np

    from cityeval.data import Dataset

    n = draw(st.integers(min_value=min_units, max_value=max_units))
    inds = framework.indicators()
    columns = []
    for ind in inds:
        if ind.scale.kind is ScaleKind.ORDINAL:
            cell: st.SearchStrategy[float] = st.sampled_from([lv.value for lv in ind.scale.levels])
        elif ind.scale.kind is ScaleKind.BINARY:
            cell = st.sampled_from([0.0, 1.0])
        else:
            natural = ind.scale.natural_bounds()
            lo, hi = (
                (ind.bounds.lower, ind.bounds.upper)
                if ind.bounds is not None
                else (natural if natural is not None else (-1e3, 1e3))
            )
            cell = st.floats(lo, hi, allow_nan=False, allow_infinity=False)
        if missing:
            cell = cell | st.just(float("nan"))
        columns.append(draw(st.lists(cell, min_size=n, max_size=n)))
    values = np.array(columns, dtype=np.float64).T.reshape(n, len(inds))
    return Dataset(
        units=tuple(f"U{u + 1:02d}" for u in range(n)),
        indicators=tuple(i.id for i in inds),
        values=values,
    )


@st.composite
def framework_weights(draw: st.DrawFn, framework: Framework) -> dict[str, float]:
    """Raw weights for every node of ``framework``, positive so no sibling group sums to 0.

    Suitable for :meth:`Framework.replace_weights <cityeval.model.Framework.replace_weights>`.
    """
    return {node.id: draw(weights(min_value=0.01)) for node in framework.walk()}


@cache
def pipelines() -> st.SearchStrategy[Pipeline]:
    """Pipelines of built-in methods that resolve against any scorable framework."""
    normalise = st.one_of(
        st.builds(
            lambda lo, span: Step(StepKind.NORMALISE, "minmax", {"lower": lo, "upper": lo + span}),
            st.sampled_from([0.0, 1.0]),
            st.sampled_from([1.0, 10.0, 100.0]),
        ),
        st.just(Step(StepKind.NORMALISE, "zscore")),
        st.just(Step(StepKind.NORMALISE, "rank")),
    )
    aggregate = st.builds(
        lambda method, threshold: Step(StepKind.AGGREGATE, method, threshold=threshold),
        st.sampled_from(["arithmetic", "median"]),
        st.none() | st.floats(0.0, 1.0, allow_nan=False),
    )
    weight = st.none() | st.sampled_from(
        [Step(StepKind.WEIGHT, "explicit"), Step(StepKind.WEIGHT, "equal")]
    )
    return st.builds(
        lambda n, w, a: Pipeline(steps=(n, a) if w is None else (n, w, a)),
        normalise,
        weight,
        aggregate,
    )

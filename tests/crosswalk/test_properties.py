"""Invariants of crosswalk re-aggregation: a weighted mean stays within its inputs, rises
with them, ignores the scale of the link weights, agrees with a plain loop and treats units
alike."""

from __future__ import annotations

import math

import attrs
from hypothesis import given
from hypothesis import strategies as st

from cityeval import Dimension, Framework, Indicator, Label
from cityeval.crosswalk import Crosswalk, Link, reaggregate

SOURCES = ("a", "b", "c", "d")
UNITS = ("u0", "u1", "u2", "u3")


def target() -> Framework:
    def factor(fid: str, weight: float = 1.0) -> Dimension:
        return Dimension(
            fid, Label(en=fid), weight=weight, indicators=(Indicator(f"{fid}-i", Label(en="i")),)
        )

    return Framework(
        "target",
        Label(en="Target"),
        ("pillar", "factor", "indicator"),
        (
            Dimension("p1", Label(en="P1"), weight=3, children=(factor("f1"), factor("f2", 2))),
            Dimension("p2", Label(en="P2"), children=(factor("f3"),)),
        ),
    )


TARGET = target()
FACTORS = ("f1", "f2", "f3")

scores_values = st.one_of(st.none(), st.floats(0.0, 100.0, allow_nan=False))


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, dict[str, float | None]], Crosswalk]:
    scores = {s: {u: draw(scores_values) for u in UNITS} for s in SOURCES}
    links = []
    for s in SOURCES:
        targets = draw(st.lists(st.sampled_from(FACTORS), min_size=1, max_size=3, unique=True))
        weight = draw(st.floats(0.1, 10.0))
        links.append(Link(s, tuple(targets), weight=weight))
    return scores, Crosswalk("walk", "src", "target", tuple(links))


def _finite(values: list[float | None]) -> list[float]:
    return [v for v in values if v is not None and not math.isnan(v)]


def _reference(
    scores: dict[str, dict[str, float | None]], walk: Crosswalk, node: str, unit: str
) -> float | None:
    """The factor level written out: the weighted mean of the linked, scored sources."""
    pairs = [
        (link.weight, scores[link.source][unit])
        for link in walk.mappings
        if node in link.targets and scores[link.source][unit] is not None
    ]
    if not pairs:
        return None
    return sum(w * v for w, v in pairs) / sum(w for w, _ in pairs)  # type: ignore[operator]


def _score(result: object, node: str, unit: str) -> float | None:
    if node not in result.scores:  # type: ignore[attr-defined]
        return None  # no link reaches the node: it has no score at all
    value = result.score(node)[unit]  # type: ignore[attr-defined]
    return None if value is None or math.isnan(value) else float(value)


@given(cases())
def test_factor_scores_agree_with_a_plain_weighted_mean(case: tuple) -> None:  # type: ignore[type-arg]
    scores, walk = case
    result = reaggregate(scores, walk, TARGET)
    for node in FACTORS:
        for unit in UNITS:
            expected = _reference(scores, walk, node, unit)
            got = _score(result, node, unit)
            if expected is None:
                assert got is None
            else:
                assert got is not None and math.isclose(
                    got, expected, rel_tol=1e-12, abs_tol=1e-12
                )


@given(cases())
def test_every_target_score_lies_within_the_units_source_scores(case: tuple) -> None:  # type: ignore[type-arg]
    scores, walk = case
    result = reaggregate(scores, walk, TARGET)
    for unit in UNITS:
        inputs = _finite([scores[s][unit] for s in SOURCES])
        for node in (*FACTORS, "p1", "p2", result.index_id):
            got = _score(result, node, unit)
            if got is None:
                continue
            assert min(inputs) - 1e-9 <= got <= max(inputs) + 1e-9


@given(cases(), st.sampled_from(SOURCES), st.sampled_from(UNITS), st.floats(0.0, 50.0))
def test_raising_a_source_score_never_lowers_a_target_score(
    case: tuple,  # type: ignore[type-arg]
    which: str,
    unit: str,
    step: float,
) -> None:
    scores, walk = case
    before = scores[which][unit]
    raised = {s: dict(v) for s, v in scores.items()}
    raised[which][unit] = None if before is None else before + step
    a, b = reaggregate(scores, walk, TARGET), reaggregate(raised, walk, TARGET)
    for node in (*FACTORS, "p1", "p2", a.index_id):
        old, new = _score(a, node, unit), _score(b, node, unit)
        assert (old is None) == (new is None)
        if old is not None:
            assert new >= old - 1e-9  # type: ignore[operator]


@given(cases(), st.floats(0.01, 100.0))
def test_scaling_every_link_weight_changes_nothing(case: tuple, k: float) -> None:  # type: ignore[type-arg]
    scores, walk = case
    scaled = attrs.evolve(
        walk, mappings=tuple(attrs.evolve(m, weight=m.weight * k) for m in walk.mappings)
    )
    a, b = reaggregate(scores, walk, TARGET), reaggregate(scores, scaled, TARGET)
    for node in (*FACTORS, "p1", "p2", a.index_id):
        for unit in UNITS:
            x, y = _score(a, node, unit), _score(b, node, unit)
            assert (x is None) == (y is None)
            if x is not None:
                assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)  # type: ignore[arg-type]


@given(cases(), st.floats(0.0, 100.0))
def test_equal_source_scores_give_that_score_everywhere(case: tuple, c: float) -> None:  # type: ignore[type-arg]
    _, walk = case
    flat = {s: dict.fromkeys(UNITS, c) for s in SOURCES}
    result = reaggregate(flat, walk, TARGET)
    for node in (*FACTORS, "p1", "p2", result.index_id):
        for unit in UNITS:
            got = _score(result, node, unit)
            if got is not None:
                assert math.isclose(got, c, rel_tol=1e-12, abs_tol=1e-9)


@given(cases(), st.permutations(UNITS))
def test_units_are_treated_alike(case: tuple, order: list[str]) -> None:  # type: ignore[type-arg]
    scores, walk = case
    renamed = dict(zip(UNITS, order, strict=True))
    moved = {s: {renamed[u]: v for u, v in row.items()} for s, row in scores.items()}
    a, b = reaggregate(scores, walk, TARGET), reaggregate(moved, walk, TARGET)
    for node in (*FACTORS, "p1", "p2", a.index_id):
        for unit in UNITS:
            assert _score(a, node, unit) == _score(b, node, renamed[unit])

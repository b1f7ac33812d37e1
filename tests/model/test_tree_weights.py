"""Weights on a tree of nodes: normalisation among siblings, its errors, and replacement."""

from __future__ import annotations

import math

import pytest

from cityeval import Dimension, Indicator, Label, ModelError, NotFoundError
from cityeval.model import Framework
from cityeval.model.tree_weights import (
    normalise_among_siblings,
    reweighted,
    sibling_groups,
    walk_nodes,
)
from cityeval.model.weighting import normalise_among_siblings as for_framework
from cityeval.model.weighting import with_weights


def tree() -> tuple[Dimension, ...]:
    def ind(i: str, w: float = 1.0) -> Indicator:
        return Indicator(i, Label(en=i), weight=w)

    return (
        Dimension(
            "d1",
            Label(en="D1"),
            weight=2,
            children=(
                Dimension("e1", Label(en="E1"), indicators=(ind("a"), ind("b", 3))),
                Dimension("e2", Label(en="E2"), indicators=(ind("c"),)),
            ),
        ),
        Dimension("d2", Label(en="D2"), indicators=(ind("x"),)),
    )


def test_walk_and_groups_cover_the_tree_parents_first() -> None:
    assert [n.id for n in walk_nodes(tree())] == ["d1", "e1", "a", "b", "e2", "c", "d2", "x"]
    groups = {parent: [m.id for m in members] for parent, members in sibling_groups(tree())}
    assert groups == {
        None: ["d1", "d2"], "d1": ["e1", "e2"], "e1": ["a", "b"], "e2": ["c"], "d2": ["x"]
    }  # fmt: skip


def test_each_group_sums_to_one() -> None:
    raw = {n.id: n.weight for n in walk_nodes(tree())}
    out = normalise_among_siblings(tree(), raw)
    assert out["d1"] == pytest.approx(2 / 3) and out["b"] == pytest.approx(0.75)
    assert out["c"] == 1.0 and out["x"] == 1.0


def test_bad_weights_are_all_reported_with_their_node() -> None:
    raw = {n.id: n.weight for n in walk_nodes(tree())}
    raw.update({"a": -1.0, "c": math.inf, "d1": 0.0, "d2": 0.0})
    with pytest.raises(ModelError) as exc:
        normalise_among_siblings(tree(), raw)
    text = str(exc.value)
    assert "weights.a: must be a finite number >= 0, got -1.0" in text
    assert "weights.c: must be a finite number >= 0, got inf" in text
    assert "the weights below the framework's top dimensions sum to zero" in text


def test_a_group_below_a_node_that_sums_to_zero_names_the_node() -> None:
    raw = {n.id: n.weight for n in walk_nodes(tree())}
    raw.update({"e1": 0.0, "e2": 0.0})
    with pytest.raises(ModelError, match="the weights below 'd1' sum to zero"):
        normalise_among_siblings(tree(), raw)


def test_reweighted_replaces_only_the_listed_nodes() -> None:
    new = reweighted(tree(), {"b": 1.0, "e2": 5.0})
    weights = {n.id: n.weight for n in walk_nodes(new)}
    assert weights["b"] == 1.0 and weights["e2"] == 5.0 and weights["a"] == 1.0
    assert {n.id: n.weight for n in walk_nodes(tree())}["b"] == 3.0  # the input is unchanged


def test_the_framework_level_helpers_agree() -> None:
    fw = Framework("f", Label(en="F"), ("dimension", "element", "indicator"), tree()[:1])
    raw = {n.id: 1.0 for n in fw.walk()}
    assert for_framework(fw, raw) == normalise_among_siblings(fw.dimensions, raw)
    assert with_weights(fw, {"a": 4.0}).node("a").weight == 4.0
    with pytest.raises(NotFoundError, match="'zz'"):
        with_weights(fw, {"zz": 1.0})

"""Crosswalks: the file format and its errors, re-aggregation, the shipped Gerakan 100 one."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from cityeval import Dimension, Framework, Grade, Indicator, Label, get_framework
from cityeval.crosswalk import (
    Crosswalk,
    Link,
    dumps_crosswalk,
    get_crosswalk,
    load_crosswalk,
    loads_crosswalk,
    reaggregate,
    scores_from_json,
)
from cityeval.data import Dataset
from cityeval.engine import score
from cityeval.errors import InputError
from cityeval.model import Pipeline, Step, StepKind

AS_IS = Pipeline(
    steps=(Step(StepKind.NORMALISE, "identity"), Step(StepKind.AGGREGATE, "arithmetic"))
)


def target() -> Framework:
    return Framework(
        "target",
        Label(en="Target"),
        ("pillar", "factor", "indicator"),
        (
            Dimension(
                "p1",
                Label(en="P1"),
                weight=3,
                children=(
                    Dimension("f1", Label(en="F1"), indicators=(Indicator("t1", Label(en="t")),)),
                    Dimension("f2", Label(en="F2"), indicators=(Indicator("t2", Label(en="t")),)),
                ),
            ),
            Dimension(
                "p2",
                Label(en="P2"),
                children=(
                    Dimension("f3", Label(en="F3"), indicators=(Indicator("t3", Label(en="t")),)),
                ),
            ),
        ),
    )


WALK = Crosswalk(
    "src-to-target",
    "src",
    "target",
    (
        Link("a", ("f1",)),
        Link("b", ("f1", "f2"), weight=3, grade=Grade.U),
        Link("missing-in-input", ("f2",)),
    ),
)


def test_weighted_means_of_the_mapped_scores_roll_up_the_target_tree() -> None:
    scores = {"a": {"x": 1.0, "y": 2.0}, "b": {"x": 5.0, "y": None}, "c": {"x": 9.0, "y": 9.0}}
    result = reaggregate(scores, WALK, target())
    assert result.units == ("x", "y")
    assert result.score("f1") == {"x": pytest.approx((1 + 3 * 5) / 4), "y": 2.0}
    assert result.score("f2") == {"x": 5.0, "y": None}
    # p1 = mean of f1 and f2 (equal weights); y has f1 only
    assert result.score("p1") == {"x": pytest.approx((4 + 5) / 2), "y": 2.0}
    # the index over p1 (weight 3) and p2 (nothing reaches it) is p1's score
    assert result.index_id == "target"
    assert result.score("target") == result.score("p1")
    assert result.unmapped_sources == ("c",)
    assert result.unmapped_targets == ("t1", "t2", "p2", "f3", "t3")  # file order
    assert result.unscored_links == ("missing-in-input",)
    assert json.loads(json.dumps(result.to_dict()))["unmapped_sources"] == ["c"]


def test_targets_the_framework_lacks_are_located_errors() -> None:
    bad = Crosswalk("w", "src", "target", (Link("a", ("f1", "nope")),))
    with pytest.raises(InputError) as exc:
        reaggregate({"a": {"x": 1.0}}, bad, target())
    assert str(exc.value) == "w: mappings[0].targets[1]: framework 'target' has no node 'nope'"
    with pytest.raises(InputError, match=r"w: target: crosswalk is onto 'target', not 'other'"):
        reaggregate({"a": {"x": 1.0}}, bad, Framework(**{**_fields(target()), "id": "other"}))


def _fields(fw: Framework) -> dict[str, object]:
    return {"id": fw.id, "name": fw.name, "levels": fw.levels, "dimensions": fw.dimensions}


@pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
def test_round_trip(fmt: str) -> None:
    text = dumps_crosswalk(WALK, fmt)  # type: ignore[arg-type]
    assert loads_crosswalk(text, fmt) == WALK  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "id: w\nsource: a\ntarget: b\nmappings: [{source: x, targets: [y], wieght: 2}]",
            "w.yaml: mappings[0].wieght: unknown field (expected one of: source, targets, "
            "weight, grade, note)",
        ),
        (
            "id: w\nsource: a\ntarget: b\nmappings: [{source: x, targets: [y], weight: 0}]",
            "w.yaml: mappings[0].weight: must be a finite number > 0, got 0.0",
        ),
        (
            "id: w\nsource: a\ntarget: b\nmappings: [{source: x, targets: [y], grade: Z}]",
            "w.yaml: mappings[0].grade: expected one of 'A', 'B', 'C', 'U', got 'Z'",
        ),
        (
            "id: w\nsource: a\ntarget: b\nmappings: [{source: x, targets: [y]}, "
            "{source: x, targets: [z]}]",
            "w.yaml: mappings[1].source: source node 'x' is already mapped at mappings[0]; "
            "list all its targets there",
        ),
        ("id: w\nsource: a\ntarget: b\nmappings: []", "w.yaml: mappings: a crosswalk needs"),
    ],
)
def test_file_errors_are_located(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_crosswalk(path)
    assert str(exc.value).startswith(expected)


# -- the shipped Gerakan 100 -> Giffinger crosswalk ---------------------------------------------


def gerakan100_scored() -> Framework:
    """Gerakan 100's tree with one indicator per element, so that the engine can score it."""
    g100 = get_framework("gerakan100")
    dims = tuple(
        Dimension(
            d.id,
            d.label,
            children=tuple(
                Dimension(
                    e.id,
                    e.label,
                    indicators=(Indicator(f"{e.id}.score", Label(en="score")),),
                )
                for e in d.children
            ),
        )
        for d in g100.dimensions
    )
    return Framework("g100-scored", g100.name, ("dimension", "element", "indicator"), dims)


def test_gerakan100_to_giffinger() -> None:
    walk = get_crosswalk("gerakan100-to-giffinger-2007")
    giffinger, g100 = get_framework("giffinger-2007"), get_framework("gerakan100")
    assert walk.check_against(g100, giffinger) == []
    assert walk.grade is Grade.U and all(lk.grade is Grade.U for lk in walk.mappings)
    assert walk.note is not None and "cityeval's reading" in walk.note

    fw = gerakan100_scored()
    ids = [i.id for i in fw.indicators()]
    values = np.stack([np.arange(len(ids), dtype=float), np.arange(len(ids), dtype=float) + 1])
    results = score(fw, Dataset(("KAB1", "KAB2"), ids, values), AS_IS)
    result = reaggregate(results, walk, giffinger)
    # every element but branding.appearance is covered (a dimension by its elements) ...
    assert result.unmapped_sources == ("branding.appearance", "branding.appearance.score")
    # ... health conditions come from living.health alone
    assert result.score("living.health-conditions")["KAB1"] == pytest.approx(
        float(results.score("living.health")[0])
    )
    # the resource-management factor is the mean of waste and energy
    expected = (results.score("environment.waste") + results.score("environment.energy")) / 2
    assert result.score("environment.sustainable-resource-management")["KAB2"] == pytest.approx(
        float(expected[1])
    )
    assert "people.creativity" in result.unmapped_targets
    assert all(not math.isnan(v) for v in result.scores["giffinger-2007"])

    # the same from results.json
    again = reaggregate(scores_from_json(results.to_dict()), walk, giffinger)
    assert again.scores == result.scores

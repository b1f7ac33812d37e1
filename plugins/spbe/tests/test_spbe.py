"""The Indeks SPBE plugin: structure, weights, grades, predicates and the weighted sum."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cityeval import Framework, Grade, ScaleKind, get_framework
from cityeval.data import Dataset
from cityeval.engine import score
from cityeval.model import StepKind
from cityeval.plugins import get_host
from cityeval.testing.conformance import check_framework_plugin


@pytest.fixture(scope="module")
def fw() -> Framework:
    return get_framework("spbe-2020")


def levels(fw: Framework, value: float, units: tuple[str, ...] = ("KAB",)) -> Dataset:
    ids = tuple(i.id for i in fw.indicators())
    return Dataset(units, ids, np.full((len(units), len(ids)), value))


def test_registered_through_the_entry_point() -> None:
    host = get_host()
    assert host.frameworks.get("spbe-2020").plugin == "spbe"
    info = {p.name: p for p in host.plugins}["spbe"]
    assert info.distribution == "cityeval-spbe"


def test_conformance() -> None:
    report = check_framework_plugin("spbe-2020")
    assert "bands cover [1, 5]" in report.checks
    assert "scores generated data" in report.checks


def test_four_domains_eight_aspects_47_indicators(fw: Framework) -> None:
    assert fw.levels == ("domain", "aspect", "indicator")
    assert [d.id for d in fw.dimensions] == ["kebijakan", "tata-kelola", "manajemen", "layanan"]
    assert [d.weight for d in fw.dimensions] == [13, 25, 16.5, 45.5]
    assert [a.id for d in fw.dimensions for a in d.children] == [f"a{k}" for k in range(1, 9)]
    assert [i.id for i in fw.indicators()] == [f"i{k:02d}" for k in range(1, 48)]


def test_capability_levels_1_to_5(fw: Framework) -> None:
    for ind in fw.indicators():
        assert ind.scale.kind is ScaleKind.ORDINAL
        assert [lv.value for lv in ind.scale.levels] == [1, 2, 3, 4, 5]
    process = fw.node("i01").scale.levels  # type: ignore[union-attr]
    assert [lv.label.id for lv in process] == [
        "Rintisan",
        "Terkelola",
        "Terstandarisasi",
        "Terintegrasi dan Terukur",
        "Optimum",
    ]
    assert fw.note is not None and "inconsistent" in fw.note and "Terdefinisikan" in fw.note


def test_indicator_weights_are_the_regulations(fw: Framework) -> None:
    weights = fw.effective_weights(within="index")
    expected = [1.3] * 10 + [2.5] * 10 + [1.5] * 11 + [2.75] * 10 + [3.0] * 6
    assert [weights[f"i{k:02d}"] * 100 for k in range(1, 48)] == pytest.approx(expected)
    assert sum(weights.values()) == pytest.approx(1.0)


def test_unverified_weights_carry_their_grade(fw: Framework) -> None:
    for aspect in ("a2", "a3", "a4", "a5", "a6"):
        assert [s.grade for s in fw.node(aspect).sources] == [Grade.C]
    for aspect in ("a1", "a7", "a8"):
        assert [s.grade for s in fw.node(aspect).sources] == [Grade.A]
    assert all(s.grade is Grade.A for d in fw.dimensions for s in d.sources)
    # the per-indicator weights outside domain 1 rest on third-party encodings
    for ind in fw.indicators()[10:]:
        assert any(s.grade is Grade.C and "weight" in (s.note or "") for s in ind.sources)


def test_the_pipeline_is_the_weighted_sum(fw: Framework) -> None:
    assert fw.pipeline is not None
    assert fw.pipeline.get(StepKind.NORMALISE).method == "identity"  # type: ignore[union-attr]
    assert fw.pipeline.get(StepKind.AGGREGATE).method == "arithmetic"  # type: ignore[union-attr]
    rng = np.random.default_rng(7)
    data = levels(fw, 1.0, ("A", "B", "C")).with_values(rng.integers(1, 6, size=(3, 47)))
    results = score(fw, data)
    weights = fw.effective_weights(within="index")
    w = np.array([weights[i] for i in data.indicators])
    assert results.score("spbe-2020") == pytest.approx(np.asarray(data.values) @ w)


@pytest.mark.parametrize(
    ("level", "index", "predicate"),
    # Maturity levels are whole numbers 1 to 5 (values between them are refused as data).
    [(3.0, 3.0, "Baik"), (4.0, 4.0, "Sangat Baik"), (1.0, 1.0, "Kurang"), (5.0, 5.0, "Memuaskan")],
)
def test_done_when_index_and_predicate(
    fw: Framework, level: float, index: float, predicate: str
) -> None:
    results = score(fw, levels(fw, level))
    assert results.top_id == "spbe-2020"
    assert float(results.score("spbe-2020")[0]) == pytest.approx(index)
    label = results.predicates()["spbe-2020"]["KAB"]
    assert label is not None and label.id == predicate


@pytest.mark.parametrize(
    ("value", "predicate"),
    [(1.79, "Kurang"), (1.8, "Cukup"), (2.6, "Baik"), (3.49, "Baik"), (3.5, "Sangat Baik"),
     (4.19, "Sangat Baik")],
)  # fmt: skip
def test_band_edges(fw: Framework, value: float, predicate: str) -> None:
    from cityeval.model import band_for

    band = band_for(fw.bands, value)
    assert band is not None and band.label.id == predicate


def test_score_command_and_results_json_carry_the_predicate(
    fw: Framework, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cityeval.cli import main

    ids = [i.id for i in fw.indicators()]
    rows = [
        "unit," + ",".join(ids),
        "KAB3," + ",".join(["3"] * 47),
        "KAB4," + ",".join(["5"] * 47),
    ]
    data = tmp_path / "levels.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["score", "-f", "spbe-2020", "-d", str(data), "-o", str(tmp_path / "out")]) == 0
    shown = capsys.readouterr().out
    assert "predicate" in shown and "Memuaskan" in shown and "Baik" in shown
    saved = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert saved["predicates"]["spbe-2020"] == {
        "KAB3": {"id": "Baik", "en": "Good"},
        "KAB4": {"id": "Memuaskan", "en": "Satisfactory"},
    }

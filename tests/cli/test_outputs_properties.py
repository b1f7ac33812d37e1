"""The command line's output files say exactly what the engine computed, for generated
frameworks and data: every node and unit, scores that read back bit for bit, ranks that
follow the scores, and the same numbers in the CSV and the JSON."""

from __future__ import annotations

import csv
import json
import math
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cityeval
from cityeval import Framework, save_framework
from cityeval.cli import main
from cityeval.data import Dataset, write_csv
from cityeval.testing import strategies as cst

# Each example writes and reads a handful of files: fewer examples than the kernel tests.
FEW = settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow], deadline=None)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Framework, Dataset]:
    fw = draw(cst.frameworks(max_depth=3, max_children=3))
    return fw, draw(cst.datasets(fw, min_units=2, max_units=7, missing=True))


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _cell(text: str) -> float:
    return math.nan if text == "" else float(text)


@FEW
@given(cases())
def test_score_writes_what_the_engine_computed(case: tuple[Framework, Dataset]) -> None:
    fw, data = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        save_framework(fw, folder / "fw.yaml")
        write_csv(data, folder / "data.csv")
        code = main(
            ["score", "-f", str(folder / "fw.yaml"), "-d", str(folder / "data.csv"), "-o",
             str(folder / "out")]
        )  # fmt: skip
        assert code == 0
        expected = cityeval.score(fw, data)
        scores = _read(folder / "out" / "scores.csv")
        ranks = _read(folder / "out" / "ranks.csv")
        doc = json.loads((folder / "out" / "results.json").read_text(encoding="utf-8"))

    units = list(expected.units)
    assert [r["unit"] for r in scores] == units == [r["unit"] for r in ranks]
    assert list(scores[0])[1:] == list(expected.node_ids)
    assert list(ranks[0])[1:] == list(expected.aggregate_ids)
    for node in expected.node_ids:
        written = np.array([_cell(r[node]) for r in scores])
        np.testing.assert_array_equal(written, expected.score(node))  # repr: bit for bit
    for node in expected.aggregate_ids:
        written = np.array([_cell(r[node]) for r in ranks])
        np.testing.assert_array_equal(written, expected.rank(node))
        scored = ~np.isnan(expected.score(node))
        n_scored = int(scored.sum())
        if n_scored:
            assert written[scored].min() == 1.0 and written[scored].max() <= n_scored
        for i in range(len(units)):
            for j in range(len(units)):
                if scored[i] and scored[j] and expected.score(node)[i] > expected.score(node)[j]:
                    assert written[i] < written[j]
    # results.json (columnar, format 2) holds the same numbers as the CSV files (missing as
    # null): one array per node, in unit order.
    assert doc["top"] == expected.top_id
    assert doc["rows"]["unit"] == units
    assert [n["id"] for n in doc["nodes"]] == list(expected.node_ids)
    for node in expected.node_ids:
        assert doc["scores"][node] == [None if math.isnan(v) else v for v in expected.score(node)]
    for node in expected.aggregate_ids:
        assert doc["ranks"][node] == [None if math.isnan(v) else v for v in expected.rank(node)]


@pytest.mark.parametrize(("cap", "shown"), [("100", 100.0), ("0", None)])
def test_evaluate_writes_the_scorecard_the_api_gives(
    tmp_path: Path, cap: str, shown: float | None, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["evaluate", "banyuasin", "--round", "2019-tahap-3", "--compare", "2018-tahap-2",
         "--cap", cap, "--out", str(tmp_path)]
    )  # fmt: skip
    assert code == 0
    card = cityeval.evaluate(
        "banyuasin", "2019-tahap-3", compare="2018-tahap-2", cap=shown if shown else None
    )
    doc = json.loads((tmp_path / "scorecard.json").read_text(encoding="utf-8"))
    assert doc["cap"] == card.cap
    assert doc["overall"]["score"] == pytest.approx(card.overall.score)
    nodes = {n["id"]: n["score"] for n in doc["nodes"]}
    for node in card.nodes:
        assert nodes[node.id] == (None if node.score is None else pytest.approx(node.score))
    rows = {r["id"]: r for r in _read(tmp_path / "scorecard.csv")}
    for node in card.nodes:
        if node.score is not None:
            assert float(rows[node.id]["score"]) == pytest.approx(node.score, abs=0.05)
    assert "wrote" in capsys.readouterr().out

"""COINr's ASEM index rebuilt from the raw tables, stage by stage, against a pandas reference.

Uses the real COINr example data in ``../shared/datasets/asem`` (skipped where absent).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cityeval.cli import main
from cityeval.data import read_csv
from cityeval.engine import score
from cityeval.io.coinr import import_coinr
from cityeval.io.frameworks import load_framework
from cityeval.io.pipelines import load_pipeline
from tests.shared_data import require_asem

REPO = Path(__file__).resolve().parents[2]
ASEM = REPO.parent / "shared" / "datasets" / "asem"
PIPELINE = REPO / "docs" / "examples" / "asem-pipeline.yaml"


@pytest.fixture(scope="module", autouse=True)
def _asem_data() -> None:
    """Skip locally, fail under CI, when the shared ASEM data set is missing."""
    require_asem()


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("asem")
    return import_coinr(ASEM / "iData.csv", ASEM / "iMeta.csv", out)


@pytest.fixture(scope="module")
def reference() -> dict[str, object]:
    pytest.importorskip("pandas")
    from tests.engine.asem_reference import build

    return build(ASEM)  # type: ignore[return-value]


def test_import_gives_the_asem_structure(imported: tuple[Path, Path]) -> None:
    fw = load_framework(imported[0])
    assert fw.id == "asem"
    assert fw.levels == ("index", "sub-index", "pillar", "indicator")
    assert len(fw.indicators()) == 49
    assert sum(i.direction.sign < 0 for i in fw.indicators()) == 14
    assert [c.id for c in fw.children("Index")] == ["Conn", "Sust"]
    assert len([n for n in fw.aggregates() if fw.depth(n.id) == 2]) == 8
    data = read_csv(imported[1], fw)
    assert data.n_units == 51
    assert int(np.isnan(data.values).sum()) == 63


def test_every_stage_matches_the_reference(
    imported: tuple[Path, Path], reference: dict[str, object]
) -> None:
    import pandas as pd

    fw = load_framework(imported[0])
    results = score(fw, read_csv(imported[1], fw), load_pipeline(PIPELINE))
    units = list(results.units)
    ids = list(results.indicator_ids)
    for stage in ("raw", "denominated", "imputed", "treated", "normalised"):
        expected = reference[stage]
        assert isinstance(expected, pd.DataFrame)
        np.testing.assert_allclose(
            results.stages[stage],
            expected.loc[units, ids].to_numpy(),
            rtol=0,
            atol=1e-9,
            err_msg=stage,
        )
    assert int(np.isnan(results.stages["denominated"]).sum()) == 65
    scores = reference["scores"]
    assert isinstance(scores, pd.DataFrame)
    for node in results.aggregate_ids:
        np.testing.assert_allclose(
            results.score(node), scores.loc[units, node].to_numpy(), rtol=0, atol=1e-9
        )
    index = scores.loc[units, "Index"].to_numpy()
    expected_rank = np.array([1 + np.sum(index > v) for v in index], dtype=float)
    np.testing.assert_array_equal(results.rank("Index"), expected_rank)


def test_treatment_report(imported: tuple[Path, Path]) -> None:
    fw = load_framework(imported[0])
    results = score(fw, read_csv(imported[1], fw), load_pipeline(PIPELINE))
    treated = {
        r.indicator: (r.winsorised_high, r.winsorised_low) for r in results.treatment if r.treated
    }
    assert treated["Bord"] == (3, 0)
    assert treated["FemLab"] == (0, 1)
    assert not any(r.log_applied for r in results.treatment)


def test_the_command_line_rebuilds_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "import-coinr",
                str(ASEM / "iData.csv"),
                str(ASEM / "iMeta.csv"),
                "--out-dir",
                str(tmp_path / "asem"),
            ]
        )
        == 0
    )
    code = main(
        [
            "score",
            "--framework",
            str(tmp_path / "asem" / "framework.yaml"),
            "--data",
            str(tmp_path / "asem" / "data.csv"),
            "--pipeline",
            str(PIPELINE),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "wrote" in printed
    header = (tmp_path / "out" / "scores.csv").read_text().splitlines()[0].split(",")
    assert header[:4] == ["unit", "Index", "Conn", "Sust"]
    doc = json.loads((tmp_path / "out" / "results.json").read_text())
    assert doc["pipeline"]["name"] == "asem-coinr"
    assert any(t["indicator"] == "Bord" and t["winsorised_high"] == 3 for t in doc["treatment"])


def test_score_with_the_imported_default_pipeline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(
        [
            "import-coinr",
            str(ASEM / "iData.csv"),
            str(ASEM / "iMeta.csv"),
            "--out-dir",
            str(tmp_path),
        ]
    )
    code = main(
        [
            "score",
            "-f",
            str(tmp_path / "framework.yaml"),
            "-d",
            str(tmp_path / "data.csv"),
            "-o",
            str(tmp_path / "r"),
        ]
    )
    assert code == 0
    assert (tmp_path / "r" / "ranks.csv").read_text().startswith("unit,Index,Conn,Sust")

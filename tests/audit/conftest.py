"""Runs to audit: COINr's ASEM index (from the shared data), and small generated indices."""

from __future__ import annotations

from pathlib import Path

import pytest

from cityeval.data import read_csv
from cityeval.engine import Results, score
from cityeval.io.coinr import import_coinr
from cityeval.io.frameworks import load_framework
from cityeval.io.pipelines import load_pipeline
from tests.conftest import REPO, SHARED

ASEM = SHARED / "datasets" / "asem"
PIPELINE = REPO / "docs" / "examples" / "asem-pipeline.yaml"


@pytest.fixture(scope="session")
def asem_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """COINr's ASEM tables imported: ``framework.yaml`` and ``data.csv``."""
    if not ASEM.is_dir():
        pytest.skip("ASEM example data not available")
    return import_coinr(ASEM / "iData.csv", ASEM / "iMeta.csv", tmp_path_factory.mktemp("asem"))


@pytest.fixture(scope="session")
def asem(asem_files: tuple[Path, Path]) -> Results:
    """COINr's full example coin: the ASEM index built as ``build_example_coin()`` does."""
    fw = load_framework(asem_files[0])
    return score(fw, read_csv(asem_files[1], fw), load_pipeline(PIPELINE))

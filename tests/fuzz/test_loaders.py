"""Every loader, fed malformed files: only the library's own errors come out, naming the file.

The number of cases a loader gets is ``CITYEVAL_FUZZ_EXAMPLES`` (see conftest.py); the
long run of 10,000 cases a loader is documented in docs/explanation/input-checks.md.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from cityeval.crosswalk.files import loads_crosswalk
from cityeval.data import parse_csv
from cityeval.io.coinr import read_coinr
from cityeval.io.frameworks import loads_framework
from cityeval.io.pipelines import loads_pipeline
from cityeval.masterplan.files import loads_masterplan, loads_round
from cityeval.model import Framework
from cityeval.testing import fuzz
from cityeval.uncertainty.spec import loads_spec
from tests.fuzz import samples
from tests.fuzz.conftest import FUZZ

FORMATS = st.sampled_from(["yaml", "json", "toml"])


@cache
def _scales() -> Framework:
    return loads_framework(samples.SCALES_YAML, source="scales.yaml")


@cache
def _masterplan():  # type: ignore[no-untyped-def]
    return loads_masterplan(samples.MASTERPLAN_YAML, source="masterplan.yaml")


def _document(base: str) -> st.SearchStrategy[tuple[str, str]]:
    """(format, text): the base file's mutations in YAML, or any malformed document."""
    return st.one_of(
        fuzz.documents("yaml", base=base).map(lambda t: ("yaml", t)),
        FORMATS.flatmap(lambda f: fuzz.documents(f).map(lambda t: (f, t))),
    )


def test_the_samples_load() -> None:
    loads_framework(samples.FRAMEWORK_YAML, source="banyuasin.yaml")
    loads_pipeline(samples.PIPELINE_YAML, source="pipeline.yaml")
    loads_spec(samples.SPEC_YAML, source="spec.yaml")
    loads_crosswalk(samples.CROSSWALK_YAML, source="crosswalk.yaml")
    loads_round(samples.ROUND_YAML, source="round.yaml", masterplan=_masterplan())
    parse_csv(samples.DATA_CSV, source="data.csv", framework=_scales())
    with tempfile.TemporaryDirectory() as tmp:
        idata, imeta = Path(tmp, "iData.csv"), Path(tmp, "iMeta.csv")
        idata.write_text(samples.IDATA_CSV)
        imeta.write_text(samples.IMETA_CSV)
        assert read_coinr(idata, imeta).n_units == 3


def _document_loader_test(name: str, base: str, load: Callable[..., object]) -> object:
    """A fuzz test of one document loader: ``load(text, fmt, source)`` on mutations of ``base``."""

    @FUZZ
    @given(_document(base))
    def test(case: tuple[str, str]) -> None:
        fmt, text = case
        source = f"{name}.{fmt}"
        fuzz.assert_only_own_errors(lambda: load(text, fmt, source), source)

    test.__name__ = test.__qualname__ = f"test_{name}_loader"
    return test


def _load_round(text: str, fmt: str, source: str) -> object:
    return loads_round(text, fmt, source, masterplan=_masterplan())  # type: ignore[arg-type]


test_framework_loader = _document_loader_test("framework", samples.FRAMEWORK_YAML, loads_framework)
test_pipeline_loader = _document_loader_test("pipeline", samples.PIPELINE_YAML, loads_pipeline)
test_uncertainty_spec_loader = _document_loader_test("spec", samples.SPEC_YAML, loads_spec)
test_crosswalk_loader = _document_loader_test("crosswalk", samples.CROSSWALK_YAML, loads_crosswalk)
test_masterplan_loader = _document_loader_test(
    "masterplan", samples.MASTERPLAN_YAML, loads_masterplan
)
test_round_loader = _document_loader_test("round", samples.ROUND_YAML, _load_round)


@FUZZ
@given(fuzz.csv_texts(samples.DATA_CSV))
def test_data_csv_loader(text: str) -> None:
    fw = _scales()
    fuzz.assert_only_own_errors(
        lambda: parse_csv(text, source="data.csv", framework=fw), "data.csv"
    )


@FUZZ
@given(
    st.one_of(
        fuzz.csv_texts(samples.IMETA_CSV).map(lambda t: (samples.IDATA_CSV, t)),
        fuzz.csv_texts(samples.IDATA_CSV).map(lambda t: (t, samples.IMETA_CSV)),
    )
)
def test_coinr_loader(case: tuple[str, str]) -> None:
    idata_text, imeta_text = case
    with tempfile.TemporaryDirectory() as tmp:
        idata, imeta = Path(tmp, "iData.csv"), Path(tmp, "iMeta.csv")
        idata.write_text(idata_text, encoding="utf-8", errors="surrogatepass")
        imeta.write_text(imeta_text, encoding="utf-8", errors="surrogatepass")
        fuzz.assert_only_own_errors(lambda: read_coinr(idata, imeta), ("iData.csv", "iMeta.csv"))

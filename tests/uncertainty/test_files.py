"""The files of an analysis: neutralised CSV cells, charts a reader can read, one output set."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from attrs import evolve
from hypothesis import given, settings
from hypothesis import strategies as st

from cityeval.data import Dataset
from cityeval.model import Framework, Pipeline
from cityeval.uncertainty import analyse, loads_spec

SPEC = """
draws: 24
seed: 5
nodes: all
factors:
  pillar_weights: {step: weight, level: 2, noise: 0.3}
"""

NS = "{http://www.w3.org/2000/svg}"

FORMULAS = ('=HYPERLINK("x")', "+1+2", "-2+3", "@SUM(A1)")


def test_unit_codes_that_look_like_formulas_are_written_as_text(
    toy: tuple[Framework, Dataset, Pipeline], tmp_path: Path
) -> None:
    fw, data, pipe = toy
    units = (*FORMULAS, *data.units[len(FORMULAS) :])
    tricky = evolve(data, units=units)
    results = analyse(fw, tricky, pipe, loads_spec(SPEC))
    results.write(tmp_path, charts=False)
    with (tmp_path / "rank_intervals.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    written = {r["unit"] for r in rows}
    for code in FORMULAS:
        assert "'" + code in written and code not in written
    # numbers are numbers: a negative score stays as it is
    assert all(not r["score_q05"].startswith("'") for r in rows)


def test_numbers_are_written_as_before(
    toy: tuple[Framework, Dataset, Pipeline], tmp_path: Path
) -> None:
    fw, data, pipe = toy
    results = analyse(fw, data, pipe, loads_spec(SPEC))
    results.write(tmp_path, charts=False)
    with (tmp_path / "rank_intervals.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    j = results.column(results.top_id)
    first = rows[0]
    assert first["node"] == results.top_id and first["unit"] == results.units[0]
    # whole numbers without a decimal point, others with repr's digits
    assert first["nominal"] == str(int(results.nominal_rank[0, j]))
    assert first["score_nominal"] == repr(float(results.nominal_score[0, j]))


def _unit_labels(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [
        t.text or "" for t in root.iter(f"{NS}text") if "unit-label" in t.get("class", "").split()
    ]


@pytest.mark.parametrize("n", [12, 514])
def test_the_rank_chart_labels_what_a_reader_can_read(n: int) -> None:
    # (Was checked on matplotlib's figure; the chart is SVG now, checked in its parsed XML.)
    from cityeval.uncertainty.charts import LABEL_ALL, LABELLED, rank_chart

    rng = np.random.default_rng(0)
    nominal = rng.permutation(n).astype(float) + 1
    median = np.clip(nominal + rng.integers(-5, 6, n), 1, n)
    units = [f"u{k:03d}" for k in range(n)]
    svg = rank_chart(units, median, median - 3, median + 3, nominal, "title")
    labels = _unit_labels(svg)
    if n <= LABEL_ALL:
        assert sorted(labels) == sorted(units)
    else:
        assert len(labels) == 2 * LABELLED
        best = np.lexsort((nominal, median))
        assert labels[:LABELLED] == [units[u] for u in best[:LABELLED]]
        assert labels[LABELLED:] == [units[u] for u in best[-LABELLED:]]
        # every unit's interval is drawn in the overview panel: one move per unit
        root = ET.fromstring(svg)
        (overview,) = [e for e in root.iter(f"{NS}path") if e.get("class") == "intervals"]
        assert overview.get("d", "").count("M") == n


def test_each_chart_is_built_once_and_saved_in_both_formats(
    toy: tuple[Framework, Dataset, Pipeline], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("resvg_py")
    import cityeval.uncertainty.charts as charts

    fw, data, pipe = toy
    results = analyse(
        fw,
        data,
        pipe,
        loads_spec(
            "draws: 8\nmethod: sobol\nfactors:\n  w: {step: weight, level: 2, noise: 0.3}\n"
        ),
    )
    built: list[str] = []
    real_rank, real_sobol = charts.rank_chart, charts.sobol_chart
    monkeypatch.setattr(
        charts, "rank_chart", lambda *a, **k: built.append("rank") or real_rank(*a, **k)
    )
    monkeypatch.setattr(
        charts, "sobol_chart", lambda *a, **k: built.append("sobol") or real_sobol(*a, **k)
    )
    paths = results.write(tmp_path)
    assert built == ["rank", "sobol"]
    names = [p.name for p in paths]
    for stem in ("rank_intervals", "sobol"):
        assert (tmp_path / f"{stem}.svg").read_text().lstrip().startswith("<?xml")
        assert (tmp_path / f"{stem}.png").read_bytes()[:4] == b"\x89PNG"
        assert f"{stem}.svg" in names and f"{stem}.png" in names


def test_each_png_is_its_svg_drawn(
    toy: tuple[Framework, Dataset, Pipeline], tmp_path: Path
) -> None:
    pytest.importorskip("resvg_py")
    from cityeval.charts.svg import CURRENT
    from tests.charts.test_raster import decode

    fw, data, pipe = toy
    spec = "draws: 8\nmethod: sobol\nfactors:\n  w: {step: weight, level: 2, noise: 0.3}\n"
    analyse(fw, data, pipe, loads_spec(spec)).write(tmp_path)
    for stem in ("rank_intervals", "sobol"):
        root = ET.fromstring((tmp_path / f"{stem}.svg").read_text(encoding="utf-8"))
        width, height = float(root.get("width", 0)), float(root.get("height", 0))
        pixels = decode((tmp_path / f"{stem}.png").read_bytes())
        h, w = pixels.shape[:2]
        assert abs(h - 1.5 * height) <= 1 and abs(w - 1.5 * width) <= 1
        rgb = pixels[..., :3].astype(int)
        white = (rgb == 255).all(axis=-1)
        assert 0.02 < (~white).mean() < 0.6  # drawn on, not blank, not a block of colour
        blue = np.abs(rgb - np.array([0x1D, 0x4E, 0xD8])).sum(axis=-1) < 40
        assert blue.sum() > 50, CURRENT  # the intervals and the S1 bars


_TEXTS = [
    "u1",
    "=SUM(A1)",
    "-x",
    "+1",
    "-1.5",
    "@me",
    "\tt",
    "a,b",
    'say "hi"',
    "line\nbreak",
    "r\r",
    "",
]


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(
        st.one_of(st.sampled_from(_TEXTS), st.text(max_size=6)), min_size=1, max_size=30
    ),
    numbers=st.lists(
        st.one_of(
            st.floats(allow_nan=True, allow_infinity=True),
            st.sampled_from([0.0, -0.0, 1.0, -3.0, 1e15, 1e16, 2.5e-7, 123456789.0]),
        ),
        min_size=1,
        max_size=30,
    ),
)
def test_the_column_writer_writes_what_the_csv_module_writes(
    texts: list[str], numbers: list[float]
) -> None:
    # The fast writer of the analysis's CSV files against the plain one (csv_text on rows).
    from cityeval.io.outputs import csv_text
    from cityeval.uncertainty.results import _column, _csv

    n = min(len(texts), len(numbers))
    texts, values = texts[:n], np.asarray(numbers[:n])
    columns = [texts, _column(values), list(reversed(texts))]
    header = ["unit", "=value", "a,b"]
    expected = csv_text(zip(*columns, strict=True), header=header)
    assert _csv(header, columns) == expected
    assert _csv(["only"], [texts]) == csv_text(([t] for t in texts), header=["only"])
    assert _csv(header, []) == csv_text([], header=header)


def test_whole_and_missing_numbers_are_written_as_before() -> None:
    from cityeval.uncertainty.results import _column

    cells = _column([1.0, -0.0, 2.5, np.nan, np.inf, 1e15, 1e16, -7.0])
    assert list(cells) == ["1", "0", "2.5", "", "", "1000000000000000.0", "1e+16", "-7"]

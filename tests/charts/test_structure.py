"""The charts' SVG: well-formed, deterministic, and with the elements readers and tests rely on."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

from cityeval.charts import (
    CURRENT,
    LABEL_ALL,
    LABELLED,
    PREVIOUS,
    Series,
    bars_svg,
    heat_colour,
    heatmap_svg,
    radar_svg,
    rank_dots_svg,
    rank_intervals_svg,
    scree_svg,
    sobol_svg,
    waterfall_svg,
)
from cityeval.charts.intervals import labelled_units
from cityeval.charts.svg import LinearScale, document, el, nice_ticks, num
from tests.charts.conftest import every_chart, find, tag

LABELS = ["a", "b", "c"]


@pytest.mark.parametrize("kind", list(every_chart(LABELS)))
def test_the_same_inputs_give_the_same_bytes(kind: str) -> None:
    draw = every_chart(LABELS)[kind]
    first = draw()
    assert draw() == first
    assert ET.fromstring(first) is not None
    # no dates, no generated ids
    assert "202" not in "".join(
        v for e in ET.fromstring(first).iter() for k, v in e.attrib.items() if k == "id"
    )


@pytest.mark.parametrize("kind", ["rank_intervals", "sobol"])
def test_standalone_charts_are_svg_files(kind: str) -> None:
    svg = every_chart(LABELS)[kind]()
    assert svg.startswith('<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns=')
    root = ET.fromstring(svg)
    assert tag(root) == "svg" and float(root.get("width", 0)) > 0


@pytest.mark.parametrize("kind", ["radar", "bars", "waterfall", "dots", "heatmap", "scree"])
def test_inline_charts_name_no_address(kind: str) -> None:
    svg = every_chart(LABELS)[kind]()
    assert "http" not in svg and not svg.startswith("<?xml")


def test_radar_parts() -> None:
    root = ET.fromstring(
        radar_svg(
            LABELS,
            [
                Series("now", (50.0, 60.0, 70.0), CURRENT),
                Series("before", (40.0, None, 30.0), PREVIOUS, dashed=True),
            ],
            no_data="belum ada data",
        )
    )
    assert root.get("id") == "radar" and root.get("class") == "chart radar"
    assert len(find(root, "polygon", "series-current")) == 1
    assert len(find(root, "polyline", "series-previous")) == 1
    (gap,) = find(root, "text", "no-data")
    assert gap.text == "belum ada data" and "no-data-previous" in gap.get("class", "")
    assert len(find(root, "polygon", "grid")) == 5


def test_bars_parts() -> None:
    root = ET.fromstring(
        bars_svg(
            ["x", "y"],
            [Series("now", (50.0, None), CURRENT), Series("before", (40.0, 20.0), PREVIOUS)],
            element_id="opd-bars",
        )
    )
    assert root.get("id") == "opd-bars"
    assert len(find(root, "rect", "bar-current")) == 2
    assert len(find(root, "rect", "bar-previous")) == 2
    missing = find(root, "rect", "bar-current")[1]
    assert float(missing.get("width", 0)) == 1.0  # a stub, its value "–"
    assert "–" in "".join(missing.itertext())


def test_waterfall_rows_and_levels() -> None:
    root = ET.fromstring(
        waterfall_svg("t", ("2018", 50.0), [("p", 10.0), ("q", -5.0)], ("2019", 55.0))
    )
    steps = find(root, "rect", "step")
    assert [s.get("class") for s in steps] == [
        "step step-total",
        "step step-up",
        "step step-down",
        "step step-total",
    ]
    x = [float(s.get("x", 0)) for s in steps]
    w = [float(s.get("width", 0)) for s in steps]
    # the gain starts where the first total ends; the loss ends where the gain ends
    assert x[1] == pytest.approx(x[0] + w[0], abs=0.15)
    assert x[2] + w[2] == pytest.approx(x[1] + w[1], abs=0.15)
    assert x[3] + w[3] == pytest.approx(x[2], abs=0.15)
    assert "+10.0" in "".join(root.itertext()) and "-5.0" in "".join(root.itertext())


def test_dots_skip_what_is_missing() -> None:
    root = ET.fromstring(
        rank_dots_svg(
            "t", ["a", "b", "c"], [1.0, float("nan"), 3.0], [(1.0, 2.0), (np.nan, 3.0), (2.0, 3.0)]
        )
    )
    assert len(find(root, "circle", "rank")) == 2
    assert len(find(root, "line", "interval")) == 2


def test_dots_of_many_rows_write_round_ticks() -> None:
    n = 120
    root = ET.fromstring(
        rank_dots_svg("t", [f"u{k}" for k in range(n)], [float(k + 1) for k in range(n)], None)
    )
    ticks = [t.text for t in find(root, "text") if t.get("y") == "14"]
    assert ticks and len(ticks) <= 10 and "1" not in ticks[1:]


def test_heatmap_cells_and_colours() -> None:
    root = ET.fromstring(
        heatmap_svg(
            LABELS, [[1.0, 0.5, None], [0.5, 1.0, -1.0], [None, -1.0, 1.0]], element_id="heatmap-1"
        )
    )
    cells = find(root, "rect", "cell")
    assert len(cells) == 9 and root.get("id") == "heatmap-1"
    assert [c.get("fill") for c in cells[:3]] == [heat_colour(1.0), heat_colour(0.5), "#d1d5db"]
    assert heat_colour(1.0) == "#1d4ed8" and heat_colour(0.0) == "#ffffff"
    assert heat_colour(-1.0) == "#e11c1c" and heat_colour(float("nan")) == "#d1d5db"
    assert [t.text for t in find(root, "text", "row-label")] == LABELS
    assert [t.text for t in find(root, "text", "col-label")] == LABELS


def test_scree_bar_heights_are_the_shares() -> None:
    root = ET.fromstring(scree_svg([0.5, 0.3, 0.2]))
    heights = [float(b.get("height", 0)) for b in find(root, "rect", "bar")]
    assert heights == pytest.approx([0.5 * 130, 0.3 * 130, 0.2 * 130], abs=0.06)
    assert [t.text for t in find(root, "text")] == ["PC1", "PC2", "PC3"]


def test_sobol_bars_clip_negatives_and_skip_nan() -> None:
    svg = sobol_svg(
        ["w", "n"],
        np.array([-0.1, np.nan]),
        np.array([0.05, 0.05]),
        np.array([0.5, 0.2]),
        np.array([0.1, np.nan]),
    )
    root = ET.fromstring(svg)
    s1, st = find(root, "rect", "s1"), find(root, "rect", "st")
    assert len(s1) == 1 and float(s1[0].get("width", 1)) == 0.0
    assert len(st) == 2 and float(st[0].get("width", 0)) > float(st[1].get("width", 0)) > 0
    assert len(find(root, "path", "error")) == 2  # s1 of w, st of w; st of n has none


def _rank_inputs(n: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    rng = np.random.default_rng(n)
    nominal = rng.permutation(n).astype(float) + 1
    median = np.clip(nominal + rng.integers(-4, 5, n), 1, n).astype(float)
    return [f"unit-{k}" for k in range(n)], median, nominal


@pytest.mark.parametrize("n", [1, 2, LABEL_ALL, LABEL_ALL + 1, 514])
def test_the_labelling_rule(n: int) -> None:
    units, median, nominal = _rank_inputs(n)
    svg = rank_intervals_svg(units, median, median - 2, median + 2, nominal, "t")
    root = ET.fromstring(svg)
    labels = [t.text for t in find(root, "text", "unit-label")]
    order = [int(u) for u in np.lexsort((nominal, median))]
    if n <= LABEL_ALL:
        assert labels == [units[u] for u in order]
        assert len(find(root, "line", "interval")) == n
    else:
        assert labels == [units[u] for u in (*order[:LABELLED], *order[-LABELLED:])]
        # the 30 labelled in their panels, all n unlabelled in the overview (a mark per unit)
        assert len(find(root, "line", "interval")) == 2 * LABELLED
        assert len(find(root, "circle", "median")) == 2 * LABELLED
        for kind in ("intervals", "medians", "nominals"):
            (path,) = find(root, "path", kind)
            assert path.get("d", "").count("M") == n
    assert labelled_units(median, nominal)[1] == [units.index(x) for x in labels]


def test_rank_chart_puts_rank_one_at_the_top() -> None:
    units, median, nominal = _rank_inputs(10)
    root = ET.fromstring(rank_intervals_svg(units, median, median, median, nominal, "t"))
    dots = find(root, "circle", "median")
    ys = [float(d.get("cy", 0)) for d in dots]
    assert ys == sorted(ys)  # in order of median rank, downwards


def test_svg_helpers() -> None:
    assert num(-0.04) == "0.0" and num(2.25, 0) == "2" and num(1.05, 2) == "1.05"
    assert el("rect", {"x": 1.0, "y": None, "class": "<a>"}) == '<rect x="1.0" class="&lt;a&gt;"/>'
    scale = LinearScale((0.0, 10.0), (100.0, 0.0))
    assert scale(0) == 100 and scale(10) == 0 and scale.clamped(20) == 0
    assert LinearScale((3.0, 3.0), (5.0, 9.0))(7) == 5
    assert nice_ticks(0, 100) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(1, 514, 5) == [100, 200, 300, 400, 500]
    assert nice_ticks(0, 0.37, 4) == pytest.approx([0, 0.1, 0.2, 0.3])
    assert nice_ticks(5, 5) == [5]
    doc = document([], 10, 20, title="<t>", standalone=True)
    assert "<title>&lt;t&gt;</title>" in doc and 'width="10"' in doc


def test_the_charts_package_imports_only_the_standard_library() -> None:
    import json
    import subprocess
    import sys

    script = (
        "import sys; import cityeval.charts; import json; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('cityeval'))+"
        "sorted(m for m in ('numpy', 'resvg_py', 'attrs', 'jinja2') if m in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    modules = set(json.loads(done.stdout))
    assert not modules & {"numpy", "resvg_py", "attrs", "jinja2"}
    assert {m.split(".")[1] for m in modules if "." in m} <= {"charts", "i18n", "_version"}


@pytest.mark.parametrize("n", [0, 5, 80])
def test_rank_chart_with_missing_ranks_draws_no_nan(n: int) -> None:
    units, median, nominal = _rank_inputs(n)
    lo, hi = median - 1, median + 1
    if n:
        median[0] = lo[1] = hi[2] = nominal[3] = np.nan
    svg = rank_intervals_svg(units, median, lo, hi, nominal, "t")
    assert "nan" not in svg.lower()
    root = ET.fromstring(svg)
    if 0 < n <= LABEL_ALL:
        assert len(find(root, "line", "interval")) == n - 2
        assert len(find(root, "circle", "median")) == n - 1
        assert len(find(root, "line", "nominal")) == n - 1
    elif n:
        (path,) = find(root, "path", "intervals")
        assert path.get("d", "").count("M") == n - 2
    pytest.importorskip("resvg_py")
    from cityeval.charts.raster import svg_to_png

    assert svg_to_png(svg, scale=0.5)[:4] == b"\x89PNG"


def test_uncertainty_chart_words_are_translated() -> None:
    from cityeval.i18n import speaking

    units, median, nominal = _rank_inputs(LABEL_ALL + 1)
    with speaking("id"):
        svg = rank_intervals_svg(units, median, median, median, nominal, "t")
        sobol = sobol_svg(["w"], np.ones(1), np.zeros(1), np.ones(1), np.zeros(1))
    assert "peringkat (1 = terbaik)" in svg and f"{LABELLED} terbaik menurut" in svg
    assert "rank (1 = best)" not in svg
    assert "orde pertama (S1)" in sobol

"""cityeval compare: the South Sumatra example, scorecards, data files, errors, outputs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cityeval.cli import app as app_module
from cityeval.compare import COMPARE_FILES, compare, from_results, load_scores
from cityeval.compare.comparison import group_medians
from cityeval.compare.render import comparison_html, rank_dots_svg
from cityeval.errors import InputError

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "examples" / "south-sumatra-2021.yaml"


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    status = app_module.run([str(a) for a in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_published_totals_rank_as_published() -> None:
    table = load_scores(EXAMPLE)
    result = compare(table)
    overall = {r["unit"]: (r["score"], r["rank"]) for r in result.rows() if r["node"] == "index"}
    assert overall == {
        "musi-banyuasin": (3.21, 1.0),
        "muara-enim": (2.97, 2.0),
        "banyuasin": (2.79, 3.0),
        "palembang": (2.51, 4.0),
    }
    assert any("ILLUSTRATIVE" in n for n in table.notes)
    assert table.sources[0]["grade"] == "B"


def test_groups_rank_within_and_leaders_beside_the_median() -> None:
    result = compare(load_scores(EXAMPLE), group_by="kind")
    top = [ld for ld in result.leaders if ld.node == "index"]
    assert {(ld.name, ld.group) for ld in top} == {
        ("Kabupaten Musi Banyuasin", "kabupaten"),
        ("Kota Palembang", "kota"),
    }
    muba = next(ld for ld in top if ld.group == "kabupaten")
    part_id, _, value, median = muba.parts[0]
    assert part_id == "living" and value == 3.3 and median == 2.9  # kabupaten median of 3


def test_group_medians_reference() -> None:
    values = np.array([[1.0, np.nan], [3.0, 2.0], [5.0, 4.0], [7.0, 6.0]])
    codes = np.array([0, 0, 1, 1])
    got = group_medians(values, codes)
    expected = np.array([[2.0, 2.0], [2.0, 2.0], [6.0, 5.0], [6.0, 5.0]])
    np.testing.assert_allclose(got, expected)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_cli_runs_the_docs_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    status, out, err = run(
        capsys,
        "compare",
        "--scores",
        EXAMPLE,
        "--group",
        "kind",
        "--lang",
        lang,
        "--out",
        tmp_path,
    )
    assert (status, err) == (0, "")
    assert "Kabupaten Musi Banyuasin" in out
    assert ("3,21" if lang == "id" else "3.21") in out
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(COMPARE_FILES)
    data = json.loads((tmp_path / "comparison.json").read_text(encoding="utf-8"))
    assert data["rows"][0]["unit"] == "musi-banyuasin"


def test_scores_file_problems_are_all_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "framework: gerakan100\nscale: [0, 5]\nsources: [{citation: x, grade: C}]\n"
        "regencies:\n"
        "  - {id: a, overall: 7, dimensions: {governance: 1, nope: 2}}\n"
        "  - {id: a, overall: x}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        load_scores(bad)
    text = str(info.value)
    assert "bad.yaml" in text
    assert "regencies[0].overall: 7 lies outside the scale [0, 5]" in text
    assert "nope" in text and "is given twice" in text and "is not a number" in text
    assert "grade C or U" in text


def test_cli_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "compare")
    assert status == 2 and err.startswith("error:")
    status, _, err = run(capsys, "compare", "--scores", EXAMPLE, "--group", "island")
    assert status == 2 and "'island' is not a group column" in err


def _results() -> object:
    from cityeval.data import Dataset
    from cityeval.engine import score
    from cityeval.model import Dimension, Framework, Indicator, Label

    def ind(i: str) -> Indicator:
        return Indicator(id=i, label=Label(en=i.upper()))

    fw = Framework(
        id="mini",
        name=Label(en="Mini"),
        levels=("dimension", "indicator"),
        dimensions=(
            Dimension(id="gov", label=Label(en="Gov"), indicators=(ind("g1"), ind("g2"))),
            Dimension(id="eco", label=Label(en="Eco"), indicators=(ind("e1"), ind("e2"))),
        ),
    )
    data = Dataset(
        units=("a", "b", "c"),
        indicators=("g1", "g2", "e1", "e2"),
        values=np.array([[1.0, 9, 3, 4], [5, 6, 7, 8], [2, 2, 9, 1]]),
    )
    return score(fw, data)


def test_from_results_parts_are_indicator_contributions() -> None:
    results = _results()
    table = from_results(results, groups={"island": {"a": "x", "b": "x", "c": "y"}})
    assert table.node_ids == ("mini", "gov", "eco")
    gov = table.parts["gov"]
    assert gov.ids == ("g1", "g2") and gov.kind == "contribution"
    np.testing.assert_allclose(gov.values.sum(axis=1), table.scores[:, 1], atol=1e-9)
    result = compare(table, group_by="island")
    assert {ld.group for ld in result.leaders if ld.node == "mini"} == {"x", "y"}


def test_dot_plot_and_page_escape_labels() -> None:
    svg = rank_dots_svg("<t>", ["<script>x</script>"], [1.0], [(1.0, 2.0)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    page = comparison_html(compare(load_scores(EXAMPLE)), "en")
    assert "<script" not in page and "Kota Palembang" in page

"""`cityeval explain` and what `cityeval evaluate --compare` shows and writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cityeval.cli import app as app_module
from cityeval.explain.views import waterfall_svg, why_changed_html

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "docs" / "examples" / "regencies"
ROUNDS = ("--round", "2019-tahap-3", "--compare", "2018-tahap-2")


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    status = app_module.run([str(a) for a in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_explain_a_masterplan_round(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys, "explain", "banyuasin", *ROUNDS, "--node", "economy", "--out", tmp_path
    )
    assert (status, err) == (0, "")
    assert "Smart Economy (economy), banyuasin: 22.5 (earlier 80.0, change -57.5)" in out
    assert "Job Fair" in out and "targets moving (a new target year)" in out
    rows = (tmp_path / "explanation.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("unit,node,kind,id,label")
    data = json.loads((tmp_path / "explanation.json").read_text(encoding="utf-8"))
    assert data["change"] == pytest.approx(-57.5)


def test_explain_a_unit_of_a_data_file(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys,
        "explain",
        "--framework",
        DEMO / "framework.yaml",
        "--data",
        DEMO / "data.csv",
        "--unit",
        "palembang",
        "--node",
        "economy",
    )
    assert (status, err) == (0, "")
    assert "Smart Economy (economy), palembang: 100.0" in out
    assert "MSMEs selling online (%)" in out


def test_explain_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "explain")
    assert status == 2 and err.startswith("error:")
    status, _, err = run(
        capsys, "explain", "--framework", DEMO / "framework.yaml", "--data", DEMO / "data.csv"
    )
    assert status == 2 and "name a unit" in err
    status, _, err = run(capsys, "explain", "banyuasin", *ROUNDS, "--node", "nope")
    assert status == 2 and "'nope' is not an aggregate" in err
    status, _, err = run(capsys, "explain", "banyuasin", *ROUNDS, "--kind", "bogus")
    assert status == 2 and "unknown kind" in err


def test_evaluate_compare_shows_three_contributors_per_dimension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "evaluate", "banyuasin", *ROUNDS, "--out", tmp_path)
    assert (status, err) == (0, "")
    assert "Why it changed: the largest contributors" in out
    why = out[out.index("Why it changed") :]
    for text in ("Waste Care", "(-9.6)", "Job Fair", "(-8.3)", "SERAMBE", "(-4.4)", "(-50.0)"):
        assert text in why
    docx = pytest.importorskip("docx")
    doc = docx.Document(str(tmp_path / "report.docx"))
    assert any("48.5" in p.text for p in doc.paragraphs)
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("# Summary: Kabupaten Banyuasin")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.index('id="summary"') < page.index('id="dimensions"')
    assert page.count('class="chart waterfall"') == 6  # overall and five changed dimensions
    wb = pytest.importorskip("openpyxl").load_workbook(tmp_path / "scorecard.xlsx")
    assert "Why it changed" in wb.sheetnames


def test_waterfall_escapes_labels() -> None:
    svg = waterfall_svg("<b>", ("<x>", 10.0), [("<script>", -4.0)], ("y", 6.0))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg


def test_no_comparison_no_waterfall(banyuasin_sc: object) -> None:
    from attrs import evolve

    from cityeval.masterplan.evaluation import evaluate

    sc = banyuasin_sc
    alone = evaluate(sc.masterplan, sc.framework, sc.round)  # type: ignore[attr-defined]
    html = why_changed_html(alone, "en")
    assert 'id="summary"' in html and "waterfall" not in html
    assert evolve  # attrs is available for scorecards

"""The scorecard's JSON, CSV and Excel files: every node, numbers as numbers, text as text."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from cityeval.masterplan.evaluation import Scorecard
from cityeval.report import REPORT_FILES, write_files, write_report
from cityeval.report.scorecard_files import (
    CSV_COLUMNS,
    csv_safe,
    scorecard_csv,
    scorecard_json,
    scorecard_xlsx,
    sheet_names,
)
from tests.report.conftest import ARITHMETIC, HYPERLINK, SCRIPT


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# -- JSON -----------------------------------------------------------------------------------


def test_json_carries_every_score_of_the_scorecard(banyuasin: Scorecard) -> None:
    """Checked field by field against the scorecard's objects, not against the serialiser."""
    data = json.loads(scorecard_json(banyuasin, "id"))
    assert data["round"]["id"] == "2019-tahap-3" and data["compare"]["id"] == "2018-tahap-2"
    assert data["masterplan"]["id"] == banyuasin.masterplan.id
    assert data["overall"]["score"] == pytest.approx(banyuasin.overall.score)
    nodes = {n["id"]: n for n in data["nodes"]}
    assert list(nodes) == [n.id for n in banyuasin.nodes]
    for node in banyuasin.nodes:
        got = nodes[node.id]
        assert (got["level"], got["parent"]) == (node.level, node.parent)
        assert got["score"] == (None if node.score is None else pytest.approx(node.score))
        assert got["previous"] == (None if node.previous is None else pytest.approx(node.previous))
        assert got["label"] == node.label.text("id")
    programmes = {p["id"]: p for p in data["programmes"]}
    assert list(programmes) == [p.id for p in banyuasin.programmes]
    for prog in banyuasin.programmes:
        assert programmes[prog.id]["status"] == prog.status
        assert programmes[prog.id]["at_risk"] is prog.at_risk
    assert data["at_risk"] == [p.id for p in banyuasin.at_risk]
    assert data["excluded"] == banyuasin.excluded
    assert data["missing"] == list(banyuasin.missing)
    assert data["overall"]["change"] == pytest.approx(
        banyuasin.overall.score - banyuasin.overall.previous  # type: ignore[operator]
    )


# -- CSV ------------------------------------------------------------------------------------


def test_csv_has_one_row_per_node_top_down(banyuasin: Scorecard) -> None:
    table = rows(scorecard_csv(banyuasin))
    assert tuple(table[0]) == CSV_COLUMNS
    tree = [banyuasin.overall.id] + [n.id for n in banyuasin.nodes]
    unscored = [p.id for p in banyuasin.programmes if p.id not in tree]
    assert unscored == ["wajah-kota"]  # its one indicator was cancelled
    assert [r["id"] for r in table] == tree + unscored
    assert table[-1]["score"] == "" and table[-1]["status"] == "cancelled"
    assert {r["level"] for r in table} == {"overall", "dimension", "element", "programme"}
    first = table[0]
    assert first["level"] == "overall" and first["parent"] == "" and first["status"] == ""
    assert float(first["score"]) == pytest.approx(banyuasin.overall.score)
    assert float(first["change"]) == pytest.approx(banyuasin.overall.change)


def test_csv_programme_rows_carry_status_and_risk(banyuasin: Scorecard) -> None:
    table = {r["id"]: r for r in rows(scorecard_csv(banyuasin))}
    for prog in banyuasin.programmes:
        row = table[prog.id]
        assert row["status"] == prog.status
        assert row["at_risk"] == ("true" if prog.at_risk else "false")
        assert row["parent"] == prog.element
    for dim in banyuasin.dimensions:
        assert table[dim.id]["status"] == table[dim.id]["at_risk"] == ""


def test_csv_labels_follow_the_language(banyuasin: Scorecard) -> None:
    en = {r["id"]: r["label"] for r in rows(scorecard_csv(banyuasin, "en"))}
    id_ = {r["id"]: r["label"] for r in rows(scorecard_csv(banyuasin, "id"))}
    assert en["governance.service"] == "Public service"
    assert id_["governance.service"] == "Pelayanan Publik"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("=HYPERLINK(x)", "'=HYPERLINK(x)"),
        ("-1+2", "'-1+2"),
        # One rule for every CSV (cityeval.io.outputs.neutralise_cell): text that is a plain
        # number is no formula and stays as it is, so that negative scores stay numbers.
        ("+1", "+1"),
        ("-0.5", "-0.5"),
        ("+1)", "'+1)"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\r=1", "'\r=1"),
        ("\t=1", "'\t=1"),
        ("SAPA Banyuasin", "SAPA Banyuasin"),
        ("", ""),
    ],
)
def test_csv_safe_quotes_formula_like_text(text: str, shown: str) -> None:
    assert csv_safe(text) == shown


def test_csv_formula_like_labels_are_quoted_and_numbers_are_not(hostile: Scorecard) -> None:
    table = {r["id"]: r for r in rows(scorecard_csv(hostile))}
    assert table["formula"]["label"] == "'" + HYPERLINK
    assert table["arithmetic"]["label"] == "'" + ARITHMETIC
    assert table["script"]["label"] == SCRIPT  # harmless in a spreadsheet
    changes = [r["change"] for r in table.values() if r["change"]]
    assert all(not c.startswith("'") for c in changes)


# -- Excel ----------------------------------------------------------------------------------


def load(data: bytes) -> object:
    openpyxl = pytest.importorskip("openpyxl")
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        ("id", ["Ringkasan", "Elemen", "Program", "OPD", "Jangka", "Berisiko", "Sumber"]),
        ("en", ["Summary", "Elements", "Programmes", "OPDs", "Terms", "At risk", "Sources"]),
    ],
)
def test_workbook_has_one_sheet_per_view(
    banyuasin: Scorecard, lang: str, names: list[str]
) -> None:
    assert sheet_names(lang) == names  # type: ignore[arg-type]
    wb = load(scorecard_xlsx(banyuasin, lang))  # type: ignore[arg-type]
    from cityeval.explain.views import why_sheet_name  # explain adds one sheet (a comparison)

    assert wb.sheetnames == [*names, why_sheet_name(lang)]  # type: ignore[attr-defined,arg-type]


def _table(ws: object, header_first: str) -> tuple[list[object], list[list[object]]]:
    """The header row starting with ``header_first`` and the rows under it up to a blank."""
    values = [list(r) for r in ws.iter_rows(values_only=True)]  # type: ignore[attr-defined]
    start = next(i for i, r in enumerate(values) if r[0] == header_first)
    body = []
    for r in values[start + 1 :]:
        if r[0] is None:
            break
        body.append(r)
    return values[start], body


def test_workbook_numbers_are_numbers_with_one_decimal(banyuasin: Scorecard) -> None:
    wb = load(scorecard_xlsx(banyuasin, "en"))
    ws = wb["Summary"]  # type: ignore[index]
    header, body = _table(ws, "Dimension")
    assert header == ["Dimension", "id", "Achievement", "Previous", "Change"]
    assert body[0][0] == "Overall"
    assert body[0][2] == pytest.approx(banyuasin.overall.score)
    assert [r[1] for r in body[1:]] == [d.id for d in banyuasin.dimensions]
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, float):
                assert cell.number_format == "0.0"
    header_cell = next(c for r in ws.iter_rows() for c in r if c.value == "Dimension")
    assert header_cell.font.bold


def test_workbook_views_match_the_scorecard(banyuasin: Scorecard) -> None:
    wb = load(scorecard_xlsx(banyuasin, "en"))
    _, programmes = _table(wb["Programmes"], "Programme")  # type: ignore[index]
    assert [r[1] for r in programmes] == [p.id for p in banyuasin.programmes]
    _, at_risk = _table(wb["At risk"], "Programme")  # type: ignore[index]
    assert [r[1] for r in at_risk] == [p.id for p in banyuasin.at_risk]
    _, opds = _table(wb["OPDs"], "OPD")  # type: ignore[index]
    assert [r[0] for r in opds] == [o.short_name for o in banyuasin.opds]
    assert [r[6] for r in opds] == [o.at_risk for o in banyuasin.opds]
    _, elements = _table(wb["Elements"], "Dimension")  # type: ignore[index]
    ids = [e.id for d in banyuasin.dimensions for e in banyuasin.elements(d.id)]
    assert [r[2] for r in elements] == ids
    _, sources = _table(wb["Sources"], "Source")  # type: ignore[index]
    assert [r[1] for r in sources] == [s.grade.value for s in banyuasin.masterplan.sources]  # type: ignore[union-attr]


def test_workbook_labels_follow_the_language(banyuasin: Scorecard) -> None:
    wb = load(scorecard_xlsx(banyuasin, "id"))
    _, elements = _table(wb["Elemen"], "Dimensi")  # type: ignore[index]
    assert "Pelayanan Publik" in [r[1] for r in elements]
    _, programmes = _table(wb["Program"], "Program")  # type: ignore[index]
    assert {r[6] for r in programmes} <= {
        "selesai",
        "sedang berjalan",
        "belum dimulai",
        "dibatalkan",
        "tidak dilaporkan",
    }


def test_workbook_formula_like_text_stays_text(hostile: Scorecard) -> None:
    wb = load(scorecard_xlsx(hostile, "en"))
    cells = {
        c.value: c
        for ws in wb.worksheets  # type: ignore[attr-defined]
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    }
    for text in (HYPERLINK, ARITHMETIC, "@Kominfo", "=1+1", "+cmd"):
        assert cells[text].data_type == "s", text
    assert all(c.data_type != "f" for c in cells.values())


# -- writing --------------------------------------------------------------------------------


def test_write_report_writes_the_four_files(banyuasin: Scorecard, tmp_path: Path) -> None:
    written = write_report(banyuasin, tmp_path / "laporan")
    assert [p.name for p in written] == list(REPORT_FILES)
    assert sorted(p.name for p in (tmp_path / "laporan").iterdir()) == sorted(REPORT_FILES)


def test_a_failure_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("old", encoding="utf-8")
    contents = {"a.txt": b"new", "b.txt": None}  # the second cannot be written
    with pytest.raises(TypeError):
        write_files(tmp_path, contents)  # type: ignore[dict-item]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no temporary file left
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "old"

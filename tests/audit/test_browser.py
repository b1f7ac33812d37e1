"""``audit.html`` in a real browser: charts render, nothing is loaded, names stay text.

Runs Debian's ``chromium`` through Playwright's Python client, like the report's browser
test; no browser is downloaded. It skips when either is missing, except in CI (``CI`` set),
where a missing browser is a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cityeval.audit import audit, write_audit
from cityeval.cli import main
from cityeval.engine import Results
from tests.audit.hostile import SCRIPT, write
from tests.report.test_browser import ARTIFACTS, Page
from tests.report.test_browser import browser as report_browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from report_browser.__wrapped__()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def asem_page(asem: Results, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("audit-html")
    files = write_audit(audit(asem), folder)
    (html,) = [f for f in files if f.name == "audit.html"]
    return html


def test_audit_page_renders_in_chromium(browser: Any, asem_page: Path, asem: Results) -> None:
    page = Page(browser, asem_page)
    try:
        assert page.errors == []
        assert [u for u in page.requests if not u.startswith("file:")] == []
        assert page.page.query_selector_all("script") == []
        # the flags come first
        ids = page.page.eval_on_selector_all("main > section", "s => s.map(e => e.id)")
        assert ids[0] == "flags"
        assert page.page.locator("table.flags tbody tr").count() > 0
        # a heatmap per group with children: k x k cells each
        heatmaps = page.page.query_selector_all("svg.heatmap")
        groups = [kids for level in asem.compiled.levels for kids in level.child_ids]
        assert len(heatmaps) == len([k for k in groups if len(k) > 1])
        cells = [len(h.query_selector_all("rect.cell")) for h in heatmaps]
        assert sorted(cells) == sorted(len(k) ** 2 for k in groups if len(k) > 1)
        box = page.box("svg.heatmap")
        assert box["width"] > 100 and box["height"] > 100
        # scree plots with one bar per component, the tallest first
        screes = page.page.query_selector_all("svg.scree")
        assert screes
        heights = [b.bounding_box()["height"] for b in screes[0].query_selector_all("rect.bar")]
        assert heights[0] == max(heights) > 0
        # the what-if table: a row per scenario
        rows = page.page.locator("table.what-if tbody tr").count()
        assert rows == 1 + sum(len(k) for k in groups if len(k) > 1)
        ARTIFACTS.mkdir(exist_ok=True)
        page.page.screenshot(path=str(ARTIFACTS / "audit.png"), full_page=True)
    finally:
        page.page.close()


def test_hostile_names_show_as_text(browser: Any, tmp_path: Path) -> None:
    fw, data = write(tmp_path / "in")
    assert main(["audit", "-f", str(fw), "-d", str(data), "-o", str(tmp_path / "out")]) == 0
    page = Page(browser, tmp_path / "out" / "audit.html")
    try:
        assert page.errors == []
        assert page.page.query_selector_all("script") == []
        assert SCRIPT in page.page.locator("header h1").inner_text()
        assert page.dialogs == []
        labels = page.page.eval_on_selector_all(
            "svg.heatmap text.row-label", "e => e.map(x => x.textContent)"
        )
        assert labels[:3] == ["a", "b", "c"]
    finally:
        page.page.close()
    # in the tables, the unit codes that look like formulas are quoted
    what_if = (tmp_path / "out" / "what_if.csv").read_text("utf-8")
    assert ",'=1+1," in what_if and ",'@SUM," in what_if
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "out" / "audit.xlsx")["what_if"]
    codes = {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {"'=1+1", "'@SUM"} <= codes

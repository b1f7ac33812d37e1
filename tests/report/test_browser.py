"""The HTML report in a real browser: it renders its charts, logs no error, and escapes names.

Runs Debian's ``chromium`` through Playwright's Python client; no browser is downloaded. It
skips when either is missing, except in CI (``CI`` set), where ``.ci/run`` installs chromium
and a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cityeval.masterplan.evaluation import Scorecard
from cityeval.report import write_report
from cityeval.report.html import render_html
from tests.report.conftest import SCRIPT

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser test (.ci/run installs chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install playwright)")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        _unavailable("no chromium executable on PATH (apt-get install chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Page:
    """A page opened on a file, with the console errors and page errors it logged."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1200, "height": 900})
        self.page.on(
            "console",
            lambda msg: (
                self.errors.append(f"console: {msg.text}") if msg.type == "error" else None
            ),
        )
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def box(self, selector: str) -> dict[str, float]:
        element = self.page.query_selector(selector)
        assert element is not None, f"{selector} is not on the page"
        box = element.bounding_box()
        assert box is not None, f"{selector} is not rendered"
        return dict(box)


def test_report_renders_in_chromium(browser: Any, banyuasin: Scorecard, tmp_path: Path) -> None:
    (html,) = [p for p in write_report(banyuasin, tmp_path, "en") if p.suffix == ".html"]
    page = Page(browser, html)
    try:
        assert page.errors == []
        assert [u for u in page.requests if not u.startswith("file:")] == []
        for selector in ("svg#radar", "svg#opd-bars", "svg#radar polygon.series-current"):
            box = page.box(selector)
            assert box["width"] > 0 and box["height"] > 0, selector
        points = page.page.eval_on_selector(
            "svg#radar polygon.series-current", "p => p.points.numberOfItems"
        )
        assert points == len(banyuasin.dimensions)
        previous = page.page.eval_on_selector(
            "svg#radar polygon.series-previous", "p => p.points.numberOfItems"
        )
        assert previous == len(banyuasin.dimensions)
        bars = page.page.query_selector_all("svg#opd-bars rect.bar-current")
        assert len(bars) == len(banyuasin.opds)
        assert all(b.bounding_box()["width"] > 0 for b in bars)
        ARTIFACTS.mkdir(exist_ok=True)
        page.page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    finally:
        page.page.close()


def test_escaped_programme_name_shows_as_text(
    browser: Any, hostile: Scorecard, tmp_path: Path
) -> None:
    html = tmp_path / "report.html"
    html.write_text(render_html(hostile, "id"), encoding="utf-8")
    page = Page(browser, html)
    try:
        assert page.errors == []
        assert page.page.query_selector_all("script") == []
        names = page.page.locator("td.programme-name").all_inner_texts()
        assert any(name.startswith(SCRIPT) for name in names), names
        assert page.dialogs == []  # no alert(): the name did not run
    finally:
        page.page.close()

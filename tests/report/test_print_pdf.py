"""The printed report: A4 pages, none blank, a running header and page numbers, and
``report.pdf`` from ``cityeval evaluate --pdf``.

Prints with Debian's ``chromium`` through Playwright (no browser download). Skips when either
is missing, except in CI (``CI`` set), where ``.ci/run`` installs chromium and a missing
browser fails the test, as in test_browser.py.
"""

from __future__ import annotations

import io
import os
import re
import shutil
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from cityeval.cli import main
from cityeval.errors import OutputError
from cityeval.masterplan.evaluation import Scorecard
from cityeval.report import pdf as pdf_module
from cityeval.report.html import render_html
from cityeval.report.pdf import html_to_pdf

A4_POINTS = (595.28, 841.89)  # 210 mm x 297 mm
# The sections listed in report.html.j2 (the Banyuasin comparison renders every one); each
# after the first starts a page.
SECTIONS = len(
    re.findall(
        r'"([a-z-]+)"',
        re.search(  # type: ignore[union-attr]
            r"{% set sections = \[(.*?)\] %}",
            files("cityeval.report").joinpath("templates", "report.html.j2").read_text("utf-8"),
            re.S,
        ).group(1),
    )
)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the print test (.ci/run installs chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("playwright is not installed (pip install playwright)")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        _unavailable("no chromium executable on PATH (apt-get install chromium)")
    assert executable is not None
    return executable


def pages(data: bytes) -> list[Any]:
    try:
        import pypdf
    except ImportError:
        _unavailable("pypdf is not installed (pip install -e '.[test]')")
    return list(pypdf.PdfReader(io.BytesIO(data)).pages)


def _body(text: str) -> str:
    """A page's text without the running header and the page number."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return "\n".join(
        ln
        for ln in lines
        if not re.search(r"(Page|Halaman) \d+ / \d+", ln)
        and "Evaluation round:" not in ln
        and "Tahap evaluasi:" not in ln
    )


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_report_prints_on_a4_without_a_blank_page(
    chromium: str, banyuasin: Scorecard, lang: str, tmp_path: Path
) -> None:
    data = html_to_pdf(render_html(banyuasin, lang), executable=chromium)  # type: ignore[arg-type]
    assert data.startswith(b"%PDF-")
    printed = pages(data)
    for page in printed:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2  # A4 portrait
    # a page per section, a few more where a long table runs on; never a blank one
    assert SECTIONS <= len(printed) <= SECTIONS + 4
    texts = [p.extract_text() for p in printed]
    assert all(_body(t).strip() for t in texts), [len(_body(t)) for t in texts]
    # the first page is the report's opening, not an empty sheet
    assert "Kabupaten Banyuasin" in texts[0] and banyuasin.round.id in texts[0]
    word = "Halaman" if lang == "id" else "Page"
    for n, text in enumerate(texts, start=1):
        assert f"{word} {n} / {len(printed)}" in text  # page numbers
        assert "Kabupaten Banyuasin" in text  # the running header: the regency ...
        assert banyuasin.round.label.text(lang) in text  # type: ignore[arg-type]  # ... and round
    (tmp_path / f"report-{lang}.pdf").write_bytes(data)


def test_each_section_starts_a_page(chromium: str, banyuasin: Scorecard) -> None:
    texts = [p.extract_text() for p in pages(html_to_pdf(render_html(banyuasin, "en")))]
    headings = ["Programmes at risk", "Quick wins", "Sources"]
    for heading in headings:
        starts = [i for i, t in enumerate(texts) if _body(t).lstrip().startswith(heading)]
        assert starts, f"no page starts with the section {heading!r}"


def test_charts_fit_the_printed_page(chromium: str, banyuasin: Scorecard, tmp_path: Path) -> None:
    """In print, both charts fit A4's width between the margins and a third of its height."""
    from playwright.sync_api import sync_playwright

    path = tmp_path / "report.html"
    path.write_text(render_html(banyuasin, "en"), encoding="utf-8")
    content_width = (210 - 26) / 25.4 * 96  # A4 less the print margins, in CSS pixels
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium, args=list(pdf_module.CHROMIUM_FLAGS[1:])
        )
        try:
            page = browser.new_page(viewport={"width": int(content_width), "height": 1000})
            page.goto(path.as_uri())
            page.emulate_media(media="print")
            for selector in ("svg#radar", "svg#opd-bars"):
                box = page.locator(selector).bounding_box()
                assert box is not None and box["width"] > 100, selector
                assert box["width"] <= content_width + 1, selector
                assert box["height"] <= 110 / 25.4 * 96 + 1, selector  # max-height: 110mm
        finally:
            browser.close()


def test_a_hostile_regency_name_stays_inside_the_header(chromium: str, hostile: Scorecard) -> None:
    data = html_to_pdf(render_html(hostile, "id"), executable=chromium)
    assert all(float(p.mediabox.width) < 600 for p in pages(data))


def test_evaluate_pdf_writes_report_pdf(
    chromium: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "laporan"
    status = main(
        ["evaluate", "banyuasin", "--round", "2019-tahap-3", "--compare", "2018-tahap-2",
         "--lang", "id", "--out", str(out), "--pdf"]
    )  # fmt: skip
    assert status == 0, capsys.readouterr().err
    assert "report.pdf" in capsys.readouterr().out
    data = (out / "report.pdf").read_bytes()
    assert len(pages(data)) >= SECTIONS
    assert "Halaman 1 /" in pages(data)[0].extract_text()


def test_a_missing_browser_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(pdf_module, "find_chromium", lambda: None)
    with pytest.raises(OutputError) as exc:
        html_to_pdf("<html></html>")
    assert "apt-get install chromium" in str(exc.value) and "cityeval[pdf]" in str(exc.value)
    out = tmp_path / "laporan"
    status = main(["evaluate", "banyuasin", "--round", "2019-tahap-3", "--out", str(out), "--pdf"])
    err = capsys.readouterr().err
    assert status == 2 and err.startswith("error: report.pdf: ") and "Traceback" not in err
    assert not out.exists()  # nothing written when the PDF cannot be made


def test_a_named_browser_that_does_not_exist(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pdf_module.CHROMIUM_ENV, "/nonexistent/chromium")
    assert pdf_module.find_chromium() is None

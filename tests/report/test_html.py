"""The HTML report: self-contained, escaped, bilingual, with both charts."""

from __future__ import annotations

import re

import pytest

from cityeval.masterplan.evaluation import Scorecard
from cityeval.report.charts import CURRENT, Series, bars_svg, radar_svg
from cityeval.report.html import render_html
from tests.report.conftest import SCRIPT

pytest.importorskip("jinja2")


@pytest.fixture(scope="module")
def page(banyuasin: Scorecard) -> str:
    return render_html(banyuasin, "en")


def test_nothing_is_loaded_from_anywhere(page: str) -> None:
    assert "<script" not in page
    assert "<link" not in page
    assert "<img" not in page
    assert "@import" not in page and "url(" not in page
    # The only addresses are the sources' links, as text links.
    for match in re.finditer(r"https?://", page):
        before = page[: match.start()]
        assert before.endswith('<a href="'), page[match.start() - 40 : match.end() + 40]


def test_page_shows_the_round_the_score_and_the_sources(page: str, banyuasin: Scorecard) -> None:
    assert (
        "<title>Smart-city masterplan evaluation – Kabupaten Banyuasin – 2019-tahap-3</title>"
        in (page)
    )
    assert "Third evaluation round, 2019" in page and "11 June 2019" in page
    assert f"{banyuasin.overall.score:.1f}" in page and f"{banyuasin.overall.change:+.1f}" in page
    for source in banyuasin.masterplan.sources:
        assert f'<a href="{source.url}"' in page
    assert 'id="data-note"' in page and "ILLUSTRATIVE" in page
    for p in banyuasin.at_risk:
        assert p.label.text("en") in page


def test_radar_has_one_point_per_dimension_per_round(page: str, banyuasin: Scorecard) -> None:
    n = len(banyuasin.dimensions)
    for role in ("current", "previous"):
        match = re.search(rf'<polygon class="series series-{role}" points="([^"]+)"', page)
        assert match is not None, role
        assert len(match.group(1).split()) == n


def test_opd_bars_have_one_bar_per_opd(page: str, banyuasin: Scorecard) -> None:
    assert page.count('class="bar bar-current"') == len(banyuasin.opds)
    assert page.count('class="bar bar-previous"') == len(banyuasin.opds)


def test_page_is_bilingual(banyuasin: Scorecard) -> None:
    page = render_html(banyuasin, "id")
    assert '<html lang="id">' in page
    assert "Evaluasi lanjutan tahap ketiga tahun 2019" in page and "11 Juni 2019" in page
    assert "Program berisiko" in page and "Capaian per dimensi" in page
    assert "Pelayanan Publik" in page


def test_labels_from_files_are_escaped(hostile: Scorecard) -> None:
    page = render_html(hostile, "en")
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>data</b>" not in page and "&lt;b&gt;data&lt;/b&gt;" in page
    assert 'href="javascript:' not in page  # only web addresses become links


def test_chart_text_is_escaped() -> None:
    series = [Series('<a href="x">', (50.0, None, 20.0), CURRENT)]
    radar = radar_svg(["<i>", "b&c", '"q"'], series, title="<t>")
    bars = bars_svg(["<i>", "b&c", '"q"'], series, title="<t>", notes=["<n>", "", ""])
    for svg in (radar, bars):
        assert "<i>" not in svg and '<a href="x">' not in svg and "<n>" not in svg
        assert "&lt;i&gt;" in svg and "b&amp;c" in svg
    assert radar.count('class="series') == 1  # one unbroken run around the gap

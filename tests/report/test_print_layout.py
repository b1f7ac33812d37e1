"""The report's template: sections as partials, and a print stylesheet that cannot be broken
by a name from a user's file."""

from __future__ import annotations

import re
from importlib.resources import files

from cityeval.masterplan.evaluation import Scorecard
from cityeval.report.css import css_string
from cityeval.report.html import render_html

TEMPLATES = files("cityeval.report").joinpath("templates")


def _listed_sections() -> list[str]:
    main = TEMPLATES.joinpath("report.html.j2").read_text("utf-8")
    block = re.search(r"{% set sections = \[(.*?)\] %}", main, re.S)
    assert block is not None
    return re.findall(r'"([a-z-]+)"', block.group(1))


def test_every_section_partial_is_listed_once() -> None:
    partials = sorted(
        p.name.removesuffix(".html.j2")
        for p in TEMPLATES.joinpath("sections").iterdir()
        if p.name.endswith(".html.j2") and not p.name.startswith("_")
    )
    listed = _listed_sections()
    assert len(listed) == len(set(listed)) and sorted(listed) == partials


def test_sections_render_in_the_listed_order(banyuasin: Scorecard) -> None:
    page = render_html(banyuasin, "en")
    ids = re.findall(r'<section id="([a-z-]+)">', page)
    assert ids == _listed_sections()


def test_the_print_stylesheet(banyuasin: Scorecard) -> None:
    page = render_html(banyuasin, "id")
    assert "size: A4;" in page
    assert "main > section + section { break-before: page;" in page
    assert 'content: "Kabupaten Banyuasin";' in page
    assert '"Halaman " counter(page) " / " counter(pages)' in page
    assert "min-height: 0" in page  # the screen's full-height sheet makes no empty page


def test_a_hostile_name_cannot_leave_the_stylesheet(banyuasin: Scorecard) -> None:
    import attrs

    from cityeval.masterplan import Regency
    from cityeval.model import Label

    name = 'X"; } body { display: none } </style><script>alert(1)</script>\\'
    sc = attrs.evolve(
        banyuasin,
        masterplan=attrs.evolve(banyuasin.masterplan, regency=Regency(name=name)),
        round=attrs.evolve(banyuasin.round, label=Label(id=name, en=name)),
    )
    page = render_html(sc, "en")
    style = page[page.index("<style>") : page.index("</style>")]
    assert "<" not in style.replace("<style>", "")  # no </style> or <script> inside
    headers = re.findall(r'content: "([^"]*)"', style)
    assert len(headers) == 3  # the quotes of the name did not end a string
    for text in headers[:2]:
        assert re.fullmatch(r'([^\\"]|\\[0-9A-F]{6})*', text), text


def test_css_string_escapes_everything_but_plain_text() -> None:
    assert css_string("Kota Kediri 2019-tahap-3") == "Kota Kediri 2019-tahap-3"
    assert css_string('a"b\\c</style>') == "a\\000022b\\00005Cc\\00003C/style\\00003E"
    assert css_string("\n") == "\\00000A"

"""The written summary: both languages, every number from the scorecard, summary.md, docx."""

from __future__ import annotations

import gettext
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from cityeval.explain.summary import fmt_number, summarise
from cityeval.explain.views import summary_files
from cityeval.masterplan.evaluation import Scorecard

REPO = Path(__file__).resolve().parents[2]
PO = REPO / "i18n-id-explain.po"


@pytest.fixture(scope="module")
def indonesian() -> gettext.NullTranslations:
    """The Indonesian messages, from the helper's PO file until the catalogue is built."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    if not PO.exists():  # merged into the project's catalogue
        from cityeval.i18n import translator

        return translator("id")
    with PO.open("rb") as fh:
        catalog = read_po(fh, locale="id")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def _numbers_of(data: Any) -> set[float]:
    """Every figure the scorecard holds: its numbers (one decimal, and their sizes), the
    numbers inside its text, and how many items each list or table has."""
    found: set[float] = set()
    if isinstance(data, bool) or data is None:
        return found
    if isinstance(data, int | float):
        found |= {round(float(data), 1), round(abs(float(data)), 1)}
    elif isinstance(data, str):
        found |= {float(n) for n in re.findall(r"\d+(?:\.\d+)?", data)}
    elif isinstance(data, dict):
        found.add(float(len(data)))
        for value in data.values():
            found |= _numbers_of(value)
    elif isinstance(data, list):
        found.add(float(len(data)))
        for value in data:
            found |= _numbers_of(value)
    return found


def _numbers_in(text: str, lang: str) -> list[float]:
    if lang == "id":  # decimal comma, thousands dot
        return [
            float(n.replace(".", "").replace(",", "."))
            for n in re.findall(r"\d+(?:\.\d{3})*(?:,\d+)?", text)
        ]
    return [float(n.replace(",", "")) for n in re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", text)]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_number_comes_from_the_scorecard(
    banyuasin_sc: Scorecard, lang: str, indonesian: gettext.NullTranslations
) -> None:
    tr = indonesian if lang == "id" else None
    text = summarise(banyuasin_sc, lang, translations=tr).to_markdown()  # type: ignore[arg-type]
    card = json.loads(json.dumps(banyuasin_sc.to_dict(lang)))  # type: ignore[arg-type]
    allowed = _numbers_of(card)
    numbers = _numbers_in(text, lang)
    assert numbers, text
    for number in numbers:
        assert round(number, 1) in allowed, (number, text)


def test_english_summary_says_why(banyuasin_sc: Scorecard) -> None:
    text = summarise(banyuasin_sc, "en").to_markdown()
    assert "Overall achievement" in text and "48.5, down 30.2 points from 78.6" in text
    assert "The strongest dimension is Smart Governance (85.2)" in text
    assert "targets moving to a new target year" in text
    assert "Waste Care Movement" in text and "Job Fair" in text
    assert "7 programmes are at risk" in text
    assert "DPMD" in text  # its form is missing
    assert "1 indicator has no realised value this round" in text


def test_indonesian_summary_uses_decimal_commas(
    banyuasin_sc: Scorecard, indonesian: gettext.NullTranslations
) -> None:
    text = summarise(banyuasin_sc, "id", translations=indonesian).to_markdown()
    assert "Capaian keseluruhan" in text
    assert "48,5, turun 30,2 poin dari 78,6" in text
    assert "Dimensi terkuat adalah Smart Governance (85,2)" in text
    assert "7 program berisiko" in text
    assert "48.5" not in text


def test_fmt_number() -> None:
    assert fmt_number(48.472, "id") == "48,5"
    assert fmt_number(-30.18, "en", signed=True) == "-30.2"
    assert fmt_number(1234.5, "id") == "1.234,5"
    assert fmt_number(None, "en") == "–"


def test_report_docx_reads_back(banyuasin_sc: Scorecard) -> None:
    docx = pytest.importorskip("docx")
    files = summary_files(banyuasin_sc, "en")
    assert set(files) == {"summary.md", "report.docx"}
    doc = docx.Document(io.BytesIO(files["report.docx"]))
    text = "\n".join(p.text for p in doc.paragraphs)
    summary = summarise(banyuasin_sc, "en")
    assert summary.title in text
    for _, paragraphs in summary.sections:
        for p in paragraphs:
            assert p in text
    table = doc.tables[0]
    assert table.rows[1].cells[1].text == "48.5"
    assert files["summary.md"].decode("utf-8").startswith("# " + summary.title)

"""Numbers and dates in the report follow the reader's locale (Babel's locale data)."""

from __future__ import annotations

import pytest

from cityeval.report.i18n import fmt_change, fmt_date, fmt_percent, fmt_score, word


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (78.64, "id", "78,6"),
        (78.64, "en", "78.6"),
        (1234.5, "id", "1.234,5"),
        (1234.5, "en", "1,234.5"),
        (None, "id", "–"),
        (0.0, "id", "0,0"),
    ],
)
def test_scores(value: float | None, lang: str, expected: str) -> None:
    assert fmt_score(value, lang=lang) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [(-30.14, "id", "-30,1"), (4.0, "en", "+4.0"), (0.04, "id", "0,0"), (None, "en", "–")],
)
def test_changes(value: float | None, lang: str, expected: str) -> None:
    assert fmt_change(value, lang=lang) == expected  # type: ignore[arg-type]


def test_dates() -> None:
    assert fmt_date("2019-06-11", "id") == "11 Juni 2019"
    assert fmt_date("2019-06-11", "en") == "11 June 2019"


def test_percent() -> None:
    assert fmt_percent(0.125, "id", decimals=1) == "12,5%"
    assert fmt_percent(0.4, "en") == "40%"


def test_words_come_from_the_catalogue() -> None:
    assert word("overall", "id") == "Capaian keseluruhan"
    assert word("overall", "en") == "Overall achievement"

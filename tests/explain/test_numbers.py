"""Numbers and dates in English and Indonesian: the same text as Babel, without Babel."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cityeval.explain.numbers import format_date_long, format_decimal, format_percent

babel_numbers = pytest.importorskip("babel.numbers")
babel_dates = pytest.importorskip("babel.dates")

LOCALES = ["en", "en_GB", "id", "id_ID"]
numbers = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e16, max_value=1e16)


def _pattern(decimals: int, percent: bool = False) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "") + ("%" if percent else "")


@given(numbers, st.integers(0, 3), st.sampled_from(LOCALES))
def test_decimals_are_babels(value: float, decimals: int, locale: str) -> None:
    expected = babel_numbers.format_decimal(value, format=_pattern(decimals), locale=locale)
    assert format_decimal(value, decimals, locale) == expected


@given(numbers, st.integers(0, 2), st.sampled_from(LOCALES))
def test_percentages_are_babels(value: float, decimals: int, locale: str) -> None:
    expected = babel_numbers.format_percent(value, format=_pattern(decimals, True), locale=locale)
    assert format_percent(value, decimals, locale) == expected


@pytest.mark.parametrize("value", [0.05, 0.15, 0.25, 0.35, -0.04, -0.0, 2.675, 1234.55, 999.95])
@pytest.mark.parametrize("locale", LOCALES)
def test_ties_and_signs_round_as_babel(value: float, locale: str) -> None:
    for decimals in (0, 1, 2):
        expected = babel_numbers.format_decimal(value, format=_pattern(decimals), locale=locale)
        assert format_decimal(value, decimals, locale) == expected


def test_other_locales_and_odd_numbers_go_to_babel() -> None:
    assert format_decimal(1234.5, 1, "de_DE") == "1.234,5"
    assert format_decimal(float("inf"), 1, "en") == babel_numbers.format_decimal(
        float("inf"), format="#,##0.0", locale="en"
    )
    assert format_decimal(1e20, 1, "id") == babel_numbers.format_decimal(
        1e20, format="#,##0.0", locale="id"
    )
    assert format_date_long(dt.date(2019, 6, 11), "en_US") == "June 11, 2019"


@pytest.mark.parametrize("locale", ["en_GB", "id_ID", "id"])
def test_long_dates_are_babels(locale: str) -> None:
    day = dt.date(2016, 1, 1)
    while day.year == 2016:  # every day of a leap year
        assert format_date_long(day, locale) == babel_dates.format_date(
            day, format="long", locale=locale
        )
        day += dt.timedelta(days=1)

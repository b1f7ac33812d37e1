"""Numbers, percentages and dates in English or Indonesian notation, as Babel writes them.

The report, the workbook and the summary show every figure in the language's notation
(``1,234.5`` / ``1.234,5``, ``11 June 2019`` / ``11 Juni 2019``). Babel wrote them; importing
Babel and loading its locale data took about 30 ms of every ``cityeval evaluate``, for two
locales whose rules fit in a few lines. These functions give Babel's text for the patterns
the reports use (``#,##0.0``-style decimals and percentages, the long date) in ``en``,
``en_GB``, ``id`` and ``id_ID``, computed the way Babel's ``NumberPattern.apply`` does: the
number's shortest text as a :class:`~decimal.Decimal`, quantized with the context's rounding
(half to even), the sign taken before rounding (so ``-0.04`` is ``-0.0``), groups of three.
Anything else (another locale, a non-finite or very large number) is handed to Babel; the
tests compare every function with Babel.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math

__all__ = ["format_date_long", "format_decimal", "format_percent"]

#: (group separator, decimal separator) of the locales served here.
_SYMBOLS = {"en": (",", "."), "en_GB": (",", "."), "id": (".", ","), "id_ID": (".", ",")}

_MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
}

#: Beyond this magnitude Babel formats the number (the quantized value may need more digits
#: than the decimal context holds).
_LARGEST = 1e15


def _digits(value: float, decimals: int, scale: int, locale: str) -> str | None:
    """Babel's text of ``value * 10**scale`` with ``decimals`` decimals, or None if Babel
    must do it."""
    symbols = _SYMBOLS.get(locale)
    if symbols is None or not math.isfinite(value) or abs(value) * 10**scale >= _LARGEST:
        return None
    group, point = symbols
    number = decimal.Decimal(str(value)).scaleb(scale)
    negative = number.is_signed()
    rounded = abs(number).normalize().quantize(decimal.Decimal(1).scaleb(-decimals))
    whole, _, fraction = f"{rounded:f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.append(whole[-3:])
        whole = whole[:-3]
    text = group.join([whole, *reversed(groups)])
    if decimals:
        text += point + (fraction + "0" * decimals)[:decimals]
    return ("-" if negative else "") + text


def format_decimal(value: float, decimals: int, locale: str) -> str:
    """``value`` with ``decimals`` decimals and grouped thousands: Babel's
    ``format_decimal(value, format="#,##0.0...", locale=locale)``."""
    text = _digits(value, decimals, 0, locale)
    if text is None:
        from babel.numbers import format_decimal as babel_decimal

        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        return str(babel_decimal(value, format=pattern, locale=locale))
    return text


def format_percent(value: float, decimals: int, locale: str) -> str:
    """A share (``0.25``) as a percentage: Babel's ``format_percent(value,
    format="#,##0%", locale=locale)`` (with ``decimals`` decimals)."""
    text = _digits(value, decimals, 2, locale)
    if text is None:
        from babel.numbers import format_percent as babel_percent

        pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
        return str(babel_percent(value, format=pattern, locale=locale))
    return text + "%"


def format_date_long(date: dt.date, locale: str) -> str:
    """``11 June 2019`` or ``11 Juni 2019``: Babel's ``format_date(date, format="long")``
    for ``en_GB`` and ``id_ID`` (and ``id``)."""
    months = _MONTHS["id"] if locale in ("id", "id_ID") else None
    if locale == "en_GB":
        months = _MONTHS["en"]
    if months is None:  # US English writes the month first: Babel knows
        from babel.dates import format_date

        return str(format_date(date, format="long", locale=locale))
    return f"{date.day} {months[date.month - 1]} {date.year}"

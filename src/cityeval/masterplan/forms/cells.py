"""Reading one cell of a filled form: a number, a status, or free text, or the problem.

A number may be typed as a number or as text with a decimal comma or point (``42,5``,
``42.5``). Text with dot-grouped thousands (``1.250``, ``1.250.000``), which an Indonesian
officer writes for one thousand two hundred and fifty, is refused with a hint rather than read
as 1.25: the form cannot tell the two apart.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from cityeval.i18n import _
from cityeval.io.converter import describe
from cityeval.masterplan.forms.layout import STATUS_LABELS
from cityeval.masterplan.model import EntryStatus

__all__ = ["MAX_ABS_VALUE", "number_cell", "status_cell", "text_cell"]

#: The largest magnitude a realised value may have (the form's own data validation).
MAX_ABS_VALUE = 1e15

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
# 1.250 or 1.250.000: a digit 1-9 and up to two more, then groups of three after dots.
_DOT_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+$")
# 1.250,5 or 1.250.000,75: the same with a decimal comma.
_DOT_THOUSANDS_DECIMAL = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+,\d+$")


def _thousands_hint(text: str) -> str:
    plain = text.replace(".", "")
    return _(
        "{text} is written with a dot between thousands; type the number without it "
        "({plain}), or use a comma for decimals (such as 1,25)"
    ).format(text=repr(text), plain=plain)


def number_cell(value: object) -> float | str | None:
    """The cell as a finite number, None when blank, or the problem (translated) as text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        return _("expected a number, got {value}").format(value=describe(value))
    number: float
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if _DOT_THOUSANDS.match(text) or _DOT_THOUSANDS_DECIMAL.match(text):
            return _thousands_hint(text)
        if text.startswith("="):
            return _("expected a number, got the formula {value}; type the value itself").format(
                value=repr(text[:40])
            )
        if not _NUMBER.match(text):
            return _("expected a number, got {value}").format(value=describe(value))
        number = float(text.replace(",", "."))
    else:
        return _("expected a number, got {value}").format(value=describe(value))
    if not math.isfinite(number) or abs(number) > MAX_ABS_VALUE:
        return _("{value} is not a usable number (at most {limit:g} in size)").format(
            value=repr(value), limit=MAX_ABS_VALUE
        )
    return number


def status_cell(value: object) -> EntryStatus | str | None:
    """The cell as a status, None when blank, or the problem (translated) as text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip().lower()
    for status, label in STATUS_LABELS.items():
        if text in (label, status.value):
            return status
    choices = ", ".join(f"'{label}'" for label in STATUS_LABELS.values())
    return _("expected one of {choices}, got {value}").format(
        choices=choices, value=describe(value)
    )


def text_cell(value: object) -> str | None:
    """The cell as stripped text, None when blank."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None

"""Field validators shared by the model classes; each names its field in the error."""

from __future__ import annotations

import math
import re
from typing import Any

from cityeval.errors import ModelError

__all__ = ["check_finite", "check_id", "check_optional_finite", "check_weight"]

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


def _fmt(value: float) -> str:
    return f"{value:g}"


def check_id(instance: object, attribute: Any, value: str) -> None:
    """An id is non-empty, starts with a letter or digit, and uses ``A-Z a-z 0-9 _ . -``."""
    if not _ID.match(value):
        raise ModelError.at(
            (attribute.name,),
            f"{value!r} is not a valid id (use letters, digits, '_', '.', '-'; "
            "start with a letter or digit)",
        )


def check_weight(instance: object, attribute: Any, value: float) -> None:
    """A weight is finite and non-negative."""
    if not math.isfinite(value):
        raise ModelError.at((attribute.name,), f"must be a finite number, got {value}")
    if value < 0:
        raise ModelError.at((attribute.name,), f"must be >= 0, got {_fmt(value)}")


def check_finite(instance: object, attribute: Any, value: float) -> None:
    """A number is finite."""
    if not math.isfinite(value):
        raise ModelError.at((attribute.name,), f"must be a finite number, got {value}")


def check_optional_finite(instance: object, attribute: Any, value: float | None) -> None:
    """An optional number, when given, is finite."""
    if value is not None:
        check_finite(instance, attribute, value)

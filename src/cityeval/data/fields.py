"""The fields of a :class:`~cityeval.data.Dataset`: their types, converters and checks.

Kept apart from the type itself so that the Dataset module reads as what a dataset is and
does; nothing here knows the Dataset class.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from cityeval.errors import Problem
from cityeval.model.frozenmap import FrozenMap

__all__ = [
    "TEXT_RULE",
    "FloatArray",
    "FrozenMap",
    "IntArray",
    "Time",
    "bad_text",
    "code_problems",
    "format_time",
    "latest",
    "readonly",
    "same",
    "some",
    "to_codes",
    "to_denominators",
    "to_groups",
    "to_labels",
    "to_times",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
Time = int | float

V = TypeVar("V")


def readonly(array: npt.ArrayLike) -> FloatArray:
    out = np.array(array, dtype=np.float64)  # always a copy: the caller keeps theirs
    out.flags.writeable = False
    return out


def to_codes(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def to_labels(value: Iterable[str | None]) -> tuple[str | None, ...]:
    return tuple(value)


def to_groups(value: Mapping[str, Iterable[str | None]]) -> FrozenMap[str, tuple[str | None, ...]]:
    return FrozenMap({name: tuple(labels) for name, labels in value.items()})


def to_denominators(value: Mapping[str, npt.ArrayLike]) -> FrozenMap[str, FloatArray]:
    return FrozenMap({name: readonly(array) for name, array in value.items()})


def to_times(value: Iterable[Time] | None) -> tuple[Time, ...] | None:
    if value is None:
        return None
    out: list[Time] = []
    for t in value:
        # Years arrive as 2018.0 from spreadsheets and pandas; keep them as the integer they are.
        f = float(t)
        out.append(int(f) if f.is_integer() and abs(f) < 2**53 else f)
    return tuple(out)


def bad_text(value: object) -> bool:
    return (
        not isinstance(value, str)
        or not value
        or value != value.strip()
        or "\n" in value
        or "\r" in value
    )


TEXT_RULE = "must be non-empty text without surrounding spaces or line breaks"


def format_time(t: Time) -> str:
    """A time as it is written in files and messages: ``2018``, ``2.5``."""
    return str(t) if isinstance(t, int) else repr(float(t))


def some(names: Iterable[str], limit: int = 20) -> str:
    names = list(names)
    if not names:
        return "none"
    shown = ", ".join(names[:limit])
    return shown + (f", ... ({len(names)} in all)" if len(names) > limit else "")


def code_problems(field_name: str, codes: tuple[str, ...], what: str) -> list[Problem]:
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for k, code in enumerate(codes):
        if bad_text(code):
            problems.append(Problem((field_name, k), f"{TEXT_RULE}, got {code!r}"))
        elif code in first:
            problems.append(
                Problem(
                    (field_name, k),
                    f"duplicate {what} {code!r} (first at {field_name}[{first[code]}])",
                )
            )
        else:
            first[code] = k
    return problems


def latest(array: FloatArray) -> FloatArray:
    """Along axis 0, the last non-NaN entry of each cell (NaN where there is none)."""
    observed = ~np.isnan(array)
    last = array.shape[0] - 1 - np.argmax(observed[::-1], axis=0)
    out: FloatArray = np.take_along_axis(array, last[np.newaxis], axis=0)[0]
    out[~observed.any(axis=0)] = np.nan
    return out


def same(a: FloatArray, b: FloatArray) -> bool:
    return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))

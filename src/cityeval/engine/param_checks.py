"""Pipeline parameters checked against the kernel's own signature, before any arithmetic.

A kernel declares its parameters as typed keyword-only arguments (``winmax: int | None``,
``lower: npt.ArrayLike``, ``nonpositive: Literal["error", "offset"]``); a pipeline's value for
each is checked against that type here, so that a wrong type, a wrong size or a value out of
range is the library's own error naming the pipeline field, never a ``TypeError``,
``OverflowError`` or broadcasting error from numpy inside the kernel. The limits:

- a number is finite and at most :data:`MAX_MAGNITUDE` in size; a whole number at most
  :data:`MAX_INT`;
- an array parameter is a number or a flat list of numbers, one for every indicator the
  step applies it to (or a single one);
- ``lower < upper`` and ``low < high`` where a method takes both (bounds not swapped);
- a few parameters with a range of their own (:data:`RANGES`), such as ``winmax >= 0`` and
  ``sd > 0``.
"""

from __future__ import annotations

import inspect
import math
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin

from cityeval.errors import Problem
from cityeval.i18n import _
from cityeval.model import Params

__all__ = ["MAX_INT", "MAX_MAGNITUDE", "RANGES", "length_problems", "value_problems"]

#: The largest magnitude of a numeric pipeline parameter.
MAX_MAGNITUDE = 1e15
#: The largest whole-number parameter (such as ``winmax``).
MAX_INT = 10**9
#: Parameters with a range of their own: name to (lowest, highest, strictly above lowest).
RANGES: dict[str, tuple[float, float, bool]] = {
    "winmax": (0, MAX_INT, False),
    "max_gap": (0, MAX_MAGNITUDE, False),
    "sd": (0, MAX_MAGNITUDE, True),
    "epsilon": (0, MAX_MAGNITUDE, True),
    "p": (-100, 100, False),
}
#: Pairs of parameters that are an interval: the first must be below the second.
PAIRS = (("lower", "upper"), ("low", "high"))

Path = tuple[str | int, ...]


def _describe(value: object) -> str:
    if value is None:
        return _("nothing (null)")
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Mapping):
        return _("a mapping")
    if isinstance(value, tuple | list):
        return _("a list")
    return type(value).__name__


@cache
def _hints(implementation: Callable[..., Any]) -> dict[str, Any]:
    """The kernel's parameter annotations, resolved; empty where they cannot be."""
    try:
        hints = typing.get_type_hints(implementation)
    except Exception:
        return {}
    try:
        names = set(inspect.signature(implementation).parameters)
    except (TypeError, ValueError):
        return {}
    return {k: v for k, v in hints.items() if k in names}


def _is_array_like(t: Any) -> bool:
    text = repr(t)
    return "ArrayLike" in text or "_SupportsArray" in text or "NDArray" in text


def _number_problem(value: object, name: str, *, whole: bool = False) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        if whole:
            return _("expected a whole number, got {value}").format(value=_describe(value))
        return _("expected a number, got {value}").format(value=_describe(value))
    if whole and not (isinstance(value, int) or float(value).is_integer()):
        return _("expected a whole number, got {value}").format(value=_describe(value))
    if isinstance(value, float) and not math.isfinite(value):
        return _("expected a finite number, got {value}").format(value=_describe(value))
    limit = MAX_INT if whole else MAX_MAGNITUDE
    if abs(value) > limit:
        return _("{value} is too large (the limit is {limit:g})").format(
            value=_describe(value), limit=limit
        )
    low, high, strict = RANGES.get(name, (-math.inf, math.inf, False))
    if value < low or value > high or (strict and value == low):
        if strict:
            return _("must be greater than {low:g}, got {value}").format(
                low=low, value=_describe(value)
            )
        if math.isinf(high):
            return _("must be >= {low:g}, got {value}").format(low=low, value=_describe(value))
        return _("must lie in [{low:g}, {high:g}], got {value}").format(
            low=low, high=high, value=_describe(value)
        )
    return None


def _type_problem(value: object, t: Any, name: str) -> str | None:
    """Why ``value`` does not fit the annotation ``t``, or None (unknown types pass)."""
    origin = get_origin(t)
    if origin in (Union, types.UnionType):
        args = get_args(t)
        if value is None and type(None) in args:
            return None
        others = [a for a in args if a is not type(None)]
        if any(_is_array_like(a) for a in others):
            return _array_problem(value, name)
        found = [_type_problem(value, a, name) for a in others]
        if any(f is None for f in found):
            return None
        return next(f for f in found if f is not None)
    if origin is Literal:
        choices = get_args(t)
        if value in choices and not isinstance(value, bool):
            return None
        listing = ", ".join(repr(c) for c in choices)
        return _("expected one of {choices}, got {value}").format(
            choices=listing, value=_describe(value)
        )
    if t is bool:
        if isinstance(value, bool):
            return None
        return _("expected true or false, got {value}").format(value=_describe(value))
    if t is int:
        return _number_problem(value, name, whole=True)
    if t is float:
        return _number_problem(value, name)
    if t is str:
        if isinstance(value, str):
            return None
        return _("expected text, got {value}").format(value=_describe(value))
    if _is_array_like(t):
        return _array_problem(value, name)
    if origin in (Mapping, dict) or t in (Mapping, dict):
        if not isinstance(value, Mapping):
            return _("expected a mapping, got {value}").format(value=_describe(value))
        args = get_args(t)
        if len(args) == 2 and args[1] in (float, int):
            for key, item in value.items():
                problem = _number_problem(item, name)
                if problem is not None:
                    return f"{key}: {problem}"
        return None
    return None


def _array_problem(value: object, name: str) -> str | None:
    if isinstance(value, tuple | list):
        if not value:
            return _("expected a number or a list of numbers, got an empty list")
        for k, item in enumerate(value):
            if isinstance(item, tuple | list):
                return _("expected a number or a flat list of numbers, got a nested list")
            problem = _number_problem(item, name)
            if problem is not None:
                return f"[{k}]: {problem}"
        return None
    return _number_problem(value, name)


def _as_list(value: object) -> list[float] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, tuple | list) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value
    ):
        return [float(v) for v in value]
    return None


def value_problems(
    implementation: Callable[..., Any], params: Params, where: Path, aliases: Mapping[str, str]
) -> list[Problem]:
    """Every parameter whose value does not fit the kernel's annotation, or a swapped pair.

    Parameters
    ----------
    implementation : callable
        The registered kernel.
    params : Params
        The parameters as the pipeline gives them.
    where : tuple
        The pipeline path of the step or override (``("steps", 2)``).
    aliases : mapping of str to str
        Pipeline name to kernel name (``by`` for ``groups``).
    """
    hints = _hints(implementation)
    problems: list[Problem] = []
    plain = params.to_dict()
    bad: set[str] = set()
    for name, value in plain.items():
        # An alias (``by`` for an imputation's ``groups``, ``reference`` or ``reference_index``
        # naming a unit) is something the engine turns into the kernel's argument; it is
        # checked where it is turned.
        translated = name in aliases or name in aliases.values()
        t = None if translated else hints.get(name)
        if t is None:
            continue
        problem = _type_problem(value, t, name)
        if problem is not None:
            bad.add(name)
            problems.append(Problem((*where, "params", name), problem))
    for low, high in PAIRS:
        if low in plain and high in plain and low not in bad and high not in bad:
            lo, hi = _as_list(plain[low]), _as_list(plain[high])
            if lo is None or hi is None:
                continue
            if len(lo) != len(hi) and 1 not in (len(lo), len(hi)):
                continue  # the size check reports it
            n = max(len(lo), len(hi))
            lo, hi = lo * (n if len(lo) == 1 else 1), hi * (n if len(hi) == 1 else 1)
            if any(a >= b for a, b in zip(lo, hi, strict=True)):
                problems.append(
                    Problem(
                        (*where, "params", high),
                        _("must be greater than {low} ({value}); are the bounds swapped?").format(
                            low=low, value=_describe(plain[low])
                        ),
                    )
                )
    return problems


def length_problems(
    implementation: Callable[..., Any],
    params: Params,
    where: Path,
    n_columns: int,
    aliases: Mapping[str, str],
) -> list[Problem]:
    """Array parameters whose list has neither one entry nor one for each of ``n_columns``."""
    hints = _hints(implementation)
    problems: list[Problem] = []
    for name, value in params.to_dict().items():
        t = None if name in aliases else hints.get(name)
        if t is None or not isinstance(value, list) or not _is_array_like(t):
            continue
        if len(value) not in (1, n_columns):
            problems.append(
                Problem(
                    (*where, "params", name),
                    _(
                        "a list of {got} values, but the step applies it to {n} indicators; "
                        "give one value, or one for each"
                    ).format(got=len(value), n=n_columns),
                )
            )
    return problems

"""The one cattrs converter that turns plain data into model objects and back.

Structuring is strict (unknown keys, wrong types and strings where numbers belong are all
errors), and every failure is turned into :class:`~cityeval.errors.Problem` objects that carry
the field path, so the loaders can report ``file: path: problem`` lines.
"""

from __future__ import annotations

import datetime as _dt
import enum
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.errors import ForbiddenExtraKeysError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from cityeval.errors import InputError, ModelError, Problem
from cityeval.i18n import _
from cityeval.model import Label, Params

__all__ = ["FieldTypeError", "converter", "describe", "problems_from", "structure", "unstructure"]

T = TypeVar("T")


class FieldTypeError(ValueError):
    """A value of the wrong type; the message is written for the user."""


def describe(value: object) -> str:
    """A short, user-facing description of a value: ``'tiga'``, ``a list``, ``nothing``."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:37] + "...")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__}"


def _structure_float(value: Any, _t: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldTypeError(_("expected a number, got {value}").format(value=describe(value)))
    try:
        result = float(value)
    except OverflowError:  # an integer beyond the float range
        raise FieldTypeError(_("expected a finite number, got a number too large")) from None
    if math.isnan(result):
        raise FieldTypeError("expected a number, got NaN")
    return result


def _structure_int(value: Any, _t: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise FieldTypeError(f"expected a whole number, got {describe(value)}")
    return value


def _structure_bool(value: Any, _t: type) -> bool:
    if not isinstance(value, bool):
        raise FieldTypeError(f"expected true or false, got {describe(value)}")
    return value


def _structure_str(value: Any, _t: type) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        raise FieldTypeError(f"expected text, got {describe(value)}")
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise FieldTypeError(f"expected text, got {describe(value)}")


def _structure_strict_str(value: Any, _t: type) -> str:
    """Text only: ids and names of model objects, where a number is a mistake."""
    if isinstance(value, str):
        return value
    raise FieldTypeError(_("expected text, got {value}").format(value=describe(value)))


def _structure_label(value: Any, _t: type) -> Label:
    if isinstance(value, str):
        return Label.neutral(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise FieldTypeError(
            _("expected text for a label, got the number {value}; quote it").format(
                value=describe(value)
            )
        )
    if not isinstance(value, Mapping):
        raise FieldTypeError(
            f"expected text or a mapping with 'id' and/or 'en', got {describe(value)}"
        )
    extra = sorted(set(value) - {"id", "en"})
    if extra:
        raise ForbiddenExtraKeysError("", Label, set(extra))
    parts = {k: _structure_strict_str(v, str) for k, v in value.items() if v is not None}
    return Label(**parts)


def _structure_params(value: Any, _t: type) -> Params:
    if value is None:
        return Params()
    if not isinstance(value, Mapping):
        raise FieldTypeError(f"expected a mapping, got {describe(value)}")
    return Params(value)


def _unstructure_label(label: Label) -> str | dict[str, str]:
    if label.id == label.en and label.id is not None:
        return label.id
    return {k: v for k, v in (("id", label.id), ("en", label.en)) if v is not None}


def _enum_hook(cl: type[enum.Enum]) -> Callable[[Any, type], enum.Enum]:
    choices = [m.value for m in cl]

    def hook(value: Any, _t: type) -> enum.Enum:
        try:
            return cl(value)
        except ValueError:
            expected = ", ".join(repr(c) for c in choices)
            raise FieldTypeError(f"expected one of {expected}, got {describe(value)}") from None

    return hook


def _sequence_hook_factory(conv: cattrs.Converter) -> Callable[[Any], Callable[[Any, type], Any]]:
    # cattrs happily iterates a string character by character; a list field must be a list.
    def factory(cl: Any) -> Callable[[Any, type], Any]:
        base = homogenous_tuple_structure_factory(cl, conv)

        def hook(value: Any, t: type) -> Any:
            if isinstance(value, str | bytes) or not isinstance(value, Sequence):
                raise FieldTypeError(f"expected a list, got {describe(value)}")
            return base(value, t)

        return hook

    return factory


def _attrs_hook_factory(conv: cattrs.Converter) -> Callable[[type], Callable[[Any, type], Any]]:
    def factory(cl: type) -> Callable[[Any, type], Any]:
        strict: dict[str, Any] = {}
        if cl.__module__.startswith("cityeval.model"):
            strict = {
                a.name: override(struct_hook=_structure_strict_str)
                for a in attrs.fields(cl)
                if a.name in _TEXT_FIELDS and a.type in (str, "str")
            }
        generated: Callable[[Any, type], Any] = make_dict_structure_fn(
            cl,
            conv,
            _cattrs_forbid_extra_keys=True,
            **strict,
        )

        def hook(value: Any, t: type) -> Any:
            if not isinstance(value, Mapping):
                raise FieldTypeError(f"expected a mapping, got {describe(value)}")
            return generated(value, t)

        return hook

    return factory


#: Fields of the framework's model classes that hold ids or names: text only, never a number.
_TEXT_FIELDS = frozenset({"id", "method"})


def _is_homogeneous_tuple(t: Any) -> bool:
    return (
        getattr(t, "__origin__", None) is tuple and len(t.__args__) == 2 and t.__args__[1] is ...
    )


@cache
def converter() -> cattrs.Converter:
    """The shared converter (built once)."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True, omit_if_default=True)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(Label, _structure_label)
    conv.register_unstructure_hook(Label, _unstructure_label)
    conv.register_structure_hook(Params, _structure_params)
    conv.register_unstructure_hook(Params, lambda p: p.to_dict())
    conv.register_structure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _enum_hook
    )
    conv.register_unstructure_hook_factory(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), lambda t: lambda v: v.value
    )
    conv.register_structure_hook_factory(_is_homogeneous_tuple, _sequence_hook_factory(conv))
    conv.register_unstructure_hook_factory(
        _is_homogeneous_tuple,
        lambda t: lambda v: [conv.unstructure(x, t.__args__[0]) for x in v],
    )
    conv.register_structure_hook_factory(
        lambda t: attrs.has(t) and t is not Label, _attrs_hook_factory(conv)
    )
    conv.register_unstructure_hook_factory(
        lambda t: attrs.has(t) and t is not Label,
        lambda t: make_dict_unstructure_fn(t, conv, _cattrs_omit_if_default=True),
    )
    return conv


def problems_from(exc: BaseException, path: tuple[str | int, ...] = ()) -> Iterator[Problem]:
    """Flatten a cattrs error tree into located problems."""
    if isinstance(exc, ModelError):
        for p in exc.problems:
            yield p.prefixed(path)
    elif isinstance(exc, ForbiddenExtraKeysError):
        allowed = _allowed_keys(exc.cl)
        for key in sorted(exc.extra_fields):
            hint = f" (expected one of: {', '.join(allowed)})" if allowed else ""
            yield Problem((*path, key), f"unknown field{hint}")
    elif isinstance(exc, cattrs.ClassValidationError | cattrs.IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            step = getattr(note, "name", None)
            if step is None:
                step = getattr(note, "index", None)
            yield from problems_from(sub, path if step is None else (*path, step))
        for sub in without:
            yield from problems_from(sub, path)
    elif isinstance(exc, KeyError):
        yield Problem(path, "required field is missing")
    elif isinstance(exc, FieldTypeError):
        yield Problem(path, str(exc))
    else:
        yield Problem(path, f"{exc}")


def _allowed_keys(cl: type) -> list[str]:
    if cl is Label:
        return ["id", "en"]
    if attrs.has(cl):
        return [a.name for a in attrs.fields(cl) if a.init]
    return []


def structure(data: Any, cl: type[T], source: str = "") -> T:
    """Build a ``cl`` from plain data, raising :class:`InputError` with every problem.

    Parameters
    ----------
    data : object
        Plain data as read from YAML, JSON or TOML.
    cl : type
        The model class to build.
    source : str
        Where the data came from (a file name), used as the prefix of every message.
    """
    try:
        return converter().structure(data, cl)
    except (cattrs.BaseValidationError, ModelError, FieldTypeError) as exc:
        raise InputError(source, _dedupe(problems_from(exc))) from None


def _dedupe(problems: Iterator[Problem]) -> list[Problem]:
    seen: dict[Problem, None] = {}
    for p in problems:
        seen.setdefault(p, None)
    return list(seen)


def unstructure(obj: Any) -> Any:
    """Plain data (dicts, lists, str, numbers) for a model object, defaults omitted."""
    return converter().unstructure(obj)

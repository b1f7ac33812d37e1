"""Method parameters: a frozen, hashable mapping of JSON-like values."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any, Union

from cityeval.errors import ModelError

__all__ = ["ParamValue", "Params"]

ParamValue = Union[None, bool, int, float, str, tuple["ParamValue", ...], "Params"]


def freeze(value: Any, path: tuple[str | int, ...] = ()) -> ParamValue:
    """Turn JSON-like data into hashable values: lists become tuples, mappings ``Params``."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            raise ModelError.at(path, "NaN is not a valid parameter value")
        return value
    if isinstance(value, Params):
        return value
    if isinstance(value, Mapping):
        return Params(value, _path=path)
    if isinstance(value, list | tuple):
        return tuple(freeze(v, (*path, i)) for i, v in enumerate(value))
    raise ModelError.at(path, f"unsupported parameter value of type {type(value).__name__}")


def thaw(value: ParamValue) -> Any:
    """The JSON-like form of a frozen value: tuples become lists, ``Params`` dicts."""
    if isinstance(value, Params):
        return value.to_dict()
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


class Params(Mapping[str, ParamValue]):
    """An immutable mapping of parameter names to JSON-like values.

    Examples
    --------
    >>> p = Params({"lower": 0, "upper": 100})
    >>> p["upper"], len(p), p == Params(upper=100, lower=0)
    (100, 2, True)
    """

    __slots__ = ("_items",)

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        /,
        *,
        _path: tuple[str | int, ...] = (),
        **kwargs: Any,
    ) -> None:
        merged = {**(data or {}), **kwargs}
        items = []
        for key, value in merged.items():
            if not isinstance(key, str):
                raise ModelError.at(_path, f"parameter names must be text, got {key!r}")
            items.append((key, freeze(value, (*_path, key))))
        self._items: tuple[tuple[str, ParamValue], ...] = tuple(sorted(items))

    def __getitem__(self, key: str) -> ParamValue:
        for k, v in self._items:
            if k == key:
                return v
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (k for k, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Params):
            return self._items == other._items
        if isinstance(other, Mapping):
            return self.to_dict() == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"Params({self.to_dict()!r})"

    def to_dict(self) -> dict[str, Any]:
        """Plain data: a dict with lists and dicts."""
        return {k: thaw(v) for k, v in self._items}

    def merged(self, other: Mapping[str, Any]) -> Params:
        """A copy with ``other``'s entries added or replacing these."""
        return Params({**self.to_dict(), **{k: thaw(freeze(v)) for k, v in other.items()}})

"""An immutable, ordered mapping (hashable when its values are): the one read-only mapping of
cityeval, for the file formats' mappings (targets by year, weights by node) and a data set's
groups and denominators. Unlike ``types.MappingProxyType`` it can be pickled."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

__all__ = ["FrozenMap", "frozen_map"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V]):
    """An immutable, hashable mapping that keeps the order it was given in.

    Used for the mappings of the file formats (targets by year, goals by dimension, weights
    by node id) and for a data set's groups and denominators.

    Examples
    --------
    >>> targets = FrozenMap({2018: 40.0, 2019: 60.0})
    >>> targets[2019], len(targets), targets == {2019: 60.0, 2018: 40.0}
    (60.0, 2, True)
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data: dict[K, V] = dict(data)

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._data == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


def frozen_map(value: Mapping[K, V]) -> FrozenMap[K, V]:
    """``value`` as a :class:`FrozenMap` (an attrs converter)."""
    return value if isinstance(value, FrozenMap) else FrozenMap(value)

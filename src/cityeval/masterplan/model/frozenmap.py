"""The masterplan model's read-only mappings: :class:`cityeval.model.frozenmap.FrozenMap`."""

from cityeval.model.frozenmap import FrozenMap, frozen_map

__all__ = ["FrozenMap", "frozen_map"]

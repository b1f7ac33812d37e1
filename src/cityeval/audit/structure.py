"""The index's tree as the audit reads it: levels, parents, groups and each stage's data.

COINr's analyses address nodes by level number (1 = indicators) and follow the index's
lineage; this module gives them both from an engine :class:`~cityeval.engine.Results`, and
the data set of each stage as a ``(n_units, n_columns)`` matrix. Panel results are audited
at their latest time point.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from attrs import frozen

from cityeval.errors import NotFoundError
from cityeval.i18n import _

if TYPE_CHECKING:
    from cityeval.engine import Results

__all__ = ["AGGREGATED", "Structure", "stage_data", "stage_names", "structure_of"]

FloatArray = npt.NDArray[np.float64]

#: COINr's "Aggregated" data set: the normalised indicators and every aggregate.
AGGREGATED = "aggregated"


@frozen
class Structure:
    """Levels, parents and children of every node of a scored framework.

    Attributes
    ----------
    levels : dict of str to int
        COINr's level number of every node (1 = indicators, the index the highest).
    parent : dict of str to str
        Every node's parent (the index has none).
    children : dict of str to tuple of str
        Every aggregate's children, in framework order.
    top : str
        The index.
    level_names : tuple of str
        Level names by number - 1.
    """

    levels: dict[str, int]
    parent: dict[str, str]
    children: dict[str, tuple[str, ...]]
    top: str
    level_names: tuple[str, ...]

    @property
    def max_level(self) -> int:
        """The index's level number."""
        return self.levels[self.top]

    def nodes_at(self, level: int) -> tuple[str, ...]:
        """The nodes of one level, in framework order."""
        return tuple(n for n, lev in self.levels.items() if lev == level)

    def ancestor_at(self, node: str, level: int) -> str | None:
        """The node's ancestor at ``level`` (itself at its own level), None above the index."""
        current: str | None = node
        while current is not None and self.levels[current] < level:
            current = self.parent.get(current)
        return current if current is not None and self.levels[current] == level else None

    def level_number(self, level: int | str) -> int:
        """A level given by number or by name, as a number; NotFoundError if unknown."""
        if isinstance(level, int) or (isinstance(level, str) and level.isdigit()):
            number = int(level)
            if 1 <= number <= self.max_level:
                return number
        elif level in self.level_names:
            return self.level_names.index(level) + 1
        raise NotFoundError(
            _("unknown level {level!r}: the levels are {known}").format(
                level=level,
                known=", ".join(f"{i + 1} ({n})" for i, n in enumerate(self.level_names)),
            )
        )


def structure_of(results: Results) -> Structure:
    """The :class:`Structure` of the framework the results were scored with."""
    compiled = results.compiled
    levels = dict.fromkeys(compiled.indicator_ids, 1)
    parent: dict[str, str] = {}
    children: dict[str, tuple[str, ...]] = {}
    for level in compiled.levels:
        for node, kids in zip(level.node_ids, level.child_ids, strict=True):
            levels[node] = level.number
            children[node] = kids
            for kid in kids:
                parent[kid] = node
    return Structure(
        levels=levels,
        parent=parent,
        children=children,
        top=compiled.top_id,
        level_names=compiled.level_names,
    )


def _latest(values: FloatArray) -> FloatArray:
    out: FloatArray = values[-1] if values.ndim == 3 else values
    return out


def stage_names(results: Results) -> tuple[str, ...]:
    """The stages the results keep, in pipeline order, then ``aggregated``."""
    return (*results.stages, AGGREGATED)


def stage_data(results: Results, stage: str) -> tuple[tuple[str, ...], FloatArray]:
    """The data set of one stage: its column ids and values of shape ``(n_units, n_columns)``.

    The indicator stages (``raw``, ``denominated``, ``imputed``, ``treated``, ``normalised``,
    as the pipeline produced them) hold the indicators; ``aggregated`` holds the normalised
    indicators and every aggregate, like COINr's "Aggregated" data set.
    """
    if stage == AGGREGATED:
        bottom_up = [n for level in results.compiled.levels for n in level.node_ids]
        order = [results.aggregate_ids.index(n) for n in bottom_up]
        values = np.concatenate(
            [_latest(results.normalised), _latest(results.aggregates)[:, order]], axis=1
        )
        return (*results.indicator_ids, *bottom_up), values
    if stage not in results.stages:
        raise NotFoundError(
            _("unknown stage {stage!r}: this run has {known}").format(
                stage=stage, known=", ".join(stage_names(results))
            )
        )
    return results.indicator_ids, _latest(results.stages[stage])

"""The framework tree compiled once into arrays, level by level, for vectorised scoring."""

from __future__ import annotations

from attrs import frozen

from cityeval.model import Dimension, Framework, Indicator, Label

__all__ = ["AggregateLevel", "CompiledFramework", "compile_framework"]


@frozen
class AggregateLevel:
    """One level of aggregate nodes and how its children map onto the level below.

    Attributes
    ----------
    number : int
        COINr's level number: 1 is the indicators, 2 the first aggregates, and so on.
    name : str
        The framework's name for the level (``"index"`` for a synthetic root).
    node_ids : tuple of str
        The aggregates of this level, in framework order, ``n_parents`` of them.
    children : tuple of tuple of int
        For each node, the column indices of its children in the level below.
    child_ids : tuple of tuple of str
        The same children by id.
    """

    number: int
    name: str
    node_ids: tuple[str, ...]
    children: tuple[tuple[int, ...], ...]
    child_ids: tuple[tuple[str, ...], ...]

    @property
    def segment_starts(self) -> tuple[int, ...] | None:
        """Where each node's children start, when they tile the level below in order.

        A tree compiled in framework order always tiles (each node's children are one
        contiguous run, nodes in order), which lets a level be aggregated with segment sums.
        """
        starts: list[int] = []
        position = 0
        for kids in self.children:
            if not kids or list(kids) != list(range(position, position + len(kids))):
                return None
            starts.append(position)
            position += len(kids)
        return tuple(starts)


@frozen
class CompiledFramework:
    """A scorable framework as arrays: indicators, directions and the aggregate levels.

    Attributes
    ----------
    framework : Framework
        The source tree.
    indicator_ids : tuple of str
        Indicator columns, ``n_indicators`` of them, in framework order.
    direction : tuple of int
        ``+1`` or ``-1`` per indicator.
    levels : tuple of AggregateLevel
        Bottom-up: the parents of the indicators first, the top last.
    root_id : str or None
        The id of the synthetic overall index added above several top nodes (the framework's
        id), or None when the framework has a single top node.
    labels : dict of str to Label
        Every node's label, the synthetic root included.
    level_names : tuple of str
        Level names by COINr number - 1 (index 0 is the indicator level).
    """

    framework: Framework
    indicator_ids: tuple[str, ...]
    direction: tuple[int, ...]
    levels: tuple[AggregateLevel, ...]
    root_id: str | None
    labels: dict[str, Label]
    level_names: tuple[str, ...]

    @property
    def aggregate_ids(self) -> tuple[str, ...]:
        """Every aggregate id, top first (the layout of score tables)."""
        return tuple(i for level in reversed(self.levels) for i in level.node_ids)

    @property
    def top_id(self) -> str:
        """The id of the single top node (the overall index)."""
        return self.levels[-1].node_ids[0]

    def level_of(self, node_id: str) -> int:
        """COINr's level number of a node (1 for indicators)."""
        if node_id in self.indicator_ids:
            return 1
        for level in self.levels:
            if node_id in level.node_ids:
                return level.number
        raise KeyError(node_id)


def compile_framework(framework: Framework) -> CompiledFramework:
    """Compile a scorable framework into arrays, once per framework object (cached).

    See :func:`_compile` for what the compiled form holds.
    """
    return framework.derived("engine.compiled", lambda: _compile(framework))


def _compile(framework: Framework) -> CompiledFramework:
    """Compile a scorable (non-template) framework into arrays.

    When the framework has several top nodes, an overall index named after the framework is
    added above them, aggregated like any other node.

    Raises
    ------
    ModelError
        If the framework is a template without indicators.
    """
    from cityeval.errors import ModelError

    if framework.template or not framework.indicators():
        raise ModelError.at(
            (),
            f"framework {framework.id!r} is a template without indicators; it cannot be "
            "scored until indicators are supplied",
        )
    indicators = framework.indicators()
    indicator_ids = tuple(i.id for i in indicators)
    direction = tuple(i.direction.sign for i in indicators)
    leaf_depth = framework.depth(indicator_ids[0])
    labels: dict[str, Label] = {n.id: n.label for n in framework.walk()}

    below: dict[str, int] = {node_id: k for k, node_id in enumerate(indicator_ids)}
    levels: list[AggregateLevel] = []
    for number, depth in enumerate(range(leaf_depth - 1, -1, -1), start=2):
        nodes = [n for n in framework.aggregates() if framework.depth(n.id) == depth]
        child_ids = tuple(tuple(m.id for m in _members(n)) for n in nodes)
        levels.append(
            AggregateLevel(
                number=number,
                name=framework.levels[depth],
                node_ids=tuple(n.id for n in nodes),
                children=tuple(tuple(below[c] for c in ids) for ids in child_ids),
                child_ids=child_ids,
            )
        )
        below = {n.id: k for k, n in enumerate(nodes)}
    root_id = None
    if len(framework.dimensions) > 1:
        root_id = framework.id
        tops = tuple(d.id for d in framework.dimensions)
        levels.append(
            AggregateLevel(
                number=len(levels) + 2,
                name="index",
                node_ids=(root_id,),
                children=(tuple(range(len(tops))),),
                child_ids=(tops,),
            )
        )
        labels[root_id] = framework.name
    names = tuple(framework.levels[leaf_depth - k] for k in range(leaf_depth + 1))
    if root_id is not None:
        names = (*names, "index")
    return CompiledFramework(
        framework=framework,
        indicator_ids=indicator_ids,
        direction=direction,
        levels=tuple(levels),
        root_id=root_id,
        labels=labels,
        level_names=names,
    )


def _members(node: Dimension) -> tuple[Dimension | Indicator, ...]:
    return node.members

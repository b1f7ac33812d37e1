"""Frameworks: a named tree of dimensions and indicators, validated as a whole."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Literal, Protocol, TypeVar, runtime_checkable

from attrs import field, frozen

from cityeval.errors import ModelError, NotFoundError, Problem
from cityeval.i18n import _
from cityeval.model._checks import check_id
from cityeval.model.bands import Band, band_problems
from cityeval.model.dimension import Dimension, Node
from cityeval.model.indicator import Indicator
from cityeval.model.labels import Label
from cityeval.model.params import Params
from cityeval.model.pipeline import Pipeline, target_problems
from cityeval.model.sources import Source
from cityeval.model.tree_weights import normalise_among_siblings, reweighted

__all__ = ["Framework", "NodeInfo", "WeightSet", "WeightingScheme"]

T = TypeVar("T")

Path = tuple[str | int, ...]


@runtime_checkable
class WeightingScheme(Protocol):
    """Gives every node of a framework a raw weight relative to its siblings.

    Only ratios among siblings matter: the framework normalises them to sum to one. The
    schemes themselves (:class:`~cityeval.model.ExplicitWeights`,
    :class:`~cityeval.model.EqualWeights` and those of plugins) live in
    :mod:`cityeval.model.weighting`, above this module.
    """

    name: str

    def weights(self, framework: Framework) -> dict[str, float]:
        """Raw weight of every node (dimensions and indicators), keyed by node id."""
        ...


@frozen
class NodeInfo:
    """Where a node sits in its framework.

    Attributes
    ----------
    node : Dimension or Indicator
        The node itself.
    parent : str or None
        The id of its parent; None for a top node.
    depth : int
        0 for top nodes, 1 for their children, and so on.
    path : tuple of str
        Ids from the top node down to this node, both included.
    location : tuple of str or int
        Its field path in the file format, such as ``("dimensions", 2, "children", 0)``.
    """

    node: Node
    parent: str | None
    depth: int
    path: tuple[str, ...]
    location: Path


def _check_weight_values(instance: object, attribute: object, value: Params) -> None:
    for node_id, w in value.items():
        if isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w) or w < 0:
            raise ModelError.at(
                ("weights", node_id),
                _("must be a finite number >= 0, got {value!r}").format(value=w),
            )


def _to_params(value: object) -> Params:
    return value if isinstance(value, Params) else Params(value)  # type: ignore[arg-type]


@frozen
class WeightSet:
    """A named alternative set of weights, such as a published variant of an index.

    Parameters
    ----------
    name : str
        The set's name, used by the ``explicit`` weighting method's ``set`` parameter.
    weights : Params
        Node id to weight (relative to siblings); nodes not listed keep their own weight.
    description : str, optional
        Where the set comes from.
    """

    name: str = field(validator=check_id)
    weights: Params = field(converter=_to_params, validator=_check_weight_values)
    description: str | None = None


def _check_levels(instance: object, attribute: object, value: tuple[str, ...]) -> None:
    if not value:
        raise ModelError.at(
            ("levels",), _("name at least one level (for example: dimension, indicator)")
        )
    seen: set[str] = set()
    for i, name in enumerate(value):
        if not name.strip():
            raise ModelError.at(("levels", i), _("a level name must not be empty"))
        if name in seen:
            raise ModelError.at(
                ("levels", i), _("duplicate level name {name!r}").format(name=name)
            )
        seen.add(name)


@frozen
class Framework:
    """A composite-indicator framework: a tree of dimensions with indicators at its leaves.

    Validation runs when the framework is built, whatever its source: ids are unique across the
    tree, sibling weights are finite, non-negative and not all zero, ordinal scales have at least
    two levels, bounds agree with the scale and direction, level names are known and match
    each node's depth, and (unless the framework is a ``template``) every dimension has
    indicators below it. Each problem names the node's location, such as
    ``dimensions[2].children[0].weight``.

    Parameters
    ----------
    id : str
        The framework's registry name, such as ``"gerakan100"``.
    name : Label
        Bilingual name.
    levels : tuple of str
        Names of the tree's levels from the top down, such as
        ``("dimension", "element", "indicator")``.
    dimensions : tuple of Dimension
        The top nodes.
    version : str, optional
        Edition of the framework ("2017", "59/2020").
    weight_sets : tuple of WeightSet
        Named alternative weights (for example published variants of an index).
    pipeline : Pipeline, optional
        The framework's default construction pipeline.
    bands : tuple of Band
        Named ranges (predicates) of the overall index: of the single top node, or of the
        index the engine forms above several top nodes.
    template : bool
        True when the indicators are supplied later (for example by a regency's masterplan);
        a template may have dimensions without indicators and cannot be scored as it is.
    description : Label, optional
        What the framework is for.
    citation : str, optional
        How to cite it.
    sources : tuple of Source
        Where its facts come from, with grades.
    note : str, optional
        Free remarks, such as where sources disagree.
    """

    id: str = field(validator=check_id)
    name: Label
    levels: tuple[str, ...] = field(validator=_check_levels)
    dimensions: tuple[Dimension, ...]
    version: str | None = None
    template: bool = False
    description: Label | None = None
    citation: str | None = None
    sources: tuple[Source, ...] = ()
    note: str | None = None
    weight_sets: tuple[WeightSet, ...] = ()
    pipeline: Pipeline | None = None
    bands: tuple[Band, ...] = ()
    _index: dict[str, NodeInfo] = field(init=False, repr=False, eq=False, hash=False)
    _derived: dict[str, Any] = field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        index: dict[str, NodeInfo] = {}
        problems: list[Problem] = []
        self._build_index(index, problems)
        if not problems:
            self._check_extras(index, problems)
        if problems:
            raise ModelError(problems)
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_derived", {})

    # -- validation -----------------------------------------------------------------------

    def _build_index(self, index: dict[str, NodeInfo], problems: list[Problem]) -> None:
        if not self.dimensions:
            problems.append(
                Problem(("dimensions",), _("a framework needs at least one dimension"))
            )
            return
        if sum(d.weight for d in self.dimensions) <= 0:
            problems.append(
                Problem(("dimensions",), _("the weights of the top dimensions sum to zero"))
            )
        leaf_depths: dict[int, str] = {}
        stack: list[tuple[Node, str | None, int, tuple[str, ...], Path]] = [
            (d, None, 0, (), ("dimensions", i))
            for i, d in reversed(list(enumerate(self.dimensions)))
        ]
        while stack:
            node, parent, depth, above, loc = stack.pop()
            path = (*above, node.id)
            if node.id in index:
                first = index[node.id].location
                problems.append(
                    Problem(
                        (*loc, "id"),
                        _("duplicate id {node!r} (first used at {first})").format(
                            node=node.id, first=_fmt((*first, "id"))
                        ),
                    )
                )
            else:
                index[node.id] = NodeInfo(node, parent, depth, path, loc)
            self._check_level(node, depth, loc, problems)
            if isinstance(node, Indicator):
                leaf_depths.setdefault(depth, node.id)
                continue
            if not node.members and not self.template:
                problems.append(
                    Problem(
                        loc,
                        _(
                            "dimension {node!r} has no indicators below it; add indicators or "
                            "declare the framework a template (template: true)"
                        ).format(node=node.id),
                    )
                )
            key = "children" if node.children else "indicators"
            for i, member in reversed(list(enumerate(node.members))):
                stack.append((member, node.id, depth + 1, path, (*loc, key, i)))
        if len(leaf_depths) > 1:
            shallow, deep = min(leaf_depths), max(leaf_depths)
            # Located at the shallower indicator: the one usually misplaced.
            where = index[leaf_depths[shallow]].location if leaf_depths[shallow] in index else ()
            problems.append(
                Problem(
                    where,
                    _(
                        "indicators sit at different depths: {shallow!r} at level "
                        "{shallow_level} and {deep!r} at level {deep_level}; "
                        "every indicator must be at the same level"
                    ).format(
                        shallow=leaf_depths[shallow],
                        shallow_level=shallow + 1,
                        deep=leaf_depths[deep],
                        deep_level=deep + 1,
                    ),
                )
            )

    def _check_extras(self, index: dict[str, NodeInfo], problems: list[Problem]) -> None:
        if self.id in index:
            problems.append(
                Problem(("id",), _("the framework id {id!r} is also a node id").format(id=self.id))
            )
        problems.extend(p.prefixed(("bands",)) for p in band_problems(self.bands))
        seen: set[str] = set()
        for i, ws in enumerate(self.weight_sets):
            if ws.name in seen:
                problems.append(
                    Problem(
                        ("weight_sets", i, "name"),
                        _("duplicate weight set {name!r}").format(name=ws.name),
                    )
                )
            seen.add(ws.name)
            problems.extend(
                Problem(
                    ("weight_sets", i, "weights", node_id),
                    _("unknown node {node!r}").format(node=node_id),
                )
                for node_id in ws.weights
                if node_id not in index
            )
        if self.pipeline is not None:
            kinds = {k: isinstance(v.node, Indicator) for k, v in index.items()}
            for path, message in target_problems(self.pipeline, self.levels, kinds):
                problems.append(Problem(("pipeline", *path), message))

    def derived(self, key: str, make: Callable[[], T]) -> T:
        """A value computed once from this (immutable) framework and kept with it.

        Layers above the model (the engine's compiled arrays) cache their work here, so that
        scoring the same framework again does not repeat it.
        """
        cache = self._derived
        if key not in cache:
            cache[key] = make()
        value: T = cache[key]
        return value

    def weight_set(self, name: str) -> WeightSet:
        """The weight set called ``name``."""
        for ws in self.weight_sets:
            if ws.name == name:
                return ws
        known = ", ".join(ws.name for ws in self.weight_sets) or _("none")
        raise NotFoundError(
            _("framework {framework!r} has no weight set {name!r} (sets: {known})").format(
                framework=self.id, name=name, known=known
            )
        )

    def _check_level(self, node: Node, depth: int, loc: Path, problems: list[Problem]) -> None:
        if depth >= len(self.levels):
            problems.append(
                Problem(
                    loc,
                    _(
                        "node {node!r} is at depth {depth} but the framework names only "
                        "{count} levels ({levels})"
                    ).format(
                        node=node.id,
                        depth=depth + 1,
                        count=len(self.levels),
                        levels=", ".join(self.levels),
                    ),
                )
            )
            return
        if node.level is None:
            return
        if node.level not in self.levels:
            problems.append(
                Problem(
                    (*loc, "level"),
                    _("unknown level {level!r} (levels are: {levels})").format(
                        level=node.level, levels=", ".join(self.levels)
                    ),
                )
            )
        elif node.level != self.levels[depth]:
            problems.append(
                Problem(
                    (*loc, "level"),
                    _(
                        "level {level!r} does not match the node's depth: it sits at level "
                        "{actual!r}"
                    ).format(level=node.level, actual=self.levels[depth]),
                )
            )

    # -- tree queries -----------------------------------------------------------------------

    def walk(self) -> Iterator[Node]:
        """Every node, depth first, parents before children, in file order."""
        for info in self._index.values():
            yield info.node

    def indicators(self) -> tuple[Indicator, ...]:
        """The leaves, in file order."""
        return tuple(n for n in self.walk() if isinstance(n, Indicator))

    leaves = indicators

    def aggregates(self) -> tuple[Dimension, ...]:
        """The inner nodes, in file order (parents before children)."""
        return tuple(n for n in self.walk() if isinstance(n, Dimension))

    def info(self, node_id: str) -> NodeInfo:
        """Where the node ``node_id`` sits; raises :class:`NotFoundError` if there is none."""
        try:
            return self._index[node_id]
        except KeyError:
            raise NotFoundError(
                _("framework {framework!r} has no node {node!r}").format(
                    framework=self.id, node=node_id
                )
            ) from None

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._index

    def node(self, node_id: str) -> Node:
        """The node with id ``node_id``."""
        return self.info(node_id).node

    def path(self, node_id: str) -> tuple[str, ...]:
        """Ids from the top node down to ``node_id``, both included."""
        return self.info(node_id).path

    def ancestors(self, node_id: str) -> tuple[str, ...]:
        """Ids of the node's ancestors, nearest first."""
        return tuple(reversed(self.info(node_id).path[:-1]))

    def parent(self, node_id: str) -> str | None:
        """The id of the node's parent, or None for a top node."""
        return self.info(node_id).parent

    def children(self, node_id: str) -> tuple[Node, ...]:
        """The nodes directly below ``node_id`` (empty for an indicator)."""
        node = self.node(node_id)
        return node.members if isinstance(node, Dimension) else ()

    def depth(self, node_id: str) -> int:
        """0 for a top node, 1 for its children, and so on."""
        return self.info(node_id).depth

    def level(self, node_id: str) -> str:
        """The name of the level the node sits at."""
        return self.levels[self.depth(node_id)]

    @property
    def height(self) -> int:
        """The number of levels actually present in the tree."""
        return 1 + max(info.depth for info in self._index.values())

    # -- weights ---------------------------------------------------------------------------

    def sibling_weights(self, scheme: WeightingScheme | None = None) -> dict[str, float]:
        """Each node's weight normalised to sum to one among its siblings.

        Parameters
        ----------
        scheme : WeightingScheme, optional
            Where raw weights come from; the weights declared in the framework by default.
        """
        if scheme is None:
            raw = {node.id: node.weight for node in self.walk()}
        else:
            raw = scheme.weights(self)
        return normalise_among_siblings(self.dimensions, raw)

    def effective_weights(
        self,
        scheme: WeightingScheme | None = None,
        *,
        nodes: bool = False,
        within: Literal["top", "index"] = "top",
    ) -> dict[str, float]:
        """Each indicator's effective weight: the product of normalised weights on its path.

        Parameters
        ----------
        scheme : WeightingScheme, optional
            Where raw weights come from; the weights declared in the framework by default.
        nodes : bool
            Also report every inner node's effective weight.
        within : {"top", "index"}
            ``"top"``: the weight inside the indicator's top node (the product starts below
            the top node, so the indicators under each top node sum to one). ``"index"``: the
            weight in the overall index formed from the top nodes (the top node's own
            normalised weight is included, so all indicators sum to one, as COINr's
            ``get_eff_weights`` reports at the index level).

        Returns
        -------
        dict of str to float
            Indicator id (and, with ``nodes``, dimension id) to effective weight.
        """
        if within not in ("top", "index"):
            raise ModelError.at(
                ("within",),
                _("must be 'top' or 'index', got {value!r}").format(value=within),
            )
        normalised = self.sibling_weights(scheme)
        start = 0 if within == "index" else 1
        result: dict[str, float] = {}
        for node in self.walk():
            if not nodes and not isinstance(node, Indicator):
                continue
            w = 1.0
            for node_id in self.info(node.id).path[start:]:
                w *= normalised[node_id]
            result[node.id] = w
        return result

    def replace_weights(self, weights: Mapping[str, float]) -> Framework:
        """A copy with the given nodes' weights replaced (other nodes keep theirs)."""
        import attrs

        unknown = sorted(set(weights) - set(self._index))
        if unknown:
            raise NotFoundError(
                _("framework {framework!r} has no node(s) {nodes}").format(
                    framework=self.id, nodes=", ".join(map(repr, unknown))
                )
            )
        return attrs.evolve(self, dimensions=reweighted(self.dimensions, weights))


def _fmt(loc: Path) -> str:
    from cityeval.errors import format_path

    return format_path(loc)

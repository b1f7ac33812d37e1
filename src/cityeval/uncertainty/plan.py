"""The compiled analysis a batch of draws is evaluated against: plain arrays, picklable.

A :class:`Plan` is what workers receive. It holds the normalised matrix of every
pre-aggregation variant, the tree as parent indices level by level, the weights that do not
vary, and how each column of the sample matrix decodes into a draw's settings. Nothing in it
refers to the plugin host, files or the engine, so it travels to processes and Dask workers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import numpy as np
import numpy.typing as npt
from attrs import define, field, fields

from cityeval.uncertainty.kernels import BatchedAggregator

__all__ = ["FactorPlan", "LevelPlan", "Plan"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
T = TypeVar("T")


@define(frozen=True, eq=False)
class LevelPlan:
    """One aggregate level: its children's parents and their weights.

    Attributes
    ----------
    parent : ndarray of intp, shape ``(n_children,)``
        The parent (column of this level) of each column of the level below.
    n_parents : int
        Nodes of this level.
    base_weights : ndarray of shape ``(n_children,)``
        The children's weights shared by every draw before noise and exclusion (the
        pipeline's, or the one weight set all options agree on), normalised per parent.
    varies : bool
        Whether a factor changes these weights from draw to draw.
    sets_vary : bool
        Whether the weight-set options disagree at this level.
    """

    parent: IntArray
    n_parents: int
    base_weights: FloatArray
    varies: bool = False
    sets_vary: bool = False

    @property
    def fixed_weights(self) -> FloatArray | None:
        """The weights every draw shares, or None when they vary."""
        return None if self.varies else self.base_weights

    def membership(self, weights: FloatArray) -> FloatArray:
        """Weights ``(..., C)`` as a membership matrix ``(..., C, P)`` for the matrix kernels."""
        out = np.zeros((*weights.shape, self.n_parents))
        index = np.broadcast_to(self.parent[:, np.newaxis], (*weights.shape, 1))
        np.put_along_axis(out, index, weights[..., np.newaxis], axis=-1)
        return out


@define(frozen=True, eq=False)
class FactorPlan:
    """How one factor's columns of the sample matrix decode.

    Attributes
    ----------
    name : str
        The user's name for the factor.
    form : str
        ``noise``, ``sets``, ``choices``, ``param`` or ``exclude``.
    columns : tuple of (int, int)
        ``start, stop`` of its columns in the sample matrix.
    n_options : int
        Options of a discrete factor (``floor(u * n_options)`` picks one); 0 for noise.
    labels : tuple of str
        The option labels (discrete) or the weighted node ids (noise), for ``draws.csv``.
    level : int
        Index of the aggregate level whose children's weights it changes (-1: none).
    noise : float
        Relative half-width of weight noise.
    set_weights : tuple of tuple of ndarray
        For weight-set factors: per option, per aggregate level, the children's weights.
    radix : int
        For pre-aggregation factors: the stride of this factor in the variant index.
    """

    name: str
    form: str
    columns: tuple[int, int]
    n_options: int
    labels: tuple[str, ...]
    level: int = -1
    noise: float = 0.0
    set_weights: tuple[tuple[FloatArray, ...], ...] = ()
    radix: int = 0
    pre_aggregation: bool = False
    aggregation: bool = False

    def option(self, u: FloatArray) -> IntArray:
        """The option index of each draw: ``floor(u * n_options)``, the last for ``u = 1``."""
        idx = np.floor(u[:, self.columns[0]] * self.n_options).astype(np.intp)
        return np.minimum(np.maximum(idx, 0), self.n_options - 1)


@define(frozen=True, eq=False)
class Plan:
    """Everything a worker needs to evaluate draws.

    Attributes
    ----------
    n_units : int
        Units ranked.
    levels : tuple of LevelPlan
        Bottom-up, as :attr:`cityeval.engine.CompiledFramework.levels`.
    level_offsets : tuple of int
        Where each level's nodes start in the internal node order (bottom-up, level by level).
    first_varying : int
        Index of the lowest level whose weights vary; ``len(levels)`` when none does.
    factors : tuple of FactorPlan
        In sample-matrix column order.
    variant_of_combo : ndarray of intp
        The distinct normalised matrix of each combination of pre-aggregation options.
    methods : tuple of (str, dict)
        Aggregation methods with their kernel parameters; 0 is the pipeline's own.
    rescale : ndarray of bool, shape ``(n_variants, n_methods)``
        Where the positivity rule applies (the variant has values the method cannot take).
    inputs : tuple of ndarray
        Per group ``variant * n_methods + method``: the values entering level
        ``first_varying``, shape ``(n_units, n_children)``.
    threshold : float or None
        The aggregate step's data-availability threshold.
    nominal_top_rank : ndarray of shape ``(n_units,)``
        The engine's ranks of the top node, for the mean absolute rank shift.
    prefix_top_rank : tuple of ndarray
        Per group, the top node's ranks when no level varies (else empty).
    rows_per_block : int
        Rows of one Saltelli block (``n_factors + 2``), or 1 for Monte Carlo.
    sobol : bool
        Whether rows follow Saltelli's layout (A, AB_1..AB_k, B).
    n_nodes : int
        Aggregate nodes.
    kept : tuple of int
        The nodes (internal order) whose ranks and scores are summarised over the draws;
        every node is computed, only these are ranked, stored and counted. Always holds the
        top node (the last).
    kernels : tuple of BatchedAggregator
        The batched form of each of :attr:`methods`, from the method registry.
    """

    n_units: int
    levels: tuple[LevelPlan, ...]
    level_offsets: tuple[int, ...]
    first_varying: int
    factors: tuple[FactorPlan, ...]
    variant_of_combo: IntArray
    methods: tuple[tuple[str, dict[str, object]], ...]
    rescale: npt.NDArray[np.bool_]
    inputs: tuple[FloatArray, ...]
    threshold: float | None
    nominal_top_rank: FloatArray
    prefix_top_rank: tuple[FloatArray, ...]
    rows_per_block: int
    sobol: bool
    n_nodes: int = field(default=0)
    kept: tuple[int, ...] = field(default=())
    kernels: tuple[BatchedAggregator, ...] = field(default=())
    _derived: dict[object, object] = field(factory=dict, init=False, repr=False)

    def derived(self, key: object, make: Callable[[], T]) -> T:
        """A value computed once from this plan in this process and kept with it (as
        :meth:`cityeval.model.Framework.derived`): what batches reuse batch after batch."""
        cache = self._derived
        if key not in cache:
            cache[key] = make()
        value: T = cache[key]  # type: ignore[assignment]
        return value

    def __getstate__(self) -> dict[str, object]:
        # Workers derive their own values: nothing of the cache travels.
        state = {a.name: getattr(self, a.name) for a in fields(type(self))}
        state["_derived"] = {}
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)

    @property
    def n_methods(self) -> int:
        """Aggregation options."""
        return len(self.methods)

    @property
    def n_groups(self) -> int:
        """Distinct (variant, aggregation method) pairs."""
        return int(self.rescale.size)

    @property
    def varying_offset(self) -> int:
        """First internal node column computed per draw."""
        if self.first_varying >= len(self.levels):
            return self.n_nodes
        return self.level_offsets[self.first_varying]

    @property
    def n_varying_nodes(self) -> int:
        """Aggregate nodes whose scores are computed per draw."""
        return self.n_nodes - self.varying_offset

    @property
    def kept_varying(self) -> IntArray:
        """Positions among the per-draw nodes of the summarised ones, ascending."""
        offset = self.varying_offset
        return np.array([j - offset for j in self.kept if j >= offset], dtype=np.intp)

    @property
    def kept_prefix(self) -> tuple[int, ...]:
        """The summarised nodes below the first varying level (internal order)."""
        return tuple(j for j in self.kept if j < self.varying_offset)

    @property
    def n_kept_varying(self) -> int:
        """Per-draw nodes that are ranked, stored and summarised."""
        return int(self.kept_varying.shape[0])

    def slots(self, row0: int, n_rows: int) -> tuple[int, npt.NDArray[np.bool_]]:
        """The first uncertainty slot of a batch and which of its rows fill slots.

        Monte Carlo: every row. Sobol: the A and B rows of each block (COINr's practice: the
        cross-sampled rows are for the indices only).
        """
        rows = np.arange(row0, row0 + n_rows)
        if not self.sobol:
            return row0, np.ones(n_rows, dtype=bool)
        k = self.rows_per_block
        pos = rows % k
        return 2 * (row0 // k), (pos == 0) | (pos == k - 1)

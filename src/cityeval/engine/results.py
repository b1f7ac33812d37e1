"""The results of a pipeline run; their files are written by :mod:`cityeval.engine.export`."""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from attrs import define, frozen

from cityeval.engine.compiled import CompiledFramework
from cityeval.methods.ranking import strongest_weakest
from cityeval.model import Band, Dimension, Pipeline, band_for

if TYPE_CHECKING:
    import pandas as pd

    from cityeval.data import Dataset
    from cityeval.engine.export import StageMode

from cityeval.methods.treat import TreatmentResult

__all__ = ["Results", "TreatmentRecord"]

FloatArray = npt.NDArray[np.float64]


def _num(value: float) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


@frozen
class TreatmentRecord:
    """What outlier treatment did to one indicator (at one time point for panel data)."""

    indicator: str
    method: str
    time: float | None
    winsorised_high: int
    winsorised_low: int
    log_applied: bool
    passes: int
    skew_before: float | None
    kurt_before: float | None
    skew_after: float | None
    kurt_after: float | None
    still_failing: bool
    degenerate: bool

    @classmethod
    def from_kernel(
        cls, indicator: str, method: str, result: TreatmentResult, k: int, time: float | None
    ) -> TreatmentRecord:
        """Record column ``k`` of a treatment kernel's result."""
        return cls(
            indicator=indicator,
            method=method,
            time=time,
            winsorised_high=int(result.winsorised_high[k]),
            winsorised_low=int(result.winsorised_low[k]),
            log_applied=bool(result.log_applied[k]),
            passes=int(result.passes[k]),
            skew_before=_num(float(result.skew_before[k])),
            kurt_before=_num(float(result.kurt_before[k])),
            skew_after=_num(float(result.skew_after[k])),
            kurt_after=_num(float(result.kurt_after[k])),
            still_failing=bool(result.failed[k]),
            degenerate=bool(result.degenerate[k]),
        )

    @property
    def treated(self) -> bool:
        """Whether any value of the indicator was changed."""
        return self.log_applied or self.winsorised_high > 0 or self.winsorised_low > 0


@define(frozen=True, eq=False)
class Results:
    """Scores and ranks for every node and unit, with everything needed to reproduce them.

    Attributes
    ----------
    compiled : CompiledFramework
        The framework as scored (with its synthetic overall index, if any).
    pipeline : Pipeline
        The pipeline that produced the results.
    dataset : Dataset
        The raw data, columns in framework order.
    stages : dict of str to ndarray
        Intermediate data sets by stage name (``raw``, ``denominated``, ``imputed``,
        ``treated``, ``normalised``), each of shape ``(..., n_units, n_indicators)``.
    aggregates : ndarray of shape ``(..., n_units, n_aggregates)``
        Aggregate scores, columns in :attr:`aggregate_ids` order (top node first).
    ranks : ndarray of shape ``(..., n_units, n_aggregates)``
        Ranks of the aggregates, 1 = best; ties share the best rank; NaN where missing.
    weights : dict of str to tuple of float
        For every aggregate, the normalised weights of its children as used.
    weight_info : dict of str to dict
        What weighting methods reported (for example AHP consistency ratios).
    treatment : tuple of TreatmentRecord
        The outlier-treatment report (built from ``treatment_runs`` when first read).
    treatment_runs : tuple
        What each treatment kernel call returned: ``(indicator ids, method, result, time)``.
    notes : tuple of str
        Other things the run reports (for example divisions by zero).
    """

    compiled: CompiledFramework
    pipeline: Pipeline
    dataset: Dataset
    stages: dict[str, FloatArray]
    aggregates: FloatArray
    ranks: FloatArray
    weights: dict[str, tuple[float, ...]]
    weight_info: dict[str, dict[str, Any]]
    treatment_runs: tuple[tuple[tuple[str, ...], str, TreatmentResult, float | None], ...]
    notes: tuple[str, ...]

    # -- access ------------------------------------------------------------------------------

    @cached_property
    def treatment(self) -> tuple[TreatmentRecord, ...]:
        """The outlier-treatment report: one record per indicator (and time point)."""
        return tuple(
            TreatmentRecord.from_kernel(ind, method, result, k, time)
            for ids, method, result, time in self.treatment_runs
            for k, ind in enumerate(ids)
        )

    @property
    def units(self) -> tuple[str, ...]:
        """Unit codes, in row order."""
        return self.dataset.units

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        """Indicator ids, in column order."""
        return self.compiled.indicator_ids

    @property
    def aggregate_ids(self) -> tuple[str, ...]:
        """Aggregate ids, top node first."""
        return self.compiled.aggregate_ids

    @property
    def top_id(self) -> str:
        """The id of the overall index."""
        return self.compiled.top_id

    @property
    def normalised(self) -> FloatArray:
        """The normalised indicators, shape ``(..., n_units, n_indicators)``."""
        return self.stages["normalised"]

    @property
    def node_ids(self) -> tuple[str, ...]:
        """Every node of the score table: aggregates top first, then indicators."""
        return (*self.aggregate_ids, *self.indicator_ids)

    @property
    def scores(self) -> FloatArray:
        """Scores of every node, shape ``(..., n_units, n_nodes)``, columns as :attr:`node_ids`."""
        return np.concatenate([self.aggregates, self.normalised], axis=-1)

    def score(self, node_id: str) -> FloatArray:
        """Scores of one node for every unit, shape ``(..., n_units)``."""
        if node_id in self.aggregate_ids:
            return self.aggregates[..., self.aggregate_ids.index(node_id)]
        return self.normalised[..., self.indicator_ids.index(node_id)]

    def rank(self, node_id: str) -> FloatArray:
        """Ranks of one aggregate for every unit, shape ``(..., n_units)``."""
        return self.ranks[..., self.aggregate_ids.index(node_id)]

    def effective_weights(self) -> dict[str, float]:
        """Every node's effective weight in the overall index, as the run weighted it.

        The product of the normalised weights actually used (declared, a weight set, or a
        data-driven method) along the path from the index down to the node; the indicators'
        effective weights sum to one.
        """
        parent: dict[str, tuple[str, float]] = {}
        for level in self.compiled.levels:
            for node, kids in zip(level.node_ids, level.child_ids, strict=True):
                for kid, w in zip(kids, self.weights[node], strict=True):
                    parent[kid] = (node, w)
        out: dict[str, float] = {}
        for node in (*self.aggregate_ids, *self.indicator_ids):
            w, current = 1.0, node
            while current in parent:
                current, step = parent[current][0], parent[current][1]
                w *= step
            out[node] = w
        return out

    def bands_of(self, node_id: str) -> tuple[Band, ...]:
        """The named ranges (predicates) declared for a node's score, if any.

        The framework's own ``bands`` belong to the overall index (its single top node, or
        the index formed above several top nodes).
        """
        fw = self.compiled.framework
        if node_id == self.top_id and fw.bands:
            return fw.bands
        if node_id in fw and isinstance(fw.node(node_id), Dimension):
            bands: tuple[Band, ...] = fw.node(node_id).bands  # type: ignore[union-attr]
            return bands
        return ()

    def predicates(self) -> dict[str, dict[str, Any]]:
        """For every node with bands, each unit's band label (None outside every band).

        Returns ``{node: {unit: Label or None}}``; for panel data, the latest time point.
        """
        out: dict[str, dict[str, Any]] = {}
        for node in self.aggregate_ids:
            bands = self.bands_of(node)
            if not bands:
                continue
            values = self.score(node)
            if values.ndim > 1:
                values = values[-1]
            found = {}
            for u, unit in enumerate(self.units):
                band = band_for(bands, float(values[u]))
                found[unit] = None if band is None else band.label
            out[node] = found
        return out

    def strongest_weakest(self, k: int = 3) -> dict[str, dict[str, list[str]]]:
        """Each unit's ``k`` strongest and weakest indicators (by normalised score).

        For panel data, the latest time point is used.
        """
        values = self.normalised
        if values.ndim == 3:
            values = values[-1]
        sw = strongest_weakest(values, k)
        ids = self.indicator_ids
        return {
            unit: {
                "strongest": [ids[i] for i in sw.strongest[u] if i >= 0],
                "weakest": [ids[i] for i in sw.weakest[u] if i >= 0],
            }
            for u, unit in enumerate(self.units)
        }

    # -- exports (cityeval.engine.export) ------------------------------------------------------

    def to_dict(self, *, stages: StageMode = "changes") -> dict[str, Any]:
        """``results.json`` as plain data (columnar, format version 2): scores, ranks,
        weights, reports; see :func:`cityeval.engine.export.results_json`."""
        from cityeval.engine.export import results_document

        return results_document(self, stages=stages)

    def to_json(self, *, stages: StageMode = "changes") -> str:
        """``results.json`` text (columnar, format version 2)."""
        from cityeval.engine.export import results_json

        return results_json(self, stages=stages)

    def scores_csv(self) -> str:
        """``scores.csv``: ``unit``, then every node (aggregates top first, then indicators)."""
        from cityeval.engine.export import scores_csv

        return scores_csv(self)

    def ranks_csv(self) -> str:
        """``ranks.csv``: a column ``unit``, then the ranks of every aggregate."""
        from cityeval.engine.export import ranks_csv

        return ranks_csv(self)

    def write(
        self,
        out_dir: str | os.PathLike[str],
        *,
        stages: StageMode = "changes",
        parquet: bool = False,
        protect: Iterable[str | os.PathLike[str]] = (),
    ) -> list[Path]:
        """Write ``scores.csv``, ``ranks.csv`` and ``results.json`` (and the Parquet tables
        with ``parquet``) to ``out_dir`` as one set; see
        :func:`cityeval.engine.export.write_results`."""
        from cityeval.engine.export import write_results

        return write_results(self, out_dir, stages=stages, parquet=parquet, protect=protect)

    def to_pandas(self, what: str = "scores") -> pd.DataFrame:
        """A DataFrame of ``scores`` or ``ranks`` (needs pandas), indexed by unit (and time)."""
        from cityeval.engine.export import to_pandas

        return to_pandas(self, what)

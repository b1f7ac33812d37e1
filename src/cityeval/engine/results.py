"""The results of a pipeline run, and their exports (dict, JSON, CSV, pandas)."""

from __future__ import annotations

import csv
import io
import json
import math
import os
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

    # -- exports -------------------------------------------------------------------------------

    def _rows(self, table: FloatArray, columns: tuple[str, ...]) -> list[dict[str, Any]]:
        rows = []
        times = self.dataset.times if table.ndim == 3 else None
        for t_index in range(table.shape[0] if times else 1):
            block = table[t_index] if times else table
            for u, unit in enumerate(self.units):
                row: dict[str, Any] = {"unit": unit}
                if times:
                    row["time"] = times[t_index]
                row.update({c: _num(float(v)) for c, v in zip(columns, block[u], strict=True)})
                rows.append(row)
        return rows

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain data (JSON-compatible): scores, ranks, weights, reports."""
        from cityeval.io.converter import unstructure

        fw = self.compiled.framework
        return {
            "framework": {"id": fw.id, "version": fw.version, "name": unstructure(fw.name)},
            "top": self.top_id,
            "units": list(self.units),
            "times": list(self.dataset.times) if self.dataset.times else None,
            "nodes": [
                {
                    "id": n,
                    "level": self.compiled.level_of(n),
                    "label": unstructure(self.compiled.labels[n]),
                }
                for n in self.node_ids
            ],
            "scores": self._rows(self.scores, self.node_ids),
            "ranks": self._rows(self.ranks, self.aggregate_ids),
            "weights": {k: list(v) for k, v in self.weights.items()},
            "effective_weights": self.effective_weights(),
            "weight_info": self.weight_info,
            "treatment": [unstructure(r) for r in self.treatment],
            "notes": list(self.notes),
            "strongest_weakest": self.strongest_weakest(),
            "predicates": {
                node: {u: None if lab is None else unstructure(lab) for u, lab in units.items()}
                for node, units in self.predicates().items()
            },
            "stages": {
                name: self._rows(values, self.indicator_ids)
                for name, values in self.stages.items()
            },
            "pipeline": unstructure(self.pipeline),
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def _csv(self, table: FloatArray, columns: tuple[str, ...]) -> str:
        buf = io.StringIO()
        rows = self._rows(table, columns)
        header = ["unit", *(["time"] if rows and "time" in rows[0] else []), *columns]
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(
                [
                    ""
                    if row[h] is None
                    else (repr(row[h]) if isinstance(row[h], float) else row[h])
                    for h in header
                ]
            )
        return buf.getvalue()

    def scores_csv(self) -> str:
        """``scores.csv``: ``unit``, then every node (aggregates top first, then indicators)."""
        return self._csv(self.scores, self.node_ids)

    def ranks_csv(self) -> str:
        """``ranks.csv``: a column ``unit``, then the ranks of every aggregate."""
        return self._csv(self.ranks, self.aggregate_ids)

    def write(self, out_dir: str | os.PathLike[str]) -> list[Path]:
        """Write ``scores.csv``, ``ranks.csv`` and ``results.json`` to ``out_dir``, atomically."""
        from cityeval.io.documents import write_atomic

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        files = {
            "scores.csv": self.scores_csv(),
            "ranks.csv": self.ranks_csv(),
            "results.json": self.to_json(),
        }
        for name, text in files.items():
            write_atomic(out / name, text)
        return [out / name for name in files]

    def to_pandas(self, what: str = "scores") -> pd.DataFrame:
        """A DataFrame of ``scores`` or ``ranks`` (needs pandas), indexed by unit (and time)."""
        import pandas as pd

        table, columns = (
            (self.scores, self.node_ids) if what == "scores" else (self.ranks, self.aggregate_ids)
        )
        if what not in ("scores", "ranks"):
            raise ValueError(f"what must be 'scores' or 'ranks', got {what!r}")
        frame = pd.DataFrame(self._rows(table, columns))
        index = ["unit", "time"] if "time" in frame.columns else ["unit"]
        return frame.set_index(index)

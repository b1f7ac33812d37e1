"""The outcome of an uncertainty analysis and its files.

``rank_intervals.csv``
    One row per aggregate node and unit: the nominal rank, the median, mean, 5th and 95th
    percentiles of the rank over the draws, then the same for the score.
``sobol.csv``
    One row per output and factor: first-order and total Sobol' indices with the half-widths
    of their 95% bootstrap intervals. ``output`` is ``mean_abs_rank_shift`` (COINr's scalar)
    or a unit code (that unit's rank of the top node).
``draws.csv``
    Every model run's factor values.
``summary.json``
    Sizes, counts per (variant, method) group, the positivity rule's count and notes.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from attrs import define

from cityeval.uncertainty.plan import Plan
from cityeval.uncertainty.sobol import SobolIndices

if TYPE_CHECKING:
    from cityeval.uncertainty.design import Prepared

__all__ = ["UncertaintyResults"]

FloatArray = npt.NDArray[np.float64]

STAT_KEYS = ("median", "mean", "q05", "q95")


def _cell(value: Any) -> str:
    if isinstance(value, float | np.floating):
        v = float(value)
        if not math.isfinite(v):
            return ""
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return str(value)


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return buf.getvalue()


@define(frozen=True, eq=False)
class UncertaintyResults:
    """Rank and score intervals for every unit and aggregate node, and Sobol' indices.

    Attributes
    ----------
    units : tuple of str
        Unit codes, in data order.
    node_ids : tuple of str
        Aggregate ids, top first (the engine's order).
    top_id : str
        The overall index.
    nominal_rank, nominal_score : ndarray of shape ``(n_units, n_nodes)``
        The engine's results for the pipeline as written.
    rank, score : dict of str to ndarray of shape ``(n_units, n_nodes)``
        ``median``, ``mean``, ``q05`` and ``q95`` over the draws.
    sobol : SobolIndices or None
        Indices of shape ``(n_outputs, n_factors)`` (method ``sobol``).
    output_names : tuple of str
        ``mean_abs_rank_shift``, then the unit codes.
    factor_names : tuple of str
        The factors.
    outputs : ndarray of shape ``(n_rows, 1 + n_units)``
        Each model run's outputs (mean absolute rank shift, each unit's top rank).
    n_draws, n_rows : int
        Draws summarised (A and B rows for Sobol') and model runs.
    rescaled_rows, rescaled_draws : int
        Model runs and summarised draws where the positivity rule applied.
    groups : list of dict
        Each (variant, method) group with its number of runs.
    notes : tuple of str
        What the analysis reports.
    sample : ndarray of shape ``(n_rows, n_inputs)``
        The design in ``[0, 1)``.
    plan : Plan
        How the design decodes into settings.
    score_precision : str
        ``single`` or ``double``: how the draws' scores were kept for their statistics.
    """

    units: tuple[str, ...]
    node_ids: tuple[str, ...]
    top_id: str
    nominal_rank: FloatArray
    nominal_score: FloatArray
    rank: dict[str, FloatArray]
    score: dict[str, FloatArray]
    sobol: SobolIndices | None
    output_names: tuple[str, ...]
    factor_names: tuple[str, ...]
    outputs: FloatArray
    n_draws: int
    n_rows: int
    rescaled_rows: int
    rescaled_draws: int
    groups: list[dict[str, Any]]
    notes: tuple[str, ...]
    method: str
    seed: int
    sample: FloatArray
    plan: Plan
    score_precision: str = "double"

    @classmethod
    def build(
        cls,
        prepared: Prepared,
        stats: dict[str, FloatArray],
        sobol: SobolIndices | None,
        outputs: FloatArray,
        row_counts: npt.NDArray[np.int64],
        slot_counts: npt.NDArray[np.int64],
    ) -> UncertaintyResults:
        """Assemble results from the runner's statistics (internal node order)."""
        nominal = prepared.nominal
        engine_ids = nominal.aggregate_ids
        position = [prepared.node_ids.index(n) for n in engine_ids]
        rescale = prepared.plan.rescale.ravel()
        return cls(
            units=nominal.units,
            node_ids=engine_ids,
            top_id=nominal.top_id,
            nominal_rank=np.asarray(nominal.ranks, dtype=np.float64),
            nominal_score=np.asarray(nominal.aggregates, dtype=np.float64),
            rank={k: stats[f"rank_{k}"][:, position] for k in STAT_KEYS},
            score={k: stats[f"score_{k}"][:, position] for k in STAT_KEYS},
            sobol=sobol,
            output_names=("mean_abs_rank_shift", *nominal.units),
            factor_names=prepared.factor_names,
            outputs=outputs,
            n_draws=int(slot_counts.sum()),
            n_rows=prepared.n_rows,
            rescaled_rows=int(row_counts[rescale].sum()),
            rescaled_draws=int(slot_counts[rescale].sum()),
            groups=[
                {"group": label, "runs": int(r), "draws": int(s), "rescaled": bool(x)}
                for label, r, s, x in zip(
                    prepared.group_labels, row_counts, slot_counts, rescale, strict=True
                )
            ],
            notes=prepared.notes,
            method=prepared.spec.method.value if prepared.plan.sobol else "monte-carlo",
            seed=prepared.spec.seed,
            sample=prepared.sample,
            score_precision=prepared.spec.score_precision.value,
            plan=prepared.plan,
        )

    # -- access ------------------------------------------------------------------------------

    def column(self, node_id: str) -> int:
        """The column of a node in the ``(n_units, n_nodes)`` tables."""
        return self.node_ids.index(node_id)

    # -- files ---------------------------------------------------------------------------------

    def rank_intervals_csv(self) -> str:
        """``rank_intervals.csv``: one row per node (top first) and unit."""
        header = [
            "unit",
            "node",
            "nominal",
            *STAT_KEYS,
            "score_nominal",
            *(f"score_{k}" for k in STAT_KEYS),
        ]
        rows = []
        for j, node in enumerate(self.node_ids):
            for u, unit in enumerate(self.units):
                rows.append(
                    [
                        unit,
                        node,
                        float(self.nominal_rank[u, j]),
                        *(float(self.rank[k][u, j]) for k in STAT_KEYS),
                        float(self.nominal_score[u, j]),
                        *(float(self.score[k][u, j]) for k in STAT_KEYS),
                    ]
                )
        return _csv(header, rows)

    def sobol_csv(self) -> str:
        """``sobol.csv``: one row per output and factor (header only without indices)."""
        header = ["output", "factor", "S1", "S1_conf", "ST", "ST_conf"]
        rows: list[list[Any]] = []
        if self.sobol is not None:
            for o, output in enumerate(self.output_names):
                for f, factor in enumerate(self.factor_names):
                    rows.append(
                        [output, factor]
                        + [float(getattr(self.sobol, k)[o, f]) for k in header[2:]]
                    )
        return _csv(header, rows)

    def draws_csv(self) -> str:
        """``draws.csv``: each model run's factor values."""
        return _csv(*_draws_table(self.plan, self.sample))

    def summary(self) -> dict[str, Any]:
        """Sizes, counts and notes as plain data."""
        top = self.column(self.top_id)
        return {
            "method": self.method,
            "seed": self.seed,
            "draws": self.n_draws,
            "model_runs": self.n_rows,
            "factors": list(self.factor_names),
            "units": len(self.units),
            "nodes": len(self.node_ids),
            "score_precision": self.score_precision,
            "positivity_rule": {
                "rule": "geometric/harmonic means over values <= 0: the normalised values "
                "of the draw are rescaled by min-max onto [1, 100] first",
                "model_runs": self.rescaled_rows,
                "draws": self.rescaled_draws,
            },
            "groups": self.groups,
            "mean_abs_rank_shift": {
                "mean": float(np.nanmean(self.outputs[:, 0])) if self.n_rows else None,
                "max": float(np.nanmax(self.outputs[:, 0])) if self.n_rows else None,
            },
            "top": self.top_id,
            "widest_interval": _widest(self, top),
            "notes": list(self.notes),
        }

    def write(self, out_dir: str | os.PathLike[str], *, charts: bool = True) -> list[Path]:
        """Write the CSV files, ``summary.json`` and (by default) the charts to ``out_dir``."""
        from cityeval.io.documents import write_atomic

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        files = {
            "rank_intervals.csv": self.rank_intervals_csv(),
            "sobol.csv": self.sobol_csv(),
            "draws.csv": self.draws_csv(),
            "summary.json": json.dumps(self.summary(), indent=2) + "\n",
        }
        for name, text in files.items():
            write_atomic(out / name, text)
        paths = [out / name for name in files]
        if charts:
            from cityeval.uncertainty.charts import write_charts

            paths += write_charts(self, out)
        return paths


def _widest(results: UncertaintyResults, top: int) -> dict[str, Any] | None:
    width = results.rank["q95"][:, top] - results.rank["q05"][:, top]
    if not np.isfinite(width).any():
        return None
    u = int(np.nanargmax(width))
    return {
        "unit": results.units[u],
        "q05": float(results.rank["q05"][u, top]),
        "q95": float(results.rank["q95"][u, top]),
    }


def _draws_table(plan: Plan, x: FloatArray) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of ``draws.csv``, decoded from the sample matrix."""
    n = x.shape[0]
    header = ["draw", "block"]
    columns: list[list[Any]] = []
    for f in plan.factors:
        if f.form == "noise":
            lo, hi = f.columns
            header += [f"{f.name}:{label}" for label in f.labels]
            mult = 1.0 - f.noise + 2.0 * f.noise * x[:, lo:hi]
            columns += [list(mult[:, j]) for j in range(hi - lo)]
        else:
            header.append(f.name)
            columns.append([f.labels[i] for i in f.option(x)])
    if plan.sobol:
        k = plan.rows_per_block
        names = ["A", *(f"AB:{f.name}" for f in plan.factors), "B"]
        blocks = [names[r % k] for r in range(n)]
    else:
        blocks = ["mc"] * n
    rows = [[r, blocks[r], *(col[r] for col in columns)] for r in range(n)]
    return header, rows

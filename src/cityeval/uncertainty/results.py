"""The outcome of an uncertainty analysis and its files.

``rank_intervals.csv``
    One row per summarised aggregate node (the index and its dimensions by default, every
    aggregate with ``nodes: all``) and unit: the nominal rank, the median, mean, 5th and 95th
    percentiles of the rank over the draws, then the same for the score.
``sobol.csv``
    One row per output and factor: first-order and total Sobol' indices with the half-widths
    of their 95% bootstrap intervals. ``output`` is ``mean_abs_rank_shift`` (COINr's scalar)
    or a unit code (that unit's rank of the top node).
``draws.csv``
    Every model run's factor values.
``summary.json``
    Sizes, counts per (variant, method) group, the positivity rule's count and notes.
``rank_intervals.svg``, ``.png``, ``sobol.svg``, ``.png``
    The charts (:mod:`cityeval.uncertainty.charts`).

Every CSV cell goes through :func:`cityeval.io.outputs.csv_text`, so a unit code that a
spreadsheet would run as a formula is written as text; every file of a run is written as one
:class:`~cityeval.io.outputs.OutputSet`, so a failed run leaves the previous files as they were.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from attrs import define

from cityeval.uncertainty.plan import Plan
from cityeval.uncertainty.sobol import SobolIndices

if TYPE_CHECKING:
    from cityeval.io.outputs import OutputSet
    from cityeval.uncertainty.design import Prepared

__all__ = ["UncertaintyResults", "draws_csv"]

FloatArray = npt.NDArray[np.float64]

STAT_KEYS = ("median", "mean", "q05", "q95")


class _NumberCells(list[str]):
    """A column of numbers as CSV text: never a formula, never quoted (see :func:`_csv`)."""


def _column(values: npt.ArrayLike) -> _NumberCells:
    """Numbers as CSV text: whole numbers without a decimal point, others with ``repr``'s
    shortest round-trip digits, NaN and infinities as empty cells."""
    from cityeval.io.csv_cells import float_texts  # repr's text, by orjson when installed

    v = np.asarray(values, dtype=np.float64).ravel()
    out = _NumberCells(float_texts(v))
    finite = np.isfinite(v)
    for i in np.flatnonzero(~finite).tolist():
        out[i] = ""
    whole = finite & (v == np.trunc(v)) & (np.abs(v) < 1e15)
    at = np.flatnonzero(whole).tolist()
    for i, text in zip(at, map(str, v[whole].astype(np.int64).tolist()), strict=True):
        out[i] = text
    return out


def _text_cells(values: Sequence[Any]) -> list[str]:
    """Text cells as :func:`cityeval.io.outputs.csv_text` writes them: neutralised (OWASP),
    then quoted by the csv module itself; each distinct value worked out once."""
    import csv
    import io

    from cityeval.io.outputs import neutralise_cell

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    written: dict[Any, str] = {}
    for value in dict.fromkeys(values):
        cell = neutralise_cell(value)
        if cell == "":  # alone on a row the csv module writes '""'; beside others, nothing
            written[value] = ""
            continue
        buf.seek(0)
        buf.truncate()
        writer.writerow([cell])
        written[value] = buf.getvalue()[:-1]
    return list(map(written.__getitem__, values))


def _csv(header: Sequence[str], columns: Sequence[Sequence[Any]]) -> str:
    """CSV text of equal-length columns, every cell neutralised (OWASP), ``\n`` line ends.

    The same text as :func:`cityeval.io.outputs.csv_text` on the rows, written a column at a
    time: text columns go through :func:`_text_cells`, number columns (:func:`_column`, whose
    cells are digits, a point, an exponent and a sign, or empty) as they are.
    """
    cells = [c if isinstance(c, _NumberCells) else _text_cells(c) for c in columns]
    lines = [",".join(_text_cells(list(header)))]
    lines += map(",".join, zip(*cells, strict=True))
    # A row of one empty cell is written '""', as the csv module does (else it is no row).
    return "\n".join(line or '""' for line in lines) + "\n"


@define(frozen=True, eq=False)
class UncertaintyResults:
    """Rank and score intervals for every unit and aggregate node, and Sobol' indices.

    Attributes
    ----------
    units : tuple of str
        Unit codes, in data order.
    node_ids : tuple of str
        The summarised aggregates' ids, top first (the engine's order): the index and its
        dimensions, or every aggregate (``nodes: all``).
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
    node_selection : str
        ``dimensions`` or ``all``: which aggregates :attr:`node_ids` holds.
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
    node_selection: str = "all"

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
        kept = {prepared.node_ids[j] for j in prepared.plan.kept}
        engine = [(c, n) for c, n in enumerate(nominal.aggregate_ids) if n in kept]
        columns = [c for c, _n in engine]
        position = [prepared.node_ids.index(n) for _c, n in engine]
        rescale = prepared.plan.rescale.ravel()
        return cls(
            units=nominal.units,
            node_ids=tuple(n for _c, n in engine),
            top_id=nominal.top_id,
            nominal_rank=np.asarray(nominal.ranks, dtype=np.float64)[:, columns],
            nominal_score=np.asarray(nominal.aggregates, dtype=np.float64)[:, columns],
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
            node_selection=prepared.spec.nodes.value,
            plan=prepared.plan,
        )

    # -- access ------------------------------------------------------------------------------

    def column(self, node_id: str) -> int:
        """The column of a node in the ``(n_units, n_nodes)`` tables."""
        return self.node_ids.index(node_id)

    # -- files ---------------------------------------------------------------------------------

    def rank_intervals_csv(self) -> str:
        """``rank_intervals.csv``: one row per summarised node (top first) and unit."""
        header = [
            "unit",
            "node",
            "nominal",
            *STAT_KEYS,
            "score_nominal",
            *(f"score_{k}" for k in STAT_KEYS),
        ]
        n_units, n_nodes = len(self.units), len(self.node_ids)

        def by_node(table: FloatArray) -> list[str]:
            return _column(np.asarray(table).T)  # node-major: all units of a node in turn

        columns: list[Sequence[Any]] = [
            list(self.units) * n_nodes,
            [node for node in self.node_ids for _u in range(n_units)],
            by_node(self.nominal_rank),
            *(by_node(self.rank[k]) for k in STAT_KEYS),
            by_node(self.nominal_score),
            *(by_node(self.score[k]) for k in STAT_KEYS),
        ]
        return _csv(header, columns)

    def sobol_csv(self) -> str:
        """``sobol.csv``: one row per output and factor (header only without indices)."""
        header = ["output", "factor", "S1", "S1_conf", "ST", "ST_conf"]
        if self.sobol is None:
            return _csv(header, [])
        n_factors = len(self.factor_names)
        columns: list[Sequence[Any]] = [
            [o for o in self.output_names for _f in range(n_factors)],
            list(self.factor_names) * len(self.output_names),
            *(_column(getattr(self.sobol, k)) for k in header[2:]),
        ]
        return _csv(header, columns)

    def draws_csv(self) -> str:
        """``draws.csv``: each model run's factor values."""
        return draws_csv(self.plan, self.sample)

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
            "node_selection": self.node_selection,
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

    def write(
        self,
        out_dir: str | os.PathLike[str],
        *,
        charts: bool = True,
        protect: Iterable[str | os.PathLike[str]] = (),
    ) -> list[Path]:
        """Write the CSV files, ``summary.json`` and (by default) the charts to ``out_dir``.

        All files are written as one :class:`~cityeval.io.outputs.OutputSet`: they appear
        together, or (on any error) the folder keeps its previous files. ``protect`` lists
        input files that must not be replaced.

        Raises
        ------
        OutputError
            If ``out_dir`` cannot be written.
        """
        from cityeval.io.outputs import OutputSet

        with OutputSet(out_dir, protect=protect) as out:
            self.write_into(out, charts=charts)
        return [Path(out_dir) / name for name in out.names]

    def write_into(
        self, out: OutputSet, *, charts: bool = True, draws_text: str | None = None
    ) -> None:
        """Stage every file of the analysis in an output set (see :meth:`write`).

        ``draws_text`` is ``draws.csv`` when the caller has it already (it depends on the
        sample only: :func:`draws_csv`, which a caller may run while the draws are evaluated).
        """
        out.write_text("rank_intervals.csv", self.rank_intervals_csv())
        out.write_text("sobol.csv", self.sobol_csv())
        out.write_text("draws.csv", self.draws_csv() if draws_text is None else draws_text)
        out.write_text("summary.json", json.dumps(self.summary(), indent=2) + "\n")
        if charts:
            self.write_charts(out)

    def write_charts(self, out: OutputSet) -> None:
        """Stage ``rank_intervals.svg``/``.png`` and (with indices) ``sobol.svg``/``.png``.

        Raises
        ------
        OutputError
            If a chart cannot be written.
        """
        from cityeval.errors import OutputError
        from cityeval.i18n import _
        from cityeval.uncertainty import charts as draw_charts

        col = self.column(self.top_id)
        charts: list[tuple[str, Callable[[], str]]] = [
            (
                "rank_intervals",
                lambda: draw_charts.rank_chart(
                    self.units,
                    self.rank["median"][:, col],
                    self.rank["q05"][:, col],
                    self.rank["q95"][:, col],
                    self.nominal_rank[:, col],
                    _("Rank of {node} over {draws} draws").format(
                        node=self.top_id, draws=self.n_draws
                    ),
                ),
            )
        ]
        s = self.sobol
        if s is not None and self.factor_names:
            charts.append(
                (
                    "sobol",
                    lambda: draw_charts.sobol_chart(
                        self.factor_names, s.S1[0], s.S1_conf[0], s.ST[0], s.ST_conf[0]
                    ),
                )
            )
        for stem, draw in charts:
            paths = [out.path(f"{stem}.svg"), out.path(f"{stem}.png")]
            try:
                draw_charts.save_figure(draw(), paths)
            except OSError as exc:
                raise OutputError(
                    str(out.folder / f"{stem}.svg"), exc.strerror or type(exc).__name__
                ) from None


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


def draws_csv(plan: Plan, sample: FloatArray) -> str:
    """``draws.csv`` of a plan's sample matrix: each model run's factor values."""
    return _csv(*_draws_table(plan, sample))


def _draws_table(plan: Plan, x: FloatArray) -> tuple[list[str], list[Sequence[Any]]]:
    """Header and columns of ``draws.csv``, decoded from the sample matrix."""
    n = x.shape[0]
    header = ["draw", "block"]
    columns: list[Sequence[Any]] = []
    for f in plan.factors:
        if f.form == "noise":
            lo, hi = f.columns
            header += [f"{f.name}:{label}" for label in f.labels]
            mult = 1.0 - f.noise + 2.0 * f.noise * x[:, lo:hi]
            columns += [_column(mult[:, j]) for j in range(hi - lo)]
        else:
            header.append(f.name)
            labels = f.labels
            columns.append([labels[i] for i in f.option(x).tolist()])
    if plan.sobol:
        k = plan.rows_per_block
        names = ["A", *(f"AB:{f.name}" for f in plan.factors), "B"]
        blocks = [names[r % k] for r in range(n)]
    else:
        blocks = ["mc"] * n
    return header, [[str(r) for r in range(n)], blocks, *columns]

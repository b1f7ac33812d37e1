"""The results of a run as files: ``results.json`` (columnar), CSV tables and Parquet.

``results.json`` (format version 2) holds one array per node and measure: ``scores`` maps
every node id to its scores in row order, ``ranks`` every aggregate id to its ranks, and
``rows`` gives the unit (and time) of each row. The intermediate stages of the pipeline are
written as the cells each step changed (``stages="changes"``, the default) or in full
(``stages="full"``). The layout is described by
:func:`cityeval.engine.results_schema.results_schema` and in
``docs/reference/results-format.md``.

Every CSV goes through :func:`cityeval.io.outputs.csv_table` (OWASP neutralisation of text
cells), and every file of a run is written through one :class:`~cityeval.io.outputs.OutputSet`.
"""

from __future__ import annotations

import itertools
import json
import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from cityeval.engine.results_schema import FORMAT, FORMAT_VERSION
from cityeval.errors import CityevalError, InputError, Problem
from cityeval.i18n import _

if TYPE_CHECKING:
    import pandas as pd

    from cityeval.engine.results import Results

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "STAGE_MODES",
    "StageMode",
    "latest_scores",
    "parquet_available",
    "parquet_tables",
    "ranks_csv",
    "results_document",
    "results_json",
    "scores_csv",
    "to_pandas",
    "write_results",
]

FloatArray = npt.NDArray[np.float64]
StageMode = Literal["changes", "full", "none"]
#: How ``results.json`` can hold the pipeline's stages.
STAGE_MODES: tuple[StageMode, ...] = ("changes", "full", "none")


# -- rows and tables -----------------------------------------------------------------------


def _flat(table: FloatArray) -> FloatArray:
    """``(..., n_units, n_cols)`` as ``(n_rows, n_cols)``, rows time-major then unit."""
    return table.reshape(-1, table.shape[-1])


def _row_keys(results: Results) -> tuple[list[str], list[Any] | None]:
    units = list(results.units)
    times = results.dataset.times if results.aggregates.ndim == 3 else None
    if not times:
        return units, None
    return units * len(times), [t for t in times for _ in units]


def _numbers(column: FloatArray) -> str:
    """A JSON array of the column's numbers (shortest round-trip form), null for NaN."""
    text = json.dumps(column.tolist(), separators=(",", ":"))
    if not np.isfinite(column).all():
        text = text.replace("-Infinity", "null").replace("Infinity", "null")
        text = text.replace("NaN", "null")
    return text


def _json_array(texts: list[str], clean: bool) -> str:
    """A JSON array from number texts (:func:`~cityeval.io.outputs.number_cells`)."""
    body = ",".join(texts)
    if not clean:  # only numbers here: 'nan', 'inf' are whole items
        body = body.replace("-inf", "null").replace("inf", "null").replace("nan", "null")
    return "[" + body + "]"


class _Table:
    """A table's numbers formatted once, for both its CSV and its JSON columns."""

    def __init__(self, table: FloatArray, *, integers: bool = False) -> None:
        from cityeval.io.outputs import number_cells

        self.flat = _flat(table)
        self.integers = integers
        self.cells = number_cells(self.flat, integers=integers)
        self.clean = bool(np.isfinite(self.flat).all())

    def column(self, k: int) -> str:
        n = self.flat.shape[1]
        return _json_array(self.cells[k::n], self.clean)

    def columns(self, ids: tuple[str, ...]) -> str:
        """A JSON object ``{id: [value per row]}``, one line per column."""
        lines = [
            f"{json.dumps(node, ensure_ascii=False)}:{self.column(k)}"
            for k, node in enumerate(ids)
        ]
        return "{\n" + ",\n".join(lines) + "\n}"


def _columns(table: FloatArray, ids: tuple[str, ...]) -> str:
    return _Table(table).columns(ids)


def _changes(before: FloatArray, after: FloatArray, ids: tuple[str, ...]) -> str:
    """The cells of ``after`` that differ from ``before``, column by column.

    A column whose every row changed is ``{"values": [...]}``; otherwise
    ``{"rows": [row indices], "values": [...]}``; unchanged columns are left out.
    """
    a, b = _flat(before), _flat(after)
    changed = ~((a == b) | (np.isnan(a) & np.isnan(b)))
    lines = []
    for k in np.flatnonzero(changed.any(axis=0)).tolist():
        rows = np.flatnonzero(changed[:, k])
        key = json.dumps(ids[k], ensure_ascii=False)
        if rows.size == b.shape[0]:
            lines.append(f'{key}:{{"values":{_numbers(b[:, k])}}}')
        else:
            lines.append(
                f'{key}:{{"rows":{json.dumps(rows.tolist())},"values":{_numbers(b[rows, k])}}}'
            )
    return "{\n" + ",\n".join(lines) + "\n}" if lines else "{}"


def _stages(results: Results, mode: StageMode) -> str:
    ids = results.indicator_ids
    names = list(results.stages)
    parts = [f'"names":{json.dumps(names)}', f'"mode":{json.dumps(mode)}']
    if mode == "full":
        tables = ",\n".join(
            f"{json.dumps(name)}:{_columns(results.stages[name], ids)}" for name in names
        )
        parts.append('"tables":{\n' + tables + "\n}")
    elif mode == "changes":
        changes = ",\n".join(
            f'{json.dumps(name)}:{{"from":{json.dumps(prev)},'
            f'"columns":{_changes(results.stages[prev], results.stages[name], ids)}}}'
            for prev, name in itertools.pairwise(names)
            if name != "normalised"
        )
        parts.append('"changes":{\n' + changes + "\n}")
    return "{" + ",\n".join(parts) + "}"


def _finite(value: Any) -> Any:
    """Plain data with every NaN or infinite float replaced by None (JSON has neither)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _metadata(results: Results) -> dict[str, Any]:
    from cityeval.io.converter import unstructure

    fw = results.compiled.framework
    keys, times = _row_keys(results)
    rows: dict[str, Any] = {"unit": keys}
    if times is not None:
        rows["time"] = times
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "framework": {"id": fw.id, "version": fw.version, "name": unstructure(fw.name)},
        "data": {"source": results.dataset.source},
        "top": results.top_id,
        "units": list(results.units),
        "times": list(results.dataset.times) if results.dataset.times else None,
        "nodes": [
            {
                "id": n,
                "level": results.compiled.level_of(n),
                "label": unstructure(results.compiled.labels[n]),
            }
            for n in results.node_ids
        ],
        "rows": rows,
    }


def _reports(results: Results) -> dict[str, Any]:
    from cityeval.io.converter import unstructure

    return {
        "weights": {k: list(v) for k, v in results.weights.items()},
        "effective_weights": results.effective_weights(),
        "weight_info": results.weight_info,
        "treatment": [unstructure(r) for r in results.treatment],
        "notes": list(results.notes),
        "strongest_weakest": results.strongest_weakest(),
        "predicates": {
            node: {u: None if lab is None else unstructure(lab) for u, lab in units.items()}
            for node, units in results.predicates().items()
        },
        "pipeline": unstructure(results.pipeline),
    }


def results_json(
    results: Results, *, stages: StageMode = "changes", tables: _Tables | None = None
) -> str:
    """``results.json`` text: one line per field, one line per column of each table.

    Parameters
    ----------
    results : Results
        The run.
    stages : {"changes", "full", "none"}
        How to hold the intermediate stages: the cells each step changed, every stage in
        full, or not at all. The normalised stage is always the indicator columns of
        ``scores``, and the ``raw`` stage is the input data (in full only with ``"full"``).
    tables : optional
        The formatted score and rank tables, shared with the CSV files.
    """
    if stages not in STAGE_MODES:
        raise ValueError(
            _("stages must be one of {modes}, got {value!r}").format(
                modes=", ".join(STAGE_MODES), value=stages
            )
        )
    fields = [
        f"{json.dumps(k)}:{json.dumps(_finite(v), ensure_ascii=False, allow_nan=False)}"
        for k, v in _metadata(results).items()
    ]
    scores = tables.scores if tables else _Table(results.scores)
    ranks = tables.ranks if tables else _Table(results.ranks, integers=True)
    fields.append(f'"scores":{scores.columns(results.node_ids)}')
    fields.append(f'"ranks":{ranks.columns(results.aggregate_ids)}')
    fields.extend(
        f"{json.dumps(k)}:{json.dumps(_finite(v), ensure_ascii=False, allow_nan=False)}"
        for k, v in _reports(results).items()
    )
    if stages != "none":
        fields.append(f'"stages":{_stages(results, stages)}')
    return "{\n" + ",\n".join(fields) + "\n}\n"


def results_document(results: Results, *, stages: StageMode = "changes") -> dict[str, Any]:
    """``results.json`` as plain data (what :func:`json.loads` gives for the file)."""
    parsed: dict[str, Any] = json.loads(results_json(results, stages=stages))
    return parsed


# -- reading results.json back -----------------------------------------------------------


def latest_scores(data: Mapping[str, Any]) -> dict[str, dict[str, float | None]]:
    """Every node's score per unit from a ``results.json`` document (latest time point).

    Reads the columnar format (version 2) and the row format of version 1.

    Raises
    ------
    InputError
        If ``scores`` is neither a mapping of columns nor a list of rows.
    """
    scores = data.get("scores")
    if isinstance(scores, Mapping):
        rows = data.get("rows")
        if not isinstance(rows, Mapping) or not isinstance(rows.get("unit"), list):
            raise InputError("results.json", [Problem(("rows", "unit"), _("expected a list"))])
        units = [str(u) for u in rows["unit"]]
        times = rows.get("time")
        pick: dict[str, int] = {}
        for i, unit in enumerate(units):
            j = pick.get(unit)
            if j is None or (times is not None and (times[i] or 0) >= (times[j] or 0)):
                pick[unit] = i
        return {
            node: {u: None if column[i] is None else float(column[i]) for u, i in pick.items()}
            for node, column in scores.items()
        }
    if not isinstance(scores, list):
        raise InputError(
            "results.json", [Problem(("scores",), _("expected columns or a list of rows"))]
        )
    latest: dict[str, dict[str, Any]] = {}
    for row in scores:
        unit = str(row["unit"])
        if unit not in latest or (row.get("time") or 0) >= (latest[unit].get("time") or 0):
            latest[unit] = row
    out: dict[str, dict[str, float | None]] = {}
    for unit, row in latest.items():
        for key, value in row.items():
            if key not in ("unit", "time"):
                out.setdefault(key, {})[unit] = None if value is None else float(value)
    return out


# -- CSV -------------------------------------------------------------------------------------


class _Tables:
    """The score and rank tables of a run, formatted once."""

    def __init__(self, results: Results) -> None:
        self.scores = _Table(results.scores)
        self.ranks = _Table(results.ranks, integers=True)


def _csv(results: Results, table: _Table, columns: tuple[str, ...]) -> str:
    from cityeval.data.dataset import format_time
    from cityeval.io.outputs import csv_table

    units, times = _row_keys(results)
    if times is None:
        header = ["unit", *columns]
        keys: list[list[str]] = [[u] for u in units]
    else:
        header = ["unit", "time", *columns]
        keys = [[u, format_time(t)] for u, t in zip(units, times, strict=True)]
    return csv_table(header, keys, table.flat, integers=table.integers, cells=table.cells)


def scores_csv(results: Results, *, tables: _Tables | None = None) -> str:
    """``scores.csv``: ``unit`` (and ``time``), then every node (aggregates top first)."""
    return _csv(results, tables.scores if tables else _Table(results.scores), results.node_ids)


def ranks_csv(results: Results, *, tables: _Tables | None = None) -> str:
    """``ranks.csv``: ``unit`` (and ``time``), then the rank of every aggregate (integers)."""
    table = tables.ranks if tables else _Table(results.ranks, integers=True)
    return _csv(results, table, results.aggregate_ids)


# -- pandas and Parquet ----------------------------------------------------------------------


def to_pandas(results: Results, what: str = "scores") -> pd.DataFrame:
    """A DataFrame of ``scores`` or ``ranks``, indexed by unit (and time)."""
    import pandas as pd

    if what not in ("scores", "ranks"):
        raise ValueError(_("what must be 'scores' or 'ranks', got {value!r}").format(value=what))
    table, columns = (
        (results.scores, results.node_ids)
        if what == "scores"
        else (results.ranks, results.aggregate_ids)
    )
    units, times = _row_keys(results)
    index = (
        pd.Index(units, name="unit")
        if times is None
        else pd.MultiIndex.from_arrays([units, times], names=["unit", "time"])
    )
    return pd.DataFrame(_flat(table), index=index, columns=list(columns))


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise CityevalError(
            _("the Parquet output needs pyarrow: pip install 'cityeval[parquet]'")
        ) from None
    return pyarrow


def parquet_available() -> None:
    """Raise the library's own error, with the install hint, if pyarrow is missing."""
    _pyarrow()


def parquet_tables(results: Results) -> dict[str, Any]:
    """``scores``, ``ranks`` and ``stages`` as pyarrow tables (needs the ``parquet`` extra).

    ``scores`` and ``ranks`` are wide (``unit``, ``time`` for a panel, then one column per
    node); ``stages`` has a ``stage`` column, then ``unit`` (and ``time``), then one column
    per indicator. Missing values are nulls; ranks are 32-bit integers.
    """
    pa = _pyarrow()
    units, times = _row_keys(results)

    def keys(repeat: int = 1) -> dict[str, Any]:
        cols: dict[str, Any] = {"unit": pa.array(units * repeat, type=pa.string())}
        if times is not None:
            cols["time"] = pa.array(times * repeat)
        return cols

    def floats(column: FloatArray) -> Any:
        return pa.array(column, mask=np.isnan(column), type=pa.float64())

    scores = _flat(results.scores)
    ranks = _flat(results.ranks)
    rank_cols = {
        node: pa.array(
            np.where(np.isnan(ranks[:, k]), 0, ranks[:, k]).astype(np.int32),
            mask=np.isnan(ranks[:, k]),
        )
        for k, node in enumerate(results.aggregate_ids)
    }
    names = list(results.stages)
    stacked = np.concatenate([_flat(results.stages[n]) for n in names], axis=0)
    stage_col = pa.array([n for n in names for _ in range(len(units))], type=pa.string())
    return {
        "scores": pa.table(
            {**keys(), **{n: floats(scores[:, k]) for k, n in enumerate(results.node_ids)}}
        ),
        "ranks": pa.table({**keys(), **rank_cols}),
        "stages": pa.table(
            {
                "stage": stage_col,
                **keys(len(names)),
                **{n: floats(stacked[:, k]) for k, n in enumerate(results.indicator_ids)},
            }
        ),
    }


# -- writing ---------------------------------------------------------------------------------


def write_results(
    results: Results,
    out_dir: str | os.PathLike[str],
    *,
    stages: StageMode = "changes",
    parquet: bool = False,
    protect: Iterable[str | os.PathLike[str]] = (),
) -> list[Path]:
    """Write ``scores.csv``, ``ranks.csv`` and ``results.json`` (and with ``parquet``,
    ``scores.parquet``, ``ranks.parquet`` and ``stages.parquet``) into ``out_dir``, as one
    set: either every file is replaced or none is.

    Raises
    ------
    OutputError
        If ``out_dir`` is a file or cannot be written, the disk is full, or an output would
        replace one of the ``protect`` files (the inputs).
    """
    from cityeval.io.outputs import OutputSet

    if stages not in STAGE_MODES:
        raise ValueError(
            _("stages must be one of {modes}, got {value!r}").format(
                modes=", ".join(STAGE_MODES), value=stages
            )
        )
    with OutputSet(out_dir, protect=protect) as out:
        tables = _Tables(results)
        out.write_text("scores.csv", scores_csv(results, tables=tables))
        out.write_text("ranks.csv", ranks_csv(results, tables=tables))
        out.write_text("results.json", results_json(results, stages=stages, tables=tables))
        if parquet:
            pq = _pyarrow().parquet
            for name, table in parquet_tables(results).items():
                pq.write_table(table, out.path(f"{name}.parquet"))
    return [Path(out_dir) / name for name in out.names]

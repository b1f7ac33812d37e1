"""The ``results.json`` writer of format version 1 (one object per unit and node, indent=2).

Kept here, outside the package, as the baseline of ``bench_results.py`` and as an
independent reference in the tests: the columnar format (version 2) must hold the same
numbers.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from cityeval.engine.results import Results

__all__ = ["legacy_document", "legacy_json"]


def _num(value: float) -> float | None:
    return None if not math.isfinite(value) else float(value)


def _rows(results: Results, table: np.ndarray, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    rows = []
    times = results.dataset.times if table.ndim == 3 else None
    for t_index in range(table.shape[0] if times else 1):
        block = table[t_index] if times else table
        for u, unit in enumerate(results.units):
            row: dict[str, Any] = {"unit": unit}
            if times:
                row["time"] = times[t_index]
            row.update({c: _num(float(v)) for c, v in zip(columns, block[u], strict=True)})
            rows.append(row)
    return rows


def legacy_document(results: Results) -> dict[str, Any]:
    """``Results.to_dict()`` as it was in format version 1."""
    from cityeval.io.converter import unstructure

    fw = results.compiled.framework
    return {
        "framework": {"id": fw.id, "version": fw.version, "name": unstructure(fw.name)},
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
        "scores": _rows(results, results.scores, results.node_ids),
        "ranks": _rows(results, results.ranks, results.aggregate_ids),
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
        "stages": {
            name: _rows(results, values, results.indicator_ids)
            for name, values in results.stages.items()
        },
        "pipeline": unstructure(results.pipeline),
    }


def legacy_json(results: Results) -> str:
    """``results.json`` text of format version 1: ``json.dumps(..., indent=2)``."""
    return json.dumps(legacy_document(results), indent=2, ensure_ascii=False) + "\n"

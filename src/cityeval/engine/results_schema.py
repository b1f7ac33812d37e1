"""The JSON Schema of ``results.json`` (format version 2), kept apart from the writers.

The schema is shown in ``docs/reference/results-format.md`` (a test checks that the page shows
it as it is) and is what ``cityeval schema results`` prints.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMAT", "FORMAT_VERSION", "results_schema"]

#: The ``format`` field of ``results.json``.
FORMAT = "cityeval-results"
#: The ``version`` field of ``results.json``; version 1 had one object per unit.
FORMAT_VERSION = 2


def results_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``results.json``, format version 2."""
    number_or_null = {"type": ["number", "null"]}
    column = {"type": "array", "items": number_or_null}
    label = {
        "oneOf": [
            {"type": "string"},
            {"type": "object", "additionalProperties": {"type": "string"}},
        ]
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://cityeval.readthedocs.io/schema/results-2.json",
        "title": "cityeval results.json (format version 2)",
        "description": (
            "Scores and ranks of every node for every unit, columnar: each table maps a "
            "node id to an array with one value per row; rows.unit (and rows.time for "
            "panel data) give each row's unit and time."
        ),
        "type": "object",
        "required": [
            "format",
            "version",
            "framework",
            "top",
            "units",
            "times",
            "nodes",
            "rows",
            "scores",
            "ranks",
            "weights",
            "effective_weights",
            "treatment",
            "notes",
            "pipeline",
        ],
        "properties": {
            "format": {"const": FORMAT},
            "version": {"const": FORMAT_VERSION},
            "framework": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "version": {"type": ["string", "null"]},
                    "name": label,
                },
            },
            "data": {"type": "object", "properties": {"source": {"type": ["string", "null"]}}},
            "top": {"type": "string", "description": "The id of the overall index."},
            "units": {"type": "array", "items": {"type": "string"}},
            "times": {"type": ["array", "null"], "items": {"type": "number"}},
            "nodes": {
                "type": "array",
                "description": "Aggregates top first, then indicators: the columns of scores.",
                "items": {
                    "type": "object",
                    "required": ["id", "level"],
                    "properties": {
                        "id": {"type": "string"},
                        "level": {
                            "type": "integer",
                            "minimum": 1,
                            "description": "COINr's level number: 1 for indicators.",
                        },
                        "label": label,
                    },
                },
            },
            "rows": {
                "type": "object",
                "description": "The unit (and time) of each row of every table; panels are "
                "time-major (every unit at the first time, then the next).",
                "required": ["unit"],
                "properties": {
                    "unit": {"type": "array", "items": {"type": "string"}},
                    "time": {"type": "array", "items": {"type": "number"}},
                },
            },
            "scores": {
                "type": "object",
                "description": "Every node's scores, one per row; null where missing.",
                "additionalProperties": column,
            },
            "ranks": {
                "type": "object",
                "description": "Every aggregate's ranks (1 = best, ties share the best rank).",
                "additionalProperties": {
                    "type": "array",
                    "items": {"type": ["integer", "null"], "minimum": 1},
                },
            },
            "weights": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "number"}},
            },
            "effective_weights": {"type": "object", "additionalProperties": {"type": "number"}},
            "weight_info": {"type": "object"},
            "treatment": {"type": "array", "items": {"type": "object"}},
            "notes": {"type": "array", "items": {"type": "string"}},
            "strongest_weakest": {"type": "object"},
            "predicates": {"type": "object"},
            "pipeline": {"type": "object"},
            "stages": {
                "type": "object",
                "required": ["names", "mode"],
                "properties": {
                    "names": {"type": "array", "items": {"type": "string"}},
                    "mode": {"enum": ["changes", "full"]},
                    "tables": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "object",
                            "additionalProperties": column,
                        },
                    },
                    "changes": {
                        "type": "object",
                        "additionalProperties": {
                            "type": "object",
                            "required": ["from", "columns"],
                            "properties": {
                                "from": {"type": "string"},
                                "columns": {
                                    "type": "object",
                                    "additionalProperties": {
                                        "type": "object",
                                        "required": ["values"],
                                        "properties": {
                                            "rows": {
                                                "type": "array",
                                                "items": {"type": "integer", "minimum": 0},
                                            },
                                            "values": column,
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    }

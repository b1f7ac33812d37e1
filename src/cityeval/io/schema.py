"""JSON Schema of the file formats, generated from the model classes.

Editors (VS Code's YAML extension, JetBrains IDEs) use it to check framework files as they
are written. The schema is derived from the attrs classes, so it cannot drift from the loader.
"""

from __future__ import annotations

import enum
import types
import typing
from typing import Any

import attrs

from cityeval._version import __version__
from cityeval.model import Framework, Label

__all__ = ["SCHEMA_DIALECT", "framework_schema", "schema_for"]

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_LABEL_SCHEMA: dict[str, Any] = {
    "description": "Text in Indonesian ('id') and/or English ('en'); a plain string sets both.",
    "anyOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "properties": {"id": {"type": "string"}, "en": {"type": "string"}},
            "additionalProperties": False,
            "minProperties": 1,
        },
    ],
}


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {"Label": _LABEL_SCHEMA}

    def ref(self, tp: Any) -> dict[str, Any]:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            options = [a for a in args if a is not type(None)]
            if len(options) == 1:
                return self.ref(options[0])
            return {"anyOf": [self.ref(a) for a in options]}
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": self.ref(args[0])}
        if tp is str:
            return {"type": "string"}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp is float:
            return {"type": "number"}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return {"enum": [m.value for m in tp]}
        if tp is Label:
            return {"$ref": "#/$defs/Label"}
        if isinstance(tp, type) and attrs.has(tp):
            name = tp.__name__
            if name not in self.defs:
                self.defs[name] = {}  # placeholder against recursion
                self.defs[name] = self.object_schema(tp)
            return {"$ref": f"#/$defs/{name}"}
        return {}

    def object_schema(self, cl: type) -> dict[str, Any]:
        hints = typing.get_type_hints(cl)
        props: dict[str, Any] = {}
        required: list[str] = []
        for a in attrs.fields(cl):
            if not a.init:
                continue
            schema = dict(self.ref(hints[a.name]))
            if a.default is attrs.NOTHING:
                required.append(a.name)
            elif not isinstance(a.default, attrs.Factory) and a.default is not None:  # type: ignore[arg-type]
                default = a.default.value if isinstance(a.default, enum.Enum) else a.default
                if isinstance(default, str | int | float | bool):
                    schema["default"] = default
            props[a.name] = schema
        out: dict[str, Any] = {
            "type": "object",
            "properties": props,
            "additionalProperties": False,
        }
        doc = (cl.__doc__ or "").strip().splitlines()
        if doc:
            out["description"] = doc[0]
        if required:
            out["required"] = required
        return out


def schema_for(cl: type, title: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the file format of an attrs model class."""
    builder = _Builder()
    root = builder.object_schema(cl)
    builder.defs.pop(cl.__name__, None)
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"https://cityeval.readthedocs.io/schema/{__version__}/{title}.json",
        "title": f"cityeval {title}",
        **root,
        "$defs": builder.defs,
    }


def framework_schema() -> dict[str, Any]:
    """The JSON Schema of framework files (YAML, JSON or TOML)."""
    return schema_for(Framework, "framework")

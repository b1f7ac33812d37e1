"""Reading and writing model objects: documents, the converter and the JSON Schema."""

from cityeval.io.documents import read_document, write_atomic, write_document
from cityeval.io.frameworks import (
    dumps_framework,
    framework_from_dict,
    framework_to_dict,
    load_framework,
    loads_framework,
    save_framework,
)

__all__ = [
    "dumps_framework",
    "framework_from_dict",
    "framework_to_dict",
    "load_framework",
    "loads_framework",
    "read_document",
    "save_framework",
    "write_atomic",
    "write_document",
]

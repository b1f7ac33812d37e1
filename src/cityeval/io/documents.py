"""Reading and writing YAML, JSON and TOML documents, with located errors and atomic writes."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from cityeval.errors import InputError, Problem

__all__ = [
    "FORMATS",
    "Format",
    "dump_text",
    "format_of",
    "load_text",
    "read_document",
    "write_atomic",
    "write_document",
]

Format = Literal["yaml", "json", "toml"]
FORMATS: dict[str, Format] = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}


def format_of(path: str | os.PathLike[str]) -> Format:
    """The document format implied by a file's suffix.

    Raises
    ------
    InputError
        If the suffix is not ``.yaml``, ``.yml``, ``.json`` or ``.toml``.
    """
    p = Path(path)
    try:
        return FORMATS[p.suffix.lower()]
    except KeyError:
        suffix = f"'{p.suffix}'" if p.suffix else "no suffix"
        raise InputError(
            p.name,
            [Problem((), f"unknown file format ({suffix}); use .yaml, .yml, .json or .toml")],
        ) from None


def load_text(text: str, fmt: Format, source: str) -> Any:
    """Parse ``text`` as ``fmt``; syntax errors become an :class:`InputError` with a position."""
    if not text.strip():
        raise InputError(source, [Problem((), "the file is empty")])
    if fmt == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            msg = f"not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}"
            raise InputError(source, [Problem((), msg)]) from None
    if fmt == "toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(source, [Problem((), f"not valid TOML: {exc}")]) from None
    import yaml  # lazy: keep `import cityeval` light

    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        raise InputError(source, [Problem((), f"not valid YAML: {where}{exc.problem}")]) from None
    except yaml.YAMLError as exc:
        raise InputError(source, [Problem((), f"not valid YAML: {exc}")]) from None
    if data is None:
        raise InputError(source, [Problem((), "the file is empty")])
    return data


def read_document(path: str | os.PathLike[str]) -> Any:
    """Read a YAML, JSON or TOML file into plain data.

    Raises
    ------
    InputError
        Naming the file, if it is missing, unreadable, empty, of an unknown format, not text,
        or not valid in its format.
    """
    p = Path(path)
    fmt = format_of(p)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError(str(p), [Problem((), "file not found")]) from None
    except IsADirectoryError:
        raise InputError(str(p), [Problem((), "is a directory, not a file")]) from None
    except OSError as exc:
        raise InputError(str(p), [Problem((), f"cannot read: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(p.name, [Problem((), "not a text file (it is not UTF-8)")]) from None
    return load_text(text, fmt, p.name)


def dump_text(data: Any, fmt: Format) -> str:
    """Serialise plain data as ``fmt`` text."""
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "toml":
        import tomli_w

        return tomli_w.dumps(data)
    import yaml

    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never half.

    The text goes to a temporary file in the same folder, which then replaces the target
    (:func:`cityeval.io.outputs.write_output_file`: the user's umask, ``OutputError``).
    """
    from cityeval.io.outputs import write_output_file

    write_output_file(path, text.encode("utf-8"))


def write_document(data: Any, path: str | os.PathLike[str]) -> None:
    """Write plain data to ``path`` in the format its suffix names, atomically."""
    write_atomic(path, dump_text(data, format_of(path)))

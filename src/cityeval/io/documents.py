"""Reading and writing YAML, JSON and TOML documents, with located errors and atomic writes."""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from cityeval.errors import InputError, Problem
from cityeval.i18n import _
from cityeval.io.limits import (
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    data_problem,
    read_bytes,
    text_depth,
    too_large,
)

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
        suffix = f"'{p.suffix}'" if p.suffix else _("no suffix")
        message = _("unknown file format ({suffix}); use .yaml, .yml, .json or .toml")
        raise InputError(p.name, [Problem((), message.format(suffix=suffix))]) from None


def _located(line: int | None, column: int | None) -> tuple[str, ...]:
    if line is None:
        return ()
    if column is None:
        return (f"line {line}",)
    return (f"line {line}, column {column}",)


_TOML_AT = re.compile(r"(.*?)\s*\(at line (\d+), column (\d+)\)\s*$", re.S)


def _yaml_loader() -> Any:
    """libyaml's safe loader when PyYAML was built with it (ten times faster), else Python's."""
    import yaml  # lazy: keep `import cityeval` light

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(text: str, fmt: Format, source: str) -> Any:
    """Parse ``text``; every parser failure becomes an :class:`InputError` with a position."""
    if fmt == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            message = _("not valid JSON: {problem}").format(problem=exc.msg)
            raise InputError(source, [Problem(_located(exc.lineno, exc.colno), message)]) from None
        except (ValueError, RecursionError) as exc:  # such as an integer of 5,000 digits
            message = _("not valid JSON: {problem}").format(problem=_reason(exc))
            raise InputError(source, [Problem((), message)]) from None
    if fmt == "toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            found = _TOML_AT.match(str(exc))
            if found is None:
                where: tuple[str, ...] = ()
                problem = str(exc)
            else:
                where = _located(int(found[2]), int(found[3]))
                problem = found[1]
            message = _("not valid TOML: {problem}").format(problem=problem)
            raise InputError(source, [Problem(where, message)]) from None
        except (ValueError, RecursionError) as exc:
            message = _("not valid TOML: {problem}").format(problem=_reason(exc))
            raise InputError(source, [Problem((), message)]) from None
    import yaml

    try:
        return yaml.load(text, Loader=_yaml_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _located(mark.line + 1, mark.column + 1) if mark is not None else ()
        problem = exc.problem or exc.context or _("a syntax error")
        if exc.context and exc.problem:
            problem = f"{problem} ({exc.context})"
        message = _("not valid YAML: {problem}").format(problem=problem)
        raise InputError(source, [Problem(where, message)]) from None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        message = _("not valid YAML: {problem}").format(problem=_reason(exc))
        raise InputError(source, [Problem((), message)]) from None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return _("nested too deeply")
    if "integer string conversion" in str(exc):
        return _("a number with more than 4300 digits")
    text = str(exc).replace('in "<unicode string>", ', "").replace('"<unicode string>"', "")
    return " ".join(text.split()) or type(exc).__name__


def load_text(text: str, fmt: Format, source: str) -> Any:
    """Parse ``text`` as ``fmt`` into plain data, within the documented limits.

    The size (:data:`~cityeval.io.limits.MAX_DOCUMENT_BYTES`) and the nesting depth
    (:data:`~cityeval.io.limits.MAX_DEPTH`, estimated from the text) are checked before the
    text is parsed; the depth and the number of values
    (:data:`~cityeval.io.limits.MAX_NODES`, YAML aliases counted at each use) again after.

    Raises
    ------
    InputError
        For an empty file, a file over a limit, or a syntax error, located as
        ``source: line L, column C: problem``.
    """
    if len(text) > MAX_DOCUMENT_BYTES:
        raise InputError(source, [Problem((), too_large(len(text), MAX_DOCUMENT_BYTES))])
    if not text.strip():
        raise InputError(source, [Problem((), _("the file is empty"))])
    # A large YAML or TOML text parsed and checked before is read back from the user's cache
    # (keyed by the text itself: any change parses it again; see cityeval.io.cache).
    salt = _parser_salt(fmt)
    if salt is not None:
        from cityeval.io.cache import cached_document

        found, data = cached_document(text, fmt, salt)
        if found:
            return data
    depth, line = text_depth(text, fmt, stop_above=MAX_DEPTH)
    if depth > MAX_DEPTH:
        message = _("mappings and lists nest deeper than {limit} levels").format(limit=MAX_DEPTH)
        raise InputError(source, [Problem((f"line {line}",), message)])
    data = _parse(text, fmt, source)
    if data is None:
        raise InputError(source, [Problem((), _("the file is empty"))])
    problem = data_problem(data)
    if problem is not None:
        raise InputError(source, [Problem((), problem)])
    if salt is not None:
        from cityeval.io.cache import keep_document

        keep_document(text, fmt, salt, data)
    return data


def _parser_salt(fmt: Format) -> str | None:
    """What a parsed YAML or TOML document depends on besides its text: the parser (PyYAML's
    installed files, Python's version for tomllib) and the limits; None for JSON (parsed in
    C, faster than reading a cache entry)."""
    import sys

    from cityeval.io import limits as lim  # read now: a test may change a limit

    limits = f"{lim.MAX_DOCUMENT_BYTES}:{lim.MAX_DEPTH}:{lim.MAX_NODES}"
    try:  # the reading and checking code itself (a changed checkout parses again)
        code = [os.stat(path).st_mtime_ns for path in (__file__, lim.__file__)]
    except OSError:
        return None
    limits += f":{code[0]}:{code[1]}"
    if fmt == "toml":
        return f"toml:{sys.version}:{limits}"
    if fmt != "yaml":
        return None
    import importlib.util

    try:
        spec = importlib.util.find_spec("yaml")
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    try:
        info = os.stat(spec.origin)
    except OSError:
        return None
    return f"yaml:{spec.origin}:{info.st_size}:{info.st_mtime_ns}:{sys.version}:{limits}"


def read_document(path: str | os.PathLike[str]) -> Any:
    """Read a YAML, JSON or TOML file into plain data.

    Raises
    ------
    InputError
        Naming the file, if it is missing, unreadable, empty, of an unknown format, not text,
        larger than :data:`~cityeval.io.limits.MAX_DOCUMENT_BYTES`, nested too deeply, or
        not valid in its format.
    """
    p = Path(path)
    fmt = format_of(p)
    raw = read_bytes(p, MAX_DOCUMENT_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = _("not a text file (it is not UTF-8; the first bad byte is on line {line})")
        raise InputError(p.name, [Problem((), message.format(line=line))]) from None
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

"""The documented limits of every loader, checked before anything large is parsed or built.

A file that breaks a limit is refused with the library's own error naming the file, never a
``RecursionError``, a ``MemoryError`` or a parser's crash:

- :data:`MAX_DOCUMENT_BYTES`: the size of a YAML, JSON or TOML file (frameworks, pipelines,
  masterplans, rounds, uncertainty specifications, crosswalks);
- :data:`MAX_DEPTH`: how deeply mappings and lists nest, checked on the text before parsing
  (brackets and indentation) and again on the parsed data (dotted TOML keys, YAML aliases);
- :data:`MAX_NODES`: how many values a parsed document holds, counting every use of a YAML
  alias (a "billion laughs" document is refused, not expanded).

Data CSV files have a limit of their own (:data:`cityeval.data.csv_read.MAX_CSV_BYTES`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cityeval.errors import InputError, Problem
from cityeval.i18n import _

__all__ = [
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "MAX_NODES",
    "data_problem",
    "read_bytes",
    "text_depth",
    "too_large",
]

#: The largest YAML, JSON or TOML document read, in bytes (16 MiB).
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
#: The deepest nesting of mappings and lists in a document.
MAX_DEPTH = 64
#: The most values (mappings, lists and scalars, aliases counted at each use) in a document.
MAX_NODES = 2_000_000


_SPECIAL_STRINGS = re.compile(r"\\[^\n]|[\[\]{}\n\"'#]")
_SPECIAL_BRACKETS = re.compile(r"[\[\]{}\n]")
_YAML_PREFIX = re.compile(r"(?m)^[ ?:\-]*")


_TOML_QUOTED = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')
_TOML_HEADER = re.compile(r"\s*\[\[?([^\],=]*)\]\]?\s*(?:#.*)?")


def _toml_key(line: str) -> str | None:
    """The key of a TOML line (``a.b.c = 1``) or table header (``[a.b]``), else None.

    Dotted keys nest tables as brackets do, and a long one costs TOML's parser memory that
    grows with the square of its length, so they count toward the depth.
    """
    header = _TOML_HEADER.fullmatch(line)
    if header is not None:
        return header[1]
    plain = _TOML_QUOTED.sub("q", line)
    if "=" not in plain:
        return None
    return plain.split("=", 1)[0]


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n} bytes"


def too_large(size: int, limit: int) -> str:
    """The message for a file of ``size`` bytes over ``limit``."""
    return _("the file is too large ({size}; the limit is {limit})").format(
        size=_size(size), limit=_size(limit)
    )


def read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, refusing a file larger than ``limit`` before reading it.

    Raises
    ------
    InputError
        Naming the file, if it is missing, a folder, unreadable or too large.
    """
    try:
        size = path.stat().st_size
        raw = b"" if size > limit else _read_at_most(path, limit + 1)
    except FileNotFoundError:
        raise InputError(str(path), [Problem((), _("file not found"))]) from None
    except IsADirectoryError:
        raise InputError(str(path), [Problem((), _("is a directory, not a file"))]) from None
    except OSError as exc:
        message = _("cannot read: {reason}").format(reason=exc.strerror or exc)
        raise InputError(str(path), [Problem((), message)]) from None
    except ValueError:  # an embedded NUL byte in the path
        raise InputError(str(path), [Problem((), _("not a valid file name"))]) from None
    if size > limit:
        raise InputError(str(path), [Problem((), too_large(size, limit))])
    if len(raw) > limit:  # grown since stat, or a device that reports no size
        raise InputError(str(path), [Problem((), too_large(len(raw), limit))])
    return raw


def _read_at_most(path: Path, n: int) -> bytes:
    with path.open("rb") as fh:
        return fh.read(n)


def _bracket_depth(
    text: str, fmt: str, block: list[int], stop_above: int | None
) -> tuple[int, int]:
    """The deepest open brackets plus the block depth of their line, and that line."""
    best, best_line = 0, 1
    depth = 0
    quote = ""
    comment = False
    line = 0
    special = _SPECIAL_STRINGS if fmt in ("json", "toml") else _SPECIAL_BRACKETS
    for match in special.finditer(text):
        ch = match.group()
        if len(ch) == 2:  # a backslash and the character after it
            if quote == '"':
                continue  # an escape inside a double-quoted string
            ch = ch[1]
        if ch == "\n":
            line += 1
            comment = False
            continue
        if comment:
            continue
        if quote:
            if ch == quote:
                quote = ""
            continue
        if ch in "\"'":
            quote = ch
        elif ch == "#" and fmt == "toml":
            comment = True
        elif ch in "[{":
            depth += 1
            total = depth + block[line]
            if total > best:
                best, best_line = total, line + 1
                if stop_above is not None and best > stop_above:
                    break
        elif ch in "]}" and depth:
            depth -= 1
    return best, best_line


def text_depth(text: str, fmt: str, stop_above: int | None = None) -> tuple[int, int]:
    """An upper estimate of how deeply a document nests, read from its text.

    Counts open brackets (outside JSON and TOML strings; in YAML everywhere, which can only
    overestimate) and, for YAML, adds the stack of indentation levels and ``- `` list
    markers of block style. The estimate never falls below the true depth, so a document
    within :data:`MAX_DEPTH` by this count cannot make a parser recurse further.
    With ``stop_above``, the scan stops as soon as the depth passes it.

    Returns
    -------
    depth : int
        The estimated depth.
    line : int
        The line (from 1) where it is first reached.
    """
    if fmt == "yaml" and stop_above is not None:
        # Each block level takes at least one column of indentation or a '- ': the longest
        # prefix of spaces and markers bounds the block depth. When that bound and the
        # brackets together stay within the limit, the line-by-line scan is not needed.
        prefixes = _YAML_PREFIX.findall(text)
        bound = max(map(len, prefixes), default=0) + 1
        brackets, line = _bracket_depth(text, "yaml", [0] * (text.count("\n") + 1), None)
        if bound + brackets <= stop_above:
            return brackets, line
    best, best_line = 0, 1
    block = [0] * (text.count("\n") + 1)
    if fmt == "yaml":
        indents: list[int] = []
        for n, raw in enumerate(text.split("\n")):
            stripped = raw.lstrip(" ")
            if not stripped or stripped.startswith("#"):
                block[n] = len(indents)
                continue
            width = len(raw) - len(stripped)
            while indents and indents[-1] >= width:
                indents.pop()
            indents.append(width)
            dashes, j = 0, 0
            while stripped.startswith(("- ", "? ", ": "), j) or stripped[j:] in ("-", "?"):
                dashes += 1
                j += 2
                while j < len(stripped) and stripped[j] == " ":
                    j += 1
            block[n] = len(indents) + dashes
            if block[n] > best:
                best, best_line = block[n], n + 1
                if stop_above is not None and best > stop_above:
                    return best, best_line
    if fmt == "toml":
        for n, raw in enumerate(text.split("\n")):
            key = _toml_key(raw)
            if key is not None:
                block[n] = _TOML_QUOTED.sub("q", key).count(".") + 1
                if block[n] > best:
                    best, best_line = block[n], n + 1
                    if stop_above is not None and best > stop_above:
                        return best, best_line
    depth, line = _bracket_depth(text, fmt, block, stop_above)
    if depth > best:
        best, best_line = depth, line
    return best, best_line


def data_problem(data: Any, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> str | None:
    """Why parsed data break the depth or size limits, or None.

    Walks without recursion and visits each container once: a container that YAML aliases
    share is counted at each use (so the expanded size is what is limited) without being
    expanded, and a container that holds itself (``&a [*a]``) is refused.
    """
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        value, done = stack.pop()
        if not isinstance(value, Mapping | list | tuple):
            continue
        key = id(value)
        children = list(value.values()) if isinstance(value, Mapping) else list(value)
        if done:
            on_path.discard(key)
            total, deepest = 1, 0
            for child in children:
                if isinstance(child, Mapping | list | tuple):
                    total += size[id(child)]
                    deepest = max(deepest, height[id(child)])
                else:
                    total += 1
            size[key], height[key] = total, deepest + 1
            if total > max_nodes:
                return _(
                    "the document holds more than {limit} values (are YAML aliases repeating "
                    "a large part?)"
                ).format(limit=max_nodes)
            if deepest + 1 > max_depth:
                return _("mappings and lists nest deeper than {limit} levels").format(
                    limit=max_depth
                )
            continue
        if key in size:
            continue
        if key in on_path:
            return _("a YAML alias refers to the mapping or list that holds it")
        on_path.add(key)
        stack.append((value, True))
        stack.extend((child, False) for child in children)
    return None

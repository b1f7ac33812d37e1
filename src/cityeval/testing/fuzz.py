"""Hypothesis strategies for malformed input files, to fuzz every loader.

Each strategy yields the *text* of a file that a careless user, a broken export or an attacker
could hand to cityeval: deeply nested documents, wrong types where ids and numbers belong,
truncated and ragged CSV rows, huge numbers, spreadsheet tricks (formulas, ``1.250``, decimal
commas, a byte-order mark), and mutations of real example files. A loader passes when every
such file either loads or raises the library's own error naming the file
(:func:`assert_only_own_errors`). The project's own suite is ``tests/fuzz``; a plugin can
fuzz its files the same way::

    from hypothesis import given
    from cityeval.testing import fuzz

    @given(fuzz.documents("yaml", base=MY_FILE.read_text()))
    def test_my_loader_never_crashes(text):
        fuzz.assert_only_own_errors(lambda: load_mine(text, source="my.yaml"), "my.yaml")
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from cityeval.errors import CityevalError, InputError

__all__ = [
    "assert_only_own_errors",
    "csv_texts",
    "deep_texts",
    "documents",
    "dump",
    "json_like",
    "mutations",
    "odd_scalars",
    "odd_text",
]

#: Text that trips spreadsheets and parsers: formulas, control characters, number lookalikes.
TRICKY_TEXT = (
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\t=x",
    "\r=x",
    "1.250",
    "1.250.000",
    "1,5",
    "12%",
    "1e999",
    "-1e999",
    "NaN",
    "inf",
    "Infinity",
    "0x10",
    "1_000",
    "\u00a0",
    "\x1b[31mred\x1b[0m",
    "\x00",
    "\ufeff",
    "",
    " ",
    "null",
    "~",
    "yes",
    "2019-02-30",
    "*alias",
    "&anchor",
    "!!python/object:os.system",
    "[",
    "{",
    '"',
    "'",
    "\\",
    "a" * 300,
)


def odd_text() -> st.SearchStrategy[str]:
    """Short text, tricky text, and text from the whole of Unicode."""
    return st.one_of(st.sampled_from(TRICKY_TEXT), st.text(max_size=12))


def odd_scalars() -> st.SearchStrategy[Any]:
    """Scalars of every JSON type, at their extremes: huge integers, inf, NaN, tricky text."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.sampled_from([0, -1, 2**63, -(2**63) - 1, 10**30, 10**400]),
        st.floats(allow_nan=True, allow_infinity=True),
        odd_text(),
    )


def json_like(max_leaves: int = 30) -> st.SearchStrategy[Any]:
    """Plain data of any shape: scalars, lists and mappings nested by ``st.recursive``."""
    return st.recursive(
        odd_scalars(),
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(odd_text(), children, max_size=4),
        ),
        max_leaves=max_leaves,
    )


def deep_texts(fmt: str) -> st.SearchStrategy[str]:
    """Documents nested deeper than any limit, in the syntax of ``fmt``."""
    depth = st.integers(min_value=50, max_value=100_000)
    if fmt == "json":
        return depth.map(lambda n: "[" * n + "]" * n) | depth.map(
            lambda n: '{"a":' * n + "1" + "}" * n
        )
    if fmt == "toml":
        return st.one_of(
            depth.map(lambda n: "a = " + "[" * n + "]" * n),
            depth.map(lambda n: "a = " + "{b = " * n + "1" + "}" * n),
            depth.map(lambda n: ".".join(["k"] * n) + " = 1"),
        )
    return st.one_of(
        depth.map(lambda n: "a: " + "[" * n + "]" * n),
        depth.map(lambda n: "a: " + "{b: " * n + "1" + "}" * n),
        st.integers(50, 3000).map(lambda n: "".join(" " * k + "a:\n" for k in range(n))),
        st.integers(50, 3000).map(lambda n: "- " * n + "x"),
        st.integers(10, 40).map(_billion_laughs),
    )


def _billion_laughs(n: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 10)}]" for k in range(1, n)]
    return "\n".join(lines) + "\n"


def dump(data: Any, fmt: str) -> str | None:
    """``data`` as text in ``fmt``, or None when the format cannot hold it."""
    try:
        if fmt == "json":
            return json.dumps(data, allow_nan=True)
        if fmt == "toml":
            import tomli_w

            if not isinstance(data, dict):
                return None
            return tomli_w.dumps(data)
        import yaml

        return str(yaml.safe_dump(data, allow_unicode=True))
    except (TypeError, ValueError, RecursionError, OverflowError):
        return None
    except Exception:
        return None


@st.composite
def _replace_scalar(draw: st.DrawFn, data: Any) -> Any:
    """``data`` with one value somewhere replaced by an odd value."""
    if isinstance(data, dict) and data:
        key = draw(st.sampled_from(sorted(data, key=str)))
        out = dict(data)
        if draw(st.booleans()):
            out[key] = draw(_replace_scalar(data[key]))
        else:
            out[key] = draw(json_like(8))
        return out
    if isinstance(data, list) and data:
        k = draw(st.integers(0, len(data) - 1))
        out_list = list(data)
        out_list[k] = draw(_replace_scalar(data[k]))
        return out_list
    return draw(json_like(8))


@st.composite
def mutations(draw: st.DrawFn, base: str) -> str:
    """``base`` mutated as text: truncated, a slice cut, repeated or replaced by odd text."""
    if not base:
        return draw(odd_text())
    kind = draw(st.sampled_from(["truncate", "cut", "repeat", "insert", "swap_lines"]))
    n = len(base)
    a = draw(st.integers(0, n))
    if kind == "truncate":
        return base[:a]
    b = draw(st.integers(a, min(n, a + 200)))
    if kind == "cut":
        return base[:a] + base[b:]
    if kind == "repeat":
        return base[:b] + base[a:b] * draw(st.integers(1, 5)) + base[b:]
    if kind == "insert":
        return base[:a] + draw(odd_text()) + base[a:]
    lines = base.split("\n")
    i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


@st.composite
def documents(draw: st.DrawFn, fmt: str, base: str | None = None) -> str:
    """Malformed documents in ``fmt``: random data, deep nesting, and (with ``base``, the text
    of a real file in ``fmt``) text mutations and one value replaced by a wrong type."""
    choices = ["random", "deep"]
    if base is not None:
        choices += ["mutate", "mutate", "replace", "replace"]
    kind = draw(st.sampled_from(choices))
    if kind == "deep":
        return draw(deep_texts(fmt))
    if kind == "mutate":
        assert base is not None
        return draw(mutations(base))
    if kind == "replace":
        assert base is not None
        from cityeval.io.documents import load_text

        data = load_text(base, fmt, "base")  # type: ignore[arg-type]
        text = dump(draw(_replace_scalar(data)), fmt)
        return text if text is not None else base
    text = dump(draw(json_like()), fmt)
    return text if text is not None else draw(odd_text())


@st.composite
def csv_texts(draw: st.DrawFn, base: str) -> str:
    """Malformed CSV: ragged rows, cells replaced by tricky text or huge numbers, odd bytes,
    separators other than commas, and text mutations of ``base`` (a real CSV file)."""
    lines = base.rstrip("\n").split("\n")
    kind = draw(st.sampled_from(["cell", "cell", "ragged", "mutate", "separator", "prefix"]))
    if kind == "mutate":
        return draw(mutations(base))
    if kind == "separator":
        return base.replace(",", draw(st.sampled_from([";", "\t", "|"])))
    if kind == "prefix":
        return draw(st.sampled_from(["\ufeff", "\x00", "sep=,\n", '"', "\n\n"])) + base
    import csv
    import io

    rows = list(csv.reader(io.StringIO(base)))
    r = draw(st.integers(0, len(rows) - 1))
    if kind == "ragged":
        if draw(st.booleans()) and rows[r]:
            rows[r] = rows[r][: draw(st.integers(0, len(rows[r]) - 1))]
        else:
            rows[r] = rows[r] + draw(st.lists(odd_text(), min_size=1, max_size=3))
    elif rows[r]:
        c = draw(st.integers(0, len(rows[r]) - 1))
        rows[r][c] = draw(
            st.one_of(
                odd_text(),
                st.sampled_from(["150", "-3", "9", "1e308", "-0", "10" * 200, "1.250"]),
                st.floats().map(repr),
                st.integers().map(str),
            )
        )
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    del lines
    return out.getvalue()


def assert_only_own_errors(load: Callable[[], object], source: str | tuple[str, ...]) -> None:
    """Run ``load``; it may succeed or raise a :class:`CityevalError` that names ``source``.

    Parameters
    ----------
    load : callable
        Reads the file.
    source : str or tuple of str
        The file name the error must name (any of them, for a loader reading several).

    Raises
    ------
    AssertionError
        If ``load`` raises an :class:`InputError` for another source, or a
        :class:`CityevalError` whose message does not name ``source``. Any other exception
        (a ``RecursionError``, ``TypeError``, ``MemoryError``) propagates, failing the test.
    """
    names = (source,) if isinstance(source, str) else source
    problem = None
    try:
        load()
    except InputError as exc:
        if not exc.source.endswith(names):
            problem = f"the error names {exc.source!r}, not {names!r}: {exc}"
        elif not str(exc).strip():
            problem = "an empty message"
    except CityevalError as exc:
        if not any(n in str(exc) for n in names):
            problem = f"the message does not name {names!r}: {exc}"
    if problem is not None:
        raise AssertionError(problem)

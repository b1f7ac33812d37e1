"""Fuzzing the form reader: mutated real workbooks give a round or the library's own error.

Three kinds of mutation of a real, filled form: cell values (wrong types, huge numbers,
formulas, control characters, in the OPD sheets and the hidden record), the bytes of the
``.xlsx`` file, and its XML parts inside an intact zip. Whatever happens, only
:class:`~cityeval.masterplan.forms.FormError` (a ``CityevalError``) may leave
:func:`~cityeval.masterplan.forms.read_forms`. CI runs a modest number of examples; a long run::

    CITYEVAL_FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest -q tests/masterplan/test_form_fuzz.py
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

openpyxl = pytest.importorskip("openpyxl")

from cityeval.errors import CityevalError  # noqa: E402
from cityeval.masterplan import EvaluationRound, Masterplan, loads_masterplan, loads_round  # noqa: E402
from cityeval.masterplan.forms import FormError, read_forms, stored_masterplan, write_form  # noqa: E402

from .conftest import GOOD, ROUND  # noqa: E402

ROUND_ID = "2019-tahap-3"
EXAMPLES = int(os.environ.get("CITYEVAL_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@cache
def _masterplan() -> Masterplan:
    return loads_masterplan(GOOD, source="contoh.yaml")


@cache
def _base() -> bytes:
    """A real form of the small masterplan, filled in from a round."""
    mp = _masterplan()
    rnd = loads_round(ROUND, masterplan=mp)
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"cityeval-fuzz-base-{os.getpid()}.xlsx"
    write_form(mp, rnd.id, path, year=2019, date=dt.date(2019, 6, 11), prefill=rnd)
    data = path.read_bytes()
    path.unlink()
    return data


def _read(data: bytes, tmp_path: Path) -> EvaluationRound | None:
    path = tmp_path / "form.xlsx"
    path.write_bytes(data)
    problems: tuple[object, ...] = ()
    try:
        assert isinstance(stored_masterplan(path), str)
    except FormError as exc:
        assert all(str(p).startswith("form.xlsx: ") for p in exc.problems)  # noqa: PT017
    try:
        return read_forms([path], _masterplan(), ROUND_ID)
    except FormError as exc:
        problems = exc.problems
    except CityevalError as exc:  # pragma: no cover - a library error, but not the form's
        pytest.fail(f"not a FormError: {type(exc).__name__}: {exc}")
    # every problem names the workbook
    assert problems and all(str(p).startswith("form.xlsx: ") for p in problems)
    return None


cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=60),
    st.sampled_from(
        ["=1/0", "=SUM(A1:A9)", '=HYPERLINK("http://x")', "1.250", "1.250.000", "12,5", "1e400",
         "selesai", "dibatalkan", "posyandu", "\x1b[31m", "\t=cmd", "-", "+", "@"]
    ),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
)  # fmt: skip
cells = st.tuples(
    st.sampled_from(["Dinkes", "Diskominfo", "_cityeval", "Petunjuk"]),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=12),
    cell_values,
)


@FUZZ
@given(st.lists(cells, min_size=1, max_size=12))
@example(changes=[("_cityeval", 2, 2, None)])  # no masterplan id: was read as 'None'
def test_mutated_cells(tmp_path: Path, changes: list[tuple[str, int, int, object]]) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(_base()))
    for sheet, row, col, value in changes:
        if isinstance(value, str) and any(ord(c) < 32 and c not in "\t\n\r" for c in value):
            value = repr(value)  # openpyxl itself refuses control characters in cells
        wb[sheet].cell(row=row, column=col).value = value
    buffer = io.BytesIO()
    wb.save(buffer)
    _read(buffer.getvalue(), tmp_path)


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)),
        min_size=1,
        max_size=8,
    ),
    st.one_of(st.none(), st.integers(min_value=0)),
)
@example(flips=[(2_671_212_962_797_624, 64)], cut=None)  # a zip "version 6.4": NotImplementedError
def test_mutated_bytes(tmp_path: Path, flips: list[tuple[int, int]], cut: int | None) -> None:
    data = bytearray(_base())
    for at, byte in flips:
        data[at % len(data)] = byte
    if cut is not None:
        data = data[: cut % len(data)]
    _read(bytes(data), tmp_path)


xml_junk = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
    st.sampled_from(
        [b"", b"<", b"<?xml version='1.0'?><worksheet/>", b"<a>" * 5000,
         b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;&a;&a;</x>']
    ),
)  # fmt: skip


@FUZZ
@given(st.data())
def test_mutated_parts(tmp_path: Path, data: st.DataObject) -> None:
    with zipfile.ZipFile(io.BytesIO(_base())) as zin:
        parts = {info.filename: zin.read(info) for info in zin.infolist()}
    name = data.draw(st.sampled_from(sorted(parts)), label="part")
    action = data.draw(st.sampled_from(["replace", "truncate", "drop"]), label="action")
    if action == "replace":
        parts[name] = data.draw(xml_junk, label="content")
    elif action == "truncate":
        parts[name] = parts[name][: data.draw(st.integers(0, len(parts[name])), label="at")]
    else:
        del parts[name]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for part, content in parts.items():
            zout.writestr(part, content)
    _read(buffer.getvalue(), tmp_path)


def test_the_unmutated_form_reads(tmp_path: Path) -> None:
    rnd = _read(_base(), tmp_path)
    assert rnd is not None and len(rnd.entries) == 2

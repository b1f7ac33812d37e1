"""Number columns read through orjson give exactly what float gives (or fall back to it)."""

from __future__ import annotations

import random
import struct
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cityeval.data.cells import MISSING_MARKERS, _plain_column

pytest.importorskip("orjson")

cell = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from([*sorted(MISSING_MARKERS), "-0", "+1", ".5", "5.", "007", " 3 ", "1e400"]),
    st.from_regex(r"-?[0-9]{1,20}(\.[0-9]{0,20})?([eE][+-]?[0-9]{1,3})?", fullmatch=True),
)


def _without_orjson(cells: list[str], monkeypatch: pytest.MonkeyPatch) -> np.ndarray | None:
    with monkeypatch.context() as m:
        m.setitem(sys.modules, "orjson", None)
        return _plain_column(cells)


def _same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.tobytes() == b.tobytes()  # bit for bit: NaN where missing, the sign of zero


@given(st.lists(cell, min_size=1, max_size=30))
def test_a_column_reads_the_same_with_and_without_orjson(cells: list[str]) -> None:
    mp = pytest.MonkeyPatch()
    try:
        assert _same(_plain_column(cells), _without_orjson(cells, mp))
    finally:
        mp.undo()


def test_many_numbers_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    rnd = random.Random(20261204)
    cells = []
    for _ in range(50_000):
        bits = struct.unpack("d", struct.pack("Q", rnd.getrandbits(64)))[0]
        cells.append(repr(bits) if bits == bits and abs(bits) != float("inf") else "1")
        digits, value = rnd.randint(1, 25), rnd.uniform(-1, 1) * 10 ** rnd.randint(-300, 300)
        cells.append(f"{value:.{digits}g}")
    assert _same(_plain_column(cells), _without_orjson(cells, monkeypatch))


def test_minus_zero_keeps_its_sign() -> None:
    out = _plain_column(["-0", "-0.0", "0"])
    assert out is not None and np.signbit(out).tolist() == [True, True, False]

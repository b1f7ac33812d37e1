"""Fixtures: the Banyuasin example (2019-tahap-3 against 2018-tahap-2)."""

from __future__ import annotations

import pytest

from cityeval.masterplan import get_masterplan, get_round, resolve_framework
from cityeval.masterplan.evaluation import Scorecard, evaluate


@pytest.fixture(scope="session")
def banyuasin_sc() -> Scorecard:
    mp = get_masterplan("banyuasin")
    return evaluate(
        mp,
        resolve_framework(mp),
        get_round(mp, "2019-tahap-3"),
        compare=get_round(mp, "2018-tahap-2"),
    )

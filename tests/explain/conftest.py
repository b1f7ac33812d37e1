"""Fixtures: the Banyuasin example (2019-tahap-3 against 2018-tahap-2)."""

from __future__ import annotations

import pytest

from cityeval.masterplan.evaluation import Scorecard


@pytest.fixture(scope="session")
def banyuasin_sc(banyuasin: Scorecard) -> Scorecard:
    """The root conftest's Banyuasin scorecard, under the name the explain tests use."""
    return banyuasin

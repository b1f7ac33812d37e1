"""Shared fixtures and hypothesis profiles.

Select a profile with ``HYPOTHESIS_PROFILE`` (``dev`` by default, ``ci`` in CI).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

from cityeval.plugins.manager import PluginHost, reset_host

# The user's cache (cityeval.io.cache: parsed documents, compiled templates) is off in the
# tests, so that no test depends on what an earlier run left; tests/io/test_cache.py turns it
# on in a temporary folder. Set CITYEVAL_CACHE_DIR to run the suite with a cache.
os.environ.setdefault("CITYEVAL_CACHE_DIR", "")

if TYPE_CHECKING:
    from cityeval.masterplan.evaluation import Scorecard

settings.register_profile(
    "dev", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    derandomize=True,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture
def host_with() -> Iterator[object]:
    """Install a fresh plugin host with extra plugins for one test, then restore the old one.

    Usage: ``host = host_with(("name", plugin_object), ...)``.
    """
    previous = reset_host(None)

    def make(*extra: tuple[str, object], entry_points: bool = False) -> PluginHost:
        host = PluginHost(entry_points=entry_points, extra=extra)
        reset_host(host)
        return host

    yield make
    reset_host(previous)


@pytest.fixture(scope="session")
def banyuasin() -> Scorecard:
    """The Banyuasin example: the third round of 2019 against the second of 2018."""
    from cityeval.masterplan import get_masterplan, get_round, resolve_framework
    from cityeval.masterplan.evaluation import evaluate

    mp = get_masterplan("banyuasin")
    return evaluate(
        mp,
        resolve_framework(mp),
        get_round(mp, "2019-tahap-3"),
        compare=get_round(mp, "2018-tahap-2"),
    )

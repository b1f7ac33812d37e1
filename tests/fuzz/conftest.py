"""Settings of the fuzz suite: how many cases a loader gets.

``CITYEVAL_FUZZ_EXAMPLES`` sets the number of generated files per loader (25 by default, so
the suite stays quick in CI); the long run documented in docs/explanation/input-checks.md is::

    CITYEVAL_FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest tests/fuzz -p no:randomly
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("CITYEVAL_FUZZ_EXAMPLES", "25"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


#: The address space a fuzz test may use: a memory blow-up fails the test as a MemoryError
#: instead of exhausting the machine.
MEMORY_LIMIT = 4 * 1024**3


@pytest.fixture(autouse=True)
def _memory_limit() -> Iterator[None]:
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Windows
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))

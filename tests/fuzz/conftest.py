"""Settings of the fuzz suite: how many cases a loader gets.

``CITYEVAL_FUZZ_EXAMPLES`` sets the number of generated files per loader (25 by default, so
the suite stays quick in CI); the long run documented in docs/explanation/input-checks.md is::

    CITYEVAL_FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest tests/fuzz -p no:randomly
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("CITYEVAL_FUZZ_EXAMPLES", "25"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

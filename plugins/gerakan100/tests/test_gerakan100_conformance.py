"""The Gerakan 100 frameworks pass cityeval's conformance check for framework plugins."""

from __future__ import annotations

import pytest

from cityeval.testing.conformance import check_framework_plugin
from cityeval.testing.pytest_plugin import registered_framework_ids


@pytest.mark.parametrize("framework_id", registered_framework_ids("gerakan100"))
def test_conformance(framework_id: str) -> None:
    report = check_framework_plugin(framework_id)
    assert "round trip toml" in report.checks


def test_both_frameworks_are_checked() -> None:
    assert registered_framework_ids("gerakan100") == ["gerakan100", "gerakan100-evaluation"]
    assert "scores generated data" in check_framework_plugin("gerakan100-evaluation").checks

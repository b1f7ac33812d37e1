"""Banyuasin's framework passes cityeval's conformance check (a template: not scored)."""

from __future__ import annotations

from cityeval.testing.conformance import check_framework_plugin


def test_conformance() -> None:
    report = check_framework_plugin("banyuasin")
    assert report.checks == ["round trip yaml", "round trip json", "round trip toml"]
    assert report.skipped == ["scoring: the framework is a template"]

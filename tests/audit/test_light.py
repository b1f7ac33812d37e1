"""``import cityeval.audit`` loads no heavy dependency: SciPy, pandas and Jinja2 wait for use."""

from __future__ import annotations

from tests.test_import import HEAVY, imported_after


def test_import_cityeval_audit_loads_nothing_heavy() -> None:
    assert imported_after("import cityeval.audit") & HEAVY == set()

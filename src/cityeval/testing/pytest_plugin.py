"""A pytest plugin that parametrizes tests over every registered framework.

Enable it in a root ``conftest.py`` with ``pytest_plugins = ["cityeval.testing.pytest_plugin"]``
(or ``pytest -p cityeval.testing.pytest_plugin``). A test that takes the argument
``cityeval_framework_id`` then runs once per registered framework::

    from cityeval.testing.conformance import check_framework_plugin

    def test_conforms(cityeval_framework_id):
        check_framework_plugin(cityeval_framework_id)

Restrict it to one plugin's frameworks with ``@pytest.mark.cityeval_plugin("spbe")``.
"""

from __future__ import annotations

import pytest

__all__ = ["registered_framework_ids"]

FIXTURE = "cityeval_framework_id"


def registered_framework_ids(plugin: str | None = None) -> list[str]:
    """Ids of the registered frameworks (those a given plugin registered, if named)."""
    from cityeval.plugins.manager import get_host

    return [
        e.framework.id
        for e in get_host().frameworks.entries()
        if plugin is None or e.plugin == plugin
    ]


def pytest_configure(config: pytest.Config) -> None:
    """Declare the ``cityeval_plugin`` marker (so ``--strict-markers`` accepts it)."""
    config.addinivalue_line(
        "markers",
        "cityeval_plugin(name): parametrize cityeval_framework_id over one plugin's frameworks",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``cityeval_framework_id`` over the registered frameworks."""
    if FIXTURE not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("cityeval_plugin")
    plugin = str(marker.args[0]) if marker is not None and marker.args else None
    ids = registered_framework_ids(plugin)
    metafunc.parametrize(FIXTURE, ids, ids=ids)

"""Boyd Cohen's Smart City Wheel for cityeval, as a plugin.

Registers the template ``cohen-wheel``: six components with three key drivers each. Cohen's
indicator lists (28 in 2013, 62 in 2014) were not found, so the framework has no indicators:
a city attaches its own under the drivers.
"""

from __future__ import annotations

from importlib.resources import as_file, files

from cityeval import hookimpl
from cityeval.plugins import FrameworkRegistry

__all__ = ["FRAMEWORK_FILE", "cityeval_register_frameworks"]

__version__ = "0.1.0"

FRAMEWORK_FILE = files(__name__) / "data" / "cohen-wheel.yaml"


@hookimpl
def cityeval_register_frameworks(registry: FrameworkRegistry) -> None:
    """Register the ``cohen-wheel`` template."""
    with as_file(FRAMEWORK_FILE) as path:
        registry.add_framework(path)

"""The Indeks SPBE (PermenPANRB 59/2020) for cityeval, as a plugin.

Registers the framework ``spbe-2020``: four domains, eight aspects and 47 indicators on
capability levels 1 to 5, weighted as the regulation weights them, with the predicate bands
(Kurang ... Memuaskan) of the overall index.
"""

from __future__ import annotations

from importlib.resources import as_file, files

from cityeval import hookimpl
from cityeval.plugins import FrameworkRegistry

__all__ = ["FRAMEWORK_FILE", "cityeval_register_frameworks"]

__version__ = "0.1.0"

FRAMEWORK_FILE = files(__name__) / "data" / "spbe-2020.yaml"


@hookimpl
def cityeval_register_frameworks(registry: FrameworkRegistry) -> None:
    """Register the ``spbe-2020`` framework."""
    with as_file(FRAMEWORK_FILE) as path:
        registry.add_framework(path)

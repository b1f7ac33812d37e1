"""Giffinger et al. (2007), "Smart cities - Ranking of European medium-sized cities", for cityeval.

Registers the framework ``giffinger-2007`` (six characteristics, 31 factors, 74 indicators,
the factor and indicator names reconstructed and graded U) and the crosswalk
``gerakan100-to-giffinger-2007``, cityeval's own reading of how the Gerakan 100 elements
correspond to Giffinger's factors.
"""

from __future__ import annotations

from importlib.resources import as_file, files

from cityeval import hookimpl
from cityeval.plugins import FrameworkRegistry
from cityeval.plugins.registry import CrosswalkRegistry

__all__ = [
    "CROSSWALK_FILE",
    "FRAMEWORK_FILE",
    "cityeval_register_crosswalks",
    "cityeval_register_frameworks",
]

__version__ = "0.1.0"

FRAMEWORK_FILE = files(__name__) / "data" / "giffinger-2007.yaml"
CROSSWALK_FILE = files(__name__) / "data" / "gerakan100-to-giffinger-2007.yaml"


@hookimpl
def cityeval_register_frameworks(registry: FrameworkRegistry) -> None:
    """Register the ``giffinger-2007`` framework."""
    with as_file(FRAMEWORK_FILE) as path:
        registry.add_framework(path)


@hookimpl
def cityeval_register_crosswalks(registry: CrosswalkRegistry) -> None:
    """Register the Gerakan 100 to Giffinger crosswalk."""
    registry.add_crosswalk(CROSSWALK_FILE)

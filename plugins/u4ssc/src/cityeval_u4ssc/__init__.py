"""The U4SSC key performance indicators (Recommendation ITU-T Y.4903) for cityeval.

Registers the framework ``u4ssc``: three dimensions, seven sub-dimensions, their categories
and the 91 KPIs with their official-style codes, each graded by how it was verified.
"""

from __future__ import annotations

from importlib.resources import as_file, files

from cityeval import hookimpl
from cityeval.plugins import FrameworkRegistry

__all__ = ["FRAMEWORK_FILE", "cityeval_register_frameworks"]

__version__ = "0.1.0"

FRAMEWORK_FILE = files(__name__) / "data" / "u4ssc.yaml"


@hookimpl
def cityeval_register_frameworks(registry: FrameworkRegistry) -> None:
    """Register the ``u4ssc`` framework."""
    with as_file(FRAMEWORK_FILE) as path:
        registry.add_framework(path)

"""The Gerakan Menuju 100 Smart City framework for cityeval, as a plugin.

Written exactly as a third-party plugin would be: a data file loaded through cityeval's own
loader and registered through the ``cityeval`` entry-point group.
"""

from __future__ import annotations

from importlib.resources import as_file, files

from cityeval import hookimpl
from cityeval.plugins import FrameworkRegistry

__all__ = ["EVALUATION_FILE", "FRAMEWORK_FILE", "cityeval_register_frameworks"]

__version__ = "0.1.0"

FRAMEWORK_FILE = files(__name__) / "data" / "gerakan100.yaml"
EVALUATION_FILE = files(__name__) / "data" / "gerakan100-evaluation.yaml"


@hookimpl
def cityeval_register_frameworks(registry: FrameworkRegistry) -> None:
    """Register the ``gerakan100`` planning framework and its ``gerakan100-evaluation`` index."""
    for data_file in (FRAMEWORK_FILE, EVALUATION_FILE):
        with as_file(data_file) as path:
            registry.add_framework(path)

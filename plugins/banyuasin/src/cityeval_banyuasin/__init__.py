"""Kabupaten Banyuasin's smart-city framework, masterplan and evaluation rounds for cityeval.

Written as a third-party plugin would be: data files loaded through cityeval's own loaders.
The framework is registered through the ``cityeval_register_frameworks`` hook; the
masterplan and its rounds are named by :data:`MASTERPLAN_FILE` and :data:`ROUND_FILES`, which
:func:`cityeval.masterplan.get_masterplan` and :func:`cityeval.masterplan.get_round` read.
Their numbers are illustrative (see the files' notes).
"""

from __future__ import annotations

from importlib.resources import as_file, files

from cityeval import hookimpl
from cityeval.plugins import FrameworkRegistry, MasterplanRegistry

__all__ = [
    "FRAMEWORK_FILE",
    "MASTERPLAN_FILE",
    "ROUND_FILES",
    "cityeval_register_frameworks",
    "cityeval_register_masterplans",
]

__version__ = "0.1.0"

_DATA = files(__name__) / "data"

FRAMEWORK_FILE = _DATA / "banyuasin.yaml"
MASTERPLAN_FILE = _DATA / "masterplan.yaml"
ROUND_FILES = tuple(
    _DATA / "rounds" / f"{round_id}.yaml"
    for round_id in ("2018-tahap-1", "2018-tahap-2", "2019-tahap-3")
)


@hookimpl
def cityeval_register_frameworks(registry: FrameworkRegistry) -> None:
    """Register the ``banyuasin`` framework."""
    with as_file(FRAMEWORK_FILE) as path:
        registry.add_framework(path)


@hookimpl
def cityeval_register_masterplans(registry: MasterplanRegistry) -> None:
    """Register the illustrative ``banyuasin`` masterplan and its three evaluation rounds."""
    registry.add_masterplan(MASTERPLAN_FILE, ROUND_FILES, id="banyuasin")

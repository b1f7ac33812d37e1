"""Crosswalks: map one framework's nodes onto another's and re-aggregate scores across them.

A crosswalk file names a source and a target framework and links source nodes to target
nodes with weights and grades; :func:`reaggregate` arranges scored results of the source
(or of anything built on its tree, such as a regency's masterplan) under the target.

Plugins register crosswalks (objects or files) through ``cityeval_register_crosswalks``;
the plugin registry only records them, and this package reads the files when a crosswalk is
first asked for. The arrow points one way: crosswalk uses the plugin host (passed in, or the
process-wide one), the plugin system never imports crosswalk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cityeval.crosswalk.apply import (
    CrosswalkResult,
    Scores,
    reaggregate,
    scores_from_json,
    scores_from_results,
)
from cityeval.crosswalk.files import (
    crosswalk_from_dict,
    crosswalk_to_dict,
    dumps_crosswalk,
    load_crosswalk,
    loads_crosswalk,
    save_crosswalk,
)
from cityeval.crosswalk.model import Crosswalk, Link

if TYPE_CHECKING:
    from cityeval.plugins.manager import PluginHost

__all__ = [
    "Crosswalk",
    "CrosswalkResult",
    "Link",
    "Scores",
    "crosswalk_from_dict",
    "crosswalk_to_dict",
    "dumps_crosswalk",
    "get_crosswalk",
    "list_crosswalks",
    "load_crosswalk",
    "loads_crosswalk",
    "reaggregate",
    "save_crosswalk",
    "scores_from_json",
    "scores_from_results",
]


def list_crosswalks(host: PluginHost | None = None) -> list[Crosswalk]:
    """Every crosswalk registered by a plugin, sorted by id (each file read once, on first use).

    Parameters
    ----------
    host : PluginHost, optional
        The plugin host to ask; the process-wide one by default.
    """
    registry = (host or _host()).crosswalks
    return [entry.load(load_crosswalk) for entry in registry.entries()]


def get_crosswalk(id_or_path: str, host: PluginHost | None = None) -> Crosswalk:
    """A registered crosswalk by id, or one read from a file (a name ending in a file suffix).

    Parameters
    ----------
    id_or_path : str
        A registered crosswalk's id, or a crosswalk file.
    host : PluginHost, optional
        The plugin host to ask; the process-wide one by default.

    Raises
    ------
    NotFoundError
        If no crosswalk of that id is registered.
    """
    from cityeval.plugins.lookup import looks_like_file

    if looks_like_file(id_or_path):
        return load_crosswalk(id_or_path)
    found: Crosswalk = (host or _host()).crosswalks.get(id_or_path).load(load_crosswalk)
    return found


def _host() -> PluginHost:
    from cityeval.plugins.manager import get_host

    return get_host()

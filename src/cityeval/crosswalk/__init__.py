"""Crosswalks: map one framework's nodes onto another's and re-aggregate scores across them.

A crosswalk file names a source and a target framework and links source nodes to target
nodes with weights and grades; :func:`reaggregate` arranges scored results of the source
(or of anything built on its tree, such as a regency's masterplan) under the target.
"""

from __future__ import annotations

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


def list_crosswalks() -> list[Crosswalk]:
    """Every crosswalk registered by a plugin, sorted by id."""
    from cityeval.plugins.manager import get_host

    return [entry.crosswalk for entry in get_host().crosswalks.entries()]


def get_crosswalk(id_or_path: str) -> Crosswalk:
    """A registered crosswalk by id, or one read from a file (a name ending in a file suffix).

    Raises
    ------
    NotFoundError
        If no crosswalk of that id is registered.
    """
    from pathlib import Path

    from cityeval.io.documents import FORMATS
    from cityeval.plugins.manager import get_host

    path = Path(id_or_path)
    if path.suffix.lower() in FORMATS or path.is_file():
        return load_crosswalk(path)
    return get_host().crosswalks.get(id_or_path).crosswalk

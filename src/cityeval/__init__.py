"""cityeval: evaluate smart-city programmes as composite indicators.

The top-level namespace holds what most users need: the model classes, the loaders, the
plugin marker and a few lookups. ``import cityeval`` loads only attrs, cattrs, pluggy and
numpy; the command line, YAML and optional parts load their own dependencies when used.
"""

import os as _os
from pathlib import Path as _Path
from typing import TYPE_CHECKING as _TYPE_CHECKING

from cityeval._version import __version__
from cityeval.errors import (
    CityevalError,
    InputError,
    ModelError,
    NotFoundError,
    PluginError,
    RegistryError,
)
from cityeval.io.frameworks import (
    dumps_framework,
    framework_from_dict,
    framework_to_dict,
    load_framework,
    loads_framework,
    save_framework,
)
from cityeval.model import (
    Bounds,
    Dimension,
    Direction,
    EqualWeights,
    ExplicitWeights,
    Framework,
    Grade,
    Indicator,
    Label,
    OrdinalLevel,
    Scale,
    ScaleKind,
    Source,
    WeightingScheme,
)
from cityeval.plugins.hookspecs import hookimpl

if _TYPE_CHECKING:
    from cityeval.api import evaluate, score, uncertainty

__all__ = [
    "Bounds",
    "CityevalError",
    "Dimension",
    "Direction",
    "EqualWeights",
    "ExplicitWeights",
    "Framework",
    "Grade",
    "Indicator",
    "InputError",
    "Label",
    "ModelError",
    "NotFoundError",
    "OrdinalLevel",
    "PluginError",
    "RegistryError",
    "Scale",
    "ScaleKind",
    "Source",
    "WeightingScheme",
    "__version__",
    "dumps_framework",
    "evaluate",
    "framework_from_dict",
    "framework_to_dict",
    "get_framework",
    "hookimpl",
    "list_frameworks",
    "load_framework",
    "loads_framework",
    "save_framework",
    "score",
    "uncertainty",
]


def list_frameworks() -> list[Framework]:
    """Every registered framework, sorted by id."""
    from cityeval.plugins.manager import get_host

    return [entry.framework for entry in get_host().frameworks.entries()]


def get_framework(id_or_path: str | _os.PathLike[str]) -> Framework:
    """A registered framework by id, or a framework read from a file.

    A string that names an existing file, or ends in ``.yaml``, ``.yml``, ``.json`` or
    ``.toml``, is read as a file; anything else is looked up among registered frameworks.

    Raises
    ------
    NotFoundError
        If no framework of that id is registered.
    InputError
        If the file cannot be read or is not a valid framework.
    """
    from cityeval.io.documents import FORMATS
    from cityeval.plugins.manager import get_host

    path = _Path(id_or_path)
    if not isinstance(id_or_path, str) or path.suffix.lower() in FORMATS or path.is_file():
        return load_framework(path)
    return get_host().frameworks.get(str(id_or_path)).framework


#: The public verbs of :mod:`cityeval.api`, imported on first use so that ``import cityeval``
#: stays light. (``cityeval.uncertainty`` is also the subpackage; once that is imported it is
#: the attribute, and calling it calls :func:`cityeval.api.uncertainty` all the same.)
_API = ("evaluate", "score", "uncertainty")


def __getattr__(name: str) -> object:
    if name in _API:
        from cityeval import api

        return getattr(api, name)
    raise AttributeError(f"module 'cityeval' has no attribute {name!r}")

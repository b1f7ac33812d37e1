"""cityeval: evaluate smart-city programmes as composite indicators.

The top-level namespace holds what most users need: the model classes, the loaders, the
plugin marker and a few lookups. Every name is imported on first use (:pep:`562`), so
``import cityeval`` (and the command line's start-up) loads none of numpy, attrs, cattrs,
pluggy or typer; ``cityeval.Framework`` loads the model when it is first asked for.
"""

from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from cityeval._version import __version__

if _TYPE_CHECKING:  # the same names, for type checkers and editors
    from cityeval.api import audit, evaluate, explain, score, uncertainty
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
    from cityeval.plugins.lookup import get_framework, list_frameworks

#: Where each public name lives; one line per name.
_LAZY: dict[str, str] = {
    "CityevalError": "cityeval.errors",
    "InputError": "cityeval.errors",
    "ModelError": "cityeval.errors",
    "NotFoundError": "cityeval.errors",
    "PluginError": "cityeval.errors",
    "RegistryError": "cityeval.errors",
    "dumps_framework": "cityeval.io.frameworks",
    "framework_from_dict": "cityeval.io.frameworks",
    "framework_to_dict": "cityeval.io.frameworks",
    "load_framework": "cityeval.io.frameworks",
    "loads_framework": "cityeval.io.frameworks",
    "save_framework": "cityeval.io.frameworks",
    "Bounds": "cityeval.model",
    "Dimension": "cityeval.model",
    "Direction": "cityeval.model",
    "EqualWeights": "cityeval.model",
    "ExplicitWeights": "cityeval.model",
    "Framework": "cityeval.model",
    "Grade": "cityeval.model",
    "Indicator": "cityeval.model",
    "Label": "cityeval.model",
    "OrdinalLevel": "cityeval.model",
    "Scale": "cityeval.model",
    "ScaleKind": "cityeval.model",
    "Source": "cityeval.model",
    "WeightingScheme": "cityeval.model",
    "hookimpl": "cityeval.plugins.hookspecs",
    "get_framework": "cityeval.plugins.lookup",
    "list_frameworks": "cityeval.plugins.lookup",
    # The main verbs of cityeval.api. ``cityeval.uncertainty``, ``.audit`` and ``.explain`` are
    # their subpackages, each callable as its verb (see _CALLABLE_PACKAGES).
    "score": "cityeval.api",
    "evaluate": "cityeval.api",
    "uncertainty": "cityeval.uncertainty",
    "audit": "cityeval.audit",
    "explain": "cityeval.explain",
}

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
    "audit",
    "dumps_framework",
    "evaluate",
    "explain",
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


#: Subpackages that are also verbs of cityeval.api: each package is callable as its verb.
_CALLABLE_PACKAGES = frozenset({"uncertainty", "audit", "explain"})


def __getattr__(name: str) -> _Any:
    """Import a public name on first use and keep it in the namespace."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cityeval' has no attribute {name!r}")
    from importlib import import_module

    if name in _CALLABLE_PACKAGES:
        # The verb and the subpackage share the name: the package itself, callable as the
        # verb (``cityeval.audit(results)``), keeps its other names (``cityeval.audit.pca``).
        value = import_module(module)
    else:
        value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

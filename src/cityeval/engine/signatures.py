"""What parameters a registered method accepts, read from its signature.

Kernels declare their parameters as keyword-only arguments; the engine supplies some of them
itself (context parameters such as the group codes of an imputation), and derives others from
indicator metadata (goalposts, targets, ordinal levels) when a pipeline does not give them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cache
from typing import Any

from attrs import frozen

__all__ = ["CONTEXT", "DERIVED", "MethodParams", "method_params"]

#: Parameters the engine passes itself, by step kind (never given in a pipeline).
CONTEXT: dict[str, frozenset[str]] = {
    "denominate": frozenset(),
    "impute": frozenset({"groups", "times"}),
    "treat": frozenset(),
    "normalise": frozenset(),
    "weight": frozenset({"framework", "node", "children"}),
    "aggregate": frozenset(),
}

#: Parameters a pipeline may give under another name, by the kernel's parameter name.
ALIASES: dict[str, str] = {"groups": "by", "reference_index": "reference"}

#: Normalisation parameters taken from indicator metadata when a pipeline omits them.
DERIVED: dict[str, str] = {
    "low": "the indicator's goalposts (goalposts.lower)",
    "high": "the indicator's goalposts (goalposts.upper)",
    "target": "the indicator's target",
    "levels": "the indicator's ordinal scale",
}


@frozen
class MethodParams:
    """The parameters of a method as a pipeline sees them.

    Attributes
    ----------
    required : frozenset of str
        Parameters without a default.
    optional : frozenset of str
        Parameters with a default.
    context : frozenset of str
        Parameters the engine supplies (not for pipelines).
    """

    required: frozenset[str]
    optional: frozenset[str]
    context: frozenset[str]

    @property
    def names(self) -> frozenset[str]:
        """Every parameter a pipeline may give (aliases included)."""
        base = self.required | self.optional
        return base | {ALIASES[n] for n in base | self.context if n in ALIASES}

    def describe(self) -> str:
        """A listing for error messages, such as ``lower, upper``."""
        return ", ".join(sorted(self.names)) or "none"


@cache
def method_params(implementation: Callable[..., Any], kind: str) -> MethodParams:
    """Read the keyword-only parameters of ``implementation``."""
    try:
        sig = inspect.signature(implementation)
    except (TypeError, ValueError):
        return MethodParams(frozenset(), frozenset(), frozenset())
    required: set[str] = set()
    optional: set[str] = set()
    context: set[str] = set()
    for p in sig.parameters.values():
        if p.kind is not inspect.Parameter.KEYWORD_ONLY:
            if p.name in CONTEXT.get(kind, frozenset()):
                context.add(p.name)
            continue
        if p.name in CONTEXT.get(kind, frozenset()):
            context.add(p.name)
        elif p.default is inspect.Parameter.empty:
            required.add(p.name)
        else:
            optional.add(p.name)
    return MethodParams(frozenset(required), frozenset(optional), frozenset(context))

"""The built-in plugin: registers cityeval's own methods through the public hooks."""

from __future__ import annotations

from cityeval.model.weighting import EqualWeights, ExplicitWeights
from cityeval.plugins.hookspecs import hookimpl
from cityeval.plugins.registry import MethodRegistry


@hookimpl
def cityeval_register_methods(registry: MethodRegistry) -> None:
    """Register the weighting schemes of the core."""
    registry.add_method(
        "weight", "explicit", ExplicitWeights, summary="The weights declared in the framework."
    )
    registry.add_method(
        "weight", "equal", EqualWeights, summary="Every node weighs as much as each sibling."
    )

"""The built-in plugin: registers cityeval's own methods through the public hooks.

Nothing here is special: an external plugin registering the same kernels under other names
would be treated exactly alike.
"""

from __future__ import annotations

from cityeval.plugins.hookspecs import hookimpl
from cityeval.plugins.registry import MethodRegistry


@hookimpl
def cityeval_register_methods(registry: MethodRegistry) -> None:
    """Register the normalisation, aggregation, weighting, imputation, treatment and
    denomination methods of the core."""
    from cityeval.engine import weight_methods as wm
    from cityeval.methods import aggregate, denominate, impute, normalise, passthrough, treat

    add = registry.add_method
    for name in (
        "minmax", "zscore", "goalposts", "dist_to_target", "dist_to_reference", "dist_to_max",
        "fraction_of_max", "rank", "borda", "percentile_rank", "fixed_bounds", "ordinal_levels",
        "progress",
    ):  # fmt: skip
        add("normalise", name, getattr(normalise, name))
    add("normalise", "identity", passthrough.identity)

    for name in (
        "arithmetic",
        "geometric",
        "harmonic",
        "power_mean",
        "median",
        "copeland",
        "minimum",
    ):
        add("aggregate", name, getattr(aggregate, name))

    add(
        "weight",
        "explicit",
        wm.explicit,
        summary="The weights declared in the framework (or a named set).",
    )
    add("weight", "equal", wm.equal, summary="Every node weighs as much as each sibling.")
    for name in ("entropy", "critic", "pca", "ahp", "budget"):
        add("weight", name, getattr(wm, name))

    for name in ("mean", "median", "group_mean", "group_median", "latest", "linear"):
        add("impute", name, getattr(impute, name))
    add("impute", "none", passthrough.keep)

    add("treat", "coinr", treat.coinr_treat)
    add("treat", "none", passthrough.keep_treat)

    add("denominate", "divide", denominate.denominate)
    add("denominate", "none", passthrough.keep_denominate)

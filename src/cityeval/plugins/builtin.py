"""The built-in plugin: registers cityeval's own methods and commands through the public hooks.

Nothing here is special: an external plugin registering the same kernels under other names
would be treated exactly alike. The host calls this plugin before any other, so the names it
registers are the reserved ones. The commands are named by ``"module:attribute"`` strings,
imported only when the command line is built.
"""

from __future__ import annotations

from cityeval.i18n import N_, _
from cityeval.plugins.hookspecs import hookimpl
from cityeval.plugins.registry import CommandRegistry, MethodRegistry

#: cityeval's own commands, in the order ``cityeval --help`` lists them, with a help line
#: where the command's own (its docstring, or its typer group's help) is not used.
COMMANDS: tuple[tuple[str, str, str | None], ...] = (
    (
        "plugins",
        "cityeval.cli.plugins:plugins_command",
        N_("List loaded plugins with their versions, and plugins that failed."),
    ),
    ("frameworks", "cityeval.cli.frameworks:app", None),
    ("schema", "cityeval.cli.schema:app", None),
    ("score", "cityeval.cli.score:score_command", None),
    ("import-coinr", "cityeval.cli.score:import_coinr_command", None),
    ("masterplan", "cityeval.cli.masterplan:app", None),
    ("uncertainty", "cityeval.cli.uncertainty:uncertainty_command", None),
    ("evaluate", "cityeval.cli.evaluate:evaluate_command", None),
    ("plugin", "cityeval.cli.plugin:app", None),
    (
        "audit",
        "cityeval.cli.audit:audit_command",
        N_(
            "Audit an index as COINr does: statistics, correlations, Cronbach's alpha, PCA, "
            "optimised weights and what-if comparisons."
        ),
    ),
    (
        "explain",
        "cityeval.cli.explain:explain_command",
        N_("Explain a score, or its change since an earlier round: the parts it is made of."),
    ),
    (
        "compare",
        "cityeval.cli.compare:compare_command",
        N_("Compare regencies on one framework: ranks, groups, leaders and what sets them apart."),
    ),
)


@hookimpl
def cityeval_register_commands(registry: CommandRegistry) -> None:
    """Register cityeval's own command-line commands (imported when the CLI is built)."""
    for name, ref, help in COMMANDS:
        registry.add_command(name, ref, help=None if help is None else _(help))


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

"""The hook specifications: every way a plugin can extend cityeval.

A plugin module defines functions with these names, marked with
``from cityeval import hookimpl``, and declares the module in the ``cityeval`` entry-point
group of its ``pyproject.toml``. Each hook receives a registry and adds things to it; a
duplicate name is rejected with a :class:`~cityeval.errors.RegistryError`. The host calls
each hook once, through pluggy, when its registry is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from cityeval.plugins.registry import (
        CommandRegistry,
        CrosswalkRegistry,
        FrameworkRegistry,
        MasterplanRegistry,
        MethodRegistry,
    )

__all__ = ["PROJECT", "hookimpl", "hookspec"]

PROJECT = "cityeval"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def cityeval_register_frameworks(registry: FrameworkRegistry) -> None:
    """Register frameworks with ``registry.add_framework(framework_or_file)``.

    Parameters
    ----------
    registry : FrameworkRegistry
        Accepts :class:`~cityeval.model.Framework` objects or framework files (``.yaml``,
        ``.json``, ``.toml``; paths or ``importlib.resources`` files), recorded now and read
        on first use with the same loader users use.
    """


@hookspec
def cityeval_register_methods(registry: MethodRegistry) -> None:
    """Register methods with ``registry.add_method(kind, name, implementation)``.

    Parameters
    ----------
    registry : MethodRegistry
        Kinds and the calling convention the engine uses for each (see
        :mod:`cityeval.methods` for the shape conventions):

        - ``"denominate"``: ``f(x, denominators, index)``;
        - ``"impute"``: ``f(x, *, <params>)``, receiving ``groups=`` (from the pipeline's
          ``by``) or ``times=`` when it declares them;
        - ``"treat"``: ``f(x, *, <params>)`` returning a ``TreatmentResult``;
        - ``"normalise"``: ``f(x, direction, *, <params>)``;
        - ``"weight"``: ``f(values, *, framework, node, children, <params>)`` returning a
          ``WeightOutcome`` (or an array of weights);
        - ``"aggregate"``: ``f(values, weights, *, <params>)``.

        Keyword-only parameters are the method's pipeline parameters.
    """


@hookspec
def cityeval_register_commands(registry: CommandRegistry) -> None:
    """Register command-line commands with ``registry.add_command(name, command)``.

    Parameters
    ----------
    registry : CommandRegistry
        Accepts a ``typer.Typer`` (a command group), a plain function (one command), or a
        ``"module:attribute"`` string naming one, imported when the command line is built.
    """


@hookspec
def cityeval_register_masterplans(registry: MasterplanRegistry) -> None:
    """Register masterplans and their rounds with ``registry.add_masterplan(file, rounds)``.

    Parameters
    ----------
    registry : MasterplanRegistry
        Accepts a masterplan (object or file) and its evaluation rounds (objects or files);
        the files are read and checked against their framework when first used.
    """


@hookspec
def cityeval_register_crosswalks(registry: CrosswalkRegistry) -> None:
    """Register crosswalks with ``registry.add_crosswalk(crosswalk_or_file)``.

    Parameters
    ----------
    registry : CrosswalkRegistry
        Accepts :class:`~cityeval.crosswalk.Crosswalk` objects or crosswalk files (paths or
        ``importlib.resources`` files), read on first use by
        :func:`cityeval.crosswalk.get_crosswalk`.
    """

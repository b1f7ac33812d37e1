"""The plugin system: hook specifications, typed registries and the plugin host."""

from cityeval.plugins.hookspecs import hookimpl, hookspec
from cityeval.plugins.manager import (
    PluginFailure,
    PluginHost,
    PluginInfo,
    PluginWarning,
    get_host,
    reset_host,
)
from cityeval.plugins.registry import (
    METHOD_KINDS,
    CommandRegistry,
    FrameworkRegistry,
    MasterplanRegistry,
    MethodRegistry,
)

__all__ = [
    "METHOD_KINDS",
    "CommandRegistry",
    "FrameworkRegistry",
    "MasterplanRegistry",
    "MethodRegistry",
    "PluginFailure",
    "PluginHost",
    "PluginInfo",
    "PluginWarning",
    "get_host",
    "hookimpl",
    "hookspec",
    "reset_host",
]

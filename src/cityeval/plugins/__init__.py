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
    CrosswalkRegistry,
    DataEntry,
    FrameworkRegistry,
    MasterplanRegistry,
    MethodRegistry,
    Registry,
)

__all__ = [
    "METHOD_KINDS",
    "CommandRegistry",
    "CrosswalkRegistry",
    "DataEntry",
    "FrameworkRegistry",
    "MasterplanRegistry",
    "MethodRegistry",
    "PluginFailure",
    "PluginHost",
    "PluginInfo",
    "PluginWarning",
    "Registry",
    "get_host",
    "hookimpl",
    "hookspec",
    "reset_host",
]

"""The plugin host: loads built-in and external plugins and exposes typed registries.

Core code asks the host for frameworks and methods; it never calls ``pm.hook`` directly
(pluggy's hooks return ``Any``). External plugins come from the ``cityeval`` entry-point
group; the environment variable ``CITYEVAL_DISABLE_PLUGINS`` (comma-separated entry-point
names) blocks some. A plugin that fails to import, fails pluggy's checks or raises inside a
hook is recorded in :attr:`PluginHost.failures` and reported as a :class:`PluginWarning`; all
other plugins keep working.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Sequence
from importlib import metadata
from types import ModuleType
from typing import Any

import pluggy
from attrs import frozen

from cityeval._version import __version__
from cityeval.errors import NotFoundError
from cityeval.plugins import hookspecs
from cityeval.plugins.registry import (
    CommandRegistry,
    CrosswalkRegistry,
    FrameworkRegistry,
    MasterplanRegistry,
    MethodRegistry,
    _Staged,
)

__all__ = [
    "DISABLE_ENV",
    "ENTRY_POINT_GROUP",
    "PluginFailure",
    "PluginHost",
    "PluginInfo",
    "PluginWarning",
    "get_host",
    "reset_host",
]

ENTRY_POINT_GROUP = "cityeval"
DISABLE_ENV = "CITYEVAL_DISABLE_PLUGINS"
BUILTIN = "cityeval.builtin"


class PluginWarning(UserWarning):
    """A plugin failed; cityeval goes on without it."""


@frozen
class PluginInfo:
    """A loaded plugin: its name, where it comes from and its version."""

    name: str
    module: str
    distribution: str | None
    version: str | None


@frozen
class PluginFailure:
    """A plugin that could not be used, and why."""

    name: str
    stage: str
    error: str

    def __str__(self) -> str:
        return f"plugin {self.name!r} failed {self.stage}: {self.error}"


def _blocked_names() -> set[str]:
    raw = os.environ.get(DISABLE_ENV, "")
    return {part.strip() for part in raw.split(",") if part.strip()}


class PluginHost:
    """Loads plugins once and holds what they registered.

    Parameters
    ----------
    entry_points : bool
        Load external plugins from the ``cityeval`` entry-point group.
    extra : sequence of (name, plugin object)
        Further plugins to register (modules or objects with hook implementations), for
        tests and embedding applications.
    """

    def __init__(
        self,
        *,
        entry_points: bool = True,
        extra: Sequence[tuple[str, object]] = (),
    ) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.plugins: list[PluginInfo] = []
        self.failures: list[PluginFailure] = []
        self.frameworks = FrameworkRegistry()
        self.methods = MethodRegistry()
        self.commands = CommandRegistry()
        self.masterplans = MasterplanRegistry()
        self.crosswalks = CrosswalkRegistry()
        from cityeval.plugins import builtin

        self._register(BUILTIN, builtin, "cityeval", __version__)
        if entry_points:
            self._load_entry_points()
        for name, plugin in extra:
            self._register(name, plugin, None, None)
        self._check_pending()
        self._call("cityeval_register_frameworks", self.frameworks)
        self._call("cityeval_register_methods", self.methods)
        self._call("cityeval_register_commands", self.commands)
        self._call("cityeval_register_masterplans", self.masterplans)
        self._call("cityeval_register_crosswalks", self.crosswalks)
        for failure in self.failures:
            warnings.warn(str(failure), PluginWarning, stacklevel=3)

    # -- loading -----------------------------------------------------------------------------

    def _fail(self, name: str, stage: str, exc: BaseException) -> None:
        self.failures.append(PluginFailure(name, stage, f"{type(exc).__name__}: {exc}"))

    def _register(self, name: str, plugin: object, dist: str | None, version: str | None) -> None:
        try:
            self.pm.register(plugin, name=name)
        except Exception as exc:  # a bad hookimpl signature, a duplicate name
            self._fail(name, "to register", exc)
            return
        module = plugin.__name__ if isinstance(plugin, ModuleType) else type(plugin).__module__
        self.plugins.append(PluginInfo(name, module, dist, version))

    def _load_entry_points(self) -> None:
        blocked = _blocked_names()
        for ep in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if ep.name in blocked:
                self.pm.set_blocked(ep.name)
                continue
            dist = ep.dist.name if ep.dist is not None else None
            version = ep.dist.version if ep.dist is not None else None
            try:
                plugin = ep.load()
            except Exception as exc:
                self._fail(ep.name, "to import", exc)
                continue
            self._register(ep.name, plugin, dist, version)

    def _check_pending(self) -> None:
        # Misspelled hook names fail here instead of silently doing nothing.
        while True:
            try:
                self.pm.check_pending()
                return
            except pluggy.PluginValidationError as exc:
                name = self.pm.get_name(exc.plugin) or repr(exc.plugin)
                self.pm.unregister(exc.plugin)
                self.plugins = [p for p in self.plugins if p.name != name]
                self._fail(name, "validation", exc)

    def _call(self, hook_name: str, registry: _Staged[Any]) -> None:
        # Each plugin's implementation is called on its own, so that one failing plugin is
        # reported by name and leaves nothing half-registered, while the others go on.
        caller = getattr(self.pm.hook, hook_name)
        for impl in caller.get_hookimpls():  # registration order: built-in first
            registry._begin(impl.plugin_name)
            kwargs = {"registry": registry}
            try:
                impl.function(*[kwargs[arg] for arg in impl.argnames])
            except Exception as exc:
                registry._rollback()
                self._fail(impl.plugin_name, f"in {hook_name}", exc)
            else:
                registry._commit()

    # -- queries -------------------------------------------------------------------------------

    def plugin_names(self) -> list[str]:
        """Names of the loaded plugins (built-in first)."""
        return [p.name for p in self.plugins]

    def is_loaded(self, name: str) -> bool:
        """Whether a plugin of that name is loaded and did not fail."""
        failed = {f.name for f in self.failures}
        return name in self.plugin_names() and name not in failed


_HOST: PluginHost | None = None


def get_host() -> PluginHost:
    """The process-wide plugin host, created on first use."""
    global _HOST
    if _HOST is None:
        _HOST = PluginHost()
    return _HOST


def reset_host(host: PluginHost | None = None) -> PluginHost | None:
    """Replace the process-wide host (``None``: load afresh on next use); returns the old one."""
    global _HOST
    old, _HOST = _HOST, host
    return old


def require_plugins(names: Iterable[str], host: PluginHost | None = None) -> None:
    """Raise :class:`NotFoundError` unless every named plugin is loaded."""
    host = host or get_host()
    missing = [n for n in names if not host.is_loaded(n)]
    if missing:
        raise NotFoundError(f"plugin(s) not loaded: {', '.join(missing)}")

"""The plugin host: loads built-in and external plugins and exposes typed registries.

Core code asks the host for frameworks and methods; it never calls ``pm.hook`` directly
(pluggy's hooks return ``Any``). External plugins come from the ``cityeval`` entry-point
group; the environment variable ``CITYEVAL_DISABLE_PLUGINS`` (comma-separated entry-point
names) blocks some.

Building a host imports the plugins' modules and nothing else. Each registry is filled the
first time it is asked for, by calling its hook once through pluggy, so ``cityeval
frameworks list`` never imports the numerical methods and ``cityeval score`` never reads a
crosswalk. Filling happens under a lock: any number of threads may ask at once.

Hooks are called through pluggy, so the order of implementations (``tryfirst``,
``trylast``, last registered first) and wrappers (``wrapper=True`` and the old
``hookwrapper=True``) behave exactly as pluggy documents them. cityeval's own plugin is
called first, in a call of its own (``pm.subset_hook_caller``), so that its names are
reserved whatever other plugins ask for; then every other plugin in one pluggy call. To keep
one failing plugin from stopping the others, the host puts a thin shim around each hook
implementation's function (``HookImpl.function``): it tells the registry which plugin is
adding, and when the implementation raises it removes what that plugin added, records a
:class:`PluginFailure` and lets the call go on. A plugin that fails to import, fails
pluggy's checks or raises inside a hook is thus reported by name as a
:class:`PluginWarning`; all other plugins keep working.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata
from types import ModuleType
from typing import Any, cast

import pluggy

from cityeval._version import __version__
from cityeval.errors import NotFoundError
from cityeval.i18n import _
from cityeval.plugins import hookspecs
from cityeval.plugins.registry import (
    CommandRegistry,
    CrosswalkRegistry,
    FrameworkRegistry,
    MasterplanRegistry,
    MethodRegistry,
    Registry,
)

__all__ = [
    "BUILTIN",
    "DISABLE_ENV",
    "ENTRY_POINT_GROUP",
    "HOOKS",
    "PluginFailure",
    "PluginHost",
    "PluginInfo",
    "PluginWarning",
    "get_host",
    "require_plugins",
    "reset_host",
]

ENTRY_POINT_GROUP = "cityeval"
DISABLE_ENV = "CITYEVAL_DISABLE_PLUGINS"
BUILTIN = "cityeval.builtin"

#: Each registry of the host, the hook that fills it and its class.
HOOKS: dict[str, tuple[str, Callable[..., Registry[Any]]]] = {
    "frameworks": ("cityeval_register_frameworks", FrameworkRegistry),
    "methods": ("cityeval_register_methods", MethodRegistry),
    "commands": ("cityeval_register_commands", CommandRegistry),
    "masterplans": ("cityeval_register_masterplans", MasterplanRegistry),
    "crosswalks": ("cityeval_register_crosswalks", CrosswalkRegistry),
}


class PluginWarning(UserWarning):
    """A plugin failed; cityeval goes on without it."""


class PluginInfo:
    """A loaded plugin: its name, its module, and the distribution and version it comes from.

    The distribution's name and version are read from its metadata when first asked for
    (reading them costs a file read per plugin, which ``cityeval score`` never needs).
    """

    __slots__ = ("_dist", "_read", "module", "name")

    def __init__(self, name: str, module: str, dist: Any = None, *, version: str | None = None):
        self.name = name
        self.module = module
        self._dist = dist
        self._read: tuple[str | None, str | None] | None = (
            None if dist is not None else (("cityeval", version) if version else (None, None))
        )

    def _metadata(self) -> tuple[str | None, str | None]:
        if self._read is None:
            self._read = (self._dist.name, self._dist.version)
        return self._read

    @property
    def distribution(self) -> str | None:
        """The name of the distribution that installed the plugin (``None`` if unknown)."""
        return self._metadata()[0]

    @property
    def version(self) -> str | None:
        """The distribution's version (``None`` if unknown)."""
        return self._metadata()[1]

    def __repr__(self) -> str:
        return f"<PluginInfo {self.name!r} from {self.module!r}>"


@dataclass(frozen=True, slots=True)
class PluginFailure:
    """A plugin that could not be used, and why."""

    name: str
    stage: str
    error: str

    def __str__(self) -> str:
        return _("plugin {name!r} failed {stage}: {error}").format(
            name=self.name, stage=self.stage, error=self.error
        )


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

    Notes
    -----
    Plugins are registered so that pluggy calls them in a stable order: entry-point plugins
    by name, then ``extra`` in the order given; ``tryfirst`` and ``trylast`` move an
    implementation as pluggy documents. Where two plugins register the same name, the one
    called first keeps it and the other fails.
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
        self._failures: list[PluginFailure] = []
        self._registries: dict[str, Registry[Any]] = {}
        self._filling: dict[str, Registry[Any]] = {}
        self._lock = threading.RLock()
        from cityeval.plugins import builtin

        self._builtin: object = builtin
        found: list[tuple[str, object, Any]] = []
        if entry_points:
            found.extend(self._load_entry_points())
        found.extend((name, plugin, None) for name, plugin in extra)
        # pluggy calls the last registered first: register in reverse to call in this order.
        self._register(BUILTIN, builtin, None, version=__version__)
        for item in reversed(found):
            self._register(*item)
        order = [BUILTIN, *(name for name, *_rest in found)]
        self.plugins.sort(key=lambda p: order.index(p.name))
        self._check_pending()
        self._warn(self._failures)

    # -- loading -----------------------------------------------------------------------------

    def _fail(self, name: str, stage: str, exc: BaseException) -> PluginFailure:
        failure = PluginFailure(name, stage, f"{type(exc).__name__}: {exc}")
        self._failures.append(failure)
        return failure

    @staticmethod
    def _warn(failures: Iterable[PluginFailure]) -> None:
        for failure in failures:
            warnings.warn(str(failure), PluginWarning, stacklevel=4)

    def _register(
        self, name: str, plugin: object, dist: Any, *, version: str | None = None
    ) -> None:
        try:
            self.pm.register(plugin, name=name)
        except Exception as exc:  # a bad hookimpl signature, a duplicate name
            self._fail(name, _("to register"), exc)
            return
        module = plugin.__name__ if isinstance(plugin, ModuleType) else type(plugin).__module__
        self.plugins.append(PluginInfo(name, module, dist, version=version))

    def _load_entry_points(self) -> list[tuple[str, object, Any]]:
        blocked = _blocked_names()
        loaded: list[tuple[str, object, Any]] = []
        for ep in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
            if ep.name in blocked:
                self.pm.set_blocked(ep.name)
                continue
            try:
                plugin = ep.load()
            except Exception as exc:
                self._fail(ep.name, _("to import"), exc)
                continue
            loaded.append((ep.name, plugin, ep.dist))
        return loaded

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
                self._fail(name, _("validation"), exc)

    # -- calling hooks -------------------------------------------------------------------------

    def _registry(self, attr: str) -> Any:
        registry = self._registries.get(attr)
        if registry is not None:
            return registry
        with self._lock:
            registry = self._registries.get(attr) or self._filling.get(attr)
            if registry is None:
                hook_name, cls = HOOKS[attr]
                registry = cls(core=BUILTIN)
                # a hook of this thread may look at what is there so far; other threads wait
                # for the lock and see the registry only when it is complete
                self._filling[attr] = registry
                try:
                    self._fill(hook_name, registry)
                finally:
                    del self._filling[attr]
                self._registries[attr] = registry
            return registry

    def _fill(self, hook_name: str, registry: Registry[Any]) -> None:
        before = len(self._failures)
        failed: set[str] = set()
        caller = getattr(self.pm.hook, hook_name)
        for impl in caller.get_hookimpls():
            if not getattr(impl.function, "_cityeval_shim", False):
                shim = self._shim(impl, hook_name, registry, failed)
                shim._cityeval_shim = True  # type: ignore[attr-defined]
                setattr(impl, "function", shim)  # noqa: B010 (HookImpl.function is Final-typed)
        plugins = [p for _name, p in self.pm.list_name_plugin() if p is not None]
        others = [p for p in plugins if p is not self._builtin]
        own = [p for p in plugins if p is self._builtin]
        # cityeval's own registrations first, so its names are the reserved ones
        self.pm.subset_hook_caller(hook_name, remove_plugins=others)(registry=registry)
        self.pm.subset_hook_caller(hook_name, remove_plugins=own)(registry=registry)
        self._warn(self._failures[before:])

    def _shim(
        self, impl: pluggy.HookImpl, hook_name: str, registry: Registry[Any], failed: set[str]
    ) -> Callable[..., Any]:
        function = impl.function
        plugin = impl.plugin_name
        stage = _("in {hook}").format(hook=hook_name)

        def fail(exc: BaseException) -> None:
            registry._discard(plugin)
            failed.add(plugin)
            self._fail(plugin, stage, exc)

        if not (impl.wrapper or impl.hookwrapper):

            def call(*args: Any, **kwargs: Any) -> Any:
                if plugin in failed:
                    return None
                registry._begin(plugin)
                try:
                    return function(*args, **kwargs)
                except Exception as exc:
                    fail(exc)
                    return None

            return call

        def wrap(*args: Any, **kwargs: Any) -> Generator[None, Any, Any]:
            # Stands in for a wrapper: runs its part before and after ``yield``, isolating
            # its failures, and hands on whatever pluggy sends (a result or a Result).
            gen: Generator[Any, Any, Any] | None = None
            if plugin not in failed:
                registry._begin(plugin)
                try:
                    gen = cast("Generator[Any, Any, Any]", function(*args, **kwargs))
                    next(gen)
                except StopIteration:
                    fail(RuntimeError(_("the wrapper did not yield")))
                    gen = None
                except Exception as exc:
                    fail(exc)
                    gen = None
            try:
                sent = yield
            except BaseException:
                if gen is not None:
                    gen.close()
                raise
            if gen is None or plugin in failed:
                return sent
            registry._begin(plugin)
            try:
                gen.send(sent)
            except StopIteration as stop:
                return stop.value if impl.wrapper else sent
            except Exception as exc:
                fail(exc)
                return sent
            gen.close()
            fail(RuntimeError(_("the wrapper yielded twice")))
            return sent

        return wrap

    # -- registries ----------------------------------------------------------------------------

    @property
    def frameworks(self) -> FrameworkRegistry:
        """The registered frameworks (filled on first use)."""
        registry: FrameworkRegistry = self._registry("frameworks")
        return registry

    @property
    def methods(self) -> MethodRegistry:
        """The registered methods (filled on first use)."""
        registry: MethodRegistry = self._registry("methods")
        return registry

    @property
    def commands(self) -> CommandRegistry:
        """The registered command-line commands (filled on first use)."""
        registry: CommandRegistry = self._registry("commands")
        return registry

    @property
    def masterplans(self) -> MasterplanRegistry:
        """The registered masterplans (filled on first use)."""
        registry: MasterplanRegistry = self._registry("masterplans")
        return registry

    @property
    def crosswalks(self) -> CrosswalkRegistry:
        """The registered crosswalks (filled on first use)."""
        registry: CrosswalkRegistry = self._registry("crosswalks")
        return registry

    def load_all(self) -> None:
        """Fill every registry now (so that every plugin failure is known)."""
        for attr in HOOKS:
            self._registry(attr)

    @property
    def failures(self) -> list[PluginFailure]:
        """Every plugin failure (every registry is filled first, to know them all)."""
        self.load_all()
        return list(self._failures)

    # -- queries -------------------------------------------------------------------------------

    def plugin_names(self) -> list[str]:
        """Names of the loaded plugins (built-in first)."""
        return [p.name for p in self.plugins]

    def is_loaded(self, name: str) -> bool:
        """Whether a plugin of that name is loaded and did not fail."""
        failed = {f.name for f in self.failures}
        return name in self.plugin_names() and name not in failed


_HOST: PluginHost | None = None
_HOST_LOCK = threading.Lock()


def get_host() -> PluginHost:
    """The process-wide plugin host, built once on first use (safe from any thread)."""
    host = _HOST
    if host is not None:
        return host
    return _build_host()


def _build_host() -> PluginHost:
    global _HOST
    with _HOST_LOCK:
        if _HOST is None:
            _HOST = PluginHost()
        return _HOST


def reset_host(host: PluginHost | None = None) -> PluginHost | None:
    """Replace the process-wide host (``None``: load afresh on next use); returns the old one."""
    global _HOST
    with _HOST_LOCK:
        old, _HOST = _HOST, host
    return old


def require_plugins(names: Iterable[str], host: PluginHost | None = None) -> None:
    """Raise :class:`NotFoundError` unless every named plugin is loaded."""
    host = host or get_host()
    missing = [n for n in names if not host.is_loaded(n)]
    if missing:
        raise NotFoundError(_("plugin(s) not loaded: {names}").format(names=", ".join(missing)))

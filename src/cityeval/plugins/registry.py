"""Typed registries handed to plugin hooks: one generic registry, thin typed faces on it.

A :class:`Registry` keeps entries by key, remembers which plugin added each, refuses a
duplicate key with a :class:`~cityeval.errors.RegistryError`, and can drop everything one
plugin added (so a plugin whose hook fails half-way leaves nothing behind).

Registering reads nothing. A framework, crosswalk or masterplan given as a file is recorded
as a :class:`DataEntry`: its id (given, or the file's name without its suffix), the file and
the plugin. The file is parsed when the entry is first used, by the package that owns that
kind of file (``entry.load(reader)``), once per process and under a lock; if the file's own
id differs from the registered one, that use fails with a :class:`RegistryError` naming the
plugin and the file. Commands may likewise be given as ``"module:attribute"`` strings that
are imported when the command line is built.

The records here are slotted plain classes rather than attrs classes: the registry is built
on every start of the command line, before anything else is imported.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from cityeval.errors import NotFoundError, RegistryError
from cityeval.i18n import _

if TYPE_CHECKING:
    from cityeval.model import Framework

__all__ = [
    "METHOD_KINDS",
    "CommandEntry",
    "CommandRegistry",
    "CrosswalkRegistry",
    "DataEntry",
    "DataRegistry",
    "FrameworkEntry",
    "FrameworkRegistry",
    "MasterplanEntry",
    "MasterplanRegistry",
    "MethodEntry",
    "MethodRegistry",
    "Registry",
]

METHOD_KINDS: tuple[str, ...] = (
    "denominate",
    "impute",
    "treat",
    "normalise",
    "weight",
    "aggregate",
)

E = TypeVar("E")
T = TypeVar("T")


class Registry(Generic[E]):
    """Entries keyed by name, each owned by the plugin that added it.

    Parameters
    ----------
    thing : str
        What an entry is, for messages (``"framework"``).
    core : str, optional
        The name of cityeval's own plugin: keys it registered are reserved, and a plugin
        asking for one is told so.
    """

    def __init__(self, thing: str = "entry", *, core: str | None = None) -> None:
        self.thing = thing
        self.core = core
        self._entries: dict[str, E] = {}
        self._owners: dict[str, str] = {}
        self.plugin = "<unknown>"

    # -- used by the host while it calls a hook -------------------------------------------------

    def _begin(self, plugin: str) -> None:
        """Attribute what is added from now on to ``plugin``."""
        self.plugin = plugin

    def _discard(self, plugin: str) -> None:
        """Remove every entry ``plugin`` added (its hook failed)."""
        for key in [k for k, owner in self._owners.items() if owner == plugin]:
            del self._owners[key]
            del self._entries[key]

    def _add(self, key: str, entry: E, label: str) -> None:
        if key in self._entries:
            owner = self._owners[key]
            if owner == self.core and self.plugin != self.core:
                raise RegistryError(
                    _("{label} is reserved: cityeval itself provides it").format(label=label)
                )
            by = (
                _("the same plugin")
                if owner == self.plugin
                else _("plugin {owner!r}").format(owner=owner)
            )
            raise RegistryError(
                _(
                    "{label} is already registered by {by}; "
                    "plugin {plugin!r} cannot register it again"
                ).format(label=label, by=by, plugin=self.plugin)
            )
        self._entries[key] = entry
        self._owners[key] = self.plugin

    # -- queries --------------------------------------------------------------------------------

    def owner(self, key: str) -> str:
        """The name of the plugin that registered ``key``."""
        return self._owners[key]

    def keys(self) -> list[str]:
        """Every key, sorted."""
        return sorted(self._entries)

    def keys_of(self, plugin: str) -> frozenset[str]:
        """The keys ``plugin`` registered (for the core plugin: the reserved names)."""
        return frozenset(k for k, owner in self._owners.items() if owner == plugin)

    def get(self, key: str) -> E:
        """The entry for ``key``; :class:`NotFoundError` lists the known keys."""
        try:
            return self._entries[key]
        except KeyError:
            known = ", ".join(sorted(self._entries)) or _("none")
            raise NotFoundError(
                _("unknown {thing} {key!r} (registered: {known})").format(
                    thing=self.thing, key=key, known=known
                )
            ) from None

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def entries(self) -> list[E]:
        """Every entry, sorted by key."""
        return [self._entries[k] for k in sorted(self._entries)]


# -- data: frameworks, crosswalks, masterplans ---------------------------------------------------

_UNSET: Any = object()


def is_file_reference(source: object) -> bool:
    """Whether ``source`` names a file: a path or an ``importlib.resources`` file."""
    if isinstance(source, str | os.PathLike):
        return True
    return callable(getattr(source, "read_bytes", None)) and hasattr(source, "name")


def _file_stem(source: Any) -> str:
    return Path(_file_name(source)).stem


def _file_name(source: Any) -> str:
    if isinstance(source, str | os.PathLike):
        return Path(os.fspath(source)).name
    return str(source.name)


class DataEntry(Generic[T]):
    """One registered data item (a framework, crosswalk or masterplan), read on first use.

    Attributes
    ----------
    id : str
        The id the plugin registered it under.
    source : object
        The object itself, or the file (path or ``importlib.resources`` file) it is read from.
    plugin : str
        The plugin that registered it.
    thing : str
        What it is, for messages.
    """

    __slots__ = ("_lock", "_memo", "_value", "id", "plugin", "source", "thing")

    def __init__(self, thing: str, id: str, source: Any, plugin: str) -> None:
        self.thing = thing
        self.id = id
        self.source = source
        self.plugin = plugin
        self._value: Any = _UNSET if is_file_reference(source) else source
        self._memo: dict[Any, Any] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id!r} from plugin {self.plugin!r}>"

    @property
    def file(self) -> str | None:
        """The name of the file it is read from, or ``None`` for an object."""
        return _file_name(self.source) if is_file_reference(self.source) else None

    @property
    def loaded(self) -> bool:
        """Whether it has been read already (objects count as read)."""
        return self._value is not _UNSET

    def load(self, reader: Callable[[Path], T]) -> T:
        """The item, read with ``reader(path)`` the first time and kept.

        Raises
        ------
        RegistryError
            If the file's own id is not the id it was registered under.
        InputError
            If the file cannot be read (raised by ``reader``; not kept, so it repeats).
        """
        with self._lock:
            if self._value is _UNSET:
                value = read_source(self.source, reader)
                found = getattr(value, "id", None)
                if found != self.id:
                    raise RegistryError(
                        _(
                            "{file}: the file's {thing} id is {found!r}, but plugin {plugin!r} "
                            "registered it as {id!r} (pass id={found!r} when registering it)"
                        ).format(
                            file=self.file,
                            thing=self.thing,
                            found=found,
                            plugin=self.plugin,
                            id=self.id,
                        )
                    )
                self._value = value
            result: T = self._value
            return result

    def memo(self, key: Any, make: Callable[[], Any]) -> Any:
        """A value derived from this entry (``make()``), computed once per ``key``."""
        with self._lock:
            if key not in self._memo:
                self._memo[key] = make()
            return self._memo[key]


def read_source(source: Any, reader: Callable[[Path], T]) -> T:
    """Call ``reader`` on a path, or on a real path for an ``importlib.resources`` file."""
    if isinstance(source, str | os.PathLike):
        return reader(Path(source))
    from importlib.resources import as_file

    with as_file(source) as path:
        return reader(Path(path))


class DataRegistry(Registry[E]):
    """A registry of data items registered as objects or as files (read on first use)."""

    def _register(self, source: Any, id: str | None, make: Callable[[str, Any], E]) -> str:
        if is_file_reference(source):
            key = id if id is not None else _file_stem(source)
        else:
            found = getattr(source, "id", None)
            if not isinstance(found, str):
                raise RegistryError(
                    _("a {thing} must be given as an object with an id, or as a file").format(
                        thing=self.thing
                    )
                )
            if id is not None and id != found:
                raise RegistryError(
                    _("{thing} {found!r} cannot be registered as {id!r}").format(
                        thing=self.thing, found=found, id=id
                    )
                )
            key = found
        if not key:
            raise RegistryError(_("a {thing} needs an id").format(thing=self.thing))
        self._add(key, make(key, source), f"{self.thing} {key!r}")
        return key


def _read_framework(path: Path) -> Framework:
    from cityeval.io.frameworks import load_framework

    return load_framework(path)


class FrameworkEntry(DataEntry["Framework"]):
    """A registered framework; :attr:`framework` reads its file on first use."""

    __slots__ = ()

    @property
    def framework(self) -> Framework:
        """The framework (its file is read the first time, with the framework loader)."""
        return self.load(_read_framework)


class FrameworkRegistry(DataRegistry[FrameworkEntry]):
    """Frameworks by id. Passed to ``cityeval_register_frameworks``."""

    def __init__(self, *, core: str | None = None) -> None:
        super().__init__("framework", core=core)

    def add_framework(self, framework: Any, *, id: str | None = None) -> str:
        """Register a framework object, or a framework file to read when first used.

        Parameters
        ----------
        framework : Framework, path or importlib resource
            The framework, or its ``.yaml``/``.json``/``.toml`` file (not read now).
        id : str, optional
            The framework's id; for a file, its name without the suffix by default.

        Returns
        -------
        str
            The id it is registered under.

        Raises
        ------
        RegistryError
            If a framework with the same id is already registered.
        """
        return self._register(
            framework, id, lambda key, src: FrameworkEntry("framework", key, src, self.plugin)
        )


class CrosswalkRegistry(DataRegistry[DataEntry[Any]]):
    """Crosswalks by id. Passed to ``cityeval_register_crosswalks``.

    The crosswalk package reads the files (:func:`cityeval.crosswalk.get_crosswalk`).
    """

    def __init__(self, *, core: str | None = None) -> None:
        super().__init__("crosswalk", core=core)

    def add_crosswalk(self, crosswalk: Any, *, id: str | None = None) -> str:
        """Register a crosswalk object, or a crosswalk file to read when first used.

        Parameters
        ----------
        crosswalk : Crosswalk, path or importlib resource
            The crosswalk, or its ``.yaml``/``.json``/``.toml`` file (not read now).
        id : str, optional
            The crosswalk's id; for a file, its name without the suffix by default.

        Returns
        -------
        str
            The id it is registered under.

        Raises
        ------
        RegistryError
            If a crosswalk with the same id is already registered.
        """
        return self._register(
            crosswalk, id, lambda key, src: DataEntry("crosswalk", key, src, self.plugin)
        )


class MasterplanEntry(DataEntry[Any]):
    """A masterplan shipped by a plugin, and the files (or objects) of its rounds.

    The masterplan package reads them (:func:`cityeval.masterplan.get_masterplan`), after
    every plugin has registered its frameworks.
    """

    __slots__ = ("rounds",)

    def __init__(self, id: str, source: Any, rounds: tuple[Any, ...], plugin: str) -> None:
        super().__init__("masterplan", id, source, plugin)
        self.rounds = rounds

    @property
    def masterplan(self) -> Any:
        """The masterplan as registered: an object, or its file (not read)."""
        return self.source


class MasterplanRegistry(DataRegistry[MasterplanEntry]):
    """Masterplans and their evaluation rounds by masterplan id.

    Passed to ``cityeval_register_masterplans``.
    """

    def __init__(self, *, core: str | None = None) -> None:
        super().__init__("masterplan", core=core)

    def add_masterplan(
        self, masterplan: Any, rounds: Iterable[Any] = (), *, id: str | None = None
    ) -> str:
        """Register a masterplan (object or file) with its rounds (objects or files).

        Parameters
        ----------
        masterplan : Masterplan, path or importlib resource
            The masterplan, or its YAML/JSON/TOML file (not read now).
        rounds : iterable
            Its evaluation rounds, as objects or files.
        id : str, optional
            The masterplan's id; for a file, its name without the suffix by default.

        Returns
        -------
        str
            The masterplan's id.

        Raises
        ------
        RegistryError
            If a masterplan with the same id is already registered.
        """
        found = tuple(rounds)
        return self._register(
            masterplan, id, lambda key, src: MasterplanEntry(key, src, found, self.plugin)
        )


# -- methods and commands -----------------------------------------------------------------------


class MethodEntry:
    """A registered method: its kind, name, implementation and the plugin that gave it."""

    __slots__ = ("implementation", "kind", "name", "plugin", "summary")

    def __init__(
        self, kind: str, name: str, implementation: Callable[..., Any], summary: str, plugin: str
    ) -> None:
        self.kind = kind
        self.name = name
        self.implementation = implementation
        self.summary = summary
        self.plugin = plugin

    def __repr__(self) -> str:
        return f"<MethodEntry {self.kind}:{self.name} from plugin {self.plugin!r}>"


class MethodRegistry(Registry[MethodEntry]):
    """Methods by kind and name. Passed to ``cityeval_register_methods``."""

    def __init__(self, *, core: str | None = None) -> None:
        super().__init__("method", core=core)

    def add_method(
        self, kind: str, name: str, implementation: Callable[..., Any], *, summary: str = ""
    ) -> None:
        """Register ``implementation`` as method ``name`` of ``kind``.

        Parameters
        ----------
        kind : str
            One of ``denominate``, ``impute``, ``treat``, ``normalise``, ``weight``, ``aggregate``.
        name : str
            The name pipelines use, such as ``"minmax"``.
        implementation : callable
            A kernel (or, for ``weight``, a factory of weighting schemes).
        summary : str
            One line shown in listings; defaults to the first line of the docstring.

        Raises
        ------
        RegistryError
            For an unknown kind, a non-callable implementation or a duplicate name.
        """
        if kind not in METHOD_KINDS:
            raise RegistryError(
                _("unknown method kind {kind!r} (kinds are: {kinds})").format(
                    kind=kind, kinds=", ".join(METHOD_KINDS)
                )
            )
        if not name or not name.replace("_", "").replace("-", "").isalnum():
            raise RegistryError(
                _("invalid {kind} method name {name!r}").format(kind=kind, name=name)
            )
        if not callable(implementation):
            raise RegistryError(
                _("{kind} method {name!r}: implementation is not callable").format(
                    kind=kind, name=name
                )
            )
        if not summary:
            doc = (implementation.__doc__ or "").strip()
            summary = doc.splitlines()[0] if doc else ""
        entry = MethodEntry(kind, name, implementation, summary, self.plugin)
        self._add(f"{kind}:{name}", entry, f"{kind} method {name!r}")

    def get(self, kind: str, name: str | None = None) -> MethodEntry:
        """The method ``name`` of ``kind``; :class:`NotFoundError` lists the known names."""
        if name is None:  # the generic form, get("kind:name")
            kind, _sep, name = kind.partition(":")
        try:
            return self._entries[f"{kind}:{name}"]
        except KeyError:
            known = ", ".join(e.name for e in self.of_kind(kind)) or _("none")
            raise NotFoundError(
                _("unknown {kind} method {name!r} (registered: {known})").format(
                    kind=kind, name=name, known=known
                )
            ) from None

    def of_kind(self, kind: str) -> list[MethodEntry]:
        """Every method of ``kind``, sorted by name."""
        return sorted((e for e in self._entries.values() if e.kind == kind), key=lambda e: e.name)


class CommandEntry:
    """A command-line command: its name, the command (or where to import it), help, plugin."""

    __slots__ = ("_lock", "command", "help", "name", "plugin")

    def __init__(self, name: str, command: Any, help: str | None, plugin: str) -> None:
        self.name = name
        self.command = command
        self.help = help
        self.plugin = plugin
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<CommandEntry {self.name!r} from plugin {self.plugin!r}>"

    def load(self) -> Any:
        """The command object, imported first when given as ``"module:attribute"``.

        Raises
        ------
        RegistryError
            If the module or the attribute cannot be imported.
        """
        with self._lock:
            if isinstance(self.command, str):
                module, _sep, attr = self.command.partition(":")
                try:
                    target: Any = import_module(module)
                    for part in attr.split("."):
                        target = getattr(target, part)
                except (ImportError, AttributeError) as exc:
                    raise RegistryError(
                        _(
                            "command {name!r} of plugin {plugin!r}: cannot import {ref!r}: {error}"
                        ).format(name=self.name, plugin=self.plugin, ref=self.command, error=exc)
                    ) from None
                self.command = target
            return self.command


class CommandRegistry(Registry[CommandEntry]):
    """Command-line commands by name. Passed to ``cityeval_register_commands``.

    cityeval's own commands are registered first, by its built-in plugin; their names are
    therefore the reserved ones (:meth:`reserved`).
    """

    def __init__(self, *, core: str | None = None) -> None:
        super().__init__("command", core=core)

    def add_command(self, name: str, command: Any, *, help: str | None = None) -> None:
        """Add ``command`` as ``cityeval NAME``.

        Parameters
        ----------
        name : str
            The command's name (letters, digits and ``-``).
        command : typer.Typer, callable or str
            A command group, a function (one command), or ``"module:attribute"`` naming one,
            imported only when the command line is built.
        help : str, optional
            The help line; by default the command's own.

        Raises
        ------
        RegistryError
            For an invalid, reserved or duplicate name, or a command that is not callable.
        """
        if not name or not name.replace("-", "").isalnum():
            raise RegistryError(_("invalid command name {name!r}").format(name=name))
        if isinstance(command, str):
            if ":" not in command:
                raise RegistryError(
                    _("command {name!r}: give 'module:attribute', not {ref!r}").format(
                        name=name, ref=command
                    )
                )
        elif not callable(command):
            raise RegistryError(
                _("command {name!r} is not callable (give a function or a typer.Typer)").format(
                    name=name
                )
            )
        self._add(name, CommandEntry(name, command, help, self.plugin), f"command {name!r}")

    def entries(self) -> list[CommandEntry]:
        """All commands, in registration order (cityeval's own first)."""
        return list(self._entries.values())

    def reserved(self) -> frozenset[str]:
        """The names of cityeval's own commands, which no plugin may take."""
        return self.keys_of(self.core) if self.core is not None else frozenset()

"""Typed registries handed to plugin hooks; each rejects a duplicate name.

A registry remembers which plugin added each entry, and stages a plugin's additions so that
a plugin whose hook fails half-way leaves nothing behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from attrs import frozen

from cityeval.errors import NotFoundError, RegistryError
from cityeval.model import Framework

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from cityeval.crosswalk.model import Crosswalk

__all__ = [
    "METHOD_KINDS",
    "RESERVED_COMMANDS",
    "CommandEntry",
    "CommandRegistry",
    "CrosswalkEntry",
    "CrosswalkRegistry",
    "FrameworkEntry",
    "FrameworkRegistry",
    "MasterplanEntry",
    "MasterplanRegistry",
    "MethodEntry",
    "MethodRegistry",
]

#: Names of the commands cityeval itself provides; plugins cannot take them.
RESERVED_COMMANDS: frozenset[str] = frozenset(
    {
        "plugins",
        "frameworks",
        "schema",
        "score",
        "evaluate",
        "masterplan",
        "uncertainty",
        "import-coinr",
        "plugin",
        "crosswalk",
        "help",
    }
)

METHOD_KINDS: tuple[str, ...] = (
    "denominate",
    "impute",
    "treat",
    "normalise",
    "weight",
    "aggregate",
)

E = TypeVar("E")


class _Staged(Generic[E]):
    """Entries keyed by name, with the current plugin's additions staged until committed."""

    thing = "entry"

    def __init__(self) -> None:
        self._entries: dict[str, E] = {}
        self._staged: dict[str, E] = {}
        self._owners: dict[str, str] = {}
        self.plugin = "<unknown>"

    def _begin(self, plugin: str) -> None:
        self.plugin = plugin
        self._staged = {}

    def _commit(self) -> None:
        self._entries.update(self._staged)
        self._staged = {}

    def _rollback(self) -> None:
        for key in self._staged:
            self._owners.pop(key, None)
        self._staged = {}

    def _add(self, key: str, entry: E, label: str) -> None:
        if key in self._entries or key in self._staged:
            owner = self._owners[key]
            by = "the same plugin" if owner == self.plugin else f"plugin {owner!r}"
            raise RegistryError(
                f"{label} is already registered by {by}; "
                f"plugin {self.plugin!r} cannot register it again"
            )
        self._staged[key] = entry
        self._owners[key] = self.plugin

    def owner(self, key: str) -> str:
        """The name of the plugin that registered ``key``."""
        return self._owners[key]


@frozen
class FrameworkEntry:
    """A registered framework and the plugin that registered it."""

    framework: Framework
    plugin: str


class FrameworkRegistry(_Staged[FrameworkEntry]):
    """Frameworks by id. Passed to ``cityeval_register_frameworks``."""

    def add_framework(self, framework: Framework | str | os.PathLike[str]) -> Framework:
        """Register a framework object, or load one from a framework file and register it.

        Parameters
        ----------
        framework : Framework or path
            The framework, or the path of a ``.yaml``/``.json``/``.toml`` framework file.

        Returns
        -------
        Framework
            The registered framework.

        Raises
        ------
        RegistryError
            If a framework with the same id is already registered.
        InputError
            If the file cannot be read.
        """
        if not isinstance(framework, Framework):
            from cityeval.io.frameworks import load_framework

            framework = load_framework(framework)
        self._add(
            framework.id, FrameworkEntry(framework, self.plugin), f"framework {framework.id!r}"
        )
        return framework

    def get(self, framework_id: str) -> FrameworkEntry:
        """The entry for ``framework_id``; :class:`NotFoundError` lists the known ids."""
        try:
            return self._entries[framework_id]
        except KeyError:
            known = ", ".join(sorted(self._entries)) or "none"
            raise NotFoundError(
                f"unknown framework {framework_id!r} (registered: {known})"
            ) from None

    def __contains__(self, framework_id: object) -> bool:
        return framework_id in self._entries

    def entries(self) -> list[FrameworkEntry]:
        """All entries, sorted by framework id."""
        return [self._entries[k] for k in sorted(self._entries)]


@frozen
class CrosswalkEntry:
    """A registered crosswalk and the plugin that registered it."""

    crosswalk: Crosswalk
    plugin: str


class CrosswalkRegistry(_Staged[CrosswalkEntry]):
    """Crosswalks by id. Passed to ``cityeval_register_crosswalks``."""

    def add_crosswalk(
        self, crosswalk: Crosswalk | str | os.PathLike[str] | Traversable
    ) -> Crosswalk:
        """Register a crosswalk object, or load one from a crosswalk file and register it.

        Parameters
        ----------
        crosswalk : Crosswalk, path or importlib resource
            The crosswalk, or its ``.yaml``/``.json``/``.toml`` file.

        Returns
        -------
        Crosswalk
            The registered crosswalk.

        Raises
        ------
        RegistryError
            If a crosswalk with the same id is already registered.
        InputError
            If the file cannot be read or is not a valid crosswalk.
        """
        from cityeval.crosswalk import Crosswalk, load_crosswalk

        if not isinstance(crosswalk, Crosswalk):
            crosswalk = load_crosswalk(crosswalk)
        self._add(
            crosswalk.id, CrosswalkEntry(crosswalk, self.plugin), f"crosswalk {crosswalk.id!r}"
        )
        return crosswalk

    def get(self, crosswalk_id: str) -> CrosswalkEntry:
        """The entry for ``crosswalk_id``; :class:`NotFoundError` lists the known ids."""
        try:
            return self._entries[crosswalk_id]
        except KeyError:
            known = ", ".join(sorted(self._entries)) or "none"
            raise NotFoundError(
                f"unknown crosswalk {crosswalk_id!r} (registered: {known})"
            ) from None

    def __contains__(self, crosswalk_id: object) -> bool:
        return crosswalk_id in self._entries

    def entries(self) -> list[CrosswalkEntry]:
        """All entries, sorted by crosswalk id."""
        return [self._entries[k] for k in sorted(self._entries)]


@frozen
class MethodEntry:
    """A registered method: its kind, name, implementation and the plugin that gave it."""

    kind: str
    name: str
    implementation: Callable[..., Any]
    summary: str
    plugin: str


class MethodRegistry(_Staged[MethodEntry]):
    """Methods by kind and name. Passed to ``cityeval_register_methods``."""

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
                f"unknown method kind {kind!r} (kinds are: {', '.join(METHOD_KINDS)})"
            )
        if not name or not name.replace("_", "").replace("-", "").isalnum():
            raise RegistryError(f"invalid {kind} method name {name!r}")
        if not callable(implementation):
            raise RegistryError(f"{kind} method {name!r}: implementation is not callable")
        if not summary:
            doc = (implementation.__doc__ or "").strip()
            summary = doc.splitlines()[0] if doc else ""
        entry = MethodEntry(kind, name, implementation, summary, self.plugin)
        self._add(f"{kind}:{name}", entry, f"{kind} method {name!r}")

    def get(self, kind: str, name: str) -> MethodEntry:
        """The method ``name`` of ``kind``; :class:`NotFoundError` lists the known names."""
        try:
            return self._entries[f"{kind}:{name}"]
        except KeyError:
            known = ", ".join(sorted(e.name for e in self.of_kind(kind))) or "none"
            raise NotFoundError(f"unknown {kind} method {name!r} (registered: {known})") from None

    def of_kind(self, kind: str) -> list[MethodEntry]:
        """Every method of ``kind``, sorted by name."""
        return sorted((e for e in self._entries.values() if e.kind == kind), key=lambda e: e.name)


@frozen
class CommandEntry:
    """A command-line command contributed by a plugin."""

    name: str
    command: Any
    help: str | None
    plugin: str


class CommandRegistry(_Staged[CommandEntry]):
    """Command-line commands by name. Passed to ``cityeval_register_commands``."""

    def add_command(self, name: str, command: Any, *, help: str | None = None) -> None:
        """Add ``command`` (a ``typer.Typer`` group or a function) as ``cityeval NAME``."""
        if not name or not name.replace("-", "").isalnum():
            raise RegistryError(f"invalid command name {name!r}")
        if name in RESERVED_COMMANDS:
            raise RegistryError(f"command name {name!r} is reserved for cityeval's own commands")
        if not callable(command):
            raise RegistryError(
                f"command {name!r} is not callable (give a function or a typer.Typer)"
            )
        self._add(name, CommandEntry(name, command, help, self.plugin), f"command {name!r}")

    def entries(self) -> list[CommandEntry]:
        """All commands, in registration order."""
        return list(self._entries.values())


@frozen
class MasterplanEntry:
    """A masterplan shipped by a plugin: its file, its rounds' files, the plugin.

    Files are read (and checked against their framework) when first asked for, after every
    plugin has registered its frameworks.
    """

    id: str
    masterplan: Any
    rounds: tuple[Any, ...]
    plugin: str


class MasterplanRegistry(_Staged[MasterplanEntry]):
    """Masterplans and their evaluation rounds by masterplan id.

    Passed to ``cityeval_register_masterplans``.
    """

    def add_masterplan(self, masterplan: Any, rounds: Iterable[Any] = ()) -> str:
        """Register a masterplan file (or object) with the files (or objects) of its rounds.

        Parameters
        ----------
        masterplan : Masterplan, path or importlib resource
            The masterplan, or its YAML/JSON/TOML file.
        rounds : iterable
            Its evaluation rounds, as objects or files.

        Returns
        -------
        str
            The masterplan's id.

        Raises
        ------
        RegistryError
            If a masterplan with the same id is already registered, or the file has no id.
        """
        masterplan_id = getattr(masterplan, "id", None)
        if masterplan_id is None:
            masterplan_id = _peek_id(masterplan)
        entry = MasterplanEntry(str(masterplan_id), masterplan, tuple(rounds), self.plugin)
        self._add(entry.id, entry, f"masterplan {entry.id!r}")
        return entry.id

    def entries(self) -> list[MasterplanEntry]:
        """All entries, sorted by masterplan id."""
        return [self._entries[k] for k in sorted(self._entries)]


def _peek_id(file: Any) -> str:
    from contextlib import ExitStack
    from importlib.resources import as_file
    from pathlib import Path

    from cityeval.io.documents import read_document

    with ExitStack() as stack:
        path = file if isinstance(file, str | os.PathLike) else stack.enter_context(as_file(file))
        data = read_document(Path(path))
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise RegistryError(f"masterplan file {Path(str(file)).name!r} has no 'id'")
    return str(data["id"])

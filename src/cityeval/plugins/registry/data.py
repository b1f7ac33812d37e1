"""The registries of data items: frameworks, crosswalks and masterplans.

Registering reads nothing. An item given as a file is recorded as a :class:`DataEntry`: its
id (given, or the file's name without its suffix), the file and the plugin. The file is parsed
when the entry is first used, by the package that owns that kind of file
(``entry.load(reader)``), once per process and under a lock; if the file's own id differs from
the registered one, that use fails with a :class:`~cityeval.errors.RegistryError` naming the
plugin and the file.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from cityeval.errors import RegistryError
from cityeval.i18n import _
from cityeval.plugins.registry.base import Registry

if TYPE_CHECKING:
    from cityeval.model import Framework

__all__ = [
    "CrosswalkRegistry",
    "DataEntry",
    "DataRegistry",
    "FrameworkEntry",
    "FrameworkRegistry",
    "MasterplanEntry",
    "MasterplanRegistry",
    "is_file_reference",
    "read_source",
]

E = TypeVar("E")
T = TypeVar("T")


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
    """A registry of data items registered as objects or as files (read on first use).

    Its ``add_*`` method takes the item and a keyword ``id``:

    Parameters
    ----------
    item : object, path or importlib resource
        The item (an object with an ``id``), or its ``.yaml``/``.json``/``.toml`` file, which
        is not read now.
    id : str, optional
        The item's id; for a file, its name without the suffix by default. For an object it
        must be the object's own id.

    Returns
    -------
    str
        The id it is registered under.

    Raises
    ------
    RegistryError
        If an item with the same id is already registered (or reserved), an object has no id,
        or ``id`` differs from the object's own.
    """

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

        ``framework`` is a :class:`~cityeval.model.Framework`, or its
        ``.yaml``/``.json``/``.toml`` file (a path or an ``importlib`` resource, not read now);
        ``id``, the return value and the errors are as for every :class:`DataRegistry`.
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

        ``crosswalk`` is a crosswalk, or its ``.yaml``/``.json``/``.toml`` file (a path or an
        ``importlib`` resource, not read now); ``id``, the return value and the errors are as
        for every :class:`DataRegistry`.
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

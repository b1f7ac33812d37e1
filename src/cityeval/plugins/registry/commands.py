"""The command registry: the command line's commands, cityeval's own first."""

from __future__ import annotations

import threading
from importlib import import_module
from typing import Any

from cityeval.errors import RegistryError
from cityeval.i18n import _
from cityeval.plugins.registry.base import Registry

__all__ = ["CommandEntry", "CommandRegistry"]


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

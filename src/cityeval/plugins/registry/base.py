"""The generic registry: entries by key, each owned by the plugin that added it.

Every typed registry handed to a hook (:mod:`.data`, :mod:`.methods`, :mod:`.commands`) is a
:class:`Registry`; this module holds what they share: attribution to the plugin whose hook is
running, refusal of a duplicate or reserved key, removal of a failed plugin's entries, lookups.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from cityeval.errors import NotFoundError, RegistryError
from cityeval.i18n import _

__all__ = ["Registry"]

E = TypeVar("E")


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

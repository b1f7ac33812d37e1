"""The method registry: kernels by kind and name, as pipelines name them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from cityeval.errors import NotFoundError, RegistryError
from cityeval.i18n import _
from cityeval.plugins.registry.base import Registry

__all__ = ["METHOD_KINDS", "MethodEntry", "MethodRegistry"]

METHOD_KINDS: tuple[str, ...] = (
    "denominate",
    "impute",
    "treat",
    "normalise",
    "weight",
    "aggregate",
)


class MethodEntry(NamedTuple):
    """A registered method: its kind, name, implementation and the plugin that gave it."""

    kind: str
    name: str
    implementation: Callable[..., Any]
    summary: str
    plugin: str

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

"""Small checks shared by the masterplan's model classes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cityeval.errors import ModelError, Problem, format_path
from cityeval.i18n import _

__all__ = ["Path", "first_seen", "fmt", "not_blank"]

Path = tuple[str | int, ...]


def fmt(value: float) -> str:
    """A number as a person writes it: ``40``, ``42.5``."""
    return f"{value:g}"


def not_blank(instance: object, attribute: Any, value: str) -> None:
    """An attrs validator: the text has something besides spaces."""
    if not value.strip():
        raise ModelError.at((attribute.name,), _("must not be empty"))


def first_seen(items: Sequence[tuple[str, Path]], what: str, problems: list[Problem]) -> None:
    """Report every id used a second time, pointing at its first use.

    ``what`` is an already translated noun such as "OPD id".
    """
    first: dict[str, Path] = {}
    for key, loc in items:
        if key in first:
            problems.append(
                Problem(
                    loc,
                    _("duplicate {what} {key} (first used at {where})").format(
                        what=what, key=repr(key), where=format_path(first[key])
                    ),
                )
            )
        else:
            first[key] = loc

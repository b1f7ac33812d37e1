"""Where a fact comes from, and how far it can be trusted."""

from __future__ import annotations

import enum

from attrs import field, frozen

from cityeval.errors import ModelError

__all__ = ["Grade", "Source"]


class Grade(enum.Enum):
    """How reliable a source is.

    ``A``: an official government or standards-body document; ``B``: a news report or a
    regional press release quoting officials; ``C``: third-party secondary material, to be
    checked before it is presented as official; ``U``: widely cited but not verified.
    """

    A = "A"
    B = "B"
    C = "C"
    U = "U"

    @property
    def official(self) -> bool:
        """Whether a fact of this grade may be presented as official."""
        return self in (Grade.A, Grade.B)


def _non_empty(instance: object, attribute: object, value: str) -> None:
    if not value.strip():
        raise ModelError.at(("citation",), "must not be empty")


@frozen
class Source:
    """A citation for a fact, with its grade.

    Parameters
    ----------
    citation : str
        Who says it, where (title, document number, publisher).
    url : str, optional
        Where it can be read.
    grade : Grade, optional
        Its reliability (see :class:`Grade`).
    note : str, optional
        What exactly the source supports.
    """

    citation: str = field(validator=_non_empty)
    url: str | None = None
    grade: Grade | None = None
    note: str | None = None

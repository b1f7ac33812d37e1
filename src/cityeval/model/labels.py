"""Bilingual labels: Indonesian and English text, each falling back to the other."""

from __future__ import annotations

from typing import Literal

from attrs import field, frozen

from cityeval.errors import ModelError

__all__ = ["Label", "Lang"]

Lang = Literal["id", "en"]


def _text_or_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


@frozen
class Label:
    """Text in Indonesian (``id``) and English (``en``); either may be missing.

    Parameters
    ----------
    id : str, optional
        Indonesian text.
    en : str, optional
        English text.

    Examples
    --------
    >>> Label(id="Tata kelola sampah", en="Waste").text("en")
    'Waste'
    >>> Label(id="Ekosistem belajar").text("en")
    'Ekosistem belajar'
    """

    id: str | None = field(default=None, converter=_text_or_none)
    en: str | None = field(default=None, converter=_text_or_none)

    def __attrs_post_init__(self) -> None:
        if self.id is None and self.en is None:
            raise ModelError.at((), "a label needs Indonesian ('id') or English ('en') text")

    @classmethod
    def neutral(cls, text: str) -> Label:
        """A label with the same text in both languages (names, acronyms)."""
        return cls(id=text, en=text)

    def text(self, lang: Lang = "en") -> str:
        """The text in ``lang``, or in the other language when it is missing."""
        first, second = (self.id, self.en) if lang == "id" else (self.en, self.id)
        result = first if first is not None else second
        assert result is not None  # guaranteed by __attrs_post_init__
        return result

    def __str__(self) -> str:
        return self.text("en")

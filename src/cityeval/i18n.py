"""The language of every message a person reads: gettext catalogues in Indonesian and English.

Messages are written in English in the code and marked with :func:`_` (or :func:`N_` where a
message is stored before the language is known); Babel extracts them into
``cityeval/locale/<lang>/LC_MESSAGES/cityeval.po`` and the build compiles the ``.mo`` files
that :mod:`gettext` reads. The language in use comes, in this order, from
:func:`set_language` (the command line's ``--lang``), the ``CITYEVAL_LANG`` environment
variable, the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``id_ID.UTF-8`` gives Indonesian)
and finally English. A message without a translation is shown in English.

Messages with values use named placeholders filled after translation, so that a translator
can reorder them::

    raise InputError(path, [Problem((), _("{value} lies outside {low} to {high}").format(...))])
"""

from __future__ import annotations

import gettext
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Literal

__all__ = [
    "DOMAIN",
    "ENV",
    "LANGUAGES",
    "N_",
    "Language",
    "_",
    "current_language",
    "language_from_environment",
    "ngettext",
    "set_language",
    "speaking",
    "translator",
]

Language = Literal["id", "en"]
LANGUAGES: tuple[Language, ...] = ("id", "en")
DOMAIN = "cityeval"
ENV = "CITYEVAL_LANG"
LOCALE_DIR = Path(__file__).parent / "locale"

_lock = threading.Lock()
_chosen: Language | None = None


def _normalise(value: str | None) -> Language | None:
    """``"id"``, ``"id_ID.UTF-8"``, ``"in"`` (the old code) -> ``"id"``; English alike."""
    if not value:
        return None
    code = value.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    if code in ("id", "in"):
        return "id"
    if code == "en":
        return "en"
    return None


def language_from_environment() -> Language:
    """The language the environment asks for: ``CITYEVAL_LANG``, else the locale, else English."""
    explicit = _normalise(os.environ.get(ENV))
    if explicit is not None:
        return explicit
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        raw = os.environ.get(var)
        if raw:
            # The first locale variable that is set decides, as in POSIX; "C" means English.
            return _normalise(raw) or "en"
    return "en"


def set_language(lang: str | None) -> None:
    """Choose the language of messages for this process (``None``: back to the environment).

    Raises
    ------
    ValueError
        If ``lang`` is neither Indonesian (``id``) nor English (``en``).
    """
    global _chosen
    if lang is None:
        chosen = None
    else:
        chosen = _normalise(lang)
        if chosen is None:
            raise ValueError(f"unknown language {lang!r}: use 'id' or 'en'")
    with _lock:
        _chosen = chosen


@contextmanager
def speaking(lang: str | None) -> Iterator[None]:
    """Messages in ``lang`` inside the block (``None``: as chosen before); the earlier choice
    is back after it, whatever the block set.

    Raises
    ------
    ValueError
        If ``lang`` is neither Indonesian (``id``) nor English (``en``).
    """
    global _chosen
    previous = _chosen
    try:
        if lang is not None:
            set_language(lang)
        yield
    finally:
        with _lock:
            _chosen = previous


def current_language() -> Language:
    """The language messages are shown in now."""
    chosen = _chosen
    return chosen if chosen is not None else language_from_environment()


@cache
def translator(lang: Language) -> gettext.NullTranslations:
    """The catalogue of ``lang`` (English, or a missing catalogue: the messages as written)."""
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    """``message`` in the current language."""
    return translator(current_language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language."""
    return translator(current_language()).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 (the gettext convention)
    """Mark ``message`` for extraction without translating it now (translate it when shown)."""
    return message

"""Text from users' files inside the report's stylesheet: the running header of printed pages.

A CSS string cannot be HTML-escaped (``<style>`` is raw text: ``&amp;`` would print as is),
so it is CSS-escaped instead: every character that is not a plain letter, digit, space or
common punctuation becomes a CSS escape ``\\HHHHHH``, which also keeps ``</style>`` out of it.
"""

from __future__ import annotations

from markupsafe import Markup

__all__ = ["css_string"]

_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;()-_/'+!?%")


def css_string(text: object) -> Markup:
    """``text`` as the inside of a double-quoted CSS string, safe in a ``<style>`` element.

    ``Kota "A" & B`` becomes ``Kota \\000022A\\000022 \\000026 B``.
    """
    value = "" if text is None else str(text)
    # Six hex digits need no terminating space (CSS Syntax 3, "consume an escaped code point").
    return Markup("".join(ch if ch in _PLAIN else f"\\{ord(ch):06X}" for ch in value))

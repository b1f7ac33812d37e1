"""Typer's own words (help headings, usage errors) in the user's language.

Typer (0.20 and later) vendors Click and writes its help headings and error messages as
plain English strings, so they cannot be translated through a catalogue of their own. Two
choke points carry every such word a user sees: the help formatter (headings, the usage line,
the ``--help`` option's text, ``[default: ...]``) and the rendering of a usage error, which the
command line does itself (``error: ...``, exit status 2). Both translate through cityeval's
catalogue; the English templates are listed here so that Babel extracts them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from cityeval.i18n import N_, _

__all__ = ["install", "translate_help_text", "usage_error_text"]

_HEADINGS = {
    "Options": N_("Options"),
    "Commands": N_("Commands"),
    "Arguments": N_("Arguments"),
}
_HELP_TEXTS = {
    "Show this message and exit.": N_("Show this message and exit."),
    "Show the version and exit.": N_("Show the version and exit."),
    "Install completion for the current shell.": N_("Install completion for the current shell."),
    "Show completion for the current shell, to copy it or customize the installation.": N_(
        "Show completion for the current shell, to copy it or customize the installation."
    ),
}
_HELP_MARKS = (
    (re.compile(r"\[default: (?P<default>[^\]]*)\]"), N_("[default: {default}]")),
    (re.compile(r"\[required\]"), N_("[required]")),
    (re.compile(r"\[env var: (?P<var>[^\]]*)\]"), N_("[env var: {var}]")),
)

# Typer's usage errors, as its vendored Click words them; named groups fill the template.
_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern + "$", re.S), template)
    for pattern, template in (
        (
            r"No such option: (?P<name>\S+)(?: \(Possible options: (?P<options>.*)\))?",
            N_("no such option: {name}"),
        ),
        (r"No such command '(?P<name>.*)'\.", N_("no such command '{name}'")),
        (r"Missing argument '(?P<name>.*)'\.", N_("missing argument '{name}'")),
        (r"Missing option (?P<name>.*)\.", N_("missing option {name}")),
        (r"Missing parameter: (?P<name>.*)", N_("missing parameter: {name}")),
        (
            r"Got unexpected extra arguments? ?(?:\(s\))? \((?P<args>.*)\)",
            N_("unexpected extra argument(s): {args}"),
        ),
        (r"Option '(?P<name>.*)' requires an argument\.", N_("option '{name}' needs a value")),
        (
            r"Option '(?P<name>.*)' requires (?P<nargs>\d+) arguments\.",
            N_("option '{name}' needs {nargs} values"),
        ),
        (r"Option '(?P<name>.*)' does not take a value\.", N_("option '{name}' takes no value")),
        (
            r"Invalid value for '(?P<name>[^']*)': "
            r".*?'(?P<value>.*)' is not one of (?P<choices>.*)\.",
            N_("invalid value for '{name}': '{value}' is not one of {choices}"),
        ),
        (
            r"Invalid value for '(?P<name>[^']*)': .*unable to parse string as an integer",
            N_("invalid value for '{name}': expected a whole number"),
        ),
        (
            r"Invalid value for '(?P<name>[^']*)': .*unable to parse string as a number",
            N_("invalid value for '{name}': expected a number"),
        ),
        (
            r"Invalid value for '(?P<name>[^']*)': "
            r"(?:File|Path|Directory) '(?P<path>.*)' does not exist\.",
            N_("invalid value for '{name}': '{path}' does not exist"),
        ),
        (
            r"Invalid value for '(?P<name>[^']*)': (?P<message>.*)",
            N_("invalid value for '{name}': {message}"),
        ),
    )
)


def translate_help_text(text: str) -> str:
    """A help definition (an option's help) with Typer's own parts translated."""
    fixed = _HELP_TEXTS.get(text)
    if fixed is not None:
        return _(fixed)
    for pattern, template in _HELP_MARKS:
        text = pattern.sub(_filler(_(template)), text)
    return text


def _filler(template: str) -> Callable[[re.Match[str]], str]:
    return lambda match: template.format(**match.groupdict())


def usage_error_text(message: str) -> str:
    """A usage error's message (without ``Error:``) in the current language."""
    for pattern, template in _ERRORS:
        match = pattern.match(message)
        if match:
            return _(template).format(**{k: v or "" for k, v in match.groupdict().items()})
    return message


def install() -> None:
    """Make Typer's help formatter speak the current language (idempotent)."""
    from typer._click import core, formatting

    base = formatting.HelpFormatter
    if getattr(core.Context.formatter_class, "_cityeval", False):
        return

    class TranslatedHelpFormatter(base):  # type: ignore[misc, valid-type]
        _cityeval = True

        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, prefix=_("Usage: ") if prefix is None else prefix)

        def write_heading(self, heading: str) -> None:
            key = _HEADINGS.get(heading)
            super().write_heading(_(key) if key else heading)

        def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
            rows = [(term, translate_help_text(text)) for term, text in rows]
            super().write_dl(rows, col_max=col_max, col_spacing=col_spacing)

    core.Context.formatter_class = TranslatedHelpFormatter

"""The Jinja environment of the report page, built once a process, its templates compiled once
a user (their code kept in :mod:`cityeval.io.cache`'s stale-safe bytecode cache).
jinja2 is imported by :func:`page_environment`, not by importing this module.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from cityeval.io.cache import bytecode_cache

if TYPE_CHECKING:
    import jinja2

__all__ = ["PACKAGE", "page_environment"]

#: The package whose ``templates`` folder holds the report's templates.
PACKAGE = "cityeval.report"


@functools.cache
def page_environment() -> jinja2.Environment:
    """The environment of the report page (``report.html.j2`` and its partials)."""
    import jinja2

    from cityeval.report.css import css_string

    env = jinja2.Environment(
        # The page is made of partials (styles/, sections/) next to the main template.
        loader=jinja2.PackageLoader(PACKAGE, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache(),
        auto_reload=True,
    )
    env.filters["css_string"] = css_string
    return env

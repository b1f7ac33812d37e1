"""Sphinx configuration for the cityeval documentation.

Built in CI with warnings as errors, in English and in Indonesian::

    .venv/bin/python -m sphinx -W --keep-going -b html docs docs/_build/html
    .venv/bin/python -m sphinx -W --keep-going -b html -D language=id docs docs/_build/html-id

The Indonesian catalogues are updated after the English pages change with::

    .venv/bin/python -m sphinx -b gettext docs docs/_build/gettext
    .venv/bin/sphinx-intl update -p docs/_build/gettext -d docs/locale -l id

CI reaches PyPI and nothing else, so nothing here may need the network at build time
(no intersphinx, no remote images).
"""

from __future__ import annotations

from sphinx.application import Sphinx

import cityeval

project = "cityeval"
author = "cityeval developers"
copyright = "cityeval developers"
version = release = cityeval.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "numpydoc",
    "sphinx.ext.viewcode",
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
language = "en"

# -- translations -----------------------------------------------------------------------------
# The officer's pages are translated into Indonesian with sphinx-intl catalogues in
# docs/locale/id/LC_MESSAGES/; build them with `-D language=id` (CI does, with -W).
locale_dirs = ["locale/"]
gettext_compact = False
gettext_uuid = False
gettext_location = False

# -- MyST -------------------------------------------------------------------------------------
# dollarmath: the formulas of reference/methods.md are written as $...$ and $$...$$. Sphinx
# renders them with MathJax, which the reader's browser loads; the build needs no network.
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3

# -- autodoc and numpydoc ---------------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "none"  # numpydoc's Parameters sections already give the types
autodoc_default_options = {"members": True, "show-inheritance": True}

# attrs classes expose every field as a class attribute; numpydoc would list them all again
# under "Attributes"/"Methods" next to the Parameters section the docstrings already have.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks: set[str] = set()
# numpydoc loads sphinx.ext.autosummary; these pages do not use its stub generation, which
# otherwise warns that source_suffix has no .rst.
autosummary_generate = False

nitpicky = False

# -- HTML -------------------------------------------------------------------------------------
html_theme = "furo"
html_title = f"cityeval {release}"


# -- module docstrings ------------------------------------------------------------------------
# Kernel modules open with docstrings divided by underlined headings ("Shapes and
# conventions", "The direction rule", ...). autodoc would make each one a section of the API
# page: they would enter the page's table of contents among the module headings, and two
# modules sharing a heading ("Shapes and conventions" in normalise and aggregate) would give
# docutils a duplicate section id. Inside a module's entry they are rubrics, not sections.
_UNDERLINE_CHARS = frozenset("-=~^")


def _module_headings_to_rubrics(
    app: Sphinx, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    if what != "module":
        return
    for i in range(len(lines) - 1):
        title, under = lines[i].strip(), lines[i + 1].strip()
        if (
            title
            and len(under) >= len(title)
            and set(under) <= _UNDERLINE_CHARS
            and len(set(under)) == 1
            and (i == 0 or not lines[i - 1].strip())
        ):
            lines[i] = f".. rubric:: {title}"
            lines[i + 1] = ""


def setup(app: Sphinx) -> None:
    app.connect("autodoc-process-docstring", _module_headings_to_rubrics)

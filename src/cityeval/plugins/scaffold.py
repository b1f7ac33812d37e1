"""Write a new, ready-to-install plugin package from the templates in ``cityeval.templates``.

The templates use :class:`string.Template` (``$name``), so generating a plugin needs nothing
beyond the standard library.
"""

from __future__ import annotations

import os
import re
from importlib.resources import files
from pathlib import Path
from string import Template

from cityeval._version import __version__
from cityeval.errors import InputError, Problem
from cityeval.i18n import _

__all__ = ["NAME_PATTERN", "new_plugin", "plugin_names"]

#: A plugin name: lower-case letters and digits, words joined by single ``-`` or ``_``.
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")

# (template file, output path); output paths are templates too.
_FILES = (
    ("pyproject.toml.tmpl", "pyproject.toml"),
    ("README.md.tmpl", "README.md"),
    ("conftest.py.tmpl", "conftest.py"),
    ("__init__.py.tmpl", "src/$module/__init__.py"),
    (None, "src/$module/py.typed"),
    ("framework.yaml.tmpl", "src/$module/data/$framework_id.yaml"),
    ("sample.csv.tmpl", "src/$module/data/sample.csv"),
    ("test_plugin.py.tmpl", "tests/test_$module.py"),
)


def plugin_names(name: str) -> dict[str, str]:
    """The names derived from a plugin name: entry point, module, distribution, framework id.

    Raises
    ------
    InputError
        If ``name`` is not a lower-case slug such as ``kota-contoh`` or ``kota_contoh``.
    """
    if not NAME_PATTERN.match(name):
        raise InputError(
            "NAME",
            [
                Problem(
                    (),
                    _(
                        "{name!r} is not a valid plugin name: use lower-case letters and "
                        "digits, starting with a letter, words joined by '-' or '_' (such as "
                        "kota-contoh)"
                    ).format(name=name),
                )
            ],
        )
    words = re.split(r"[-_]", name)
    return {
        "name": name,
        "module": "cityeval_" + "_".join(words),
        "dist": "cityeval-" + "-".join(words),
        "framework_id": name,
        "title": " ".join(w.capitalize() for w in words),
        "cityeval_version": ".".join(__version__.split(".")[:2]),
    }


def new_plugin(name: str, out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write a plugin package called ``name`` into ``out_dir``.

    The package has a ``pyproject.toml`` with the ``cityeval`` entry point, a framework file,
    a sample data set in cityeval's CSV layout, a README, and tests that use
    :mod:`cityeval.testing` and pass as generated.

    Parameters
    ----------
    name : str
        The plugin's name (also its entry point and framework id), such as ``kota-contoh``.
    out_dir : path
        Where to write it: a new or empty folder.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    InputError
        If the name is invalid or ``out_dir`` exists and is not an empty folder.
    OutputError
        If ``out_dir`` cannot be written (no permission, a full disk, a file on its path);
        nothing is then left behind.

    Notes
    -----
    The files are written as one set (:class:`~cityeval.io.outputs.OutputSet`): the package
    appears whole or not at all.
    """
    from cityeval.io.outputs import OutputSet, check_output_folder

    values = plugin_names(name)
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        what = _("is not a folder") if not out.is_dir() else _("is not empty")
        raise InputError(
            str(out),
            [Problem((), _("{what}; give a new or empty folder").format(what=what))],
        )
    check_output_folder(out)
    templates = files("cityeval.templates") / "plugin"
    with OutputSet(out) as staged:
        for template, target in _FILES:
            text = "" if template is None else (templates / template).read_text(encoding="utf-8")
            content = Template(text).substitute(values)
            staged.write_text(Template(target).substitute(values), content)
    return [out / name for name in staged.names]

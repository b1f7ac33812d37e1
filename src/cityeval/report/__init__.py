"""Reports of a masterplan's evaluation: the terminal view and the four files of a scorecard.

:func:`write_report` writes ``scorecard.json``, ``scorecard.csv``, ``scorecard.xlsx`` and
``report.html`` for a :class:`~cityeval.masterplan.evaluation.Scorecard`. The files are
written as one set (:class:`~cityeval.io.outputs.OutputSet`): staged beside the folder and moved
into place only when all of them are made, so a failure leaves the folder as it was. The
workbook needs ``openpyxl`` and the page ``jinja2`` (the ``report`` extra); both are imported
only when a report is written, and this package is not imported by ``import cityeval``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from cityeval.masterplan.evaluation import Scorecard
from cityeval.model import Lang

__all__ = ["REPORT_FILES", "render_report", "report_makers", "write_files", "write_report"]

#: The files :func:`write_report` writes, in order.
REPORT_FILES = ("scorecard.json", "scorecard.csv", "scorecard.xlsx", "report.html")


def report_makers(sc: Scorecard, lang: Lang) -> dict[str, Callable[[], bytes]]:
    """How to make each report file, by name, in :data:`REPORT_FILES` order."""
    from cityeval.report.html import render_html
    from cityeval.report.scorecard_files import scorecard_csv, scorecard_json, scorecard_xlsx

    return {
        "scorecard.json": lambda: scorecard_json(sc, lang).encode("utf-8"),
        # utf-8-sig: Excel opens a CSV with a byte-order mark as UTF-8 (Indonesian names).
        "scorecard.csv": lambda: scorecard_csv(sc, lang).encode("utf-8-sig"),
        "scorecard.xlsx": lambda: scorecard_xlsx(sc, lang),
        "report.html": lambda: render_html(sc, lang).encode("utf-8"),
    }


def render_report(sc: Scorecard, lang: Lang = "en") -> dict[str, bytes]:
    """The content of every report file, by file name."""
    return {name: make() for name, make in report_makers(sc, lang).items()}


def write_files(
    folder: str | os.PathLike[str],
    contents: Mapping[str, bytes | Callable[[], bytes]],
    *,
    protect: Iterable[str | os.PathLike[str]] = (),
) -> list[Path]:
    """Write several files into ``folder`` as one set: every file is replaced, or none is.

    ``contents`` maps file names to their bytes, or to a function that makes them; each is
    made and staged in turn (:class:`~cityeval.io.outputs.OutputSet`), so a failure while
    making a later file leaves every earlier file of the folder as it was.

    Raises
    ------
    OutputError
        If ``folder`` is a file or cannot be written, the disk is full, or a file would
        replace one of ``protect`` (the command's inputs).
    """
    from cityeval.io.outputs import OutputSet

    with OutputSet(folder, protect=protect) as out:
        for name, data in contents.items():
            out.write_bytes(name, data() if callable(data) else data)
    return [Path(folder) / name for name in out.names]


def write_report(
    sc: Scorecard,
    folder: str | os.PathLike[str],
    lang: Lang = "en",
    *,
    protect: Iterable[str | os.PathLike[str]] = (),
) -> list[Path]:
    """Write the scorecard's JSON, CSV, Excel and HTML files into ``folder``, as one set.

    Returns
    -------
    list of Path
        The files written, in the order of :data:`REPORT_FILES`.

    Raises
    ------
    OutputError
        If the folder cannot be written (see :func:`write_files`); the folder is then left
        exactly as it was.
    """
    return write_files(folder, report_makers(sc, lang), protect=protect)

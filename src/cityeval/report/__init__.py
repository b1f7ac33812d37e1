"""Reports of a masterplan's evaluation: the terminal view and the four files of a scorecard.

:func:`write_report` writes ``scorecard.json``, ``scorecard.csv``, ``scorecard.xlsx`` and
``report.html`` for a :class:`~cityeval.masterplan.evaluation.Scorecard`. Every file is made
in memory first and then moved into place, so a failure leaves the folder as it was. The
workbook needs ``openpyxl`` and the page ``jinja2`` (the ``report`` extra); both are imported
only when a report is written, and this package is not imported by ``import cityeval``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from cityeval.masterplan.evaluation import Scorecard
from cityeval.model import Lang

__all__ = ["REPORT_FILES", "render_report", "write_files", "write_report"]

#: The files :func:`write_report` writes, in order.
REPORT_FILES = ("scorecard.json", "scorecard.csv", "scorecard.xlsx", "report.html")


def render_report(sc: Scorecard, lang: Lang = "en") -> dict[str, bytes]:
    """The content of every report file, by file name."""
    from cityeval.report.html import render_html
    from cityeval.report.scorecard_files import scorecard_csv, scorecard_json, scorecard_xlsx

    return {
        "scorecard.json": scorecard_json(sc, lang).encode("utf-8"),
        # utf-8-sig: Excel opens a CSV with a byte-order mark as UTF-8 (Indonesian names).
        "scorecard.csv": scorecard_csv(sc, lang).encode("utf-8-sig"),
        "scorecard.xlsx": scorecard_xlsx(sc, lang),
        "report.html": render_html(sc, lang).encode("utf-8"),
    }


def write_files(folder: str | os.PathLike[str], contents: Mapping[str, bytes]) -> list[Path]:
    """Write several files into ``folder`` so that each is the old file or the new one.

    Every file is first written in full to a temporary file beside its target; only when all
    are written are they moved into place, so a failure while writing leaves no file changed.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in contents.items():
            fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out)
            staged.append((name, Path(tmp_name)))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp_name, 0o644)  # mkstemp makes it private; a report is to be shared
        written = []
        for name, staged_path in staged:
            os.replace(staged_path, out / name)
            written.append(out / name)
        return written
    finally:
        for _, staged_path in staged:
            staged_path.unlink(missing_ok=True)  # nothing left once moved into place


def write_report(sc: Scorecard, folder: str | os.PathLike[str], lang: Lang = "en") -> list[Path]:
    """Write the scorecard's JSON, CSV, Excel and HTML files into ``folder``.

    Returns
    -------
    list of Path
        The files written, in the order of :data:`REPORT_FILES`.
    """
    return write_files(folder, render_report(sc, lang))

"""Refusing an ``.xlsx`` "zip bomb" before openpyxl decompresses anything.

An ``.xlsx`` file is a zip archive of XML parts. A hostile or broken one can declare parts
that inflate to gigabytes from a few kilobytes. Before a form is opened, the archive's
directory is read (which decompresses nothing) and every part's declared size and
compression ratio, and their total, are checked against the limits below. Python's
:mod:`zipfile`, which openpyxl reads through, never inflates a part beyond its declared
size, so checking the declared sizes bounds what opening the workbook can allocate.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from cityeval.i18n import _

__all__ = [
    "MAX_FORM_BYTES",
    "MAX_PARTS",
    "MAX_PART_BYTES",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "RATIO_CHECKED_FROM",
    "xlsx_problem",
]

#: The largest form file read (a filled form of a large regency is well under 1 MiB).
MAX_FORM_BYTES = 20 * 1024 * 1024
#: The most parts (files) an ``.xlsx`` archive may hold.
MAX_PARTS = 1_000
#: The largest declared uncompressed size of one part.
MAX_PART_BYTES = 50 * 1024 * 1024
#: The largest declared uncompressed size of all parts together.
MAX_TOTAL_BYTES = 100 * 1024 * 1024
#: The largest compression ratio (uncompressed / compressed) of a part ...
MAX_RATIO = 200
#: ... checked for parts whose declared size is at least this (small parts compress freely).
RATIO_CHECKED_FROM = 1024 * 1024


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MiB"


def xlsx_problem(path: Path) -> str | None:
    """Why the ``.xlsx`` file at ``path`` must not be opened, or None when it may.

    Parameters
    ----------
    path : Path
        An existing file.

    Returns
    -------
    str or None
        The problem in the current language: not a zip archive, too large, too many parts,
        a part too large or too highly compressed (a zip bomb).
    """
    try:
        size = path.stat().st_size
        if size > MAX_FORM_BYTES:
            return _("the file is {size}, more than the {limit} a form may be").format(
                size=_mib(size), limit=_mib(MAX_FORM_BYTES)
            )
        # Our own file object: closed here whatever zipfile raises while reading the directory.
        with open(path, "rb") as fh, zipfile.ZipFile(fh) as archive:
            parts = archive.infolist()
    except Exception:  # a broken zip directory fails in many ways (BadZipFile, an unsupported
        # zip version as NotImplementedError, struct errors, bad names as UnicodeDecodeError)
        return _("not a valid Excel workbook (.xlsx)")
    if len(parts) > MAX_PARTS:
        return _("the workbook holds {n} parts, more than the {limit} allowed").format(
            n=len(parts), limit=MAX_PARTS
        )
    total = 0
    for info in parts:
        total += info.file_size
        if info.file_size > MAX_PART_BYTES:
            return _(
                "the workbook's part {part} would decompress to {size}, more than the {limit} "
                "allowed (a zip bomb?)"
            ).format(
                part=repr(info.filename), size=_mib(info.file_size), limit=_mib(MAX_PART_BYTES)
            )
        if info.file_size >= RATIO_CHECKED_FROM and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            return _(
                "the workbook's part {part} is compressed more than {ratio} to 1 (a zip bomb?)"
            ).format(part=repr(info.filename), ratio=MAX_RATIO)
    if total > MAX_TOTAL_BYTES:
        return _(
            "the workbook would decompress to {size}, more than the {limit} allowed (a zip bomb?)"
        ).format(size=_mib(total), limit=_mib(MAX_TOTAL_BYTES))
    return None

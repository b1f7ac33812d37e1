"""Writing a command's outputs as one transaction: all files appear together, or none do.

Every file of a set is written in full into a staging folder beside the destination; only
when all of them are complete are they moved into place. If anything fails before that, the
previous outputs are left exactly as they were. Files get the permissions the user's umask
gives (not owner-only), paths that cannot be written are the library's own
:class:`~cityeval.errors.OutputError`, and a file that the command read as input is never
replaced by an output.

The CSV cells' rules (formula neutralisation, number texts) are
:mod:`cityeval.io.csv_cells`, re-exported here.

Usage::

    with OutputSet("report/", protect=[data_path]) as out:
        out.write_bytes("scores.csv", csv_bytes)
        out.write_text("summary.json", text)
        fig.savefig(out.path("chart.png"))   # a library that writes a file itself
    # all files are in report/ now; an exception inside the block leaves report/ unchanged
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from cityeval.errors import OutputError
from cityeval.i18n import _

# The CSV cells' rules live in their own module; these names are kept here for the many
# writers (and users) that import them with the output transaction.
from cityeval.io.csv_cells import (
    FORMULA_TRIGGERS,
    csv_table,
    csv_text,
    float_texts,
    neutralise_cell,
    number_cells,
)

__all__ = [
    "FORMULA_TRIGGERS",
    "OutputSet",
    "check_output_folder",
    "csv_table",
    "csv_text",
    "float_texts",
    "neutralise_cell",
    "number_cells",
    "write_output_file",
]

_STAGING_PREFIX = ".cityeval-staging-"


def _describe(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _("permission denied: the folder cannot be written")
    if exc.errno == errno.ENOSPC:
        return _("no space left on the device")
    if exc.errno == errno.EDQUOT:
        return _("disk quota exceeded")
    if exc.errno == errno.ENAMETOOLONG:
        return _("the file name is too long")
    if exc.errno == errno.EISDIR:
        return _("is a folder, not a file")
    if exc.errno == errno.ENOTDIR:
        return _("a part of the path is a file, not a folder")
    if exc.errno == errno.EEXIST:
        return _("a file is in the way of a folder")
    return exc.strerror or str(exc) or type(exc).__name__


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _inside(filename: object, folder: Path) -> bool:
    if not isinstance(filename, str | os.PathLike):
        return False
    try:
        Path(filename).relative_to(folder)
    except ValueError:
        return False
    return True


def _make_parents(folder: Path, root: Path) -> list[Path]:
    """Make ``folder`` and its missing parents up to ``root``; return those made, top first."""
    missing: list[Path] = []
    current = folder
    while current != root and not current.exists():
        missing.append(current)
        current = current.parent
    missing.reverse()
    for path in missing:
        path.mkdir()
    return missing


class OutputSet:
    """The files one command writes into one folder, moved into place together.

    Parameters
    ----------
    folder : path
        The destination folder; created (with its parents) when the set is committed.
    protect : iterable of path, optional
        Files the command read; an output that would replace one of them is an error.

    Notes
    -----
    Use it as a context manager: leaving the block normally commits, an exception discards
    the staged files. :meth:`commit` and :meth:`discard` may also be called directly.
    """

    def __init__(
        self, folder: str | os.PathLike[str], *, protect: Iterable[str | os.PathLike[str]] = ()
    ) -> None:
        self.folder = Path(folder)
        self._protect = [Path(p) for p in protect]
        self._names: list[str] = []
        self._staging: Path | None = None
        self._done = False
        if self.folder.exists() and not self.folder.is_dir():
            raise OutputError(str(self.folder), _("is a file, not a folder"))

    # -- staging ----------------------------------------------------------------------------

    def _stage_dir(self) -> Path:
        if self._staging is not None:
            return self._staging
        # Beside the destination, on the same file system, so that moving is a rename.
        parent = self.folder if self.folder.is_dir() else self.folder.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            staging = parent / f"{_STAGING_PREFIX}{secrets.token_hex(6)}"
            staging.mkdir()  # mode 0o777 less the umask, like every file in it
        except OSError as exc:
            raise OutputError(str(self.folder), _describe(exc)) from None
        self._staging = staging
        return staging

    def _check_name(self, name: str) -> None:
        if self._done:
            raise RuntimeError(_("the output set is already committed or discarded"))
        parts = name.split("/")
        if not name or name.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise OutputError(
                str(self.folder / name), _("not a relative file name inside the folder")
            )
        target = self.folder / name
        if target.is_dir():
            raise OutputError(str(target), _("is a folder, not a file"))
        for k in range(1, len(parts)):
            above = self.folder.joinpath(*parts[:k])
            if above.exists() and not above.is_dir():
                raise OutputError(str(above), _("is a file, not a folder"))
        for p in self._protect:
            if _same_file(target, p):
                raise OutputError(
                    str(target), _("is an input of this command and is not overwritten")
                )
        if name not in self._names:
            self._names.append(name)

    def path(self, name: str) -> Path:
        """Where to write the file ``name`` now (in the staging folder), for libraries that
        write files themselves (matplotlib, openpyxl).

        ``name`` is a file name or a relative path with ``/`` (``src/pkg/__init__.py``);
        its folders are made in the staging folder. An ``OSError`` raised inside the
        ``with`` block about a staged file becomes an :class:`~cityeval.errors.OutputError`.
        """
        self._check_name(name)
        staged = self._stage_dir() / name
        if "/" in name:
            try:
                staged.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(str(self.folder / name), _describe(exc)) from None
        return staged

    def write_bytes(self, name: str, data: bytes) -> None:
        """Stage the file ``name`` with content ``data``."""
        target = self.path(name)
        try:
            with open(target, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise OutputError(str(self.folder / name), _describe(exc)) from None

    def write_text(self, name: str, text: str, *, encoding: str = "utf-8") -> None:
        """Stage the text file ``name`` (newlines written as ``\\n``)."""
        self.write_bytes(name, text.encode(encoding))

    # -- the transaction --------------------------------------------------------------------

    @property
    def names(self) -> tuple[str, ...]:
        """The names staged so far, in order."""
        return tuple(self._names)

    def commit(self) -> list[Path]:
        """Move every staged file into the destination folder; return their final paths.

        If a move fails, the files already moved are put back as they were.
        """
        if self._done:
            raise RuntimeError(_("the output set is already committed or discarded"))
        self._done = True
        staging = self._staging
        if staging is None:
            return []
        if self.folder.exists() and not self.folder.is_dir():
            self._cleanup()
            raise OutputError(str(self.folder), _("is a file, not a folder"))
        missing = [n for n in self._names if not (staging / n).is_file()]
        if missing:
            self._cleanup()
            raise OutputError(
                str(self.folder / missing[0]), _("an output was announced but never written")
            )
        try:
            if not self.folder.exists():
                # A new folder: one rename puts the whole set in place at once.
                os.rename(staging, self.folder)
                self._staging = None
                return [self.folder / n for n in self._names]
            return self._replace_into_existing(staging)
        except OSError as exc:
            raise OutputError(str(self.folder), _describe(exc)) from None
        finally:
            self._cleanup()

    def _replace_into_existing(self, staging: Path) -> list[Path]:
        backup = staging / ".previous"
        backup.mkdir()
        backed_up: list[str] = []  # old files moved aside
        moved: list[str] = []  # new files moved into place
        made: list[Path] = []  # folders made inside the destination
        try:
            for k, name in enumerate(self._names):
                target = self.folder / name
                if "/" in name:
                    made.extend(_make_parents(target.parent, self.folder))
                if target.exists() or target.is_symlink():
                    os.replace(target, backup / f"{k}")
                    backed_up.append(name)
                os.replace(staging / name, target)
                moved.append(name)
        except OSError:
            # Roll back: take the new files out, put every old one back.
            for name in reversed(moved):
                with contextlib.suppress(OSError):
                    os.replace(self.folder / name, staging / name)
            for name in reversed(backed_up):
                with contextlib.suppress(OSError):
                    os.replace(backup / f"{self._names.index(name)}", self.folder / name)
            for folder in reversed(made):
                with contextlib.suppress(OSError):
                    folder.rmdir()
            raise
        return [self.folder / n for n in self._names]

    def discard(self) -> None:
        """Forget every staged file; the destination is left untouched."""
        self._done = True
        self._cleanup()

    def _cleanup(self) -> None:
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None

    def __enter__(self) -> OutputSet:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None and not self._done:
            self.commit()
            return
        staging = self._staging
        if not self._done:
            self.discard()
        # A library writing a staged file (openpyxl, matplotlib) hit a full disk or the like:
        # the library's own error, naming the output rather than the staging folder.
        if (
            isinstance(exc, OSError)
            and not isinstance(exc, OutputError)
            and staging is not None
            and _inside(exc.filename, staging)
        ):
            name = Path(str(exc.filename)).relative_to(staging)
            raise OutputError(str(self.folder / name), _describe(exc)) from None


def check_output_folder(folder: str | os.PathLike[str]) -> Path:
    """Refuse, before any work is done, an output folder that is a file or lies under one.

    Returns
    -------
    Path
        ``folder``.

    Raises
    ------
    OutputError
        If ``folder`` is a file, or a part of its path is a file.
    """
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise OutputError(str(path), _("is a file, not a folder"))
    for above in path.parents:
        if above.exists():
            if not above.is_dir():
                raise OutputError(str(above), _("is a file, not a folder"))
            break
    return path


def write_output_file(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    protect: Iterable[str | os.PathLike[str]] = (),
) -> Path:
    """Write one output file atomically (readers see the old file or the new one).

    Raises
    ------
    OutputError
        If ``path`` is a folder, lies under a file, cannot be written, or is a protected input.
    """
    p = Path(path)
    with OutputSet(p.parent if str(p.parent) else ".", protect=protect) as out:
        out.write_bytes(p.name, data)
    return p

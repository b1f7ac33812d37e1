"""Writing a command's outputs as one transaction: all files appear together, or none do.

Every file of a set is written in full into a staging folder beside the destination; only
when all of them are complete are they moved into place. If anything fails before that, the
previous outputs are left exactly as they were. Files get the permissions the user's umask
gives (not owner-only), paths that cannot be written are the library's own
:class:`~cityeval.errors.OutputError`, and a file that the command read as input is never
replaced by an output.

Usage::

    with OutputSet("report/", protect=[data_path]) as out:
        out.write_bytes("scores.csv", csv_bytes)
        out.write_text("summary.json", text)
        fig.savefig(out.path("chart.png"))   # a library that writes a file itself
    # all files are in report/ now; an exception inside the block leaves report/ unchanged
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import secrets
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from cityeval.errors import OutputError
from cityeval.i18n import _

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

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


# OWASP "CSV Injection": a text cell that starts with one of these is run as a formula by
# Excel, LibreOffice and Google Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    single quote, as OWASP recommends; numbers (``-1.5`` is a number, not a formula) and
    other values are returned as they are.

    Parameters
    ----------
    value : object
        The cell; only ``str`` is ever changed.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        if value[0] in "+-":
            try:
                float(value)
            except ValueError:
                return "'" + value
            return value
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[Any]], *, header: Sequence[str] | None = None) -> str:
    """CSV text (``\n`` line ends) with every text cell neutralised by :func:`neutralise_cell`.

    Parameters
    ----------
    rows : iterable of sequences
        The data rows; numbers are written with ``repr`` precision by :mod:`csv`.
    header : sequence of str, optional
        A first row, neutralised like the others.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header is not None:
        writer.writerow([neutralise_cell(c) for c in header])
    for row in rows:
        writer.writerow([neutralise_cell(c) for c in row])
    return buf.getvalue()


def number_cells(values: npt.NDArray[np.float64], *, integers: bool = False) -> list[str]:
    """Every number of a 2-D table as text, row by row: shortest round-trip ``repr`` (or a
    whole number with ``integers``), ``nan`` where missing (``inf``, ``-inf`` as such).

    Formatting is the costly part of writing a large table; the list can be handed to
    :func:`csv_table` and reused for JSON (columns are the slices ``cells[k::n_columns]``).
    """
    import numpy as np

    table = np.asarray(values, dtype=np.float64)
    flat = table.ravel()
    if not integers:
        return float_texts(flat)
    finite = np.isfinite(flat)
    texts = list(map(str, np.where(finite, flat, 0).astype(np.int64).tolist()))
    if not finite.all():
        for i in np.flatnonzero(~finite).tolist():
            texts[i] = repr(float(flat[i]))
    return texts


def float_texts(values: npt.NDArray[np.float64]) -> list[str]:
    """``repr`` of every number of a 1-D array, in order: Python's shortest round-trip text.

    With orjson installed (the ``fast`` extra) the numbers are formatted by orjson, four
    times faster: it writes the same shortest round-trip digits, and the same text wherever
    Python's ``repr`` writes no exponent, which is for every magnitude in [1e-3, 1e15) and
    zero; every other number (smaller, larger, ``nan``, ``inf``) is written by ``repr``.
    The result is the same with and without orjson (tested against ``repr``).
    """
    import numpy as np

    flat = np.asarray(values, dtype=np.float64).ravel()
    numbers = flat.tolist()
    try:
        import orjson
    except ImportError:
        return list(map(repr, numbers))
    magnitude = np.abs(flat)
    with np.errstate(invalid="ignore"):
        plain = (magnitude < 1e15) & ((magnitude >= 1e-3) | (magnitude == 0))
    others = np.flatnonzero(~plain).tolist()
    shown = np.where(plain, flat, 0.0).tolist() if others else numbers
    cells = orjson.dumps(shown).decode("ascii")[1:-1].split(",") if numbers else []
    for i in others:
        cells[i] = repr(numbers[i])
    return cells


def _quoted(cell: str) -> str:
    # The csv module's QUOTE_MINIMAL rule for the excel dialect.
    if any(c in cell for c in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def csv_table(
    header: Sequence[str],
    keys: Sequence[Sequence[str]],
    values: npt.NDArray[np.float64],
    *,
    integers: bool = False,
    cells: Sequence[str] | None = None,
) -> str:
    """A CSV table of text key columns followed by number columns, fast for large tables.

    Every text cell (the header and the key columns) goes through :func:`neutralise_cell`;
    numbers are written as Python writes them (shortest round-trip ``repr``), or as whole
    numbers with ``integers``; a missing (NaN) or infinite value is an empty cell. The text
    is what :func:`csv_text` gives for rows ``[*key_row, *number_row]`` with the numbers so
    formatted (LF line ends, minimal quoting; a carriage return is quoted too).

    Parameters
    ----------
    header : sequence of str
        Names of the key columns, then of the number columns.
    keys : sequence of sequences of str
        For each row its key cells (such as unit code and time): ``n_rows`` rows.
    values : array of shape ``(n_rows, n_columns)``
        The numbers.
    integers : bool
        Write finite numbers as whole numbers (ranks).
    cells : sequence of str, optional
        :func:`number_cells` of ``values``, when the caller has them already.
    """
    import numpy as np

    table = np.asarray(values, dtype=np.float64)
    if table.ndim != 2 or table.shape[0] != len(keys):
        raise ValueError(
            _("values must have shape ({rows}, n_columns), got {shape}").format(
                rows=len(keys), shape=table.shape
            )
        )
    n_cols = table.shape[1]
    texts = number_cells(table, integers=integers) if cells is None else cells
    lines = [",".join(_quoted(str(neutralise_cell(c))) for c in header)]
    clean = bool(np.isfinite(table).all())
    for r, key_row in enumerate(keys):
        numbers = ",".join(texts[r * n_cols : (r + 1) * n_cols])
        if not clean:  # only numbers here: 'nan', 'inf' are whole cells
            numbers = numbers.replace("-inf", "").replace("inf", "").replace("nan", "")
        prefix = ",".join(_quoted(str(neutralise_cell(k))) for k in key_row)
        lines.append(f"{prefix},{numbers}" if key_row and n_cols else prefix + numbers)
    # A row of one empty cell is written '""', as the csv module does (else it is no row).
    return "\n".join(line or '""' for line in lines) + "\n"

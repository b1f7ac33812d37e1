"""Make some output files in a second process while this one makes the others.

``cityeval evaluate`` writes six files; the workbook and the Word document (with their
libraries' imports) take about as long as everything else the command does after scoring.
:class:`Background` forks a child that makes their bytes while the parent makes the rest,
then collects them: on two cores the command finishes sooner, with the same files.

The child is an accelerator only. It runs the same functions on a copy of the parent's
memory and sends back the bytes (pickled, through a pipe); if anything goes wrong there (an
error, a signal, a broken pipe, bytes that do not unpickle) the parent makes the files
itself, so errors surface in the parent exactly as without a child. The child never writes a
file, never runs the parent's exit handlers and never flushes its buffers (it leaves with
``os._exit``).

A child is used only on Linux with more than one core available to the process, when the
makers are given at least ``min_makers`` functions, and unless ``CITYEVAL_BACKGROUND=0``;
everywhere else the files are made in the parent, in order.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping

__all__ = ["Background", "background_available"]


def background_available() -> bool:
    """Whether a child process may be forked here (Linux, two or more cores, not disabled)."""
    if os.environ.get("CITYEVAL_BACKGROUND", "1") == "0":
        return False
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        return len(os.sched_getaffinity(0)) > 1
    except OSError:  # pragma: no cover - depends on the system
        return False


class Background:
    """Bytes of some files made in a forked child; :meth:`result` collects them.

    Parameters
    ----------
    makers : mapping of str to callable
        File name -> a function returning the file's bytes, called in that order.

    Examples
    --------
    >>> job = Background({"a.txt": lambda: b"made"})
    >>> job.result()
    {'a.txt': b'made'}
    """

    def __init__(self, makers: Mapping[str, Callable[[], bytes]]) -> None:
        self._makers = dict(makers)
        self._pid: int | None = None
        self._read: int | None = None
        if self._makers and background_available():
            self._start()

    def _start(self) -> None:
        import warnings

        read, write = os.pipe()
        try:
            with warnings.catch_warnings():
                # Python 3.12 warns about fork() in a process with threads (numpy's BLAS
                # pool): the child calls no BLAS and no lock another thread may hold.
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # pragma: no cover - the child (it leaves by os._exit, unmeasured)
            code = 1
            try:
                os.close(read)
                import pickle

                made = {name: make() for name, make in self._makers.items()}
                payload = pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL)
                view = memoryview(payload)
                while view:
                    view = view[os.write(write, view) :]
                code = 0
            except BaseException:  # the parent makes the files instead
                pass
            finally:
                os._exit(code)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> dict[str, bytes]:
        """Every file's bytes, by name: the child's, or (if it failed) made here."""
        if self._pid is not None and self._read is not None:
            made = self._collect(self._pid, self._read)
            self._pid = self._read = None
            if made is not None:
                return made
        return {name: make() for name, make in self._makers.items()}

    def cancel(self) -> None:
        """Stop the child, if one runs, and forget its work (the caller failed meanwhile)."""
        if self._pid is None or self._read is None:
            return
        import signal

        pid, read = self._pid, self._read
        self._pid = self._read = None
        os.close(read)
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ChildProcessError, ProcessLookupError):  # pragma: no cover - already gone
            pass

    def _collect(self, pid: int, read: int) -> dict[str, bytes] | None:
        import pickle

        chunks = []
        try:
            while True:
                chunk = os.read(read, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        except OSError:
            chunks = []
        finally:
            os.close(read)
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:  # pragma: no cover - reaped elsewhere
            status = 1
        if status != 0 or not chunks:
            return None
        try:
            made = pickle.loads(b"".join(chunks))
        except Exception:
            return None
        if not isinstance(made, dict) or list(made) != list(self._makers):
            return None
        if not all(isinstance(v, bytes) for v in made.values()):
            return None
        return made

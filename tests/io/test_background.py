"""Background: files made in a forked child, or here when that is not possible."""

from __future__ import annotations

import os

import pytest

from cityeval.io import background
from cityeval.io.background import Background, background_available


def test_the_bytes_are_made_in_order() -> None:
    job = Background({"a": lambda: b"1", "b": lambda: b"2" * 200_000})  # more than a pipe holds
    assert job.result() == {"a": b"1", "b": b"2" * 200_000}


@pytest.mark.skipif(not background_available(), reason="needs Linux and two cores")
def test_they_are_made_in_a_child() -> None:
    job = Background({"pid": lambda: str(os.getpid()).encode()})
    assert job.result()["pid"] != str(os.getpid()).encode()


def test_a_failing_child_leaves_the_work_to_the_parent() -> None:
    parent = os.getpid()

    def only_here() -> bytes:
        if os.getpid() != parent:
            raise RuntimeError("fails in the child")
        return b"made here"

    assert Background({"x": only_here}).result() == {"x": b"made here"}


def test_an_error_surfaces_in_the_parent() -> None:
    def broken() -> bytes:
        raise ValueError("bad input")

    job = Background({"x": broken})
    with pytest.raises(ValueError, match="bad input"):
        job.result()


def test_switched_off_or_single_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYEVAL_BACKGROUND", "0")
    assert not background_available()
    monkeypatch.setenv("CITYEVAL_BACKGROUND", "1")
    monkeypatch.setattr(background.os, "sched_getaffinity", lambda _pid: {0})
    assert not background_available()
    assert Background({"x": lambda: str(os.getpid()).encode()}).result() == {
        "x": str(os.getpid()).encode()
    }


def test_a_failed_fork_makes_the_files_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(background.os, "fork", no_fork)
    assert Background({"x": lambda: b"here"}).result() == {"x": b"here"}


def test_a_cancelled_child_is_reaped() -> None:
    import time

    job = Background({"slow": lambda: time.sleep(30) or b""})
    pid = job._pid
    started = time.perf_counter()
    job.cancel()
    assert time.perf_counter() - started < 5
    job.cancel()  # twice: nothing left to do
    if pid is not None:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped, not left behind

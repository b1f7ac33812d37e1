"""Every example in the tutorials and how-to guides runs, in order, in a fresh folder (Sybil).

What runs, per page:

- ```` ```sh ```` blocks: the whole block in ``bash -euo pipefail``; it must exit with 0, or with
  the status a first line ``# exits with N`` announces.
- ```` ```console ```` blocks: each ``$ `` command (with its ``\\`` continuation lines); a command
  whose shown output contains ``error:`` must fail with status 2, any other must succeed; every
  line of the output shown must be printed (``...`` stands for anything; tables are not
  compared, their width follows the terminal).
- ```` ```python ```` and ```` ```pycon ```` blocks: run in one namespace per page (``>>>``
  examples are doctests, compared with ``ELLIPSIS`` and ``NORMALIZE_WHITESPACE``).
- a file block (any of the languages above, ``python`` included), written as a MyST
  ``code-block`` directive with a ``:caption:`` naming the file (a caption ending in
  `` (continued)`` adds the block to the end of the file)
  (````{code-block} yaml```` + ``:caption: my-framework.yaml``): the file is written into the
  page's folder, so later commands can read it. Plain ```` ```yaml ```` blocks are only shown.
- ``% skip: next`` before a block leaves it out (used for steps that install cityeval itself,
  which the test environment already has).
- a page that runs ``pip install`` gets a virtual environment of its own, which sees the
  test environment's packages: what the page installs (a plugin) goes there, and the page's
  later commands and Python examples see it, while the test environment is left as it was.

Every page starts in a new temporary folder laid out like a developer's checkout (a copy of
``docs/examples/``, the files the pages refer to; ``docs/``; the shared data sets at
``../shared``, with COINr's ASEM tables ``iData.csv`` and ``iMeta.csv`` at hand), the current
directory while its examples run; the ``cityeval`` on ``PATH``
is the one of the interpreter running the tests.
"""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from sybil import Example, Sybil
from sybil.parsers.myst import CodeBlockParser, PythonCodeBlockParser, SkipParser

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent
SHARED = REPO.parent / "shared"
EXPECT = re.compile(r"^#\s*exits with (\d+)\s*$")
TIMEOUT = 600
CONTINUED = " (continued)"


def _env(namespace: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    bins = [str(Path(sys.executable).parent)]
    if "venv" in namespace:
        bins.insert(0, str(Path(namespace["venv"]) / "bin"))
    env["PATH"] = os.pathsep.join([*bins, env.get("PATH", "")])
    env.setdefault("CITYEVAL_LANG", "en")
    env["COLUMNS"] = "100"
    env["CITYEVAL_DOCS_SHARED"] = str(SHARED)
    return env


def _page_environment(namespace: dict[str, Any]) -> None:
    """A virtual environment of the page's own, for pages that ``pip install`` a package.

    It sees every package of the interpreter running the tests (a ``.pth`` adds its
    site-packages), so installing a plugin there installs only the plugin, and the test
    environment is left as it was. ``cityeval`` and ``python`` on the page's ``PATH`` are the
    page environment's.
    """
    import site
    import sysconfig

    if "venv" in namespace:
        return
    venv = Path(namespace["root"]) / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    outer = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (purelib / "_cityeval_docs_outer.pth").write_text(
        "".join(f"import site; site.addsitedir({p!r})\n" for p in outer), encoding="utf-8"
    )
    python = venv / "bin" / "python"
    (venv / "bin" / "pip").write_text(
        f'#!/bin/sh\nexec "{python}" -m pip "$@"\n', encoding="utf-8"
    )
    (venv / "bin" / "cityeval").write_text(
        f"#!{python}\nfrom cityeval.cli import main\n\nmain()\n", encoding="utf-8"
    )
    for script in ("pip", "cityeval"):
        (venv / "bin" / script).chmod(0o755)
    namespace["venv"] = str(venv)
    namespace["venv_site"] = str(purelib)


def _see_page_environment(namespace: dict[str, Any]) -> None:
    # Python examples later on the page run in this process: let them see what was installed.
    import site

    from cityeval.plugins.manager import reset_host

    before = list(sys.path)
    site.addsitedir(namespace["venv_site"])
    namespace.setdefault("_added_paths", []).extend(p for p in sys.path if p not in before)
    reset_host()


def _run(
    command: str,
    namespace: dict[str, Any],
    expected: int,
    where: str,
    shown: str = "",
    *,
    errexit: bool = True,
) -> None:
    installs = "pip install" in command
    if installs:
        _page_environment(namespace)
    # `$?` in a command is the status of the one before, as in the reader's terminal.
    previous = int(namespace.get("status", 0))
    script = command if errexit else f"(exit {previous})\n{command}"
    proc = subprocess.run(
        ["bash", "-uo", "pipefail", *(["-e"] if errexit else []), "-c", script],
        cwd=namespace["folder"],
        env=_env(namespace),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    namespace["status"] = proc.returncode
    if installs and proc.returncode == 0:
        _see_page_environment(namespace)
    if proc.returncode != expected:
        raise AssertionError(
            f"{where}: `{command}` exited with {proc.returncode}, expected {expected}\n"
            f"--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}"
        )
    missing = _missing_lines(shown, proc.stdout + "\n" + proc.stderr)
    if missing:
        raise AssertionError(
            f"{where}: `{command}` did not print what the page shows: {missing[0]!r}\n"
            f"--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}"
        )


_BOX = set("┏┓┗┛┃━┡┩╇┳┻│─└┘┌┐├┤┬┴┼╭╮╰╯█░")


def _squash(line: str) -> str:
    return " ".join(line.split())


def _missing_lines(shown: str, actual: str) -> list[str]:
    """Shown output lines that the command did not print (``...`` matches anything; tables,
    whose widths follow the terminal, are not compared; a line the terminal wrapped still
    matches, since spaces and line breaks count alike)."""
    printed = _squash(actual)
    missing = []
    for line in shown.splitlines():
        text = _squash(line)
        if not text or _BOX & set(text):
            continue
        pattern = re.compile(
            r"\s*".join(
                ".*".join(re.escape(part) for part in word.split("...")) for word in text.split()
            )
        )
        if not pattern.search(printed):
            missing.append(text)
    return missing


def _where(example: Example) -> str:
    return f"{Path(example.path).relative_to(DOCS)}:{example.line}"


def evaluate_sh(example: Example) -> None:
    source = str(example.parsed)
    first = source.lstrip().splitlines()[0] if source.strip() else ""
    match = EXPECT.match(first)
    _run(source, example.namespace, int(match.group(1)) if match else 0, _where(example))


def _console_commands(source: str) -> list[tuple[str, str]]:
    """``(command, shown output)`` pairs of a console block."""
    pairs: list[tuple[str, list[str]]] = []
    lines = source.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("$ "):
            command = [line[2:]]
            while command[-1].rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                command.append(lines[i])
            pairs.append(("\n".join(command), []))
        elif pairs:
            pairs[-1][1].append(line)
        i += 1
    return [(cmd, "\n".join(out)) for cmd, out in pairs]


def evaluate_console(example: Example) -> None:
    for command, shown in _console_commands(str(example.parsed)):
        expected = 2 if "error:" in shown else 0
        _run(command, example.namespace, expected, _where(example), shown, errexit=False)


def write_file(example: Example) -> None:
    options = example.region.lexemes.get("options") or {}
    name = options.get("caption")
    if not name:
        return  # shown, not written
    name = str(name)
    append = name.endswith(CONTINUED)
    target = Path(example.namespace["folder"]) / name.removesuffix(CONTINUED)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = str(example.parsed)
    if append:
        text = target.read_text(encoding="utf-8") + "\n\n" + text
    target.write_text(text, encoding="utf-8")


def _setup(namespace: dict[str, Any]) -> None:
    import shutil

    # A fresh folder laid out like a developer's checkout: the pages' example files
    # (docs/examples/) at hand, `docs/` itself, and the shared data sets at `../shared`.
    root = Path(tempfile.mkdtemp(prefix="cityeval-docs-"))
    folder = root / "cityeval"
    shutil.copytree(DOCS / "examples", folder)
    (folder / "docs").symlink_to(DOCS, target_is_directory=True)
    if SHARED.is_dir():
        (root / "shared").symlink_to(SHARED, target_is_directory=True)
        # COINr's ASEM tables, where the pages say a user exported them (beside the files).
        for table in ("iData.csv", "iMeta.csv"):
            if (SHARED / "datasets" / "asem" / table).is_file():
                (folder / table).symlink_to(SHARED / "datasets" / "asem" / table)
    namespace["root"] = str(root)
    namespace["folder"] = str(folder)
    namespace["_previous_cwd"] = os.getcwd()
    os.chdir(folder)


def _teardown(namespace: dict[str, Any]) -> None:
    import shutil

    os.chdir(namespace["_previous_cwd"])
    added = namespace.get("_added_paths")
    if added:
        from cityeval.plugins.manager import reset_host

        sys.path[:] = [p for p in sys.path if p not in added]
        reset_host()
    shutil.rmtree(namespace["root"], ignore_errors=True)


def _captioned(region: Any) -> bool:
    return bool((region.lexemes.get("options") or {}).get("caption"))


class _PythonParser(PythonCodeBlockParser):
    """``python`` blocks run, except those captioned with a file name: those are written."""

    def __call__(self, document: Any) -> Any:
        for region in super().__call__(document):
            if not _captioned(region):
                yield region


class _FileParser(CodeBlockParser):
    """Blocks captioned with a file name, written into the page's folder."""

    def __init__(self, language: str) -> None:
        super().__init__(language, write_file)

    def __call__(self, document: Any) -> Any:
        for region in super().__call__(document):
            if _captioned(region):
                yield region


class _PyconParser(PythonCodeBlockParser):
    """``pycon`` blocks, which hold ``>>>`` examples, run as doctests too."""

    def __init__(self, doctest_optionflags: int = 0) -> None:
        super().__init__(doctest_optionflags=doctest_optionflags)
        self.codeblock_parser = CodeBlockParser("pycon", self.codeblock_parser._evaluator)


_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE

SYBIL = Sybil(
    parsers=[
        SkipParser(),
        CodeBlockParser("sh", evaluate_sh),
        CodeBlockParser("console", evaluate_console),
        _PythonParser(doctest_optionflags=_FLAGS),
        _PyconParser(doctest_optionflags=_FLAGS),
        *(_FileParser(lang) for lang in ("yaml", "toml", "json", "text", "python")),
    ],
    patterns=["tutorials/*.md", "how-to/*.md"],
    setup=_setup,
    teardown=_teardown,
)
pytest_collect_file = SYBIL.pytest()

__all__ = ["SYBIL", "pytest_collect_file"]

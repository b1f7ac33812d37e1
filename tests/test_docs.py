"""The reference docs cannot fall behind the code: hooks and commands must all be documented.

These read the Markdown sources under ``docs/`` directly, so they run in milliseconds and do
not need Sphinx (in the manner of datasette's ``tests/test_docs.py``).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from cityeval.plugins import hookspecs, registry
from cityeval.plugins.manager import PluginHost, reset_host

DOCS = Path(__file__).resolve().parent.parent / "docs"
HOOKS_MD = DOCS / "reference" / "hooks.md"
CLI_MD = DOCS / "reference" / "cli.md"


def _annotation(annotation: object) -> str:
    # hookspecs uses ``from __future__ import annotations``: annotations are the source text.
    if isinstance(annotation, str):
        return annotation
    return getattr(annotation, "__name__", repr(annotation))


def written_signature(name: str, function: object) -> str:
    """``def NAME(registry: FrameworkRegistry) -> None``, as the hook is written in the code."""
    sig = inspect.signature(function)  # type: ignore[arg-type]
    params = []
    for p in sig.parameters.values():
        text = p.name
        if p.annotation is not inspect.Parameter.empty:
            text += f": {_annotation(p.annotation)}"
        params.append(text)
    result = ""
    if sig.return_annotation is not inspect.Signature.empty:
        result = f" -> {_annotation(sig.return_annotation)}"
    return f"def {name}({', '.join(params)}){result}"


def hook_specs() -> list[tuple[str, object]]:
    return [
        (name, fn)
        for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
        if name.startswith("cityeval_")
    ]


def test_there_are_hooks_to_check() -> None:
    assert len(hook_specs()) >= 3


@pytest.mark.parametrize(("name", "function"), hook_specs(), ids=[n for n, _ in hook_specs()])
def test_hook_signature_is_documented(name: str, function: object) -> None:
    signature = written_signature(name, function)
    assert signature in HOOKS_MD.read_text(encoding="utf-8"), (
        f"docs/reference/hooks.md must show the hook exactly as {signature!r}"
    )


def test_written_signature_format() -> None:
    assert (
        written_signature("cityeval_register_frameworks", hookspecs.cityeval_register_frameworks)
        == "def cityeval_register_frameworks(registry: FrameworkRegistry) -> None"
    )


REGISTRY_METHODS = [
    (registry.FrameworkRegistry, "add_framework"),
    (registry.MethodRegistry, "add_method"),
    (registry.CommandRegistry, "add_command"),
]


@pytest.mark.parametrize(("cls", "method"), REGISTRY_METHODS, ids=[m for _, m in REGISTRY_METHODS])
def test_registry_method_is_documented(cls: type, method: str) -> None:
    text = HOOKS_MD.read_text(encoding="utf-8")
    assert f"{cls.__name__}.{method}" in text or f"registry.{method}(" in text
    for param in inspect.signature(getattr(cls, method)).parameters:
        if param != "self":
            assert re.search(rf"\b{param}\b", text), f"hooks.md does not mention {method}({param})"


def test_every_method_kind_is_documented() -> None:
    text = HOOKS_MD.read_text(encoding="utf-8")
    for kind in registry.METHOD_KINDS:
        assert f"`{kind}`" in text, f"hooks.md does not list the method kind {kind!r}"


def _builtin_cli() -> Any:
    """The command tree without plugins' commands (an installed plugin must not fail this)."""
    from cityeval.cli.app import build_app

    old = reset_host(PluginHost(entry_points=False))
    try:
        return typer.main.get_command(build_app())
    finally:
        reset_host(old)


def _walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    # typer vendors its own click, so commands are recognised by shape, not by class.
    if hasattr(command, "commands"):
        for name, sub in sorted(command.commands.items()):
            yield from _walk(sub, (*path, name))
    else:
        yield " ".join(("cityeval", *path)), command


COMMANDS = list(_walk(_builtin_cli()))


def _sections(text: str) -> dict[str, str]:
    """Section text by heading, for headings like ``## `cityeval frameworks show` ``."""
    out: dict[str, str] = {}
    parts = re.split(r"^#{2,3} `([^`]+)`\s*$", text, flags=re.MULTILINE)
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        out[heading.strip()] = body
    return out


def test_the_expected_commands_exist() -> None:
    names = {name for name, _ in COMMANDS}
    assert {
        "cityeval plugins",
        "cityeval frameworks list",
        "cityeval frameworks show",
        "cityeval frameworks validate",
        "cityeval schema framework",
    } <= names


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_is_documented(name: str, command: Any) -> None:
    sections = _sections(CLI_MD.read_text(encoding="utf-8"))
    assert name in sections, f"docs/reference/cli.md needs a section headed ## `{name}`"
    body = sections[name]
    for param in command.params:
        if param.param_type_name == "option":
            flag = max(param.opts, key=len)
            assert flag in body, f"the section on `{name}` does not document {flag}"
        elif param.param_type_name == "argument":
            assert param.name is not None
            missing = f"the section on `{name}` does not name {param.name.upper()}"
            assert param.name.upper() in body, missing


METHODS_MD = DOCS / "reference" / "methods.md"


def _registered_methods() -> list[tuple[str, str]]:
    """Every method of every kind, as the built-in plugin registers them (no other plugins)."""
    host = PluginHost(entry_points=False)
    return [
        (kind, entry.name)
        for kind in registry.METHOD_KINDS
        for entry in host.methods.of_kind(kind)
    ]


def test_there_are_methods_to_check() -> None:
    kinds = {kind for kind, _ in _registered_methods()}
    assert kinds == set(registry.METHOD_KINDS)


@pytest.mark.parametrize(
    ("kind", "name"), _registered_methods(), ids=[f"{k}:{n}" for k, n in _registered_methods()]
)
def test_method_is_documented(kind: str, name: str) -> None:
    """Each method is a heading under its kind's section, or at least named in backticks."""
    text = METHODS_MD.read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.MULTILINE)
    section = next(
        (s for s in sections if s.lower().startswith(kind)), ""
    )  # "## Denominate", "## Impute", ...
    assert section, f"docs/reference/methods.md needs a section '## {kind.capitalize()}'"
    assert f"### `{name}`" in section or f"`{name}`" in section, (
        f"docs/reference/methods.md does not document the {kind} method {name!r} under "
        f"'## {kind.capitalize()}'"
    )

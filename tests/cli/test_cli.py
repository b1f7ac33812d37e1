"""The command line: outputs, exit codes, and no tracebacks for a user's mistakes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cityeval import __version__, get_framework, loads_framework
from cityeval.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version") == (0, f"cityeval {__version__}\n", "")


def test_frameworks_list_json_reads_no_framework_file(capsys: pytest.CaptureFixture[str]) -> None:
    from cityeval.plugins import PluginHost, reset_host

    host = PluginHost()
    previous = reset_host(host)
    try:
        code, out, _ = run(capsys, "frameworks", "list", "--format", "json")
    finally:
        reset_host(previous)
    assert code == 0
    rows = {row["id"]: row for row in json.loads(out)}
    assert rows["gerakan100"] == {
        "id": "gerakan100",
        "plugin": "gerakan100",
        "plugin_version": "0.1.0",
        "file": "gerakan100.yaml",
    }
    assert set(rows) == set(host.frameworks.keys())
    assert not any(e.loaded for e in host.frameworks.entries())


def test_frameworks_list_details(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "frameworks", "list", "--format", "json", "--details")
    assert code == 0
    rows = {row["id"]: row for row in json.loads(out)}
    assert rows["gerakan100"]["template"] is True
    assert rows["gerakan100"]["structure"] == "6 dimensions, 18 elements"
    assert rows["gerakan100-evaluation"]["template"] is False
    fw = get_framework("gerakan100-evaluation")
    assert rows["gerakan100-evaluation"]["name"] == fw.name.text("en")
    assert rows["gerakan100-evaluation"]["levels"] == list(fw.levels)


def test_frameworks_list_table_has_a_row_per_framework(capsys: pytest.CaptureFixture[str]) -> None:
    from cityeval.plugins import get_host

    code, out, _ = run(capsys, "frameworks", "list")
    assert code == 0
    rows = [
        [cell.strip() for cell in line.strip("│").split("│")]
        for line in out.splitlines()
        if line.startswith("│")
    ]
    expected = [[e.id, f"{e.plugin} 0.1.0", e.file] for e in get_host().frameworks.entries()]
    assert rows == expected


def test_show_json_has_the_file_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "frameworks", "show", "gerakan100", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [d["id"] for d in data["dimensions"]] == [
        "governance",
        "branding",
        "economy",
        "living",
        "society",
        "environment",
    ]
    assert all(len(d["children"]) == 3 for d in data["dimensions"])
    assert loads_framework(out, "json") == get_framework("gerakan100")


def test_show_yaml_round_trips(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "frameworks", "show", "gerakan100", "--format", "yaml")
    assert code == 0
    assert loads_framework(out, "yaml") == get_framework("gerakan100")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_show_tree_in_either_language(capsys: pytest.CaptureFixture[str], lang: str) -> None:
    code, out, _ = run(capsys, "frameworks", "show", "gerakan100", "--lang", lang)
    assert code == 0
    fw = get_framework("gerakan100")
    lines = out.splitlines()
    # one line per node, in tree order, each naming the node's label in that language
    node_lines = [line for line in lines if any(f" {n.id}" in line for n in fw.walk())]
    assert len(node_lines) >= sum(1 for _ in fw.walk())
    order = [
        next(i for i, line in enumerate(lines) if f"{fw.level(n.id)} {n.id}" in line)
        for n in fw.walk()
    ]
    assert order == sorted(order)
    for node in fw.walk():
        line = next(line for line in lines if f"{fw.level(node.id)} {node.id}" in line)
        assert node.label.text(lang) in line
    other = "en" if lang == "id" else "id"
    differ = [n for n in fw.walk() if n.label.text(other) not in n.label.text(lang)]
    assert differ  # the language matters for some labels: they are not in the other one
    for node in differ:
        line = next(line for line in lines if f"{fw.level(node.id)} {node.id}" in line)
        assert node.label.text(other) not in line


def test_control_characters_in_labels_are_shown_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from cityeval import Dimension, Framework, Indicator, Label, save_framework

    evil = "Red\x1b[31mALERT\x1b]0;pwned\x07\rover\u202e"
    fw = Framework(
        "evil",
        Label(en=evil),
        ("dimension", "indicator"),
        (Dimension("d", Label(en=evil), indicators=(Indicator("i", Label(en="I\nJ")),)),),
    )
    path = tmp_path / "evil.yaml"
    save_framework(fw, path)
    code, out, _ = run(capsys, "frameworks", "show", str(path))
    assert code == 0
    assert not any(c in out for c in "\x1b\x07\r\u202e")
    assert "Red\\x1b[31mALERT\\x1b]0;pwned\\x07\\rover\\u202e" in out
    assert "I\\nJ" in out


def test_unknown_framework_exits_2_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "frameworks", "show", "nope")
    assert code == 2
    assert err.startswith("error: unknown framework 'nope' (registered: ")
    assert "gerakan100" in err
    assert err.count("\n") == 1
    assert "Traceback" not in out + err


def test_validate_good_and_bad(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from cityeval import save_framework

    good = tmp_path / "g.yaml"
    save_framework(get_framework("gerakan100"), good)
    code, out, _ = run(capsys, "frameworks", "validate", str(good))
    assert (code, out) == (0, "g.yaml: valid template 'gerakan100' (6 dimensions, 18 elements)\n")

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        good.read_text(encoding="utf-8")
        .replace("weight: 1.0", "")
        .replace("- id: branding\n", "- id: branding\n  weight: -1\n"),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "frameworks", "validate", str(bad))
    assert code == 2
    assert err == "error: bad.yaml: dimensions[1].weight: must be >= 0, got -1\n"


def test_validate_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "frameworks", "validate", str(tmp_path / "none.yaml"))
    assert code == 2 and err.endswith("none.yaml: file not found\n")


def test_bad_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "frameworks", "show", "gerakan100", "--format", "xml")
    assert code == 2
    assert "error: invalid value for '--format': 'xml' is not one of" in err
    assert "Try 'cityeval frameworks show --help' for help." in err


def test_usage_errors_in_indonesian(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--lang", "id", "frameworks", "show", "gerakan100", "--nope")
    assert code == 2
    assert "Penggunaan: cityeval frameworks show" in err
    assert "error: tidak ada opsi --nope" in err


def test_schema_framework(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "framework")
    schema = json.loads(out)
    assert code == 0
    assert schema["title"] == "cityeval framework"
    assert "Dimension" in schema["$defs"]


def test_plugins_lists_versions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plugins", "--format", "json")
    data = json.loads(out)
    names = {p["name"]: p for p in data["plugins"]}
    assert code == 0
    assert names["gerakan100"]["version"] == "0.1.0"
    assert names["cityeval.builtin"]["ok"]


def test_plugins_table_shows_failures(
    capsys: pytest.CaptureFixture[str], host_with: object
) -> None:
    from cityeval import hookimpl

    class Broken:
        @hookimpl
        def cityeval_register_frameworks(self, registry: object) -> None:
            raise RuntimeError("boom")

    with pytest.warns(UserWarning, match="boom"):
        host_with(("broken", Broken())).load_all()  # type: ignore[operator]
    code, out, _ = run(capsys, "plugins")
    assert code == 0
    assert "failed" in out and "RuntimeError:" in out and "boom" in out


def test_console_script_runs(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "cityeval.cli", "frameworks", "show", "nope"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_safe_escapes_every_control_and_format_character() -> None:
    from cityeval.cli.console import safe

    assert safe("plain Ümlaut ok") == "plain Ümlaut ok"
    assert safe("a\x1b[2Jb\x00c\x7fd\x9be\u200bf\u2028") == (
        "a\\x1b[2Jb\\x00c\\x7fd\\x9be\\u200bf\\u2028"
    )
    import unicodedata

    for code in range(0x3000):
        shown = safe(chr(code))
        # what is left is printable, or a space (no-break spaces are harmless)
        assert all(c.isprintable() or unicodedata.category(c) == "Zs" for c in shown), code


def test_global_lang_is_read_before_the_app_is_built(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cityeval import i18n
    from cityeval.cli import app

    chosen: list[str | None] = []
    built: list[str] = []
    monkeypatch.setattr(i18n, "set_language", lambda lang: chosen.append(lang))
    real_build = app.build_app

    def build(*args: str | None) -> object:
        built.append(f"built after {chosen}")
        return real_build(*args)

    monkeypatch.setattr(app, "build_app", build)
    code, _, _ = run(capsys, "--lang", "id", "frameworks", "show", "gerakan100", "--lang", "en")
    assert code == 0
    assert built == ["built after ['id']"]  # the command's own --lang is the labels'
    assert app.prescan(["--lang=en", "--version"]) == ("en", True)
    assert app.prescan(["score", "--lang", "id"]) == (None, False)


def test_unknown_global_language_is_a_clean_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--lang", "fr", "frameworks", "list")
    assert (code, out) == (2, "")
    assert err == "error: unknown language 'fr' for --lang: use 'id' or 'en'\n"


def test_help_lists_every_registered_command_and_completion(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from cityeval.plugins import get_host

    code, out, _ = run(capsys, "--help")
    assert code == 0
    listed = {line.split()[0] for line in out.split("Commands:")[1].splitlines() if line.strip()}
    assert listed == {e.name for e in get_host().commands.entries()}
    assert "--install-completion" in out and "--show-completion" in out and "--lang" in out


def _modules_after(*args: str) -> tuple[set[str], str]:
    import subprocess
    import sys

    script = (
        "import sys, runpy; sys.argv = ['cityeval', *sys.argv[1:]]\n"
        "from cityeval.cli.app import run\n"
        "code = run(sys.argv[1:])\n"
        "import json; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, check=True
    )
    *printed, modules = result.stdout.strip().splitlines()
    return set(json.loads(modules)), "\n".join(printed)


def test_version_imports_nothing_heavy_and_reads_no_plugin() -> None:
    modules, printed = _modules_after("--version")
    assert printed == f"cityeval {__version__}"
    assert not modules & {"typer", "click", "rich", "numpy", "attr", "cattrs", "pluggy", "yaml"}
    assert not modules & {"cityeval_gerakan100", "cityeval_banyuasin"}


def test_frameworks_list_imports_no_numerics_and_no_yaml() -> None:
    modules, printed = _modules_after("frameworks", "list", "--format", "json")
    assert "gerakan100" in {row["id"] for row in json.loads(printed)}
    assert not modules & {"numpy", "cattrs", "yaml", "scipy", "pandas", "matplotlib"}


def test_a_plugin_command_that_cannot_be_imported_is_skipped_with_a_warning(
    capsys: pytest.CaptureFixture[str], host_with: object
) -> None:
    from cityeval import hookimpl

    class Dangling:
        @hookimpl
        def cityeval_register_commands(self, registry: object) -> None:
            registry.add_command("gone", "cityeval_no_such_module:app")  # type: ignore[attr-defined]

    host_with(("dangling", Dangling()))  # type: ignore[operator]
    with pytest.warns(UserWarning, match="command 'gone' of plugin 'dangling': cannot import"):
        code, out, _ = run(capsys, "--help")
    assert code == 0 and "gone" not in out


def test_a_run_builds_only_the_command_it_asks_for() -> None:
    from cityeval.cli.app import command_asked

    assert command_asked(["--lang", "id", "score", "--help"]) == "score"
    assert command_asked(["frameworks", "list"]) == "frameworks"
    assert command_asked(["--help"]) is None  # the root's help lists every command
    assert command_asked(["scor"]) is None  # a typo gets every command, for suggestions
    modules, _ = _modules_after("schema", "--help")
    assert "cityeval" in modules
    import subprocess
    import sys

    script = (
        "import sys\nfrom cityeval.cli.app import run\nrun(['schema', '--help'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('cityeval.cli.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    loaded = out.strip().splitlines()[-1]
    assert "cityeval.cli.schema" in loaded and "cityeval.cli.score" not in loaded

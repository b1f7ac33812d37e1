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


def test_frameworks_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "frameworks", "list", "--format", "json")
    assert code == 0
    rows = {row["id"]: row for row in json.loads(out)}
    assert rows["gerakan100"]["template"] is True
    assert rows["gerakan100"]["plugin"] == "gerakan100"


def test_frameworks_list_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "frameworks", "list")
    assert code == 0 and "gerakan100" in out


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


@pytest.mark.parametrize(("lang", "expected"), [("id", "Ekosistem Belajar"), ("en", "Learning")])
def test_show_tree_in_either_language(
    capsys: pytest.CaptureFixture[str], lang: str, expected: str
) -> None:
    code, out, _ = run(capsys, "frameworks", "show", "gerakan100", "--lang", lang)
    assert code == 0 and expected in out


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
    assert code == 2 and "Invalid value for '--format'" in err


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
        host_with(("broken", Broken()))  # type: ignore[operator]
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

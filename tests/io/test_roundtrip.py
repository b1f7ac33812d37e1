"""Saving then loading gives an equal framework, in every format."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given

from cityeval import (
    Framework,
    dumps_framework,
    framework_to_dict,
    load_framework,
    loads_framework,
    save_framework,
)
from cityeval.io.schema import framework_schema
from cityeval.testing import strategies as cst

FORMATS = ["yaml", "json", "toml"]


@pytest.mark.parametrize("fmt", FORMATS)
@given(fw=cst.frameworks(template=None))
def test_dump_then_load_is_identity(fmt: str, fw: Framework) -> None:
    assert loads_framework(dumps_framework(fw, fmt), fmt) == fw  # type: ignore[arg-type]


@given(fw=cst.frameworks(template=None))
def test_files_validate_against_the_json_schema(fw: Framework) -> None:
    jsonschema.validate(framework_to_dict(fw), framework_schema())


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(framework_schema())


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json", ".toml"])
def test_save_and_load_files(tmp_path: Path, suffix: str) -> None:
    from cityeval import get_framework

    fw = get_framework("gerakan100")
    path = tmp_path / f"g{suffix}"
    save_framework(fw, path)
    assert load_framework(path) == fw
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file was renamed into place


def test_defaults_are_omitted_from_files() -> None:
    from cityeval import Dimension, Indicator, Label

    fw = Framework(
        "f",
        Label(en="F"),
        ("d", "i"),
        (Dimension("x", Label(en="X"), indicators=(Indicator("a", Label(en="A")),)),),
    )
    assert json.loads(dumps_framework(fw, "json")) == {
        "id": "f",
        "name": {"en": "F"},
        "levels": ["d", "i"],
        "dimensions": [
            {"id": "x", "label": {"en": "X"}, "indicators": [{"id": "a", "label": {"en": "A"}}]}
        ],
    }


def test_failed_save_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cityeval import get_framework
    from cityeval.io import documents

    path = tmp_path / "g.yaml"
    path.write_text("old content\n", encoding="utf-8")

    def boom(src: str, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(documents.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        save_framework(get_framework("gerakan100"), path)
    assert path.read_text(encoding="utf-8") == "old content\n"
    assert not list(tmp_path.glob(".*.tmp"))

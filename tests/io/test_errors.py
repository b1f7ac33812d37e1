"""Every class of malformed framework file gets one pinned, located message."""

from __future__ import annotations

from pathlib import Path

import pytest

from cityeval import InputError, load_framework

GOOD = """\
id: demo
name: {id: Contoh, en: Demo}
levels: [dimension, element, indicator]
dimensions:
  - id: governance
    label: Smart Governance
    children:
      - id: service
        label: {id: Pelayanan Publik, en: Public service}
        indicators:
          - id: permits
            label: Permits issued online
            unit: "%"
            scale: {kind: percentage}
          - id: waiting
            label: Waiting time
            direction: lower
  - id: environment
    label: Smart Environment
    children:
      - id: waste
        label: Waste
        indicators:
          - id: recycled
            label: Waste recycled
"""


def write(tmp_path: Path, text: str, name: str = "demo.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def message(tmp_path: Path, text: str, name: str = "demo.yaml") -> str:
    with pytest.raises(InputError) as exc:
        load_framework(write(tmp_path, text, name))
    return str(exc.value)


def test_the_good_file_loads(tmp_path: Path) -> None:
    fw = load_framework(write(tmp_path, GOOD))
    assert [i.id for i in fw.indicators()] == ["permits", "waiting", "recycled"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "            direction: lower",
            "            direction: lower\n            weight: tiga",
            "demo.yaml: dimensions[0].children[0].indicators[1].weight: "
            "expected a number, got 'tiga'",
            id="wrong-type",
        ),
        pytest.param(
            "          - id: recycled\n            label: Waste recycled",
            "          - id: recycled",
            "demo.yaml: dimensions[1].children[0].indicators[0].label: required field is missing",
            id="missing-field",
        ),
        pytest.param(
            "            direction: lower",
            "            direction: lower\n            colour: red",
            "demo.yaml: dimensions[0].children[0].indicators[1].colour: unknown field (expected "
            "one of: id, label, unit, direction, scale, bounds, goalposts, target, weight, "
            "denominator, unbounded, description, data_source, level, sources, note)",
            id="unknown-field",
        ),
        pytest.param(
            "      - id: waste",
            "      - id: service",
            "demo.yaml: dimensions[1].children[0].id: duplicate id 'service' "
            "(first used at dimensions[0].children[0].id)",
            id="duplicate-id",
        ),
        pytest.param(
            "      - id: waste\n        label: Waste",
            "      - id: waste\n        label: Waste\n        weight: -1",
            "demo.yaml: dimensions[1].children[0].weight: must be >= 0, got -1",
            id="bad-weight",
        ),
        pytest.param(
            "      - id: waste\n        label: Waste",
            "      - id: waste\n        label: Waste\n        level: elemen",
            "demo.yaml: dimensions[1].children[0].level: unknown level 'elemen' "
            "(levels are: dimension, element, indicator)",
            id="unknown-level",
        ),
        pytest.param(
            "            direction: lower",
            "            direction: down",
            "demo.yaml: dimensions[0].children[0].indicators[1].direction: expected one of "
            "'higher', 'lower', got 'down'",
            id="bad-enum",
        ),
        pytest.param(
            "levels: [dimension, element, indicator]",
            "levels: dimension",
            "demo.yaml: levels: expected a list, got 'dimension'",
            id="string-for-list",
        ),
        pytest.param(
            "            scale: {kind: percentage}",
            "            scale: {kind: ordinal, levels: [{value: 1, label: Rintisan}]}",
            "demo.yaml: dimensions[0].children[0].indicators[0].scale.levels: an ordinal scale "
            "needs at least two levels, got 1",
            id="ordinal-one-level",
        ),
    ],
)
def test_pinned_messages(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in GOOD
    assert message(tmp_path, GOOD.replace(old, new)) == expected


def test_several_problems_are_all_reported(tmp_path: Path) -> None:
    text = GOOD.replace("direction: lower", "direction: lower\n            weight: -2").replace(
        "label: Waste recycled", "label: Waste recycled\n            unit: [kg]"
    )
    assert message(tmp_path, text).splitlines() == [
        "demo.yaml: dimensions[0].children[0].indicators[1].weight: must be >= 0, got -2",
        "demo.yaml: dimensions[1].children[0].indicators[0].unit: expected text, got a list",
    ]


def test_empty_file(tmp_path: Path) -> None:
    assert message(tmp_path, "") == "demo.yaml: the file is empty"
    assert message(tmp_path, "  \n# only a comment\n") == "demo.yaml: the file is empty"
    assert message(tmp_path, "", "demo.json") == "demo.json: the file is empty"


def test_not_yaml(tmp_path: Path) -> None:
    assert message(tmp_path, "id: [unclosed\n") == (
        "demo.yaml: line 2, column 1: not valid YAML: did not find expected ',' or ']' "
        "(while parsing a flow sequence)"
    )


def test_not_json(tmp_path: Path) -> None:
    assert message(tmp_path, "{'id': 1}", "demo.json") == (
        "demo.json: line 1, column 2: not valid JSON: "
        "Expecting property name enclosed in double quotes"
    )


def test_not_toml(tmp_path: Path) -> None:
    assert message(tmp_path, "id = \n", "demo.toml") == (
        "demo.toml: line 1, column 6: not valid TOML: Invalid value"
    )


def test_not_a_document_at_all(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    with pytest.raises(
        InputError,
        match=r"^demo\.yaml: not a text file \(it is not UTF-8; the first bad byte is on line 1\)",
    ):
        load_framework(path)


def test_unknown_suffix(tmp_path: Path) -> None:
    assert message(tmp_path, GOOD, "demo.txt") == (
        "demo.txt: unknown file format ('.txt'); use .yaml, .yml, .json or .toml"
    )


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    assert message(tmp_path, "- a\n- b\n") == "demo.yaml: expected a mapping, got a list"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.yaml: file not found"):
        load_framework(tmp_path / "nope.yaml")


def test_errors_are_not_tracebacks_from_inside(tmp_path: Path) -> None:
    """The error chain is cut: users see our message, not cattrs' exception group."""
    with pytest.raises(InputError) as exc:
        load_framework(write(tmp_path, GOOD.replace("direction: lower", "direction: 3")))
    assert exc.value.__cause__ is None
    assert exc.value.__suppress_context__

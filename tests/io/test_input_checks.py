"""Regression tests for every input example of issue 11: each gets the library's own error."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cityeval.cli import main
from cityeval.data.cells import parse_number
from cityeval.engine import score
from cityeval.errors import InputError
from cityeval.io.coinr import read_coinr
from cityeval.io.documents import load_text, read_document
from cityeval.io.frameworks import loads_framework
from cityeval.io.limits import MAX_DEPTH, read_bytes, text_depth
from cityeval.io.pipelines import loads_pipeline
from cityeval.masterplan.files import loads_masterplan, round_from_dict
from cityeval.uncertainty.spec import loads_spec
from tests.fuzz import samples

# -- documents: depth, size, aliases, parser messages ---------------------------------------

DEEP = {
    "yaml": "a: " + "[" * 5000 + "]" * 5000,
    "json": "[" * 100_000 + "]" * 100_000,
    "toml": "a = " + "[" * 5000 + "]" * 5000,
}


@pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
def test_deep_nesting_is_refused_before_parsing(fmt: str) -> None:
    with pytest.raises(InputError, match=rf"^deep\.{fmt}: line 1: mappings and lists nest deeper"):
        load_text(DEEP[fmt], fmt, f"deep.{fmt}")  # type: ignore[arg-type]


def test_deep_block_yaml_and_dotted_toml_keys_are_refused() -> None:
    block = "".join(" " * k + "a:\n" for k in range(200))
    with pytest.raises(InputError, match="nest deeper than 64"):
        load_text(block, "yaml", "f.yaml")
    with pytest.raises(InputError, match="nest deeper than 64"):
        load_text("- " * 200 + "x", "yaml", "f.yaml")
    start = time.perf_counter()
    with pytest.raises(InputError, match="nest deeper than 64"):
        load_text(".".join(["k"] * 30_000) + " = 1", "toml", "f.toml")
    assert time.perf_counter() - start < 5  # refused, not parsed (tomllib's memory is quadratic)


def test_the_depth_estimate_never_falls_below_the_true_depth() -> None:
    import json

    for depth in (1, 5, 30, 64):
        data: object = 1
        for _ in range(depth):
            data = {"a": [data]}
        text = json.dumps(data)
        assert text_depth(text, "json")[0] >= 2 * depth
        assert load_text(text, "json", "f.json") if 2 * depth <= MAX_DEPTH else True


def test_a_billion_laughs_and_a_self_alias_are_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 10)}]" for k in range(1, 12)]
    with pytest.raises(InputError, match="more than 2000000 values"):
        load_text("\n".join(lines), "yaml", "lol.yaml")
    with pytest.raises(InputError, match="refers to the mapping or list that holds it"):
        load_text("a: &a [1, *a]", "yaml", "loop.yaml")


def test_huge_integers_are_the_librarys_error() -> None:
    for fmt, text in (("json", "[" + "1" * 5000 + "]"), ("yaml", "a: " + "1" * 5000)):
        with pytest.raises(InputError, match="a number with more than 4300 digits"):
            load_text(text, fmt, "f")  # type: ignore[arg-type]


def test_files_over_the_size_limit_are_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: 1\n" * 100)
    with pytest.raises(InputError, match=r"the file is too large \(500 bytes; the limit is 100"):
        read_bytes(path, 100)
    assert read_document(path) == {"a": 1}


@pytest.mark.parametrize(
    ("fmt", "text", "expected"),
    [
        ("yaml", "a: [1, 2\nb: 3\n", "f: line 2, column 2: not valid YAML: "),
        ("yaml", "a: b: c\n", "f: line 1, column 5: not valid YAML: mapping values"),
        ("json", '{"a": }', "f: line 1, column 7: not valid JSON: Expecting value"),
        ("toml", "a = \n", "f: line 1, column 5: not valid TOML: Invalid value"),
    ],
)
def test_parser_errors_read_file_line_column_problem(fmt: str, text: str, expected: str) -> None:
    with pytest.raises(InputError) as info:
        load_text(text, fmt, "f")  # type: ignore[arg-type]
    assert str(info.value).startswith(expected)
    assert "<unicode string>" not in str(info.value)


def test_deep_nesting_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(DEEP["yaml"])
    assert main(["frameworks", "validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: deep.yaml: line 1: mappings and lists nest deeper")
    assert "Traceback" not in err


# -- framework files ------------------------------------------------------------------------

FRAMEWORK = """\
id: fw
name: A framework
levels: [dimension, indicator]
dimensions:
  - id: d
    label: D
    indicators:
      - {id: a, label: A}
"""


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ("id: fw", "id: 12", "id: expected text, got 12"),
        ("- id: d", "- id: 3.5", "dimensions[0].id: expected text, got 3.5"),
        (
            "label: D",
            "label: 5",
            "dimensions[0].label: expected text for a label, got the number 5",
        ),
        ("{id: a, label: A}", "{id: a, label: {en: 7}}", "indicators[0].label: expected text"),
    ],
)
def test_numbers_where_ids_or_labels_belong_are_refused(old: str, new: str, where: str) -> None:
    with pytest.raises(InputError, match=r"^fw\.yaml: ") as info:
        loads_framework(FRAMEWORK.replace(old, new), source="fw.yaml")
    assert where in str(info.value)


# -- pipeline parameters ---------------------------------------------------------------------


def _pipeline(step: str) -> str:
    steps = {
        "treat": "  - {step: treat, method: coinr, params: PARAMS}\n",
        "normalise": "  - {step: normalise, method: minmax, params: PARAMS}\n",
        "aggregate": "  - {step: aggregate, method: power_mean, params: PARAMS}\n",
    }
    text = "steps:\n" + steps.get("treat" if step == "treat" else "", "")
    text += (
        steps["normalise"] if step == "normalise" else "  - {step: normalise, method: minmax}\n"
    )
    text += (
        steps["aggregate"]
        if step == "aggregate"
        else "  - {step: aggregate, method: arithmetic}\n"
    )
    return text


@pytest.mark.parametrize(
    ("step", "params", "message"),
    [
        (
            "normalise",
            "{lower: 100, upper: 0}",
            "steps[0].params.upper: must be greater than lower (100); are the bounds swapped?",
        ),
        ("normalise", "{lower: a}", "steps[0].params.lower: expected a number, got 'a'"),
        (
            "normalise",
            "{lower: [1, 2, 3, 4, 5]}",
            "steps[0].params.lower: a list of 5 values, but the step applies it to 3 indicators",
        ),
        (
            "normalise",
            "{lower: [[1]]}",
            "steps[0].params.lower: expected a number or a flat list of numbers",
        ),
        ("treat", "{winmax: x}", "steps[0].params.winmax: expected a whole number, got 'x'"),
        (
            "treat",
            "{winmax: 1000000000000000000000000000000}",
            "steps[0].params.winmax: 1000000000000000000000000000000 is too large",
        ),
        ("treat", "{winmax: -1}", "steps[0].params.winmax: must lie in [0, 1e+09], got -1"),
        (
            "treat",
            "{skew_threshold: [1, 2]}",
            "steps[0].params.skew_threshold: expected a number, got a list",
        ),
        (
            "treat",
            "{log_transform: 3}",
            "steps[0].params.log_transform: expected true or false, got 3",
        ),
        ("aggregate", "{p: x}", "steps[1].params.p: expected a number, got 'x'"),
        ("aggregate", "{p: 1.0e+308}", "steps[1].params.p: 1e+308 is too large"),
    ],
)
def test_pipeline_parameters_of_the_wrong_type_size_or_range(
    step: str, params: str, message: str
) -> None:
    fw = loads_framework(
        FRAMEWORK.replace(
            "- {id: a, label: A}",
            "- {id: a, label: A}\n      - {id: b, label: B}\n      - {id: c, label: C}",
        ),
        source="fw.yaml",
    )
    from cityeval.data import from_mapping

    data = from_mapping(
        {"unit": ["u1", "u2", "u3"], "a": [1, 2, 3], "b": [3, 1, 2], "c": [2, 3, 1]}
    )
    pipeline = loads_pipeline(_pipeline(step).replace("PARAMS", params), source="p.yaml")
    with pytest.raises(InputError) as info:
        score(fw, data, pipeline, source="p.yaml")
    assert f"p.yaml: {message}" in str(info.value)


# -- uncertainty specifications ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("draws: 1000000000000", "draws: must be at most 1000000, got 1000000000000"),
        ("draws: 10\nseed: -1", "seed: must be a whole number from 0 to 2**63 - 1, got -1"),
        ("draws: 10\nresamples: 1000000000", "resamples: must be at most 100000"),
        (
            "draws: 10\nfactors: {w: {step: weight, level: 100000000, noise: 0.1}}",
            "factors.w.level: must be at most 1000, got 100000000",
        ),
        (
            "draws: 10\nfactors: {t: {step: treat, param: winmax, range: [0, 10000000000]}}",
            "factors.t.range[1]: 10000000000 is too large",
        ),
        (
            "draws: 10\nfactors:\n"
            + "".join(f"  f{k}: {{step: weight, level: 2, noise: 0.1}}\n" for k in range(101)),
            "factors: at most 100 factors, got 101",
        ),
        (
            "draws: 524288\nmethod: sobol\nfactors:\n"
            + "".join(f"  f{k}: {{step: weight, level: 2, noise: 0.1}}\n" for k in range(20)),
            "draws: 524288 draws with 20 factors need 11534336 engine runs; the limit is 10000000",
        ),
    ],
)
def test_uncertainty_specs_beyond_the_limits(text: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        loads_spec(text, source="spec.yaml")
    assert f"spec.yaml: {message}" in str(info.value)


# -- masterplan rounds ---------------------------------------------------------------------


def test_a_realised_percentage_above_100_is_refused() -> None:
    mp = loads_masterplan(samples.MASTERPLAN_YAML, source="masterplan.yaml")
    percent = [
        (prog.id, ind.id) for prog in mp.programmes for ind in prog.indicators if ind.unit == "%"
    ]
    assert percent, "the sample masterplan has indicators measured in %"
    prog, ind = percent[0]
    data = load_text(samples.ROUND_YAML, "yaml", "round.yaml")
    data["entries"] = [
        e for e in data["entries"] if (e["programme"], e["indicator"]) != (prog, ind)
    ] + [{"programme": prog, "indicator": ind, "status": "completed", "realised": 150}]
    with pytest.raises(InputError) as info:
        round_from_dict(data, "round.yaml", masterplan=mp)
    n = len(data["entries"]) - 1
    assert (
        f"round.yaml: entries[{n}].realised: 150 lies outside the percentage scale [0, 100]"
        in str(info.value)
    )


# -- text typed as numbers -------------------------------------------------------------------


def test_dot_grouped_thousands_typed_as_text() -> None:
    _value, problem = parse_number("1.250", typed_text=True)
    assert problem is not None and "ambiguous" in problem and "1250" in problem
    assert parse_number("1.250")[0] == 1.25  # in a CSV the dot is the decimal separator
    assert "thousands separators" in (parse_number("1.250.000")[1] or "")
    assert "thousands separators" in (parse_number("1.250.000", typed_text=True)[1] or "")
    assert parse_number("1,5", typed_text=True) == (1.5, None)
    assert parse_number("0.125", typed_text=True) == (0.125, None)


# -- COINr tables --------------------------------------------------------------------------


def _coinr(tmp_path: Path, idata: str = samples.IDATA_CSV, imeta: str = samples.IMETA_CSV) -> str:
    (tmp_path / "iData.csv").write_text(idata)
    (tmp_path / "iMeta.csv").write_text(imeta)
    with pytest.raises(InputError) as info:
        read_coinr(tmp_path / "iData.csv", tmp_path / "iMeta.csv")
    return str(info.value)


def test_coinr_ragged_truncated_and_extra_cells(tmp_path: Path) -> None:
    lines = samples.IDATA_CSV.splitlines()
    lines[2] = lines[2].rsplit(",", 2)[0]
    lines[3] += ",9,9"
    assert _coinr(tmp_path, idata="\n".join(lines) + "\n").splitlines() == [
        "iData.csv: row 3: expected 8 cells, got 6 (a truncated row)",
        "iData.csv: row 4: expected 8 cells, got 10 (extra cells)",
    ]


def test_coinr_duplicate_headers(tmp_path: Path) -> None:
    imeta = samples.IMETA_CSV.replace("Unit,Target", "Unit,Unit", 1)
    assert (
        _coinr(tmp_path, imeta=imeta)
        == "iMeta.csv: column 7: duplicate column 'Unit' (first at column 6)"
    )


def test_coinr_non_finite_weight_and_unparsable_target(tmp_path: Path) -> None:
    imeta = samples.IMETA_CSV.replace(
        "1,LPI,Logistics,1,1,Score,4.1", "1,LPI,Logistics,1,inf,Score,tinggi"
    )
    assert _coinr(tmp_path, imeta=imeta).splitlines() == [
        "iMeta.csv: row 2, column 'Weight': expected a finite number, got 'inf'",
        "iMeta.csv: row 2, column 'Target': expected a number, got 'tinggi'",
    ]


def test_coinr_level_1e8_is_refused_at_once(tmp_path: Path) -> None:
    imeta = samples.IMETA_CSV.replace("3,Index,Index", "1e8,Index,Index")
    start = time.perf_counter()
    message = _coinr(tmp_path, imeta=imeta)
    assert time.perf_counter() - start < 2
    assert (
        "iMeta.csv: row 7, column 'Level': expected a level 1, 2, ... (at most 1000), got '1e8'"
        in message
    )


def test_coinr_levels_must_be_consecutive(tmp_path: Path) -> None:
    imeta = samples.IMETA_CSV.replace("3,Index,Index", "4,Index,Index")
    message = _coinr(tmp_path, imeta=imeta)
    assert "iMeta.csv: column 'Level': levels skip 3" in message


def test_coinr_codes_and_units(tmp_path: Path) -> None:
    imeta = samples.IMETA_CSV.replace("1,CO2,", "1,2CO,").replace(",CO2\n", ",2CO\n")
    assert "row 4, column 'iCode': '2CO' begins with a number" in _coinr(
        tmp_path, imeta=imeta, idata=samples.IDATA_CSV.replace(",CO2\n", ",2CO\n")
    )
    idata = samples.IDATA_CSV.replace("Belgium,BEL", "Belgium,AUT").replace(
        "Bulgaria,BGR,S,2018,7025.0,2.80", "Bulgaria,B G,S,2018,7025.0,tiga"
    )
    assert _coinr(tmp_path, idata=idata).splitlines() == [
        "iData.csv: row 4, column 'uCode': 'B G' contains a space, which COINr does not allow",
        "iData.csv: row 4, column 'LPI': expected a number, got 'tiga'",
        "iData.csv: row 3, column 'uCode': duplicate unit code 'AUT' (first at row 2)",
    ]


def test_a_number_as_a_method_name_is_refused() -> None:
    text = "steps:\n  - {step: normalise, method: 1}\n  - {step: aggregate, method: arithmetic}\n"
    with pytest.raises(InputError, match=r"^p\.yaml: steps\[0\]\.method: expected text, got 1$"):
        loads_pipeline(text, source="p.yaml")


def test_a_masterplan_naming_an_impossible_framework_path() -> None:
    """Found by the fuzz suite: a 300-digit framework reference raised OSError."""
    text = samples.MASTERPLAN_YAML.replace(
        "framework: banyuasin", "framework: '" + "1" * 300 + "'"
    )
    with pytest.raises(InputError, match=r"^masterplan\.yaml: framework: unknown framework"):
        loads_masterplan(text, source="masterplan.yaml")
    missing = samples.MASTERPLAN_YAML.replace("framework: banyuasin", "framework: nowhere.yaml")
    with pytest.raises(InputError, match=r"^masterplan\.yaml: framework: nowhere\.yaml: file"):
        loads_masterplan(missing, source="masterplan.yaml")

"""Every value read for an indicator is checked against its scale and bounds (issue 11)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cityeval.data import Dataset, check_value, from_mapping, parse_csv, rule_for_indicator
from cityeval.data.checks import ValueRule, value_problems
from cityeval.engine import score
from cityeval.errors import InputError, ModelError
from cityeval.io.frameworks import loads_framework
from cityeval.model import Bounds, Indicator, Label, Scale, ScaleKind
from tests.fuzz.samples import DATA_CSV, SCALES_YAML

FW = loads_framework(SCALES_YAML, source="scales.yaml")
HEADER = "unit,name,group:province,denominator:Area,pct,lvl,done,km,free,pop\n"


def messages(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_csv(text, source="data.csv", framework=FW)
    return str(info.value).splitlines()


def test_the_sample_data_pass() -> None:
    ds = parse_csv(DATA_CSV, source="data.csv", framework=FW)
    assert ds.n_units == 4


def test_a_percentage_of_150_is_refused_with_row_unit_and_column() -> None:
    text = HEADER + "u1,,,1,50,1,1,1,,1\nu2,,,1,150,1,1,1,,1\n"
    assert messages(text) == [
        "data.csv: row 3 (u2), column 'pct': 150 lies outside the percentage scale [0, 100]"
    ]


def test_a_value_outside_the_bounds_is_refused() -> None:
    text = HEADER + "u1,,,1,50,1,1,-3,,1\n"
    assert messages(text) == [
        "data.csv: row 2 (u1), column 'km': -3 lies outside the bounds [0, 60]"
    ]


def test_an_ordinal_value_that_is_no_level_is_refused() -> None:
    text = HEADER + "u1,,,1,50,9,1,1,,1\nu2,,,1,50,2.5,1,1,,1\n"
    assert messages(text) == [
        "data.csv: row 2 (u1), column 'lvl': 9 is not one of the levels of the ordinal scale "
        "(1, 2, 3)",
        "data.csv: row 3 (u2), column 'lvl': 2.5 is not one of the levels of the ordinal scale "
        "(1, 2, 3)",
    ]


def test_a_binary_value_other_than_0_or_1_is_refused() -> None:
    text = HEADER + "u1,,,1,50,1,0.5,1,,1\n"
    assert messages(text) == [
        "data.csv: row 2 (u1), column 'done': 0.5 is not one of the levels of the binary scale "
        "(0, 1)"
    ]


def test_every_problem_of_the_file_in_one_run_in_reading_order() -> None:
    text = HEADER + "u1,,,1,101,4,2,61,,1\nu2,,,1,tiga,1,1,1,,1\nu3,,,1,-0.5,1,1,1,,1\n"
    found = messages(text)
    assert [m.split(": ")[1] for m in found] == [
        "row 2 (u1), column 'pct'",
        "row 2 (u1), column 'lvl'",
        "row 2 (u1), column 'done'",
        "row 2 (u1), column 'km'",
        "row 3, column 'pct'",
        "row 4 (u3), column 'pct'",
    ]


def test_unbounded_and_denominated_indicators_are_not_checked() -> None:
    text = HEADER + "u1,,,1,50,1,1,1,250,-7\nu2,,,1,50,1,1,1,-1e6,1e9\n"
    ds = parse_csv(text, source="data.csv", framework=FW)
    assert ds.column("free").tolist() == [250.0, -1e6]


def test_missing_values_are_never_refused() -> None:
    text = HEADER + "u1,,,1,,,,,,\n"
    assert np.isnan(parse_csv(text, source="data.csv", framework=FW).values).all()


def test_mappings_and_scored_datasets_are_checked_too() -> None:
    columns = {
        "unit": ["a", "b"],
        "denominator:Area": [1.0, 1.0],
        "pct": [50, 150],
        "lvl": [1, 2],
        "done": [1, 0],
        "km": [1, 2],
        "free": [1, 2],
        "pop": [1, 2],
    }
    with pytest.raises(InputError, match=r"^m: index 1 \(b\), column 'pct': 150 lies outside"):
        from_mapping(columns, source="m", framework=FW)
    ds = from_mapping(columns, source="m")  # no framework: nothing to check against
    with pytest.raises(
        InputError, match=r"^m: unit 'b', column 'pct': 150 lies outside the percentage scale"
    ):
        score(FW, ds)


def test_panel_values_are_located_by_unit_and_time() -> None:
    fw = FW
    ids = tuple(i.id for i in fw.indicators())
    values = np.ones((2, 1, len(ids)))
    values[1, 0, ids.index("pct")] = 200
    ds = Dataset(("a",), ids, values, times=(2018, 2019), denominators={"Area": [[1.0], [1.0]]})
    with pytest.raises(InputError, match=r"unit 'a' at 2019, column 'pct': 200 lies outside"):
        ds.check_against(fw)


def test_unbounded_with_bounds_is_a_contradiction() -> None:
    with pytest.raises(ModelError, match="unbounded"):
        Indicator(id="x", label=Label(en="x"), bounds=Bounds(0, 1), unbounded=True)


def test_check_value_for_other_readers() -> None:
    ind = Indicator(id="x", label=Label(en="x"), scale=Scale(ScaleKind.PERCENTAGE))
    rule = rule_for_indicator(ind)
    assert check_value(150.0, rule) == "150 lies outside the percentage scale [0, 100]"
    assert check_value(99.5, rule) is None
    assert check_value(float("nan"), rule) is None
    assert check_value(1e9, None) is None
    ratio = Indicator(id="y", label=Label(en="y"))
    assert rule_for_indicator(ratio) is None


@given(
    st.lists(st.floats(allow_nan=True, allow_infinity=False, width=64), min_size=1, max_size=30),
    st.floats(-100, 100),
    st.floats(0.01, 100),
)
def test_vectorised_checks_agree_with_the_cell_by_cell_rule(
    values: list[float], lower: float, width: float
) -> None:
    """The fast path (``breaks`` on a column) finds exactly the cells the plain rule refuses."""
    rule = ValueRule.interval(lower, lower + width, "the bounds")
    levels = ValueRule.one_of([1.0, 2.0, 3.0], "the ordinal scale")
    table = np.array([values, values]).T
    found = value_problems(
        table, [rule, levels], [f"row {k}" for k in range(len(values))], ["a", "b"]
    )
    expected = [
        f"row {k}, column {c!r}"
        for k, v in enumerate(values)
        for c, r in (("a", rule), ("b", levels))
        if r.problem(v) is not None
    ]
    assert [p.path[0] for p in found] == expected


def test_dataframes_are_checked_against_the_framework() -> None:
    pd = pytest.importorskip("pandas")
    from cityeval.data import from_pandas

    frame = pd.DataFrame(
        {
            "unit": ["a", "b"],
            "denominator:Area": [1.0, 1.0],
            "pct": [50.0, 50.0],
            "lvl": [1, 7],
            "done": [1, 0],
            "km": [1.0, 99.0],
            "free": [1.0, 2.0],
            "pop": [1.0, 2.0],
        }
    )
    with pytest.raises(InputError) as info:
        from_pandas(frame, source="frame", framework=FW)
    assert str(info.value).splitlines() == [
        "frame: index 1 (b), column 'lvl': 7 is not one of the levels of the ordinal scale "
        "(1, 2, 3)",
        "frame: index 1 (b), column 'km': 99 lies outside the bounds [0, 60]",
    ]

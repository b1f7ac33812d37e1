"""The Dataset: validation on construction, immutability, queries and plain-Python input."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pytest
from hypothesis import given

from cityeval.data import Dataset, from_mapping
from cityeval.errors import InputError, ModelError, NotFoundError
from tests.data import assert_same, datasets
from tests.data.test_csv import framework

nan = np.nan


def small(**changes: Any) -> Dataset:
    fields: dict[str, Any] = {
        "units": ["A", "B", "C"],
        "indicators": ["x", "y"],
        "values": [[1.0, 2.0], [3.0, nan], [5.0, 6.0]],
        "names": ["Alpha", None, "Gamma"],
        "groups": {"province": ["Jawa Barat", None, "Bali"]},
        "denominators": {"Pop": [10.0, 20.0, nan]},
        "source": "data.csv",
    }
    fields.update(changes)
    return Dataset(**fields)


def panel() -> Dataset:
    return Dataset(
        units=["A", "B"],
        indicators=["x", "y"],
        values=[
            [[1.0, nan], [3.0, nan]],
            [[nan, 2.0], [4.0, nan]],
            [[nan, nan], [nan, nan]],
        ],
        times=[2018, 2019.0, 2020],
        denominators={"Pop": [[1.0, nan], [nan, nan], [3.0, nan]]},
        source="panel.csv",
    )


def messages(exc: pytest.ExceptionInfo[ModelError]) -> list[str]:
    return str(exc.value).splitlines()


# -- construction --------------------------------------------------------------------------


def test_defaults_and_shape() -> None:
    ds = Dataset(units=["A"], indicators=["x", "y"], values=[[1, 2]])
    assert ds.names == (None,)
    assert ds.times is None and not ds.is_panel
    assert dict(ds.groups) == {} and dict(ds.denominators) == {}
    assert ds.source == "<mapping>"
    assert ds.values.dtype == np.float64
    assert (ds.n_units, ds.n_indicators) == (1, 2)


def test_arrays_are_read_only_copies() -> None:
    values = np.array([[1.0, 2.0], [3.0, nan], [5.0, 6.0]])
    pop = np.array([10.0, 20.0, 30.0])
    ds = small(values=values, denominators={"Pop": pop})
    values[0, 0] = pop[0] = 99.0
    assert ds.values[0, 0] == 1.0 and ds.denominators["Pop"][0] == 10.0
    for array in (ds.values, ds.denominators["Pop"], ds.column("x")):
        assert not array.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0.0
    with pytest.raises(TypeError):
        ds.groups["new"] = ("a", "b", "c")  # type: ignore[index]
    with pytest.raises(AttributeError):
        ds.units = ("Z",)  # type: ignore[misc]


def test_identity_not_value_semantics() -> None:
    a, b = small(), small()
    assert a != b and a == a
    assert hash(a) != hash(b) or a is b
    assert a.equals(b) and not a.equals(small(names=[None, None, None]))
    assert not a.equals("a dataset")
    assert len({a, b}) == 2


def test_repr_is_short() -> None:
    assert repr(small()) == (
        "Dataset('data.csv', 3 units x 2 indicators, groups=['province'], denominators=['Pop'])"
    )
    assert (
        repr(panel())
        == "Dataset('panel.csv', 2 units x 2 indicators x 3 times, denominators=['Pop'])"
    )


def test_pickle_keeps_arrays_read_only() -> None:
    back = pickle.loads(pickle.dumps(panel()))
    assert_same(back, panel())
    assert not back.values.flags.writeable
    assert not back.denominators["Pop"].flags.writeable


def test_shape_errors_name_the_axis() -> None:
    with pytest.raises(ModelError) as exc:
        small(values=np.zeros((3, 3)))
    assert messages(exc) == ["values: axis 1 (indicators) has length 3 but there are 2 indicators"]
    with pytest.raises(ModelError) as exc:
        small(values=np.zeros((2, 3)))
    assert messages(exc) == [
        "values: axis 0 (units) has length 2 but there are 3 units",
        "values: axis 1 (indicators) has length 3 but there are 2 indicators",
    ]
    with pytest.raises(ModelError) as exc:
        small(values=np.zeros((1, 3, 2)))
    assert messages(exc) == [
        "values: must have 2 axes (units, indicators) for a cross-section, got 3 "
        "(pass times for panel data)"
    ]
    with pytest.raises(ModelError) as exc:
        small(times=[2018])
    assert messages(exc) == [
        "values: must have 3 axes (times, units, indicators) for panel data, got 2"
    ]
    with pytest.raises(ModelError) as exc:
        small(values=np.zeros((2, 3, 2)), times=[2018], denominators={"Pop": [1, 2, 3]})
    assert messages(exc) == [
        "values: axis 0 (times) has length 2 but there are 1 times",
        "denominators.Pop: must have shape (1, 3) (times, units), got (3,)",
    ]
    with pytest.raises(ModelError) as exc:
        small(names=["a"], groups={"g": ["x", "y"]}, denominators={"Pop": [1.0]})
    assert messages(exc) == [
        "names: has 1 entries but there are 3 units",
        "groups.g: has 2 labels but there are 3 units",
        "denominators.Pop: must have shape (3,) (units), got (1,)",
    ]


def test_content_errors() -> None:
    with pytest.raises(ModelError) as exc:
        small(
            units=["A", " B", "A"],
            indicators=["x", "group:y"],
            names=["", None, "ok"],
            groups={"g": ["a\nb", None, None]},
            values=[[1.0, np.inf], [3.0, nan], [-np.inf, 6.0]],
            denominators={"Pop": [1.0, np.inf, 2.0]},
        )
    assert messages(exc) == [
        "units[1]: must be non-empty text without surrounding spaces or line breaks, got ' B'",
        "units[2]: duplicate unit code 'A' (first at units[0])",
        "indicators[1]: 'group:y' is a reserved column name",
        "names[0]: must be non-empty text without surrounding spaces or line breaks (or None), "
        "got ''",
        "groups.g[0]: must be non-empty text without surrounding spaces or line breaks "
        "(or None), got 'a\\nb'",
        "values: must be finite or NaN; 2 infinite, the first at unit 'A', indicator 'group:y'",
        "denominators.Pop: must be finite or NaN",
    ]
    with pytest.raises(ModelError) as exc:
        Dataset(units=["A"], indicators=["x"], values=np.zeros((2, 1, 1)), times=[2019, 2018])
    assert messages(exc) == ["times[1]: times must be strictly ascending, got 2018 after 2019"]


def test_integral_times_become_ints() -> None:
    assert panel().times == (2018, 2019, 2020)
    assert all(type(t) is int for t in panel().times or ())


# -- queries -------------------------------------------------------------------------------


def test_column_and_select() -> None:
    ds = small()
    np.testing.assert_array_equal(ds.column("y"), [2.0, nan, 6.0])
    picked = ds.select(["y", "x"])
    assert picked.indicators == ("y", "x")
    np.testing.assert_array_equal(picked.values, [[2.0, 1.0], [nan, 3.0], [6.0, 5.0]])
    assert picked.names == ds.names and picked.source == "data.csv"
    with pytest.raises(NotFoundError) as info:
        ds.column("z")
    assert str(info.value) == "data.csv: no indicator column 'z' (columns: x, y)"
    with pytest.raises(NotFoundError) as info:
        ds.select(["x", "z", "w"])
    assert str(info.value) == "data.csv: no indicator columns 'z', 'w' (columns: x, y)"
    assert panel().column("x").shape == (3, 2)


def test_at_time_and_latest() -> None:
    p = panel()
    at = p.at_time(2019)
    assert not at.is_panel
    np.testing.assert_array_equal(at.values, [[nan, 2.0], [4.0, nan]])
    np.testing.assert_array_equal(at.denominators["Pop"], [nan, nan])
    latest = p.latest()
    assert latest.times is None
    np.testing.assert_array_equal(latest.values, [[1.0, 2.0], [4.0, nan]])
    np.testing.assert_array_equal(latest.denominators["Pop"], [3.0, nan])
    assert not latest.values.flags.writeable
    assert small().latest() is not None and small().latest().equals(small())
    with pytest.raises(NotFoundError) as info:
        p.at_time(2021)
    assert str(info.value) == "panel.csv: no time 2021 (times: 2018, 2019, 2020)"
    with pytest.raises(ValueError, match="at_time\\(\\) needs panel data"):
        small().at_time(2018)


@given(datasets(panel=True))
def test_latest_agrees_with_a_loop(ds: Dataset) -> None:
    latest = ds.latest().values
    for u in range(ds.n_units):
        for i in range(ds.n_indicators):
            seen = [v for v in ds.values[:, u, i] if not np.isnan(v)]
            np.testing.assert_array_equal(latest[u, i], seen[-1] if seen else nan)


def test_group_codes() -> None:
    codes, labels = small().group_codes("province")
    assert labels == ("Bali", "Jawa Barat")
    assert codes.tolist() == [1, -1, 0]
    assert codes.dtype.kind == "i"
    with pytest.raises(NotFoundError) as info:
        small().group_codes("region")
    assert str(info.value) == "data.csv: no group 'region' (groups: province)"
    with pytest.raises(NotFoundError) as info:
        panel().group_codes("region")
    assert str(info.value) == "panel.csv: no group 'region' (groups: none)"


def test_with_values() -> None:
    ds = small()
    new = ds.with_values(np.ones((3, 2)))
    assert new.units == ds.units and new.groups == ds.groups and new.source == ds.source
    np.testing.assert_array_equal(new.values, 1.0)
    with pytest.raises(ModelError, match="axis 1 \\(indicators\\)"):
        ds.with_values(np.ones((3, 1)))


def test_check_against() -> None:
    ds = Dataset(
        units=["A"],
        indicators=["LPI", "Foo", "Flights"],
        values=[[1.0, 2.0, 3.0]],
        denominators={"Area": [1.0]},
        source="data.csv",
    )
    with pytest.raises(InputError) as info:
        ds.check_against(framework())
    assert str(info.value).splitlines() == [
        "data.csv: column 'Foo': not an indicator of framework 'asem' "
        "(mark it 'group:Foo' or 'denominator:Foo' if it is one)",
        "data.csv: indicator 'Ship' of framework 'asem' has no column",
        "data.csv: indicator 'Forest' of framework 'asem' has no column",
        "data.csv: indicator 'Flights' of framework 'asem' is divided by 'Population', "
        "but there is no column 'denominator:Population'",
    ]
    good = Dataset(
        units=["A"],
        indicators=["LPI", "Flights", "Ship", "Forest"],
        values=[[1.0, 2.0, 3.0, 4.0]],
        denominators={"Area": [1.0], "Population": [2.0]},
    )
    good.check_against(framework())  # no error


# -- from_mapping --------------------------------------------------------------------------


def test_from_mapping_columns_and_rows_agree() -> None:
    columns = {
        "LPI": np.array([4.1, nan]),
        "unit": ["AUT", 3201],
        "name": ["Austria", None],
        "group:g": ["EU", nan],
        "denominator:Pop": [8.7, "NA"],
        "Flights": ["29", None],
    }
    rows: list[dict[str, Any]] = [
        {"unit": "AUT", "name": "Austria", "group:g": "EU", "denominator:Pop": 8.7,
         "LPI": 4.1, "Flights": 29},
        {"unit": "3201", "name": "", "group:g": None, "denominator:Pop": None,
         "LPI": None, "Flights": nan},
    ]  # fmt: skip
    a, b = from_mapping(columns), from_mapping(rows)
    assert a.units == ("AUT", "3201")
    assert a.indicators == ("LPI", "Flights")
    assert b.indicators == ("LPI", "Flights")
    assert a.source == "<mapping>"
    assert_same(a, b)


def test_from_mapping_panel() -> None:
    ds = from_mapping({"time": [2019, 2018], "unit": ["A", "A"], "x": [1, 2]})
    assert ds.times == (2018, 2019)
    np.testing.assert_array_equal(ds.values, [[[2.0]], [[1.0]]])


@pytest.mark.parametrize(
    ("data", "lines"),
    [
        ({"LPI": [1]}, ["<mapping>: there is no 'unit' column (the unit codes)"]),
        ({"unit": []}, ["<mapping>: there are no rows of data"]),
        ([], ["<mapping>: there are no rows of data"]),
        (
            {"unit": ["A", "B"], "x": [1], "y": "ab", "z": np.zeros((2, 2))},
            [
                "<mapping>: column 'y': expected a list of values, got str",
                "<mapping>: column 'z': expected one value a row, got shape (2, 2)",
            ],
        ),
        (
            {"unit": ["A", "B"], "x": [1]},
            ["<mapping>: column 'x': has 1 values but column 'unit' has 2"],
        ),
        (
            {"unit": ["A", "A", True], "x": [True, 1.5, np.inf], 5: [1, 2, 3]},
            [
                "<mapping>: column 3: column names must be text, got 5",
                "<mapping>: index 0, column 'x': expected a number, got True",
                "<mapping>: index 1, column 'unit': duplicate unit code 'A' (first at index 0)",
                "<mapping>: index 2, column 'unit': expected text, got True",
                "<mapping>: index 2, column 'x': expected a finite number, got inf",
            ],
        ),
        (
            [{"unit": "A", "x": 1}, {"unit": "B", "y": 2}, 3],
            ["<mapping>: index 2: expected a mapping of column to value, got int"],
        ),
        (
            [{"unit": "A", "x": 1}, {"unit": "B", "y": 2}],
            ["<mapping>: index 1: its keys differ from those of index 0: missing 'x'; extra 'y'"],
        ),
        ("unit,x", ["<mapping>: expected a mapping of columns or a list of rows, got str"]),
    ],
)
def test_from_mapping_problems(data: Any, lines: list[str]) -> None:
    with pytest.raises(InputError) as info:
        from_mapping(data)
    assert str(info.value).splitlines() == lines


def test_from_mapping_with_framework() -> None:
    with pytest.raises(InputError) as info:
        from_mapping({"unit": ["A"], "LPI": [1]}, framework=framework(), source="x")
    assert (
        str(info.value).splitlines()[0]
        == "x: indicator 'Flights' of framework 'asem' has no column"
    )

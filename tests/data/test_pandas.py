"""Datasets to and from pandas DataFrames (skipped where pandas is not installed)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given

from cityeval.data import Dataset, from_pandas, to_pandas
from cityeval.errors import InputError
from tests.data import assert_same, datasets

pd = pytest.importorskip("pandas")


def test_importing_cityeval_data_does_not_import_pandas() -> None:
    code = "import cityeval.data, sys; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@given(datasets())
def test_pandas_round_trip(ds: Dataset) -> None:
    assert_same(from_pandas(to_pandas(ds)), ds)
    assert_same(from_pandas(to_pandas(ds, index=True)), ds)


def test_layout_of_the_frame() -> None:
    ds = Dataset(
        units=["A", "B"],
        indicators=["x"],
        values=[[[1.0], [np.nan]], [[3.0], [4.0]]],
        times=[2018, 2019],
        names=["Alpha", None],
        groups={"g": [None, "G"]},
        denominators={"Pop": [[1.0, 2.0], [3.0, np.nan]]},
    )
    frame = to_pandas(ds)
    assert list(frame.columns) == ["unit", "time", "name", "group:g", "denominator:Pop", "x"]
    assert frame["unit"].tolist() == ["A", "B", "A", "B"]
    assert frame["time"].tolist() == [2018, 2018, 2019, 2019]
    assert frame["name"].tolist() == ["Alpha", None, "Alpha", None]
    assert frame["denominator:Pop"].tolist()[:3] == [1.0, 2.0, 3.0]
    np.testing.assert_array_equal(frame["x"], [1.0, np.nan, 3.0, 4.0])
    indexed = to_pandas(ds, index=True)
    assert list(indexed.index.names) == ["unit", "time"]


def test_unit_codes_in_the_index() -> None:
    frame = pd.DataFrame(
        {"LPI": [4.1, None], "group:EurAsia": ["Europe", None]},
        index=pd.Index(["AUT", "BEL"], name="uCode"),
    )
    ds = from_pandas(frame)
    assert ds.units == ("AUT", "BEL")
    assert ds.groups["EurAsia"] == ("Europe", None)
    assert ds.source == "<DataFrame>"
    np.testing.assert_array_equal(ds.values, [[4.1], [np.nan]])


def test_nullable_and_string_dtypes() -> None:
    frame = pd.DataFrame(
        {
            "unit": pd.array([3201, 3273], dtype="Int64"),
            "name": pd.array(["Bogor", pd.NA], dtype="string"),
            "x": pd.array([1, pd.NA], dtype="Int64"),
            "y": pd.array(["1.5", pd.NA], dtype="string"),
        }
    )
    ds = from_pandas(frame)
    assert ds.units == ("3201", "3273")
    assert ds.names == ("Bogor", None)
    np.testing.assert_array_equal(ds.values, [[1.0, 1.5], [np.nan, np.nan]])


def test_problems_are_located_by_position() -> None:
    frame = pd.DataFrame({"unit": ["A", "B"], "x": ["1", "tiga"], "y": [True, False]})
    with pytest.raises(InputError) as info:
        from_pandas(frame, source="survey")
    assert str(info.value).splitlines() == [
        "survey: index 0, column 'y': expected a number, got True",
        "survey: index 1, column 'x': expected a number, got 'tiga'",
        "survey: index 1, column 'y': expected a number, got False",
    ]
    dup = pd.DataFrame([[1, 2, 3]], columns=["unit", "x", "x"])
    with pytest.raises(InputError, match="<DataFrame>: duplicate column 'x'"):
        from_pandas(dup)
    with pytest.raises(InputError, match="expected a pandas DataFrame, got dict"):
        from_pandas({"unit": ["A"]})

"""The CSV layout: reading, writing, and every message a malformed file produces."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given

from cityeval.data import Dataset, format_csv, parse_csv, read_csv, write_csv
from cityeval.data.cells import parse_number
from cityeval.errors import InputError
from cityeval.model import Dimension, Framework, Indicator, Label
from tests.data import assert_same, datasets
from tests.shared_data import require_asem

ASEM = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "asem"

HEADER = "unit,name,group:province,denominator:Population,LPI,Flights\n"


def write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def errors(tmp_path: Path, text: str, framework: Framework | None = None) -> list[str]:
    with pytest.raises(InputError) as info:
        read_csv(write(tmp_path, text), framework)
    assert info.value.source == "data.csv"
    return str(info.value).splitlines()


def framework() -> Framework:
    ind = [
        Indicator(id="LPI", label=Label.neutral("Logistics Performance Index")),
        Indicator(id="Flights", label=Label.neutral("Flights"), denominator="Population"),
        Indicator(id="Ship", label=Label.neutral("Shipping")),
        Indicator(id="Forest", label=Label.neutral("Forest"), denominator="Area"),
    ]
    return Framework(
        id="asem",
        name=Label.neutral("ASEM"),
        levels=("pillar", "indicator"),
        dimensions=(
            Dimension(id="Physical", label=Label.neutral("Physical"), indicators=tuple(ind)),
        ),
    )


# -- reading a good file ------------------------------------------------------------------


def test_reads_every_kind_of_column(tmp_path: Path) -> None:
    ds = read_csv(
        write(
            tmp_path,
            HEADER
            + "3201,Kabupaten Bogor,Jawa Barat,5427068,4.1,29\n"
            + "3273,Kota Bandung,Jawa Barat,2444160,,1.5e3\n"
            + "6171,Kota Pontianak,,NA,3.25,-\n",
        )
    )
    assert ds.source == "data.csv"
    assert ds.units == ("3201", "3273", "6171")
    assert ds.names == ("Kabupaten Bogor", "Kota Bandung", "Kota Pontianak")
    assert ds.indicators == ("LPI", "Flights")
    assert dict(ds.groups) == {"province": ("Jawa Barat", "Jawa Barat", None)}
    np.testing.assert_array_equal(ds.denominators["Population"], [5427068, 2444160, np.nan])
    np.testing.assert_array_equal(ds.values, [[4.1, 29], [np.nan, 1500], [3.25, np.nan]])
    assert not ds.is_panel and ds.times is None


@pytest.mark.parametrize("marker", ["", "NA", "N/A", "n/a", "NaN", "nan", "-", "#N/A", "  NA "])
def test_missing_markers(marker: str) -> None:
    assert math.isnan(parse_number(marker)[0])
    assert parse_number(marker)[1] is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12.0),
        ("-3.5", -3.5),
        ("+.5", 0.5),
        ("5.", 5.0),
        ("1e3", 1000.0),
        ("2.5E-03", 0.0025),
    ],
)
def test_numbers(text: str, value: float) -> None:
    assert parse_number(text) == (value, None)


def test_bom_crlf_blank_lines_and_spaces_are_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes("\ufeffunit , LPI\r\n AUT , 4.1 \r\n\r\n,\r\nBEL,4.11\r\n".encode())
    ds = read_csv(path)
    assert ds.units == ("AUT", "BEL")
    np.testing.assert_array_equal(ds.values, [[4.1], [4.11]])


def test_text_columns_keep_na_as_text(tmp_path: Path) -> None:
    ds = read_csv(write(tmp_path, "unit,name,group:g,x\nNA,N/A,-,1\n"))
    assert ds.units == ("NA",)  # Namibia
    assert ds.names == ("N/A",)
    assert ds.groups["g"] == ("-",)


def test_panel(tmp_path: Path) -> None:
    ds = read_csv(
        write(
            tmp_path,
            "unit,time,name,group:g,denominator:Pop,x,y\n"
            "A,2019,Alpha,G1,10,1,2\n"
            "B,2018.0,Beta,,20,3,4\n"
            "A,2018,,G1,11,5,\n"
            "C,2019,,G2,,7,8\n",
        )
    )
    assert ds.is_panel
    assert ds.times == (2018, 2019)
    assert all(isinstance(t, int) for t in ds.times)
    assert ds.units == ("A", "B", "C")
    assert ds.names == ("Alpha", "Beta", None)
    assert ds.groups["g"] == ("G1", None, "G2")
    nan = np.nan
    np.testing.assert_array_equal(
        ds.values,
        [[[5, nan], [3, 4], [nan, nan]], [[1, 2], [nan, nan], [7, 8]]],
    )
    np.testing.assert_array_equal(ds.denominators["Pop"], [[11, 20, nan], [10, nan, nan]])


def test_with_a_framework_columns_are_checked(tmp_path: Path) -> None:
    fw = framework()
    text = "unit,denominator:Population,denominator:Area,LPI,Flights,Ship,Forest\nA,1,2,3,4,5,6\n"
    ds = read_csv(write(tmp_path, text), fw)
    assert ds.indicators == ("LPI", "Flights", "Ship", "Forest")


# -- the messages, pinned ------------------------------------------------------------------


def test_every_cell_problem_is_reported_in_reading_order(tmp_path: Path) -> None:
    text = (
        HEADER
        + "AUT,Austria,EU,8.7,4.1,29\n"
        + "BEL,,EU,NA,tiga,12,5\n"
        + "BGR,Bulgaria,,1e3,-,1.234.567\n"
        + "CZE,,,12,5%,1\n"
        + 'DNK,,,12,"12,5",inf\n'
        + "EST,,,1 000,1,1\n"
        + "AUT,x,y,1,2,3\n"
        + ",,,,1,2\n"
        + 'FIN,,,,tiga,"1.234,5"\n'
    )
    assert errors(tmp_path, text) == [
        "data.csv: row 3: expected 6 cells, got 7 (extra cells)",
        "data.csv: row 4, column 'Flights': expected a number, got '1.234.567' "
        "(write numbers without thousands separators)",
        "data.csv: row 5, column 'LPI': expected a number, got '5%' "
        "(write the number without '%')",
        "data.csv: row 6, column 'LPI': expected a number, got '12,5' "
        "(use a dot as the decimal separator, and no thousands separators)",
        "data.csv: row 6, column 'Flights': expected a finite number, got 'inf'",
        "data.csv: row 7, column 'denominator:Population': expected a number, got '1 000' "
        "(write numbers without thousands separators)",
        "data.csv: row 8, column 'unit': duplicate unit code 'AUT' (first at row 2)",
        "data.csv: row 9, column 'unit': empty unit code",
        "data.csv: row 10, column 'LPI': expected a number, got 'tiga'",
        "data.csv: row 10, column 'Flights': expected a number, got '1.234,5' "
        "(use a dot as the decimal separator, and no thousands separators)",
    ]


def test_messages_of_the_brief(tmp_path: Path) -> None:
    rows = "".join(f"U{r},{r}\n" for r in range(2, 7))
    text = "unit,LPI\n" + rows + "AUT,tiga\nBEL,1\nAUT,2\n"
    assert errors(tmp_path, text) == [
        "data.csv: row 7, column 'LPI': expected a number, got 'tiga'",
        "data.csv: row 9, column 'unit': duplicate unit code 'AUT' (first at row 7)",
    ]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("uCode,LPI", "data.csv: the first column must be 'unit', got 'uCode'"),
        ("unit,group:,LPI", "data.csv: column 'group:': empty group name"),
        ("unit,denominator: ,LPI", "data.csv: column 'denominator:': empty denominator name"),
        ("unit,LPI,LPI", "data.csv: duplicate column 'LPI'"),
        ("unit,group:a,group: a", "data.csv: duplicate column 'group:a'"),
        ("unit,,LPI", "data.csv: column 2: empty column name"),
        (
            "unit,LPI,time",
            "data.csv: column 'time': must come right after 'unit' (column 2), not at column 3",
        ),
        ("unit,Name,LPI", "data.csv: column 'Name': write 'name' in lower case"),
        ("unit,Group:g,LPI", "data.csv: column 'Group:g': write 'group:' in lower case"),
    ],
)
def test_header_problems(tmp_path: Path, header: str, message: str) -> None:
    cells = ",".join(["A"] + ["1"] * (len(header.split(",")) - 1))
    assert errors(tmp_path, f"{header}\n{cells}\n")[0] == message


def test_header_and_cell_problems_come_together(tmp_path: Path) -> None:
    assert errors(tmp_path, "unit,LPI,LPI,group:\nA,x,1,\n") == [
        "data.csv: duplicate column 'LPI'",
        "data.csv: column 'group:': empty group name",
        "data.csv: row 2, column 'LPI': expected a number, got 'x'",
    ]


def test_panel_time_problems(tmp_path: Path) -> None:
    text = "unit,time,x\nA,2018,1\nB,,4\nC,soon,5\nD,1e999,6\n"
    assert errors(tmp_path, text) == [
        "data.csv: row 3, column 'time': missing time (every row of a panel needs one)",
        "data.csv: row 4, column 'time': expected a number, got 'soon'",
        "data.csv: row 5, column 'time': expected a finite number, got '1e999'",
    ]


def test_panel_consistency_problems(tmp_path: Path) -> None:
    text = "unit,time,name,group:g,x\nA,2018,Alpha,G1,1\nA,2018.0,,,2\nA,2019,Beta,G2,3\n"
    assert errors(tmp_path, text) == [
        "data.csv: row 3, column 'time': unit 'A' appears twice at time 2018 (first at row 2)",
        "data.csv: row 4, column 'name': unit 'A' has name 'Beta' here but 'Alpha' at row 2",
        "data.csv: row 4, column 'group:g': unit 'A' has label 'G2' here but 'G1' at row 2",
    ]


def test_framework_problems(tmp_path: Path) -> None:
    text = "unit,group:region,Foo,LPI,Flights\nA,x,1,2,3\nB,y,tiga,4,5\n"
    assert errors(tmp_path, text, framework()) == [
        "data.csv: row 3, column 'Foo': expected a number, got 'tiga'",
        "data.csv: column 'Foo': not an indicator of framework 'asem' "
        "(mark it 'group:Foo' or 'denominator:Foo' if it is one)",
        "data.csv: indicator 'Ship' of framework 'asem' has no column",
        "data.csv: indicator 'Forest' of framework 'asem' has no column",
        "data.csv: indicator 'Flights' of framework 'asem' is divided by 'Population', "
        "but there is no column 'denominator:Population'",
        "data.csv: indicator 'Forest' of framework 'asem' is divided by 'Area', "
        "but there is no column 'denominator:Area'",
    ]


def test_the_file_as_a_whole(tmp_path: Path) -> None:
    assert errors(tmp_path, "") == ["data.csv: the file is empty"]
    assert errors(tmp_path, " \n\n") == ["data.csv: the file is empty"]
    assert errors(tmp_path, "unit,LPI\n") == ["data.csv: there are no rows of data"]
    assert errors(tmp_path, "unit,LPI\n\n,\n") == ["data.csv: there are no rows of data"]
    assert errors(tmp_path, "\nunit,LPI\nA,1\n") == ["data.csv: row 1: the header row is empty"]
    assert errors(tmp_path, "unit;LPI\nA;1,5\n") == [
        "data.csv: the cells are separated by ';', not commas; "
        'save the file as "CSV UTF-8 (Comma delimited)"'
    ]
    assert errors(tmp_path, "unit,LPI\nA,1\nB," + "9" * 200_000 + "\n") == [
        "data.csv: row 3: not valid CSV: field larger than field limit (131072)"
    ]


def test_file_not_found_and_not_utf8(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    with pytest.raises(InputError) as info:
        read_csv(missing)
    assert str(info.value) == f"{missing}: file not found"
    latin1 = tmp_path / "data.csv"
    latin1.write_bytes("unit,name\nAUT,Österreich\n".encode("cp1252"))
    with pytest.raises(InputError) as info:
        read_csv(latin1)
    assert str(info.value) == (
        "data.csv: not UTF-8 text (the first bad byte is on line 2); "
        'save it as "CSV UTF-8 (Comma delimited)"'
    )
    with pytest.raises(InputError) as info:
        read_csv(tmp_path)
    assert str(info.value) == f"{tmp_path}: is a directory, not a file"


# -- writing and round trips ----------------------------------------------------------------


def test_written_layout(tmp_path: Path) -> None:
    ds = Dataset(
        units=["A", "B,1"],
        indicators=["x", "y"],
        values=[[0.1, np.nan], [1e-300, 2.0]],
        names=[None, 'The "B"'],
        groups={"g": ["NA", None]},
        denominators={"Pop": [1.0, np.nan]},
    )
    assert format_csv(ds) == (
        'unit,name,group:g,denominator:Pop,x,y\nA,,NA,1.0,0.1,\n"B,1","The ""B""",,,1e-300,2.0\n'
    )
    write_csv(ds, tmp_path / "out" / "data.csv")
    assert_same(read_csv(tmp_path / "out" / "data.csv"), ds)
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["data.csv"]  # no temporary left


@given(datasets())
@example(
    Dataset(
        units=["NA"],
        indicators=["a"],
        values=[[[5e-324]], [[-0.0]]],
        times=[1.5, 2018],
        names=["-"],
    )
)
def test_csv_round_trip(ds: Dataset) -> None:
    back = parse_csv(format_csv(ds), source="data.csv")
    assert_same(back, ds)
    assert back.source == "data.csv"


@given(datasets())
def test_csv_is_plain_csv(ds: Dataset) -> None:
    rows = list(csv.reader(format_csv(ds).splitlines()))
    assert rows[0][0] == "unit"
    assert len(rows) == 1 + ds.n_units * (len(ds.times) if ds.times else 1)
    assert {len(r) for r in rows} == {len(rows[0])}


# -- the ASEM data set, converted to the cityeval layout --------------------------------------

RENAME = {"uCode": "unit", "uName": "name", "Time": "time"}
ASEM_GROUPS = ("GDP_group", "GDPpc_group", "Pop_group", "EurAsia_group")
ASEM_DENOMINATORS = ("Area", "Energy", "GDP", "Population")


def asem_in_cityeval_layout(target: Path, keep_time: bool) -> None:
    with (ASEM / "iData.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    source = list(rows[0])

    def renamed(col: str) -> str:
        if col in ASEM_GROUPS:
            return f"group:{col}"
        if col in ASEM_DENOMINATORS:
            return f"denominator:{col}"
        return RENAME.get(col, col)

    order = ["uCode", *(["Time"] if keep_time else []), "uName"]
    order += [c for c in source if c not in ("uCode", "uName", "Time")]
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([renamed(c) for c in order])
        writer.writerows([row[c] for c in order] for row in rows)


@pytest.mark.parametrize("keep_time", [False, True], ids=["cross-section", "panel"])
def test_asem(tmp_path: Path, keep_time: bool) -> None:
    require_asem()  # skips locally, fails under CI, when the data set is missing
    path = tmp_path / "asem.csv"
    asem_in_cityeval_layout(path, keep_time)
    ds = read_csv(path)
    cross = ds.at_time(2018) if keep_time else ds
    assert ds.times == ((2018,) if keep_time else None)
    assert cross.n_units == 51 and cross.n_indicators == 49
    assert cross.units[:2] == ("AUT", "BEL") and cross.names[0] == "Austria"
    assert set(cross.groups) == set(ASEM_GROUPS)
    assert list(cross.denominators) == list(ASEM_DENOMINATORS)
    # 64 empty cells in all: 63 among the indicators and one denominator (Energy).
    assert int(np.isnan(cross.values).sum()) == 63
    assert sum(int(np.isnan(d).sum()) for d in cross.denominators.values()) == 1
    assert np.isnan(cross.denominators["Energy"]).sum() == 1
    assert cross.column("LPI")[0] == 4.097985
    codes, labels = cross.group_codes("EurAsia_group")
    assert labels == ("Asia", "Europe") and codes[0] == 1

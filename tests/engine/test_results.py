"""The files of a run: columnar results.json (schema, same numbers as before), CSV, Parquet."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from benchmarks.legacy_results import legacy_document, legacy_json
from benchmarks.synthetic import REDUCED, make_workload
from hypothesis import given, settings
from hypothesis import strategies as st

from cityeval import loads_framework
from cityeval.data import Dataset
from cityeval.engine import score
from cityeval.engine.export import latest_scores, parquet_tables
from cityeval.engine.results import Results
from cityeval.engine.results_schema import FORMAT_VERSION, results_schema
from cityeval.errors import InputError, OutputError
from cityeval.model import Pipeline, Step, StepKind

FRAMEWORK = """
id: tiny
name: {id: Kecil, en: Tiny}
levels: [dimension, indicator]
dimensions:
  - id: a
    label: A
    indicators:
      - {id: x, label: X}
      - {id: y, label: Y, direction: lower}
  - id: b
    label: B
    indicators:
      - {id: z, label: Z}
"""


@pytest.fixture(scope="module")
def reduced() -> Results:
    return score(*make_workload(REDUCED))


def tiny(
    units: tuple[str, ...], values: np.ndarray, times: tuple[int, ...] | None = None
) -> Results:
    fw = loads_framework(FRAMEWORK)
    pipe = Pipeline(
        (
            Step(StepKind.TREAT, "coinr"),
            Step(StepKind.NORMALISE, "minmax"),
            Step(StepKind.AGGREGATE, "arithmetic"),
        )
    )
    return score(fw, Dataset(units, ("x", "y", "z"), values, times=times), pipe)


def column(values: np.ndarray) -> list[float | None]:
    return [None if math.isnan(v) else v for v in values.tolist()]


def nan_equal(a: np.ndarray, b: np.ndarray) -> None:
    np.testing.assert_array_equal(a, b)  # NaN equal to NaN


def apply_changes(before: np.ndarray, change: dict[str, Any], ids: tuple[str, ...]) -> np.ndarray:
    """The plain reading of a stage's changes: start from the stage before, set the cells."""
    flat = before.reshape(-1, before.shape[-1]).copy()
    for name, cells in change["columns"].items():
        k = ids.index(name)
        rows = cells.get("rows", list(range(flat.shape[0])))
        values = [np.nan if v is None else v for v in cells["values"]]
        flat[rows, k] = values
    return flat.reshape(before.shape)


# -- results.json ---------------------------------------------------------------------------


def test_columns_hold_the_arrays_exactly(reduced: Results) -> None:
    doc = reduced.to_dict()
    assert (doc["format"], doc["version"]) == ("cityeval-results", FORMAT_VERSION)
    assert doc["rows"] == {"unit": list(reduced.units)}
    assert list(doc["scores"]) == list(reduced.node_ids)
    for k, node in enumerate(reduced.node_ids):
        assert doc["scores"][node] == column(reduced.scores[:, k])  # bit for bit
    for k, node in enumerate(reduced.aggregate_ids):
        ranks = reduced.ranks[:, k]
        assert doc["ranks"][node] == [None if math.isnan(r) else int(r) for r in ranks]


def test_same_numbers_as_format_1(reduced: Results) -> None:
    """Every score and rank of the old row format, found at its place in the new one."""
    old, new = legacy_document(reduced), reduced.to_dict()
    for name in ("scores", "ranks"):
        for i, row in enumerate(old[name]):
            assert new["rows"]["unit"][i] == row["unit"]
            for node, value in row.items():
                if node != "unit":
                    assert new[name][node][i] == value
    same = ("framework", "top", "units", "times", "nodes", "weights", "treatment", "pipeline")
    for key in (*same, "effective_weights", "strongest_weakest", "predicates", "notes"):
        assert new[key] == old[key], key
    assert latest_scores(new) == latest_scores(old)


def test_stage_changes_rebuild_every_stage(reduced: Results) -> None:
    doc = reduced.to_dict()
    stages = doc["stages"]
    assert stages["names"] == list(reduced.stages) and stages["mode"] == "changes"
    ids = reduced.indicator_ids
    for name, change in stages["changes"].items():
        rebuilt = apply_changes(reduced.stages[change["from"]], change, ids)
        nan_equal(rebuilt, reduced.stages[name])
    assert "normalised" not in stages["changes"]  # it is the indicator columns of scores
    n = len(reduced.aggregate_ids)
    nan_equal(reduced.scores[:, n:], reduced.stages["normalised"])


def test_full_stages_and_no_stages(reduced: Results) -> None:
    full = reduced.to_dict(stages="full")["stages"]
    assert full["mode"] == "full"
    for name, table in full["tables"].items():
        for k, ind in enumerate(reduced.indicator_ids):
            assert table[ind] == column(reduced.stages[name][:, k])
    assert "stages" not in reduced.to_dict(stages="none")
    with pytest.raises(ValueError, match="stages must be one of"):
        reduced.to_json(stages="some")  # type: ignore[arg-type]


def test_panel_rows_are_time_major() -> None:
    values = np.array(
        [
            [[1.0, 5.0, 3.0], [2.0, 4.0, np.nan], [3.0, 3.0, 1.0]],
            [[2.0, 5.0, 3.0], [4.0, 1.0, 2.0], [1.0, 3.0, 1.0]],
        ]
    )
    r = tiny(("u1", "u2", "u3"), values, times=(2019, 2020))
    doc = r.to_dict(stages="full")
    assert doc["rows"] == {"unit": ["u1", "u2", "u3"] * 2, "time": [2019] * 3 + [2020] * 3}
    for k, node in enumerate(r.node_ids):
        assert doc["scores"][node] == column(r.scores[..., k].reshape(-1))
    old = legacy_document(r)
    assert latest_scores(doc) == latest_scores(old)
    assert latest_scores(doc)["x"]["u2"] == float(r.score("x")[1, 1])  # the later time
    frame = r.to_pandas()
    assert list(frame.index.names) == ["unit", "time"]
    np.testing.assert_array_equal(frame["a"].to_numpy(), r.score("a").reshape(-1))
    assert r.scores_csv().splitlines()[0] == "unit,time,tiny,a,b,x,y,z"
    assert r.scores_csv().splitlines()[4].startswith("u1,2020,")


def test_missing_values_are_null() -> None:
    values = np.array([[1.0, 5.0, np.nan], [2.0, 4.0, 2.0], [3.0, 3.0, 1.0]])
    r = tiny(("u1", "u2", "u3"), values)
    doc = json.loads(r.to_json())
    assert doc["scores"]["z"][0] is None
    assert r.scores_csv().splitlines()[1].split(",")[-1] == ""


def test_the_document_follows_its_schema(reduced: Results) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = results_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for mode in ("changes", "full", "none"):
        jsonschema.validate(reduced.to_dict(stages=mode), schema)  # type: ignore[arg-type]
    panel = tiny(
        ("u1", "u2"), np.array([[[1.0, 2, 3], [2, 1, 4]], [[3, 2, 1], [1, 1, 1]]]), (1, 2)
    )
    jsonschema.validate(panel.to_dict(), schema)
    bad = reduced.to_dict()
    bad["scores"][reduced.top_id] = [{"unit": "x"}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_schema_is_documented() -> None:
    page = Path(__file__).parents[2] / "docs" / "reference" / "results-format.md"
    text = page.read_text(encoding="utf-8")
    assert json.dumps(results_schema(), indent=2) in text  # the page shows the schema as it is


def test_columnar_file_is_smaller(reduced: Results) -> None:
    assert len(reduced.to_json()) < len(legacy_json(reduced)) / 3


def test_latest_scores_refuses_other_shapes() -> None:
    with pytest.raises(InputError, match="expected columns or a list of rows"):
        latest_scores({"scores": 3})
    with pytest.raises(InputError, match=r"rows\.unit"):
        latest_scores({"scores": {}, "rows": {}})


# -- CSV ---------------------------------------------------------------------------------------


def reference_scores_csv(r: Results) -> str:
    """The CSV writer as it was (csv module, repr of every float), plus the OWASP rule."""
    from cityeval.io.outputs import neutralise_cell

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["unit", *r.node_ids])
    for row in legacy_document(r)["scores"]:
        cells = ["" if row[n] is None else repr(row[n]) for n in r.node_ids]
        writer.writerow([neutralise_cell(row["unit"]), *cells])
    return buf.getvalue()


def test_scores_csv_is_the_old_text(reduced: Results) -> None:
    assert reduced.scores_csv() == reference_scores_csv(reduced)


def test_ranks_csv_holds_whole_numbers(reduced: Results) -> None:
    rows = list(csv.reader(io.StringIO(reduced.ranks_csv())))
    assert rows[0] == ["unit", *reduced.aggregate_ids]
    got = np.array([[float(c) for c in row[1:]] for row in rows[1:]])
    nan_equal(got, reduced.ranks)
    assert all("." not in c for row in rows[1:] for c in row[1:])


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.sampled_from(("=", "+", "-", "@")).flatmap(
            lambda t: st.text(alphabet="ab=1+,@-", max_size=4).map(lambda s: t + "x" + s)
        ),
        min_size=3,
        max_size=3,
        unique=True,
    )
)
def test_formula_units_are_neutralised(units: list[str]) -> None:
    r = tiny(tuple(units), np.array([[1.0, 5.0, 3.0], [2.0, 4.0, 2.0], [3.0, 3.0, 1.0]]))
    for text in (r.scores_csv(), r.ranks_csv()):
        read = [row[0] for row in csv.reader(io.StringIO(text, newline=""))][1:]
        assert read == ["'" + u for u in units]


def test_units_starting_with_tab_or_return_never_reach_an_output() -> None:
    from cityeval.errors import ModelError

    for start in ("\t", "\r"):
        with pytest.raises(ModelError, match="without surrounding spaces or line breaks"):
            tiny((start + "x", "b", "c"), np.ones((3, 3)))


# -- Parquet and pandas ------------------------------------------------------------------------


def test_parquet_reads_back_with_pyarrow_and_pandas(reduced: Results, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    pd = pytest.importorskip("pandas")
    files = reduced.write(tmp_path / "out", parquet=True)
    assert [f.name for f in files] == [
        "scores.csv",
        "ranks.csv",
        "results.json",
        "scores.parquet",
        "ranks.parquet",
        "stages.parquet",
    ]
    table = pq.read_table(tmp_path / "out" / "scores.parquet")
    assert table.column_names == ["unit", *reduced.node_ids]
    nan_equal(
        np.array(table.column(reduced.top_id).to_pylist(), dtype=float),
        reduced.score(reduced.top_id),
    )
    frame = pd.read_parquet(tmp_path / "out" / "scores.parquet").set_index("unit")
    pd.testing.assert_frame_equal(frame, reduced.to_pandas(), check_names=False)
    ranks = pd.read_parquet(tmp_path / "out" / "ranks.parquet").set_index("unit")
    np.testing.assert_array_equal(ranks.to_numpy(dtype=float), reduced.ranks)
    stages = pd.read_parquet(tmp_path / "out" / "stages.parquet")
    assert list(stages["stage"].unique()) == list(reduced.stages)
    for name, values in reduced.stages.items():
        block = stages[stages["stage"] == name][list(reduced.indicator_ids)]
        nan_equal(block.to_numpy(dtype=float), values)


def test_parquet_of_a_panel_has_a_time_column() -> None:
    pytest.importorskip("pyarrow")
    values = np.array([[[1.0, 2, 3], [2, 1, 4]], [[3, 2, 1], [1, 1, np.nan]]])
    r = tiny(("u1", "u2"), values, (2019, 2020))
    tables = parquet_tables(r)
    assert tables["scores"].column_names[:2] == ["unit", "time"]
    assert tables["scores"].column("time").to_pylist() == [2019, 2019, 2020, 2020]
    assert tables["stages"].num_rows == 2 * 2 * len(r.stages)
    assert tables["stages"].column("z").to_pylist()[-1] is None


# -- writing -----------------------------------------------------------------------------------


def test_a_failed_write_leaves_the_previous_files(
    reduced: Results, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cityeval.engine import export

    out = tmp_path / "out"
    reduced.write(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(*args: object, **kwargs: object) -> str:
        raise OutputError(str(out / "results.json"), "no space left on the device")

    monkeypatch.setattr(export, "results_json", broken)
    with pytest.raises(OutputError):
        reduced.write(out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_write_refuses_a_file_and_an_input(reduced: Results, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        reduced.write(tmp_path / "file")
    data = tmp_path / "scores.csv"
    data.write_text("unit\n")
    with pytest.raises(OutputError, match="is an input"):
        reduced.write(tmp_path, protect=[data])
    assert data.read_text() == "unit\n"


def test_non_finite_report_values_are_null() -> None:
    from cityeval.engine.export import _finite

    assert _finite({"cr": float("nan"), "w": [1.0, float("inf")], "t": (2, "x")}) == {
        "cr": None,
        "w": [1.0, None],
        "t": [2, "x"],
    }

"""The engine against the plain-loop reference, its invariants, its pipelines and its errors."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cityeval import Framework, InputError, Label, loads_framework
from cityeval.data import Dataset
from cityeval.engine import EngineError, compile_framework, score
from cityeval.io.pipelines import loads_pipeline
from cityeval.model import Override, Pipeline, Step, StepKind
from cityeval.testing import strategies as cst
from tests.engine.reference import reference_ranks, reference_scores, separated

FRAMEWORK = """
id: city
name: {id: Kota, en: City}
levels: [dimension, element, indicator]
dimensions:
  - id: gov
    label: Governance
    weight: 2
    children:
      - id: svc
        label: Service
        indicators:
          - {id: permits, label: Permits online}
          - {id: wait, label: Waiting days, direction: lower, goalposts: {lower: 0, upper: 30}}
      - id: pol
        label: Policy
        indicators:
          - {id: opendata, label: Open datasets, target: 50}
  - id: env
    label: Environment
    children:
      - id: waste
        label: Waste
        indicators:
          - {id: recycled, label: Recycled share, scale: {kind: percentage}}
          - id: maturity
            label: Waste-system maturity
            scale:
              kind: ordinal
              levels:
                - {value: 1, label: Rintisan}
                - {value: 2, label: Terkelola}
                - {value: 3, label: Terdefinisi}
                - {value: 4, label: Terpadu}
                - {value: 5, label: Optimum}
"""

UNITS = ("A", "B", "C", "D")
VALUES = np.array(
    [
        [80.0, 5.0, 40.0, 30.0, 2.0],
        [60.0, 12.0, 55.0, 50.0, 4.0],
        [90.0, 20.0, np.nan, 10.0, 5.0],
        [70.0, 8.0, 10.0, 45.0, 1.0],
    ]
)


@pytest.fixture
def fw() -> Framework:
    return loads_framework(FRAMEWORK)


@pytest.fixture
def data(fw: Framework) -> Dataset:
    return Dataset(
        UNITS,
        tuple(i.id for i in fw.indicators()),
        VALUES,
        groups={"size": ("big", "small", "big", "small")},
    )


def test_compiled_levels(fw: Framework) -> None:
    c = compile_framework(fw)
    assert c.indicator_ids == ("permits", "wait", "opendata", "recycled", "maturity")
    assert [lv.node_ids for lv in c.levels] == [("svc", "pol", "waste"), ("gov", "env"), ("city",)]
    assert c.aggregate_ids == ("city", "gov", "env", "svc", "pol", "waste")
    assert c.level_names == ("indicator", "element", "dimension", "index")
    assert c.root_id == "city"


def test_default_pipeline_matches_the_reference(fw: Framework, data: Dataset) -> None:
    r = score(fw, data)
    ref = reference_scores(fw, VALUES)
    for node in r.node_ids:
        np.testing.assert_allclose(r.score(node), ref[node], rtol=1e-12, atol=1e-12)
    for node in r.aggregate_ids:
        np.testing.assert_array_equal(r.rank(node), reference_ranks(ref[node]))


def test_templates_cannot_be_scored() -> None:
    from cityeval import ModelError, get_framework

    with pytest.raises(ModelError, match="template without indicators"):
        compile_framework(get_framework("gerakan100"))


# -- generated frameworks and data ---------------------------------------------------------------


@st.composite
def scored_cases(draw: st.DrawFn) -> tuple[Framework, Dataset]:
    fw = draw(cst.frameworks(max_depth=3, max_children=3, checked_values=False))
    n_ind = len(fw.indicators())
    n_units = draw(st.integers(2, 12))
    values = draw(
        hnp.arrays(
            np.float64,
            (n_units, n_ind),
            elements=st.one_of(st.floats(-1e3, 1e3, allow_nan=False), st.just(np.nan)),
        )
    )
    units = tuple(f"u{k}" for k in range(n_units))
    return fw, Dataset(units, tuple(i.id for i in fw.indicators()), values)


@given(scored_cases())
def test_engine_agrees_with_the_loop_reference(case: tuple[Framework, Dataset]) -> None:
    fw, data = case
    r = score(fw, data)
    ref = reference_scores(fw, np.asarray(data.values))
    for node in r.node_ids:
        np.testing.assert_allclose(r.score(node), ref[node], rtol=1e-9, atol=1e-9)
    for node in r.aggregate_ids:
        # Ranks come from the exact scores: the plain-loop ranking of the engine's own scores,
        # and the reference's ranks wherever the reference separates a unit from every other
        # one by more than rounding (a near-tie's order depends on summation order).
        rank = r.rank(node)
        np.testing.assert_array_equal(rank, reference_ranks(list(r.score(node))))
        expected = reference_ranks(ref[node])
        apart = np.asarray(separated(ref[node]))
        np.testing.assert_array_equal(rank[apart], np.asarray(expected)[apart])


@given(scored_cases())
def test_scores_stay_inside_the_normalised_range(case: tuple[Framework, Dataset]) -> None:
    fw, data = case
    s = score(fw, data).scores
    observed = s[~np.isnan(s)]
    assert ((observed >= -1e-9) & (observed <= 100 + 1e-9)).all()


@given(scored_cases(), st.data())
def test_raising_an_indicator_never_lowers_an_ancestor(
    case: tuple[Framework, Dataset], d: st.DataObject
) -> None:
    fw, data = case
    values = np.array(data.values)
    u = d.draw(st.integers(0, values.shape[0] - 1))
    j = d.draw(st.integers(0, values.shape[1] - 1))
    assume(not np.isnan(values[u, j]))  # a missing value cannot be raised
    ind = fw.indicators()[j]
    step = d.draw(st.floats(0.0, 100.0))
    after = values.copy()
    after[u, j] += step * ind.direction.sign
    before_r, after_r = score(fw, data), score(fw, data.with_values(after))
    for node in (*fw.ancestors(ind.id), *((fw.id,) if len(fw.dimensions) > 1 else ())):
        assert after_r.score(node)[u] >= before_r.score(node)[u] - 1e-9


@given(scored_cases(), st.floats(0.01, 100.0))
def test_scaling_sibling_weights_changes_nothing(
    case: tuple[Framework, Dataset], k: float
) -> None:
    fw, data = case
    scaled = fw.replace_weights({n.id: n.weight * k for n in fw.walk()})
    np.testing.assert_allclose(
        score(fw, data).scores, score(scaled, data).scores, rtol=1e-9, atol=1e-9
    )


@given(scored_cases(), st.randoms())
def test_permuting_units_permutes_results(case: tuple[Framework, Dataset], rnd: object) -> None:
    fw, data = case
    order = list(range(data.n_units))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    shuffled = Dataset(
        tuple(data.units[i] for i in order), data.indicators, np.asarray(data.values)[order]
    )
    a, b = score(fw, data), score(fw, shuffled)
    np.testing.assert_allclose(a.scores[order], b.scores, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(a.ranks[order], b.ranks)


@given(scored_cases())
def test_equal_weights_equal_the_plain_mean(case: tuple[Framework, Dataset]) -> None:
    fw, data = case
    pipeline = Pipeline(
        (
            Step(StepKind.NORMALISE, "minmax"),
            Step(StepKind.WEIGHT, "equal"),
            Step(StepKind.AGGREGATE, "arithmetic"),
        )
    )
    r = score(fw, data, pipeline)
    c = r.compiled
    for level in c.levels:
        for node, kids in zip(level.node_ids, level.child_ids, strict=True):
            children = np.stack([r.score(k) for k in kids], axis=-1)
            with np.errstate(all="ignore"), __import__("warnings").catch_warnings():
                __import__("warnings").simplefilter("ignore")
                expected = np.nanmean(children, axis=-1)
            np.testing.assert_allclose(r.score(node), expected, rtol=1e-9, atol=1e-9)


@given(scored_cases())
def test_normalising_twice_changes_nothing(case: tuple[Framework, Dataset]) -> None:
    fw, data = case
    once = score(fw, data).normalised
    flipped = np.where(np.array([i.direction.sign for i in fw.indicators()]) < 0, -once, once)
    twice = score(fw, data.with_values(flipped)).normalised
    np.testing.assert_allclose(once, twice, rtol=1e-9, atol=1e-9)


# -- pipelines: per-node methods, metadata parameters, weights ------------------------------------


def test_geometric_mean_for_one_dimension_only(fw: Framework, data: Dataset) -> None:
    pipe = loads_pipeline(
        """
steps:
  - step: normalise
    method: minmax
    params: {lower: 1, upper: 100}
  - step: aggregate
    method: arithmetic
    overrides:
      - nodes: [env]
        method: geometric
"""
    )
    r = score(fw, data, pipe)
    (waste,) = (r.score("waste"),)
    np.testing.assert_allclose(r.score("env"), waste)  # one child: any mean gives it back
    svc, pol = r.score("svc"), r.score("pol")
    expected_gov = np.where(np.isnan(pol), svc, (svc + pol) / 2)
    np.testing.assert_allclose(r.score("gov"), expected_gov)


def test_per_indicator_normalisation_from_metadata(fw: Framework, data: Dataset) -> None:
    pipe = loads_pipeline(
        """
steps:
  - step: normalise
    method: minmax
    overrides:
      - indicators: [wait]
        method: goalposts
      - indicators: [opendata]
        method: dist_to_target
      - indicators: [maturity]
        method: ordinal_levels
  - step: aggregate
    method: arithmetic
"""
    )
    r = score(fw, data, pipe)
    # goalposts 0..30 days, lower is better: 5 days -> (30 - 5) / 30
    np.testing.assert_allclose(
        r.score("wait"), [(30 - 5) / 30 * 100, 60, (30 - 20) / 30 * 100, 22 / 30 * 100]
    )
    # distance to a target of 50 from the worst observed (10), capped at 100
    np.testing.assert_allclose(r.score("opendata"), [75.0, 100.0, np.nan, 0.0])
    # ordinal levels 1..5 onto 0..100
    np.testing.assert_allclose(r.score("maturity"), [25.0, 75.0, 100.0, 0.0])


def test_missing_metadata_is_a_located_error(fw: Framework, data: Dataset) -> None:
    pipe = Pipeline(
        (
            Step(
                StepKind.NORMALISE,
                "minmax",
                overrides=(Override(indicators=("permits", "wait"), method="goalposts"),),
            ),
            Step(StepKind.AGGREGATE, "arithmetic"),
        )
    )
    with pytest.raises(InputError) as exc:
        score(fw, data, pipe, source="p.yaml")
    assert str(exc.value) == (
        "p.yaml: steps[0].overrides[0]: normalise method 'goalposts' needs 'low' and 'high': give "
        "them in params, or give indicator(s) 'permits' goalposts in the framework"
    )


def test_ahp_weights_and_consistency_are_reported(fw: Framework, data: Dataset) -> None:
    pipe = loads_pipeline(
        """
steps:
  - step: normalise
    method: minmax
  - step: weight
    method: explicit
    overrides:
      - nodes: [gov]
        method: ahp
        params: {matrix: [[1, 3], [0.3333333333333333, 1]]}
  - step: aggregate
    method: arithmetic
"""
    )
    r = score(fw, data, pipe)
    np.testing.assert_allclose(r.weights["gov"], [0.75, 0.25], rtol=1e-6)
    assert r.weight_info["gov"]["consistent"] is True
    np.testing.assert_allclose(r.weights["city"], [2 / 3, 1 / 3])


def test_named_weight_set(fw: Framework, data: Dataset) -> None:
    from cityeval.model import WeightSet

    fw2 = Framework(
        fw.id, fw.name, fw.levels, fw.dimensions, weight_sets=(WeightSet("flat", {"gov": 1.0}),)
    )
    pipe = Pipeline(
        (
            Step(StepKind.NORMALISE, "minmax"),
            Step(StepKind.WEIGHT, "explicit", {"set": "flat"}),
            Step(StepKind.AGGREGATE, "arithmetic"),
        )
    )
    np.testing.assert_allclose(score(fw2, data, pipe).weights["city"], [0.5, 0.5])


def test_data_availability_threshold(fw: Framework, data: Dataset) -> None:
    pipe = Pipeline(
        (Step(StepKind.NORMALISE, "minmax"), Step(StepKind.AGGREGATE, "arithmetic", threshold=0.6))
    )
    r = score(fw, data, pipe)
    assert math.isnan(r.score("pol")[2])  # its only indicator is missing
    assert math.isnan(r.score("gov")[2])  # only svc, half of gov's weight: below 0.6
    assert not math.isnan(r.score("gov")[0])
    lenient = Pipeline(
        (Step(StepKind.NORMALISE, "minmax"), Step(StepKind.AGGREGATE, "arithmetic", threshold=0.5))
    )
    assert not math.isnan(score(fw, data, lenient).score("gov")[2])


def test_group_mean_imputation(fw: Framework, data: Dataset) -> None:
    pipe = Pipeline(
        (
            Step(StepKind.IMPUTE, "group_mean", {"by": "size"}),
            Step(StepKind.NORMALISE, "minmax"),
            Step(StepKind.AGGREGATE, "arithmetic"),
        )
    )
    r = score(fw, data, pipe)
    assert r.stages["imputed"][2, 2] == 40.0  # C is 'big' like A (40)
    assert np.isnan(r.stages["raw"][2, 2])


def test_geometric_mean_of_zero_is_an_explicit_error(fw: Framework, data: Dataset) -> None:
    pipe = Pipeline((Step(StepKind.NORMALISE, "minmax"), Step(StepKind.AGGREGATE, "geometric")))
    with pytest.raises(
        EngineError, match=r"aggregate node 'svc' with 'geometric' needs values > 0"
    ):
        score(fw, data, pipe)


# -- pipeline errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "steps: [{step: normalise, method: minmaxx}, {step: aggregate, method: arithmetic}]",
            "p.yaml: steps[0].method: unknown normalise method 'minmaxx' (registered: borda, "
            "dist_to_max, dist_to_reference, dist_to_target, fixed_bounds, fraction_of_max, "
            "goalposts, identity, minmax, ordinal_levels, percentile_rank, progress, rank, "
            "zscore)",
        ),
        (
            "steps: [{step: normalise, method: minmax, params: {lowr: 0}}, "
            "{step: aggregate, method: arithmetic}]",
            "p.yaml: steps[0].params.lowr: unknown parameter of normalise method 'minmax' "
            "(parameters: lower, upper)",
        ),
        (
            "steps: [{step: normalise, method: minmax}, {step: aggregate, method: arithmetic, "
            "overrides: [{nodes: [nowhere], method: geometric}]}]",
            "p.yaml: steps[1].overrides[0].nodes[0]: unknown node 'nowhere'",
        ),
        (
            "steps: [{step: normalise, method: minmax}, {step: aggregate, method: arithmetic, "
            "overrides: [{levels: [pilar], method: geometric}]}]",
            "p.yaml: steps[1].overrides[0].levels[0]: unknown level 'pilar' (levels are: "
            "dimension, element, indicator, index)",
        ),
        (
            "steps: [{step: normalise, method: minmax}, {step: aggregate, method: arithmetic, "
            "overrides: [{indicators: [wait], method: geometric}]}]",
            "p.yaml: steps[1].overrides[0].indicators: the aggregate step works on aggregates; "
            "name nodes or levels",
        ),
        (
            "steps: [{step: normalise, method: minmax, "
            "overrides: [{levels: [element], method: rank}]},"
            " {step: aggregate, method: arithmetic}]",
            "p.yaml: steps[0].overrides[0].levels: the normalise step works on indicators; level "
            "'element' is not the indicator level ('indicator')",
        ),
    ],
)
def test_bad_pipelines_are_reported_before_any_arithmetic(
    fw: Framework, data: Dataset, text: str, expected: str, host_with: Any
) -> None:
    host_with()  # only cityeval's own methods: a user's extra method plugin changes no message
    with pytest.raises(InputError) as exc:
        score(fw, data, loads_pipeline(text, source="p.yaml"), source="p.yaml")
    assert str(exc.value) == expected


def test_data_that_does_not_fit_the_framework(fw: Framework) -> None:
    data = Dataset(("A",), ("permits", "colour"), np.array([[1.0, 2.0]]), source="d.csv")
    with pytest.raises(InputError, match=r"d\.csv"):
        score(fw, data)


# -- panel data and results ----------------------------------------------------------------------


def test_panel_data_is_scored_per_time_point(fw: Framework) -> None:
    ids = tuple(i.id for i in fw.indicators())
    panel = np.stack([VALUES, VALUES * 1.1])
    panel[1, :, 4] = VALUES[:, 4]  # 'maturity' is ordinal: its values stay levels
    panel[1, 2, 2] = 44.0
    data = Dataset(UNITS, ids, panel, times=(2018, 2019))
    pipe = Pipeline(
        (
            Step(StepKind.IMPUTE, "latest"),
            Step(StepKind.NORMALISE, "minmax"),
            Step(StepKind.AGGREGATE, "arithmetic"),
        )
    )
    r = score(fw, data, pipe)
    assert r.aggregates.shape == (2, 4, 6)
    single = score(fw, Dataset(UNITS, ids, r.stages["imputed"][1]))
    np.testing.assert_allclose(r.scores[1], single.scores)
    assert "time" in r.scores_csv().splitlines()[0]


def test_exports(fw: Framework, data: Dataset, tmp_path: object) -> None:
    import json
    from pathlib import Path

    r = score(fw, data)
    out = Path(str(tmp_path))
    files = r.write(out)
    assert [f.name for f in files] == ["scores.csv", "ranks.csv", "results.json"]
    header = (out / "scores.csv").read_text().splitlines()[0].split(",")
    assert header == [
        "unit",
        "city",
        "gov",
        "env",
        "svc",
        "pol",
        "waste",
        "permits",
        "wait",
        "opendata",
        "recycled",
        "maturity",
    ]
    assert (out / "ranks.csv").read_text().splitlines()[0] == "unit,city,gov,env,svc,pol,waste"
    doc = json.loads((out / "results.json").read_text())
    assert doc["top"] == "city"
    assert doc["pipeline"]["steps"][0]["method"] == "minmax"
    assert doc["stages"]["names"] == ["raw", "normalised"]
    assert doc["scores"]["opendata"][2] is None
    assert doc["strongest_weakest"]["A"]["strongest"]
    frame = r.to_pandas()
    assert list(frame.index) == list(UNITS)
    np.testing.assert_allclose(frame["city"].to_numpy(), r.score("city"))


def test_bands_give_each_unit_its_predicate(fw: Framework, data: Dataset) -> None:
    from cityeval.model import Band

    bands = (
        Band(Label(id="Kurang", en="Poor"), None, 40.0),
        Band(Label(id="Baik", en="Good"), 40.0, 70.0),
        Band(Label(id="Memuaskan", en="Satisfying"), 70.0, None),
    )
    banded = Framework(fw.id, fw.name, fw.levels, fw.dimensions, bands=bands)
    r = score(banded, data)
    predicates = r.predicates()["city"]
    for u, unit in enumerate(r.units):
        value = float(r.score("city")[u])
        expected = "Kurang" if value < 40 else "Baik" if value < 70 else "Memuaskan"
        assert predicates[unit].text("id") == expected
    assert r.to_dict()["predicates"]["city"]["A"] is not None


def test_overlapping_bands_are_rejected(fw: Framework) -> None:
    from cityeval import ModelError
    from cityeval.model import Band

    with pytest.raises(ModelError, match=r"bands\[1\]: band 'b' overlaps band 'a'"):
        Framework(
            fw.id,
            fw.name,
            fw.levels,
            fw.dimensions,
            bands=(Band(Label(en="a"), 0, 50), Band(Label(en="b"), 40, 100)),
        )


def test_effective_weights_of_a_run(fw: Framework, data: Dataset) -> None:
    r = score(fw, data)
    eff = r.effective_weights()
    assert sum(eff[i] for i in r.indicator_ids) == pytest.approx(1.0)
    assert eff["city"] == 1.0
    # gov weighs 2 of 3; svc half of gov; permits half of svc
    assert eff["permits"] == pytest.approx(2 / 3 * 1 / 2 * 1 / 2)
    declared = fw.effective_weights(within="index")
    for ind in r.indicator_ids:
        assert eff[ind] == pytest.approx(declared[ind])

"""The national evaluation index (2021+) as shipped by the gerakan100 plugin."""

from __future__ import annotations

import pytest

from cityeval import ExplicitWeights, Framework, Grade, get_framework, load_framework
from cityeval.model import StepKind

KEDIRI_2022 = {
    "baseline.score": 3.60,
    "output.score": 3.21,
    "outcome.score": 3.23,
    "impact.score": 3.07,
    "quick_win.score": 3.65,
}


@pytest.fixture(scope="module")
def fw() -> Framework:
    return get_framework("gerakan100-evaluation")


def test_five_evaluation_dimensions_of_one_indicator(fw: Framework) -> None:
    assert [d.id for d in fw.dimensions] == [
        "baseline",
        "output",
        "outcome",
        "impact",
        "quick_win",
    ]
    assert [i.id for i in fw.indicators()] == list(KEDIRI_2022)
    assert not fw.template and fw.levels == ("dimension", "indicator")
    for dim in fw.dimensions:
        assert dim.label.id and dim.label.en and dim.description is not None
        assert dim.description.id and dim.description.en


def test_declared_weights_are_variant_a_and_set_b_is_variant_b(fw: Framework) -> None:
    assert [d.weight for d in fw.dimensions] == [10, 20, 30, 20, 20]
    assert fw.weight_set("B").weights == {"impact": 30, "quick_win": 10}


@pytest.mark.parametrize(("variant", "expected"), [("A", 3.315), ("B", 3.257)])
def test_kediri_2022(fw: Framework, variant: str, expected: float) -> None:
    scheme = ExplicitWeights.from_set(fw, "B") if variant == "B" else None
    weights = fw.effective_weights(scheme, within="index")
    assert sum(weights.values()) == pytest.approx(1.0)
    total = sum(weights[k] * v for k, v in KEDIRI_2022.items())
    assert round(total, 3) == expected


def test_the_pipeline_takes_the_scores_as_they_are(fw: Framework) -> None:
    assert fw.pipeline is not None
    normalise, aggregate = fw.pipeline.get(StepKind.NORMALISE), fw.pipeline.get(StepKind.AGGREGATE)
    assert normalise is not None and normalise.method == "identity"
    assert aggregate is not None and aggregate.method == "arithmetic"


def test_the_unknown_scale_and_the_graded_sources_are_in_the_data(fw: Framework) -> None:
    assert fw.note is not None and "scale" in fw.note and "2.5" in fw.note and "3.7" in fw.note
    grades = {s.grade for s in fw.sources}
    assert {Grade.A, Grade.B} <= grades
    assert any("B-1013/DJAI/AI.01.02/10/2021" in s.citation for s in fw.sources)
    assert any(s.url is not None and "slemankab" in s.url for s in fw.sources)
    for ind in fw.indicators():
        assert ind.unit is not None and "unknown" in ind.unit
        assert ind.bounds is None  # the maximum of the scale is not known


def test_the_data_file_loads_through_the_public_loader(fw: Framework) -> None:
    from importlib.resources import as_file

    from cityeval_gerakan100 import EVALUATION_FILE

    with as_file(EVALUATION_FILE) as path:
        assert load_framework(path) == fw


@pytest.mark.parametrize(("weight_set", "expected"), [(None, 3.315), ("B", 3.257)])
def test_kediri_2022_through_the_scoring_engine(
    fw: Framework, weight_set: str | None, expected: float
) -> None:
    """The default pipeline (identity, then weighted means) gives the published total."""
    import numpy as np

    from cityeval.data import Dataset
    from cityeval.engine import score
    from cityeval.model import Pipeline, Step

    data = Dataset(("kota-kediri",), tuple(KEDIRI_2022), np.array([list(KEDIRI_2022.values())]))
    pipeline = None
    if weight_set is not None:
        assert fw.pipeline is not None
        pipeline = Pipeline(
            (
                fw.pipeline.steps[0],
                Step(StepKind.WEIGHT, "explicit", {"set": weight_set}),
                *fw.pipeline.steps[1:],
            )
        )
    results = score(fw, data, pipeline)
    assert results.top_id == "gerakan100-evaluation"
    assert round(float(results.score(results.top_id)[0]), 3) == expected
    # the components are taken as they are
    np.testing.assert_allclose(results.normalised[0], list(KEDIRI_2022.values()))
    # the published total was 3.31 (two decimals): variant A agrees with it to within the
    # published precision, variant B does not
    total = float(results.score(results.top_id)[0])
    assert (abs(total - 3.31) < 0.01) == (weight_set is None)

"""Specification errors, pinned: structure first, then against the framework and pipeline."""

from __future__ import annotations

import pytest

from cityeval.data import Dataset
from cityeval.errors import InputError
from cityeval.model import Framework, Pipeline, Step, StepKind
from cityeval.uncertainty import FactorStep, SamplingMethod, loads_spec, prepare

SPEC = """
draws: 4096
seed: 20190611
method: sobol
factors:
  pillar_weights:
    step: weight
    level: 2
    noise: 0.25
  normalisation:
    step: normalise
    choices: [minmax, zscore]
  aggregation:
    step: aggregate
    choices: [arithmetic, geometric]
"""


def _error(text: str) -> str:
    with pytest.raises(InputError) as info:
        loads_spec(text, source="spec.yaml")
    return str(info.value)


def test_the_issue_example_loads() -> None:
    spec = loads_spec(SPEC, source="spec.yaml")
    assert spec.draws == 4096
    assert spec.method is SamplingMethod.SOBOL
    assert list(spec.factors) == ["pillar_weights", "normalisation", "aggregation"]
    assert spec.factors["pillar_weights"].step is FactorStep.WEIGHT
    assert spec.factors["pillar_weights"].form == "noise"
    assert spec.factors["aggregation"].choices == ("arithmetic", "geometric")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "draws: 100\nmethod: sobol\n",
            "spec.yaml: draws: must be a power of two for method 'sobol' (Sobol' points lose "
            "their balance otherwise), got 100; use 64 or 128",
        ),
        (
            "draws: 8\nfactors:\n  w: {step: weight, level: 2, noise: 1.5}\n",
            "spec.yaml: factors.w.noise: must be greater than 0 and at most 1 (weights stay "
            ">= 0), got 1.5",
        ),
        (
            "draws: 8\nfactors:\n  w: {step: weight, level: 2, noise: 0}\n",
            "spec.yaml: factors.w.noise: must be greater than 0 and at most 1 (weights stay "
            ">= 0), got 0.0",
        ),
        (
            "draws: 8\nfactors:\n  w: {step: weight, level: 2, noise: lots}\n",
            "spec.yaml: factors.w.noise: expected a number, got 'lots'",
        ),
        (
            "draws: 8\nfactors:\n  w: {step: weight, noise: 0.2}\n",
            "spec.yaml: factors.w.level: required ('weight' factors take 'level' and 'noise', "
            "or 'sets')",
        ),
        (
            "draws: 8\nfactors:\n  a: {step: aggregate, choices: [arithmetic], level: 2}\n",
            "spec.yaml: factors.a.level: 'aggregate' factors take 'choices'; not 'level'",
        ),
        (
            "draws: 8\nfactors:\n  t: {step: treat, param: winmax, range: [5, 1]}\n",
            "spec.yaml: factors.t.range: the lower bound 5 is above the upper bound 1",
        ),
        (
            "draws: 8\nfactors:\n  n: {step: normalise, choices: [minmax, minmax]}\n",
            "spec.yaml: factors.n.choices[1]: 'minmax' is listed twice",
        ),
        (
            "draws: 8\nfactors:\n  x: {step: rescale, choices: [a]}\n",
            "spec.yaml: factors.x.step: expected one of 'impute', 'treat', 'normalise', "
            "'weight', 'aggregate', 'exclude', got 'rescale'",
        ),
        (
            "draws: 8\nfactors:\n  x: {step: exclude, level: 1, lvl: 2}\n",
            "spec.yaml: factors.x.lvl: unknown field (expected one of: step, level, noise, "
            "choices, sets, param, range)",
        ),
        (
            "draws: 8\nfactors: [1, 2]\n",
            "spec.yaml: factors: expected a mapping of factor names to factors",
        ),
        ("draws: 0\n", "spec.yaml: draws: must be at least 1, got 0"),
    ],
)
def test_structural_errors(text: str, message: str) -> None:
    assert _error(text) == message


def _check(
    toy: tuple[Framework, Dataset, Pipeline], factors: str, pipeline: Pipeline | None = None
) -> str:
    fw, data, pipe = toy
    spec = loads_spec(f"draws: 8\nfactors:\n{factors}", source="spec.yaml")
    with pytest.raises(InputError) as info:
        prepare(fw, data, pipeline or pipe, spec, source="spec.yaml")
    return str(info.value)


NO_TREAT = Pipeline(
    steps=(
        Step(StepKind.NORMALISE, "minmax"),
        Step(StepKind.AGGREGATE, "arithmetic"),
    )
)


def test_factor_on_a_missing_step(toy: tuple[Framework, Dataset, Pipeline]) -> None:
    message = _check(toy, "  treatment: {step: treat, choices: [coinr, none]}\n", NO_TREAT)
    assert message == (
        "spec.yaml: factors.treatment.step: the pipeline has no 'treat' step; add one to the "
        "pipeline to vary it"
    )


def test_unknown_level(toy: tuple[Framework, Dataset, Pipeline]) -> None:
    message = _check(toy, "  pillar_weights: {step: weight, level: 7, noise: 0.2}\n")
    assert message == (
        "spec.yaml: factors.pillar_weights.level: unknown level 7 (levels are 1 = indicator, "
        "2 = pillar, 3 = dimension, 4 = index)"
    )


def test_the_top_level_has_no_weight(toy: tuple[Framework, Dataset, Pipeline]) -> None:
    message = _check(toy, "  top: {step: exclude, level: 4}\n")
    assert message == (
        "spec.yaml: factors.top.level: level 4 is the top (index), which has no siblings to "
        "be excluded from; use a level from 1 to 3 (1 = indicator, 2 = pillar, "
        "3 = dimension, 4 = index)"
    )


def test_unregistered_method(toy: tuple[Framework, Dataset, Pipeline]) -> None:
    message = _check(toy, "  norm: {step: normalise, choices: [minmax, zscor]}\n")
    assert message.startswith(
        "spec.yaml: factors.norm.choices[1]: unknown normalise method 'zscor' (registered: "
    )


def test_an_unknown_aggregate_method(toy: tuple[Framework, Dataset, Pipeline]) -> None:
    message = _check(toy, "  agg: {step: aggregate, choices: [arithmetic, modal]}\n")
    assert message.startswith(
        "spec.yaml: factors.agg.choices[1]: unknown aggregate method 'modal' (registered: "
    )


def test_unknown_weight_set(toy: tuple[Framework, Dataset, Pipeline]) -> None:
    message = _check(toy, "  sets: {step: weight, sets: [declared, steep]}\n")
    assert message == (
        "spec.yaml: factors.sets.sets[1]: unknown weight set 'steep' (the framework has: "
        "'flat', 'declared')"
    )


def test_unknown_parameter(toy: tuple[Framework, Dataset, Pipeline]) -> None:
    message = _check(toy, "  wm: {step: treat, param: winmin, range: [1, 3]}\n")
    assert (
        message
        == "spec.yaml: factors.wm.param: 'winmin' is no parameter of treat method(s) 'coinr'"
    )


def test_every_problem_is_listed(toy: tuple[Framework, Dataset, Pipeline]) -> None:
    message = _check(
        toy,
        "  a: {step: weight, level: 9, noise: 0.1}\n"
        "  b: {step: weight, level: 9, noise: 0.2}\n"
        "  c: {step: impute, choices: [mean, nearest]}\n",
    )
    lines = message.splitlines()
    assert lines[0].startswith("spec.yaml: factors.a.level: unknown level 9")
    assert (
        lines[1]
        == "spec.yaml: factors.b: factors.a already varies the same thing; one factor each"
    )
    assert lines[2].startswith("spec.yaml: factors.b.level: unknown level 9")
    assert lines[3].startswith("spec.yaml: factors.c.choices[1]: unknown impute method 'nearest'")

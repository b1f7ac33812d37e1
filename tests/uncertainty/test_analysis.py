"""The batched analysis against the engine, against numpy, and against itself."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
import pytest

from cityeval.data import Dataset
from cityeval.engine import score
from cityeval.model import ExplicitWeights, Framework, Override, Pipeline, Step, StepKind
from cityeval.uncertainty import (
    TemporarySpaceError,
    UncertaintyResults,
    analyse,
    loads_spec,
    prepare,
    run_analysis,
    temporary_bytes,
)
from cityeval.uncertainty.design import Prepared
from cityeval.uncertainty.stats import QUANTILES

from .conftest import PIPELINE, make_dataset, make_framework

ALL_FACTORS = """
draws: {draws}
seed: 11
method: {method}
score_precision: {precision}
nodes: all
factors:
  pillar_weights: {{step: weight, level: 2, noise: 0.4}}
  weight_set: {{step: weight, sets: [declared, flat]}}
  imputation: {{step: impute, choices: [mean, median]}}
  treatment: {{step: treat, choices: [coinr, none]}}
  winmax: {{step: treat, param: winmax, range: [1, 3]}}
  normalisation: {{step: normalise, choices: [minmax, zscore]}}
  aggregation: {{step: aggregate, choices: [arithmetic, geometric]}}
  dropped: {{step: exclude, level: 1}}
"""


def _same(a: UncertaintyResults, b: UncertaintyResults) -> None:
    for k in a.rank:
        np.testing.assert_array_equal(a.rank[k], b.rank[k], err_msg=k)
        np.testing.assert_array_equal(a.score[k], b.score[k], err_msg=k)
    np.testing.assert_array_equal(a.outputs, b.outputs)
    if a.sobol is not None:
        assert b.sobol is not None
        for key in ("S1", "S1_conf", "ST", "ST_conf"):
            np.testing.assert_array_equal(getattr(a.sobol, key), getattr(b.sobol, key))
    assert a.rescaled_rows == b.rescaled_rows


@pytest.fixture(scope="module")
def sobol_prepared(toy: tuple[Framework, Dataset, Pipeline]) -> Prepared:
    fw, data, pipe = toy
    spec = loads_spec(ALL_FACTORS.format(draws=32, method="sobol", precision="double"))
    return prepare(fw, data, pipe, spec)


@pytest.fixture(scope="module")
def sobol_results(sobol_prepared: Prepared) -> UncertaintyResults:
    return run_analysis(sobol_prepared, batch_size=40)


# -- nominal ----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["monte-carlo", "sobol"])
def test_no_factor_reproduces_the_nominal_results(
    toy: tuple[Framework, Dataset, Pipeline], method: str
) -> None:
    fw, data, pipe = toy
    results = analyse(fw, data, pipe, loads_spec(f"draws: 16\nmethod: {method}\nnodes: all\n"))
    nominal = score(fw, data, pipe)
    for k in ("median", "mean", "q05", "q95"):
        np.testing.assert_array_equal(results.rank[k], nominal.ranks)
        np.testing.assert_allclose(results.score[k], nominal.aggregates, rtol=1e-12)
    assert np.all(results.outputs[:, 0] == 0)
    assert results.sobol is None


# -- every draw is what the engine gives ------------------------------------------------------


def _option(prepared: Prepared, row: int, name: str) -> Any:
    f = next(f for f in prepared.plan.factors if f.name == name)
    return f.labels[int(f.option(prepared.sample[row : row + 1])[0])]


def _engine_pipeline(prepared: Prepared, fw: Framework, row: int, rescaled: bool) -> Pipeline:
    """The draw's settings written as an ordinary pipeline, independently of the plan."""
    treat = _option(prepared, row, "treatment")
    normalise = _option(prepared, row, "normalisation")
    method = _option(prepared, row, "aggregation")
    weight_set = _option(prepared, row, "weight_set")
    dropped = _option(prepared, row, "dropped")
    raw = (
        ExplicitWeights() if weight_set == "declared" else ExplicitWeights.from_set(fw, weight_set)
    ).weights(fw)
    noise = next(f for f in prepared.plan.factors if f.name == "pillar_weights")
    lo, hi = noise.columns
    u = prepared.sample[row, lo:hi]
    for pillar, ui in zip(noise.labels, u, strict=True):
        raw[pillar] *= 1 - 0.4 + 2 * 0.4 * ui
    if dropped != "none":
        raw[dropped] = 0.0
    if rescaled:
        # the positivity rule: min-max onto [1, 100] of an affine normalisation is just that
        norm_step = Step(StepKind.NORMALISE, "minmax", {"lower": 1.0, "upper": 100.0})
    elif normalise == "minmax":
        norm_step = Step(StepKind.NORMALISE, "minmax", {"lower": 0.0, "upper": 100.0})
    else:
        norm_step = Step(StepKind.NORMALISE, "zscore")
    overrides = (
        *(
            Override(
                nodes=(node.id,),
                method="explicit",
                params={"weights": {c.id: raw[c.id] for c in node.members}},
            )
            for node in fw.aggregates()
        ),
        Override(
            nodes=(fw.id,),
            method="explicit",
            params={"weights": {d.id: raw[d.id] for d in fw.dimensions}},
        ),
    )
    treat_step = (
        Step(StepKind.TREAT, "coinr", {"winmax": int(_option(prepared, row, "winmax"))})
        if treat == "coinr"
        else Step(StepKind.TREAT, "none")
    )
    return Pipeline(
        steps=(
            Step(StepKind.IMPUTE, _option(prepared, row, "imputation")),
            treat_step,
            norm_step,
            Step(StepKind.WEIGHT, "explicit", overrides=overrides),
            Step(StepKind.AGGREGATE, method),
        )
    )


def test_every_draw_equals_the_engine_run_with_its_settings(
    toy: tuple[Framework, Dataset, Pipeline],
) -> None:
    fw, data, pipe = toy
    prepared = prepare(
        fw,
        data,
        pipe,
        loads_spec(ALL_FACTORS.format(draws=400, method="monte-carlo", precision="single")),
    )
    rows = np.random.default_rng(0).choice(prepared.n_rows, size=24, replace=False)
    scores, ranks = prepared.draw_scores(rows)
    kinds = set()
    for k, row in enumerate(rows):
        pipeline = _engine_pipeline(prepared, fw, int(row), rescaled=False)
        if pipeline.steps[-1].method == "geometric":
            # the rule applies when the draw's normalised values (whatever is excluded) are not
            # all positive; find out with an arithmetic run of the same pipeline
            steps = (*pipeline.steps[:-1], Step(StepKind.AGGREGATE, "arithmetic"))
            if np.nanmin(score(fw, data, Pipeline(steps=steps)).normalised) <= 0:
                pipeline = _engine_pipeline(prepared, fw, int(row), rescaled=True)
        engine = score(fw, data, pipeline)
        np.testing.assert_allclose(scores[k], engine.aggregates, rtol=1e-10, atol=1e-10)
        np.testing.assert_array_equal(ranks[k], engine.ranks)
        kinds.add(
            (
                _option(prepared, int(row), "aggregation"),
                _option(prepared, int(row), "dropped") != "none",
            )
        )
    assert len(kinds) == 4  # geometric and arithmetic, with and without an exclusion


# -- statistics -------------------------------------------------------------------------------


def test_statistics_equal_numpy_on_all_draws(
    sobol_prepared: Prepared, sobol_results: UncertaintyResults
) -> None:
    k = sobol_prepared.plan.rows_per_block
    rows = [r for r in range(sobol_prepared.n_rows) if r % k in (0, k - 1)]
    scores, ranks = sobol_prepared.draw_scores(rows)
    q = np.quantile(ranks, QUANTILES, axis=0)
    np.testing.assert_array_equal(sobol_results.rank["q05"], q[0])
    np.testing.assert_array_equal(sobol_results.rank["median"], q[1])
    np.testing.assert_array_equal(sobol_results.rank["q95"], q[2])
    np.testing.assert_allclose(sobol_results.rank["mean"], ranks.mean(axis=0), rtol=1e-12)
    qs = np.quantile(scores, QUANTILES, axis=0)
    np.testing.assert_allclose(sobol_results.score["q05"], qs[0], rtol=1e-12)
    np.testing.assert_allclose(sobol_results.score["median"], qs[1], rtol=1e-12)
    np.testing.assert_allclose(sobol_results.score["q95"], qs[2], rtol=1e-12)
    np.testing.assert_allclose(sobol_results.score["mean"], scores.mean(axis=0), rtol=1e-12)
    assert sobol_results.n_draws == len(rows) == 64


def test_single_precision_scores_are_the_rounded_draws_statistics(
    toy: tuple[Framework, Dataset, Pipeline],
    sobol_prepared: Prepared,
    sobol_results: UncertaintyResults,
) -> None:
    fw, data, pipe = toy
    spec = loads_spec(ALL_FACTORS.format(draws=32, method="sobol", precision="single"))
    single = run_analysis(prepare(fw, data, pipe, spec), batch_size=24)
    k = sobol_prepared.plan.rows_per_block
    rows = [r for r in range(sobol_prepared.n_rows) if r % k in (0, k - 1)]
    scores, _ = sobol_prepared.draw_scores(rows)
    rounded = scores.astype(np.float32).astype(np.float64)
    qs = np.quantile(rounded, QUANTILES, axis=0)
    for i, key in enumerate(("q05", "median", "q95")):
        np.testing.assert_allclose(single.score[key], qs[i], rtol=1e-12, err_msg=key)
        np.testing.assert_allclose(
            single.score[key], sobol_results.score[key], rtol=1.2e-7, atol=1e-30, err_msg=key
        )
    np.testing.assert_allclose(single.score["mean"], rounded.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(single.score["mean"], sobol_results.score["mean"], rtol=1.2e-7)
    # Everything else is computed in double precision whatever the setting.
    for key in sobol_results.rank:
        np.testing.assert_array_equal(single.rank[key], sobol_results.rank[key], err_msg=key)
    np.testing.assert_array_equal(single.outputs, sobol_results.outputs)
    np.testing.assert_array_equal(single.nominal_score, sobol_results.nominal_score)
    assert single.sobol is not None and sobol_results.sobol is not None
    np.testing.assert_array_equal(single.sobol.ST, sobol_results.sobol.ST)


def test_the_positivity_rule_is_counted(sobol_results: UncertaintyResults) -> None:
    geometric = sum(g["runs"] for g in sobol_results.groups if "geometric" in g["group"])
    assert sobol_results.rescaled_rows == geometric > 0
    assert any("positivity rule" in n for n in sobol_results.notes)


def test_sobol_outputs_agree_with_salib(
    sobol_prepared: Prepared, sobol_results: UncertaintyResults
) -> None:
    salib = pytest.importorskip("SALib.analyze.sobol")
    names = sobol_prepared.input_names
    problem = {
        "num_vars": len(names),
        "names": list(names),
        "bounds": [[0.0, 1.0]] * len(names),
        "groups": [n.split(":")[0] for n in names],
    }
    assert sobol_results.sobol is not None
    for j in (0, 3):
        ref = salib.analyze(problem, sobol_results.outputs[:, j], calc_second_order=False, seed=11)
        np.testing.assert_allclose(sobol_results.sobol.ST[j], ref["ST"], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(sobol_results.sobol.S1[j], ref["S1"], rtol=1e-9, atol=1e-12)


def test_a_factor_that_changes_nothing_has_no_total_effect() -> None:
    fw = make_framework(single_child_pillars=True)  # each dimension has one pillar
    data = make_dataset(fw)
    spec = loads_spec(
        "draws: 64\nseed: 4\nmethod: sobol\nfactors:\n"
        "  pillar_weights: {step: weight, level: 2, noise: 0.5}\n"
        "  indicator_weights: {step: weight, level: 1, noise: 0.5}\n"
    )
    results = analyse(fw, data, PIPELINE, spec)
    assert results.sobol is not None
    assert results.factor_names == ("pillar_weights", "indicator_weights")
    np.testing.assert_array_equal(results.sobol.ST[:, 0], 0.0)
    np.testing.assert_array_equal(results.sobol.S1[:, 0], 0.0)
    assert results.sobol.ST[0, 1] > 0.5


# -- the same results however the draws are batched and run -----------------------------------


def test_batch_size_does_not_matter(
    sobol_prepared: Prepared, sobol_results: UncertaintyResults
) -> None:
    for size in (10, 1000):
        _same(sobol_results, run_analysis(sobol_prepared, batch_size=size))


@pytest.mark.parametrize("threads", [1, 3])
def test_threads_do_not_change_the_results(
    sobol_prepared: Prepared, sobol_results: UncertaintyResults, threads: int
) -> None:
    _same(sobol_results, run_analysis(sobol_prepared, batch_size=10, threads=threads))


def test_threads_must_be_positive(sobol_prepared: Prepared) -> None:
    with pytest.raises(ValueError, match="threads: expected a positive number, got 0"):
        run_analysis(sobol_prepared, threads=0)


def test_running_out_of_room_mid_run_is_a_clear_error(
    sobol_prepared: Prepared, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    def full(fd: int, data: object, offset: int) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "pwrite", full)
    with pytest.raises(TemporarySpaceError, match=r"ran out of room in .* while writing"):
        run_analysis(sobol_prepared, batch_size=10, threads=2)


def test_the_temporary_size_is_what_the_files_take(sobol_prepared: Prepared) -> None:
    plan = sobol_prepared.plan
    slots = 2 * (sobol_prepared.n_rows // plan.rows_per_block)
    expected = slots * plan.n_units * plan.n_varying_nodes * 8  # double precision
    assert temporary_bytes(sobol_prepared) == expected > 0


def test_ranks_spooled_to_disk_give_the_same_results(
    sobol_prepared: Prepared, sobol_results: UncertaintyResults, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Histogram tables too large for memory: ranks go to a file in unit order instead.
    monkeypatch.setattr("cityeval.uncertainty.space.HISTOGRAM_BUDGET", 0)
    _same(sobol_results, run_analysis(sobol_prepared, batch_size=10, threads=2))


def test_a_process_pool_writing_unit_order_ranks_gives_the_same_results(
    sobol_prepared: Prepared, sobol_results: UncertaintyResults, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One node's count table too large: workers write ranks in unit order, not codes.
    monkeypatch.setattr("cityeval.uncertainty.space.CODE_TABLE_BUDGET", 0)
    with ProcessPoolExecutor(max_workers=2) as pool:
        _same(sobol_results, run_analysis(sobol_prepared, executor=pool, batch_size=30))


def test_a_process_pool_gives_the_same_results(
    sobol_prepared: Prepared, sobol_results: UncertaintyResults
) -> None:
    with ProcessPoolExecutor(max_workers=2) as pool:
        _same(sobol_results, run_analysis(sobol_prepared, executor=pool, batch_size=30))


def test_progress_reports_every_row(sobol_prepared: Prepared) -> None:
    seen: list[tuple[int, int]] = []
    run_analysis(sobol_prepared, batch_size=50, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (sobol_prepared.n_rows, sobol_prepared.n_rows)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_local_pool_needs_room_for_the_rank_codes_too(sobol_prepared: Prepared) -> None:
    plan = sobol_prepared.plan
    slots = 2 * (sobol_prepared.n_rows // plan.rows_per_block)
    cells = slots * plan.n_units * plan.n_varying_nodes
    assert temporary_bytes(sobol_prepared, local_pool=True) == cells * (8 + 4)

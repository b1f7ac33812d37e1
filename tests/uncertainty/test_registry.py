"""Aggregators come from the method registry: batched forms by implementation, any other
registered aggregator parent by parent, every draw equal to the engine's run."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from cityeval import hookimpl
from cityeval.data import Dataset
from cityeval.engine import score
from cityeval.methods import aggregate as agg
from cityeval.model import ExplicitWeights, Framework, Override, Pipeline, Step, StepKind
from cityeval.uncertainty import (
    BatchedAggregator,
    analyse,
    loads_spec,
    prepare,
    register_batched_aggregator,
)
from cityeval.uncertainty.design import Prepared
from cityeval.uncertainty.kernels import batched_form

from .conftest import PIPELINE

SPEC = """
draws: 40
seed: 9
nodes: all
factors:
  pillar_weights: {{step: weight, level: 2, noise: 0.4}}
  dropped: {{step: exclude, level: 1}}
  aggregation: {{step: aggregate, choices: [{choices}]}}
"""


def _option(prepared: Prepared, row: int, name: str) -> str:
    f = next(f for f in prepared.plan.factors if f.name == name)
    return f.labels[int(f.option(prepared.sample[row : row + 1])[0])]


def _engine(prepared: Prepared, fw: Framework, data: Dataset, row: int) -> Any:
    """The draw as an ordinary pipeline (min-max onto [0, 100] has zeros: no rule applies to
    these means)."""
    raw = ExplicitWeights().weights(fw)
    noise = next(f for f in prepared.plan.factors if f.name == "pillar_weights")
    lo, hi = noise.columns
    for pillar, u in zip(noise.labels, prepared.sample[row, lo:hi], strict=True):
        raw[pillar] *= 1 - 0.4 + 2 * 0.4 * u
    dropped = _option(prepared, row, "dropped")
    if dropped != "none":
        raw[dropped] = 0.0
    overrides = (
        *(
            Override(
                nodes=(n.id,),
                method="explicit",
                params={"weights": {c.id: raw[c.id] for c in n.members}},
            )
            for n in fw.aggregates()
        ),
        Override(
            nodes=(fw.id,),
            method="explicit",
            params={"weights": {d.id: raw[d.id] for d in fw.dimensions}},
        ),
    )
    pipeline = Pipeline(
        steps=(
            *PIPELINE.steps[:-1],
            Step(StepKind.WEIGHT, "explicit", overrides=overrides),
            Step(StepKind.AGGREGATE, _option(prepared, row, "aggregation")),
        )
    )
    return score(fw, data, pipeline)


@pytest.mark.parametrize("choices", ["median, arithmetic", "copeland, minimum"])
def test_aggregators_without_a_batched_form_run_parent_by_parent(
    toy: tuple[Framework, Dataset, Pipeline], choices: str
) -> None:
    fw, data, pipe = toy
    prepared = prepare(fw, data, pipe, loads_spec(SPEC.format(choices=choices)))
    names = choices.split(", ")
    assert [m for m, _ in prepared.plan.methods] == names
    rows = np.arange(prepared.n_rows)
    scores, ranks = prepared.draw_scores(rows)
    seen = set()
    for r in rows[::3]:
        engine = _engine(prepared, fw, data, int(r))
        np.testing.assert_allclose(scores[r], engine.aggregates, rtol=1e-12, atol=1e-12)
        np.testing.assert_array_equal(ranks[r], engine.ranks)
        seen.add(_option(prepared, int(r), "aggregation"))
    assert seen == set(names)
    # The analysis runs through them, and its ranks are the draws' ranks.
    results = analyse(fw, data, pipe, loads_spec(SPEC.format(choices=choices)))
    top = results.column(results.top_id)
    order = [prepared.node_ids.index(n) for n in prepared.nominal.aggregate_ids]
    assert order  # the engine's order maps onto the plan's
    np.testing.assert_array_equal(
        results.rank["median"][:, top], np.quantile(ranks[:, :, top], 0.5, axis=0)
    )


def test_the_pipelines_own_median_is_accepted(
    toy: tuple[Framework, Dataset, Pipeline],
) -> None:
    fw, data, _ = toy
    pipe = Pipeline(steps=(*PIPELINE.steps[:-1], Step(StepKind.AGGREGATE, "median")))
    spec = loads_spec("draws: 16\nseed: 2\nnodes: all\n")
    results = analyse(fw, data, pipe, spec)
    nominal = score(fw, data, pipe)
    np.testing.assert_array_equal(results.rank["median"], nominal.ranks)


def _weighted_max(values: npt.ArrayLike, weights: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """A plugin's aggregator: the largest value among the children with a positive weight."""
    x = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    used = ~np.isnan(x) & (w[..., np.newaxis, :] > 0)
    out = np.where(used, x, -np.inf).max(axis=-1)
    return np.where(used.any(axis=-1), out, np.nan)


class _Plugin:
    @staticmethod
    @hookimpl
    def cityeval_register_methods(registry: Any) -> None:
        registry.add_method("aggregate", "best_child", _weighted_max)
        registry.add_method("aggregate", "mean_by_another_name", agg.arithmetic)


def test_a_plugins_aggregators_are_found_by_name_in_the_registry(
    toy: tuple[Framework, Dataset, Pipeline], host_with: Any
) -> None:
    fw, data, pipe = toy
    host_with(("extra-aggregators", _Plugin()))
    prepared = prepare(
        fw, data, pipe, loads_spec(SPEC.format(choices="best_child, mean_by_another_name"))
    )
    best, mean = prepared.plan.kernels
    # No batched form for the plugin's kernel: its own, parent by parent.
    assert best.kernel is _weighted_max and best.matrix is None and best.phi is None
    # The built-in kernel under another name keeps its batched form: looked up by kernel.
    assert mean is batched_form(agg.arithmetic) and mean.phi == "identity"
    scores, _ = prepared.draw_scores(np.arange(prepared.n_rows))
    for r in range(0, prepared.n_rows, 5):
        engine = _engine(prepared, fw, data, r)
        np.testing.assert_allclose(scores[r], engine.aggregates, rtol=1e-12, atol=1e-12)


def test_a_plugin_can_register_a_batched_form(
    toy: tuple[Framework, Dataset, Pipeline], host_with: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fw, data, pipe = toy
    host_with(("extra-aggregators", _Plugin()))
    calls = SimpleNamespace(n=0)

    def matrix(v: Any, m: Any, kw: Any) -> Any:
        calls.n += 1
        # the weighted max of every parent at once: the children with a positive weight
        used = ~np.isnan(v)[..., :, :, np.newaxis] & (m[..., np.newaxis, :, :] > 0)
        x = np.where(used, v[..., :, :, np.newaxis], -np.inf).max(axis=-2)
        return np.where(used.any(axis=-2), x, np.nan)

    monkeypatch.setattr("cityeval.uncertainty.kernels._FORMS", {})
    register_batched_aggregator(_weighted_max, BatchedAggregator(_weighted_max, matrix))
    prepared = prepare(fw, data, pipe, loads_spec(SPEC.format(choices="best_child")))
    scores, _ = prepared.draw_scores(np.arange(prepared.n_rows))
    assert calls.n > 0
    for r in range(0, prepared.n_rows, 7):
        engine = _engine(prepared, fw, data, r)
        np.testing.assert_allclose(scores[r], engine.aggregates, rtol=1e-12, atol=1e-12)

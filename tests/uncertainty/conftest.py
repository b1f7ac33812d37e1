"""A small index for uncertainty tests: 14 units, 3 levels below a synthetic overall index."""

from __future__ import annotations

import numpy as np
import pytest

from cityeval.data import Dataset
from cityeval.model import (
    Dimension,
    Direction,
    Framework,
    Indicator,
    Label,
    Pipeline,
    Step,
    StepKind,
)
from cityeval.model.framework import WeightSet

LEVELS = ("dimension", "pillar", "indicator")


def _indicator(k: int, rng: np.random.Generator) -> Indicator:
    return Indicator(
        id=f"i{k}",
        label=Label(en=f"Indicator {k}"),
        direction=Direction.LOWER if k % 4 == 3 else Direction.HIGHER,
        weight=float(rng.choice([0.5, 1.0, 2.0])),
        level="indicator",
    )


def make_framework(single_child_pillars: bool = False) -> Framework:
    """Two dimensions of pillars of indicators; with ``single_child_pillars`` every
    dimension has exactly one pillar."""
    rng = np.random.default_rng(3)
    counter = iter(range(1, 100))
    shape = [[3], [2]] if single_child_pillars else [[3, 2, 2], [2, 3]]
    dims = []
    for d, pillars in enumerate(shape, start=1):
        dims.append(
            Dimension(
                id=f"d{d}",
                label=Label(en=f"Dimension {d}"),
                weight=float(d),
                level="dimension",
                children=tuple(
                    Dimension(
                        id=f"p{d}{p}",
                        label=Label(en=f"Pillar {d}.{p}"),
                        weight=float(rng.choice([1.0, 2.0])),
                        level="pillar",
                        indicators=tuple(_indicator(next(counter), rng) for _ in range(n)),
                    )
                    for p, n in enumerate(pillars, start=1)
                ),
            )
        )
    sets = (
        ()
        if single_child_pillars
        else (WeightSet("flat", {"d1": 1.0, "d2": 1.0, "p11": 1.0, "p12": 1.0, "p13": 1.0}),)
    )
    return Framework(
        id="toy",
        name=Label(en="Toy index"),
        levels=LEVELS,
        dimensions=tuple(dims),
        weight_sets=sets,
    )


def make_dataset(framework: Framework, n_units: int = 14, seed: int = 5) -> Dataset:
    rng = np.random.default_rng(seed)
    ids = tuple(i.id for i in framework.indicators())
    values = rng.lognormal(2.0, 0.8, size=(n_units, len(ids)))
    values[rng.random(values.shape) < 0.05] = np.nan
    return Dataset(
        units=tuple(f"u{k:02d}" for k in range(n_units)),
        indicators=ids,
        values=values,
        groups={"region": tuple("ab"[k % 2] for k in range(n_units))},
    )


PIPELINE = Pipeline(
    steps=(
        Step(StepKind.IMPUTE, "mean"),
        Step(StepKind.TREAT, "coinr"),
        Step(StepKind.NORMALISE, "minmax", {"lower": 0.0, "upper": 100.0}),
        Step(StepKind.AGGREGATE, "arithmetic"),
    )
)


@pytest.fixture(scope="session")
def toy() -> tuple[Framework, Dataset, Pipeline]:
    fw = make_framework()
    return fw, make_dataset(fw), PIPELINE

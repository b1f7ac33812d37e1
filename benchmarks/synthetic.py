"""A deterministic synthetic national index: 514 regencies and cities by 300 indicators.

514 is the number of Indonesian regencies (*kabupaten*) and cities (*kota*) and 38 the number
of provinces. The framework has four named levels (dimension, sub-dimension, pillar, indicator);
with several dimensions the engine adds the overall index above them, so scores come out at
five levels, as in COINr. The data mix symmetric, bounded, count, lognormal (skewed) and
mostly-zero columns, so that COINr's treatment Winsorises some columns and log-transforms
others, and about 3% of the values are missing, to be filled by the province mean.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

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

__all__ = [
    "FULL",
    "LEVELS",
    "REDUCED",
    "Size",
    "Workload",
    "benchmark_pipeline",
    "make_dataset",
    "make_framework",
    "make_workload",
]

LEVELS = ("dimension", "subdimension", "pillar", "indicator")
GROUP = "province"
SEED = 20_240_514
#: Kinds of indicator column and their shares.
KINDS = {"lognormal": 0.32, "normal": 0.33, "percentage": 0.15, "count": 0.15, "sparse": 0.05}


class Size(NamedTuple):
    """The dimensions of a synthetic workload.

    Attributes
    ----------
    n_units, n_indicators, n_provinces : int
        Rows, columns and groups of the data set.
    n_dimensions : int
        Top nodes of the framework.
    subdimensions, pillars : tuple of (int, int)
        Inclusive ranges of sub-dimensions per dimension and of pillars per sub-dimension.
    """

    n_units: int
    n_indicators: int
    n_provinces: int
    n_dimensions: int
    subdimensions: tuple[int, int]
    pillars: tuple[int, int]


#: The size the issue asks for: 514 units, 300 indicators, 38 provinces, about 75 pillars.
FULL = Size(514, 300, 38, 6, (4, 6), (2, 3))
#: A small size for the test suite: 40 units, 30 indicators.
REDUCED = Size(40, 30, 6, 3, (2, 3), (1, 2))


class Workload(NamedTuple):
    """What :func:`cityeval.engine.score` takes: framework, data and pipeline."""

    framework: Framework
    dataset: Dataset
    pipeline: Pipeline


def benchmark_pipeline() -> Pipeline:
    """Province-mean imputation, COINr treatment, min-max onto [0, 100], arithmetic means."""
    return Pipeline(
        steps=(
            Step(StepKind.IMPUTE, "group_mean", {"by": GROUP}),
            Step(StepKind.TREAT, "coinr"),
            Step(StepKind.NORMALISE, "minmax", {"lower": 0.0, "upper": 100.0}),
            Step(StepKind.AGGREGATE, "arithmetic"),
        ),
        name="benchmark",
        description="group_mean by province, coinr treatment, minmax [0, 100], arithmetic",
    )


def _weight(rng: np.random.Generator, choices: tuple[float, ...]) -> float:
    return float(choices[int(rng.integers(len(choices)))])


def make_framework(size: Size = FULL, seed: int = SEED) -> Framework:
    """A four-level framework with ``size.n_indicators`` indicators, unequal weights, mixed
    directions (about a third lower-is-better)."""
    rng = np.random.default_rng(seed)
    shape = [
        [
            int(rng.integers(size.pillars[0], size.pillars[1] + 1))
            for _ in range(int(rng.integers(size.subdimensions[0], size.subdimensions[1] + 1)))
        ]
        for _ in range(size.n_dimensions)
    ]
    n_pillars = sum(sum(subs) for subs in shape)
    if n_pillars > size.n_indicators:
        raise ValueError(f"{n_pillars} pillars need at least as many indicators")
    # One indicator per pillar, the rest spread at random: 2 to 7 per pillar at full size.
    per_pillar = iter(
        1 + rng.multinomial(size.n_indicators - n_pillars, [1 / n_pillars] * n_pillars)
    )
    counter = iter(range(1, size.n_indicators + 1))

    def indicator() -> Indicator:
        k = next(counter)
        lower = rng.random() < 1 / 3
        return Indicator(
            id=f"ind{k:03d}",
            label=Label(id=f"Indikator {k}", en=f"Indicator {k}"),
            direction=Direction.LOWER if lower else Direction.HIGHER,
            weight=_weight(rng, (0.5, 1.0, 1.0, 1.0, 2.0)),
            level="indicator",
        )

    dimensions = []
    for d, subs in enumerate(shape, start=1):
        children = []
        for s, n_pil in enumerate(subs, start=1):
            pillars = tuple(
                Dimension(
                    id=f"p{d}.{s}.{p}",
                    label=Label(id=f"Pilar {d}.{s}.{p}", en=f"Pillar {d}.{s}.{p}"),
                    weight=_weight(rng, (1.0, 1.0, 2.0)),
                    indicators=tuple(indicator() for _ in range(int(next(per_pillar)))),
                    level="pillar",
                )
                for p in range(1, n_pil + 1)
            )
            children.append(
                Dimension(
                    id=f"s{d}.{s}",
                    label=Label(id=f"Subdimensi {d}.{s}", en=f"Sub-dimension {d}.{s}"),
                    weight=_weight(rng, (1.0, 1.0, 1.5)),
                    children=pillars,
                    level="subdimension",
                )
            )
        dimensions.append(
            Dimension(
                id=f"d{d}",
                label=Label(id=f"Dimensi {d}", en=f"Dimension {d}"),
                weight=_weight(rng, (1.0, 1.0, 2.0)),
                children=tuple(children),
                level="dimension",
            )
        )
    return Framework(
        id="synthetic",
        name=Label(id="Indeks sintetis kabupaten/kota", en="Synthetic regency and city index"),
        levels=LEVELS,
        dimensions=tuple(dimensions),
        version=f"{size.n_units}x{size.n_indicators}",
    )


def _column(rng: np.random.Generator, kind: str, province: np.ndarray) -> np.ndarray:
    n = province.size
    if kind == "lognormal":  # skewed: most fail COINr's check, some beyond Winsorising
        return rng.lognormal(rng.uniform(0.0, 3.0), rng.uniform(0.6, 2.2), n)
    if kind == "normal":  # with a province effect, so the province mean is a fair guess
        effect = rng.normal(0.0, 5.0, int(province.max()) + 1)[province]
        return rng.normal(rng.uniform(20.0, 80.0), rng.uniform(5.0, 15.0), n) + effect
    if kind == "percentage":
        return 100.0 * rng.beta(rng.uniform(1.0, 5.0), rng.uniform(1.0, 5.0), n)
    if kind == "sparse":  # mostly zero (events, facilities): Winsorising fails, log follows
        x = rng.lognormal(1.0, 1.0, n)
        x[rng.random(n) < rng.uniform(0.86, 0.92)] = 0.0
        return x
    return rng.poisson(rng.uniform(2.0, 20.0), n).astype(np.float64)  # counts, with ties


def make_dataset(
    framework: Framework, size: Size = FULL, seed: int = SEED, missing: float = 0.03
) -> Dataset:
    """Data for every indicator of ``framework``, with a ``province`` group column.

    Provinces hold at least five units each (their sizes are otherwise random); BPS-style
    codes: province ``11`` to ``48``, unit ``1101``, ``1102``...
    """
    rng = np.random.default_rng(seed + 1)
    indicators = tuple(i.id for i in framework.indicators())
    floor = min(5, size.n_units // size.n_provinces)
    spare = size.n_units - floor * size.n_provinces
    counts = floor + rng.multinomial(spare, rng.dirichlet(np.full(size.n_provinces, 2.0)))
    province = np.repeat(np.arange(size.n_provinces), counts)
    units = tuple(f"{11 + p}{k:02d}" for p, c in enumerate(counts) for k in range(1, int(c) + 1))
    kinds = rng.choice(list(KINDS), size=len(indicators), p=list(KINDS.values()))
    values = np.stack([_column(rng, str(kind), province) for kind in kinds], axis=-1)
    values[rng.random(values.shape) < missing] = np.nan
    return Dataset(
        units=units,
        indicators=indicators,
        values=values,
        groups={GROUP: tuple(str(11 + p) for p in province)},
        source=f"<synthetic {size.n_units}x{size.n_indicators}>",
    )


def make_workload(size: Size = FULL, seed: int = SEED) -> Workload:
    """Framework, data set and pipeline of the given size, the same on every call."""
    framework = make_framework(size, seed)
    return Workload(framework, make_dataset(framework, size, seed), benchmark_pipeline())

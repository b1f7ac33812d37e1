"""The sample matrix of an analysis and how its columns decode into each draw's settings.

SALib's scrambled Sobol' sequence in Saltelli's layout for ``method: sobol``, NumPy's
generator for Monte Carlo. A discrete factor with ``k`` options takes one column ``u`` and
option ``floor(u k)`` (SALib's "flooring trick"); a weight-noise factor has one column per
weight, grouped so that SALib gives the factor one index.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from cityeval.engine import CompiledFramework
from cityeval.uncertainty.plan import FactorPlan
from cityeval.uncertainty.spec import Factor, FactorStep, SamplingMethod, UncertaintySpec
from cityeval.uncertainty.variants import options

__all__ = ["draw_sample", "factor_plans"]

FloatArray = npt.NDArray[np.float64]


def _noise_order(compiled: CompiledFramework, k: int) -> tuple[str, ...]:
    """The children of level ``k`` in column order."""
    child_ids = tuple(c for ids in compiled.levels[k].child_ids for c in ids)
    ordered = [""] * len(child_ids)
    for cols, ids in zip(compiled.levels[k].children, compiled.levels[k].child_ids, strict=True):
        for c, cid in zip(cols, ids, strict=True):
            ordered[c] = cid
    return tuple(ordered)


def factor_plans(
    compiled: CompiledFramework,
    factors: Sequence[tuple[str, Factor]],
    pre: Sequence[tuple[str, Factor]],
    set_weights: Sequence[Sequence[FloatArray]],
) -> tuple[list[FactorPlan], list[str], list[str]]:
    """How each factor's columns decode, the columns' names and their SALib groups.

    Parameters
    ----------
    compiled : CompiledFramework
        The framework.
    factors : sequence of (str, Factor)
        Every factor, in the specification's order (the sample's column order).
    pre : sequence of (str, Factor)
        The pre-aggregation factors among them (their options index the variants).
    set_weights : sequence of sequence of ndarray
        The weight-set factor's options per level, or empty.
    """
    input_names: list[str] = []
    groups: list[str] = []
    plans: list[FactorPlan] = []
    radix = 1
    radices: dict[str, int] = {}
    for n, f in reversed(pre):
        radices[n] = radix
        radix *= len(options(f))
    for n, f in factors:
        col = len(input_names)
        if f.form == "noise":
            assert f.level is not None and f.noise is not None
            k = f.level - 1
            ordered = _noise_order(compiled, k)
            input_names += [f"{n}:{cid}" for cid in ordered]
            groups += [n] * len(ordered)
            plans.append(FactorPlan(n, "noise", (col, col + len(ordered)), 0, ordered, k, f.noise))
            continue
        input_names.append(n)
        groups.append(n)
        cols = (col, col + 1)
        if f.form == "exclude":
            assert f.level is not None
            k = f.level - 1
            nodes = compiled.indicator_ids if k == 0 else compiled.levels[k - 1].node_ids
            plans.append(FactorPlan(n, "exclude", cols, len(nodes) + 1, ("none", *nodes), k))
        elif f.form == "sets":
            plans.append(
                FactorPlan(
                    n,
                    "sets",
                    cols,
                    len(f.sets),
                    f.sets,
                    set_weights=tuple(tuple(w) for w in set_weights),
                )
            )
        elif f.step is FactorStep.AGGREGATE:
            plans.append(
                FactorPlan(n, "choices", cols, len(f.choices), f.choices, aggregation=True)
            )
        else:
            opts = options(f)
            plans.append(
                FactorPlan(
                    n,
                    f.form,
                    cols,
                    len(opts),
                    tuple(str(o) for o in opts),
                    radix=radices[n],
                    pre_aggregation=True,
                )
            )
    return plans, input_names, groups


def draw_sample(
    spec: UncertaintySpec, names: Sequence[str], groups: Sequence[str], n_factors: int
) -> tuple[FloatArray, bool]:
    """The design ``(n_rows, n_inputs)`` in ``[0, 1)`` and whether it is Saltelli's."""
    d = len(names)
    if spec.method is SamplingMethod.SOBOL and n_factors > 0:
        from SALib.sample import sobol as sobol_sample

        problem: Mapping[str, object] = {
            "num_vars": d,
            "names": list(names),
            "bounds": [[0.0, 1.0]] * d,
            "groups": list(groups),
        }
        x = np.asarray(
            sobol_sample.sample(problem, spec.draws, calc_second_order=False, seed=spec.seed),
            dtype=np.float64,
        )
        if len(set(groups)) == 1 and d > 1:
            # SALib ignores a single group and crosses each column on its own; crossing the
            # group's columns together makes A_B equal B: blocks A, B, B.
            blocks = x.reshape(spec.draws, d + 2, d)
            x = np.stack([blocks[:, 0], blocks[:, -1], blocks[:, -1]], axis=1).reshape(-1, d)
        return x, True
    rng = np.random.default_rng(spec.seed)
    return rng.random((spec.draws, d)), False

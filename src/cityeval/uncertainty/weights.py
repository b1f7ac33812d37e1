"""The weights an analysis starts from: per aggregate level, each child's weight in its parent.

Weights are normalised within each parent; a level's weights *vary* when a noise or exclusion
factor acts on it, or when the weight sets of a weight-set factor disagree there. Levels below
the first varying one are the same for every draw of a group.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from cityeval.engine import CompiledFramework
from cityeval.errors import InputError, Problem
from cityeval.i18n import _
from cityeval.model import ExplicitWeights, Framework
from cityeval.uncertainty.plan import LevelPlan
from cityeval.uncertainty.spec import DECLARED, Factor

__all__ = ["level_plans", "level_weights", "parents", "set_weights"]

FloatArray = npt.NDArray[np.float64]


def level_weights(
    compiled: CompiledFramework, raw: Callable[[str, str], float]
) -> list[FloatArray]:
    """Per aggregate level, the children's weights ``raw(parent, child)`` normalised within
    each parent."""
    out = []
    for level in compiled.levels:
        n_children = sum(len(c) for c in level.children)
        w = np.zeros(n_children)
        for node, cols, ids in zip(level.node_ids, level.children, level.child_ids, strict=True):
            vals = np.array([raw(node, c) for c in ids], dtype=np.float64)
            total = vals.sum()
            if not np.isfinite(total) or total <= 0:
                raise InputError(
                    "",
                    [
                        Problem(
                            (),
                            _("the weights of the children of {node!r} sum to {total}").format(
                                node=node, total=total
                            ),
                        )
                    ],
                )
            w[list(cols)] = vals / total
        out.append(w)
    return out


def parents(compiled: CompiledFramework) -> list[npt.NDArray[np.intp]]:
    """Per aggregate level, the parent (column of the level) of each child column."""
    out = []
    for level in compiled.levels:
        n_children = sum(len(c) for c in level.children)
        parent = np.empty(n_children, dtype=np.intp)
        for p, cols in enumerate(level.children):
            parent[list(cols)] = p
        out.append(parent)
    return out


def _lookup(raw: dict[str, float]) -> Callable[[str, str], float]:
    """A child's raw weight from a weighting scheme's table (the parent does not matter)."""
    return lambda node, child: raw.get(child, 1.0)


def set_weights(
    framework: Framework, compiled: CompiledFramework, sets: Sequence[str]
) -> list[list[FloatArray]]:
    """Per weight set (``declared``: the framework's own), per level, the children's weights."""
    out = []
    for set_name in sets:
        scheme = (
            ExplicitWeights()
            if set_name == DECLARED
            else ExplicitWeights.from_set(framework, set_name)
        )
        out.append(level_weights(compiled, _lookup(scheme.weights(framework))))
    return out


def level_plans(
    compiled: CompiledFramework,
    nominal: Sequence[FloatArray],
    sets: Sequence[Sequence[FloatArray]],
    factors: Sequence[Factor],
) -> tuple[LevelPlan, ...]:
    """The levels' plans: parents, the weights draws start from, and whether they vary.

    Parameters
    ----------
    compiled : CompiledFramework
        The framework.
    nominal : sequence of ndarray
        The pipeline's weights per level (:func:`level_weights`).
    sets : sequence of sequence of ndarray
        The weight-set factor's options (:func:`set_weights`), or empty.
    factors : sequence of Factor
        The specification's factors.
    """
    n_levels = len(compiled.levels)
    varies = [False] * n_levels
    sets_vary = [False] * n_levels
    for f in factors:
        if f.form in ("noise", "exclude"):
            assert f.level is not None
            varies[f.level - 1] = True
    base = list(nominal)
    if sets:
        for k in range(n_levels):
            base[k] = sets[0][k]
            if any(not np.allclose(sw[k], sets[0][k], rtol=0, atol=0) for sw in sets):
                sets_vary[k] = varies[k] = True
    tree = parents(compiled)
    return tuple(
        LevelPlan(tree[k], len(compiled.levels[k].node_ids), base[k], varies[k], sets_vary[k])
        for k in range(n_levels)
    )

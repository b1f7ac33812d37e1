"""Weighting methods as the engine calls them: one call per aggregate node.

Protocol of the ``weight`` method kind::

    method(values, *, framework, node, children, **params) -> WeightOutcome

``values`` has shape ``(n_rows, n_children)``: the children's normalised (or aggregated)
scores, one row per unit (per unit and time point for panel data), NaN where missing.
``framework`` is the framework being scored, ``node`` the aggregate whose children are
weighted and ``children`` their ids. The returned weights are relative to each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
from attrs import field, frozen

from cityeval.errors import CityevalError
from cityeval.methods import weighting as kernels
from cityeval.model import EqualWeights, ExplicitWeights, Framework

__all__ = [
    "WeightOutcome",
    "ahp",
    "budget",
    "critic",
    "entropy",
    "equal",
    "explicit",
    "pca",
]

FloatArray = npt.NDArray[np.float64]


class WeightingError(CityevalError, ValueError):
    """A weighting method could not produce weights for a node."""


def _info_default() -> dict[str, Any]:
    return {}


@frozen
class WeightOutcome:
    """Weights for the children of one node, and what the method reports about them.

    Attributes
    ----------
    weights : tuple of float
        One relative weight per child.
    info : dict
        Method-specific facts, e.g. an AHP consistency ratio.
    """

    weights: tuple[float, ...]
    info: dict[str, Any] = field(factory=_info_default)


def _raw(framework: Framework, children: tuple[str, ...], scheme: Any) -> WeightOutcome:
    weights = scheme.weights(framework)
    return WeightOutcome(tuple(float(weights.get(c, 1.0)) for c in children))


def explicit(
    values: FloatArray,
    *,
    framework: Framework,
    node: str,
    children: tuple[str, ...],
    set: str | None = None,
    weights: Mapping[str, float] | None = None,
) -> WeightOutcome:
    """The weights declared in the framework, a named weight set of it, or given ones.

    Parameters
    ----------
    set : str, optional
        The name of one of the framework's ``weight_sets``.
    weights : mapping of str to float, optional
        Weights by child id, overriding the declared ones.
    """
    if set is not None:
        try:
            scheme = ExplicitWeights.from_set(framework, set)
        except LookupError as exc:
            raise WeightingError(str(exc)) from None
    else:
        scheme = ExplicitWeights()
    outcome = _raw(framework, children, scheme)
    if weights:
        given = {str(k): float(v) for k, v in weights.items()}
        outcome = WeightOutcome(
            tuple(given.get(c, w) for c, w in zip(children, outcome.weights, strict=True))
        )
    return outcome


def equal(
    values: FloatArray, *, framework: Framework, node: str, children: tuple[str, ...]
) -> WeightOutcome:
    """Every child weighs the same."""
    return _raw(framework, children, EqualWeights())


def entropy(
    values: FloatArray, *, framework: Framework, node: str, children: tuple[str, ...]
) -> WeightOutcome:
    """Shannon-entropy weights from the children's data (more dispersion, more weight)."""
    return WeightOutcome(tuple(kernels.entropy(values).tolist()))


def critic(
    values: FloatArray, *, framework: Framework, node: str, children: tuple[str, ...]
) -> WeightOutcome:
    """CRITIC weights (Diakoulaki et al. 1995): contrast times conflict with the siblings."""
    return WeightOutcome(tuple(kernels.critic(values).tolist()))


def pca(
    values: FloatArray, *, framework: Framework, node: str, children: tuple[str, ...]
) -> WeightOutcome:
    """Weights from the loadings of the first principal component of the children."""
    result = kernels.pca(values)
    return WeightOutcome(
        tuple(result.weights.tolist()), {"explained_variance": float(result.explained_variance)}
    )


def _matrix(value: Any, n: int, node: str, what: str) -> FloatArray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise WeightingError(f"node {node!r}: {what} must be a matrix of numbers") from None
    return arr


def ahp(
    values: FloatArray,
    *,
    framework: Framework,
    node: str,
    children: tuple[str, ...],
    matrix: Any,
) -> WeightOutcome:
    """AHP weights from a pairwise-comparison matrix of the children (Saaty's eigenvector).

    Parameters
    ----------
    matrix : list of lists of numbers
        ``matrix[i][j]`` is how much more important child ``i`` is than child ``j``, in the
        order of the children in the framework; reciprocal, with ones on the diagonal.

    The consistency ratio is reported; a matrix with a ratio above 0.1 is flagged inconsistent
    in the results (the weights are still used, as Saaty's method defines them).
    """
    n = len(children)
    arr = _matrix(matrix, n, node, "the AHP matrix")
    if arr.shape != (n, n):
        raise WeightingError(
            f"node {node!r}: the AHP matrix must be {n} x {n} (one row and column per child: "
            f"{', '.join(children)}), got shape {arr.shape}"
        )
    try:
        result = kernels.ahp(arr)
    except ValueError as exc:
        raise WeightingError(f"node {node!r}: {exc}") from None
    info = {
        "lambda_max": float(result.lambda_max),
        "consistency_index": float(result.consistency_index),
        "consistency_ratio": float(result.consistency_ratio),
        "consistent": bool(result.consistent),
    }
    return WeightOutcome(tuple(result.weights.tolist()), info)


def budget(
    values: FloatArray,
    *,
    framework: Framework,
    node: str,
    children: tuple[str, ...],
    points: Any,
) -> WeightOutcome:
    """Budget allocation: experts share out points among the children; weights are the mean shares.

    Parameters
    ----------
    points : list of lists of numbers
        One row per expert, one column per child (in framework order).
    """
    arr = _matrix(points, len(children), node, "the budget points")
    if arr.ndim != 2 or arr.shape[1] != len(children):
        raise WeightingError(
            f"node {node!r}: budget points need one column per child ({len(children)}: "
            f"{', '.join(children)}), got shape {arr.shape}"
        )
    try:
        w = kernels.budget_allocation(arr)
    except ValueError as exc:
        raise WeightingError(f"node {node!r}: {exc}") from None
    return WeightOutcome(tuple(w.tolist()), {"experts": int(arr.shape[0])})

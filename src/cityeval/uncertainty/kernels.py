"""Batched forms of the registered aggregators: a whole level for many draws at once.

An analysis looks its aggregation methods up by name in the method registry, like the engine,
and evaluates each with the *batched form* of the registered implementation:

* a form with a membership-matrix kernel ``(..., u, C), (..., C, P) -> (..., u, P)`` (every
  parent of a level at once) and, for quasi-arithmetic means, the map ``phi`` in whose space
  the mean is a weighted sum (:mod:`cityeval.uncertainty.fused` then evaluates the draws
  with elementwise multiply-adds). cityeval's arithmetic, geometric, harmonic and power means
  have one; a plugin registers its own with :func:`register_batched_aggregator`;
* any other registered aggregator (a median, Copeland's rule, a plugin's own) is evaluated
  parent by parent through its own kernel, whose documented convention
  ``(..., u, c), (..., c) -> (..., u)`` already takes a leading draw axis: a loop over the
  level's parents, never over draws.

Forms are keyed by the implementation object, never by its name: a plugin registering the same
kernel under another name gets the same form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
from attrs import frozen

from cityeval.methods import aggregate as agg

__all__ = [
    "BatchedAggregator",
    "batched_form",
    "register_batched_aggregator",
]

FloatArray = npt.NDArray[np.float64]
MatrixKernel = Callable[[FloatArray, FloatArray, Mapping[str, Any]], FloatArray]
Positivity = Callable[[Mapping[str, Any]], tuple[bool, bool]]


def _never(kwargs: Mapping[str, Any]) -> tuple[bool, bool]:
    return False, False


def _strictly(kwargs: Mapping[str, Any]) -> tuple[bool, bool]:
    if kwargs.get("nonpositive") == "clip":
        return False, False
    return True, True


def _power_positivity(kwargs: Mapping[str, Any]) -> tuple[bool, bool]:
    if kwargs.get("nonpositive") == "clip":
        return False, False
    p = float(kwargs.get("p", 1.0))
    return p != 1.0, p <= 0


def _matrix_arithmetic(v: FloatArray, m: FloatArray, kw: Mapping[str, Any]) -> FloatArray:
    return agg.aggregate_matrix_arithmetic(v, m)


def _matrix_geometric(v: FloatArray, m: FloatArray, kw: Mapping[str, Any]) -> FloatArray:
    return agg.aggregate_matrix_geometric(v, m, **kw)


def _matrix_harmonic(v: FloatArray, m: FloatArray, kw: Mapping[str, Any]) -> FloatArray:
    return agg.aggregate_matrix_harmonic(v, m, **kw)


def _matrix_power_mean(v: FloatArray, m: FloatArray, kw: Mapping[str, Any]) -> FloatArray:
    return agg.aggregate_matrix_power_mean(v, m, **kw)


@frozen
class BatchedAggregator:
    """How a registered aggregator evaluates one level for many draws.

    Attributes
    ----------
    kernel : callable
        The registered implementation, ``(..., u, c), (..., c) -> (..., u)``.
    matrix : callable or None
        ``matrix(values, membership, kwargs)``: every parent of a level at once,
        ``(..., u, C), (..., C, P) -> (..., u, P)``; None: the kernel runs parent by parent.
    phi : str or None
        ``identity``, ``log`` or ``reciprocal`` for a quasi-arithmetic mean
        (``phi(mean) = sum(w phi(x)) / sum(w)``), evaluated in that space by
        :mod:`cityeval.uncertainty.fused` when nothing is missing; None otherwise.
    positivity : callable
        ``positivity(kwargs) -> (needs a check, strictly positive)``: whether the mean needs
        positive values with these parameters (the positivity rule applies then).
    """

    kernel: Callable[..., Any]
    matrix: MatrixKernel | None = None
    phi: str | None = None
    positivity: Positivity = _never

    def level(self, values: FloatArray, membership: FloatArray, kwargs: Mapping[str, Any]) -> Any:
        """One level: ``(..., u, C), (..., C, P) -> (..., u, P)``.

        Without a matrix kernel, each parent's children (the rows of its membership column
        with a positive weight in some draw) go through the registered kernel with the
        draws' weights as its leading batch axis.
        """
        if self.matrix is not None:
            return self.matrix(values, membership, kwargs)
        m = np.asarray(membership, dtype=np.float64)
        n_parents = m.shape[-1]
        batch = np.broadcast_shapes(values.shape[:-2], m.shape[:-2])
        out = np.empty((*batch, values.shape[-2], n_parents))
        # A child belongs to a parent where its weight is positive in some draw; the
        # parent's columns are the same for every draw (membership comes from one tree).
        member = np.asarray((m > 0).reshape(-1, m.shape[-2], n_parents).any(axis=0))
        for p in range(n_parents):
            cols = np.flatnonzero(member[:, p])
            if cols.size == 0:
                out[..., p] = np.nan
                continue
            out[..., p] = self.kernel(values[..., cols], m[..., cols, p], **kwargs)
        return out


_FORMS: dict[Callable[..., Any], BatchedAggregator] = {
    agg.arithmetic: BatchedAggregator(agg.arithmetic, _matrix_arithmetic, "identity"),
    agg.geometric: BatchedAggregator(agg.geometric, _matrix_geometric, "log", _strictly),
    agg.harmonic: BatchedAggregator(agg.harmonic, _matrix_harmonic, "reciprocal", _strictly),
    agg.power_mean: BatchedAggregator(agg.power_mean, _matrix_power_mean, None, _power_positivity),
}


def register_batched_aggregator(
    implementation: Callable[..., Any], form: BatchedAggregator
) -> None:
    """Give a registered aggregation kernel a faster batched form.

    Parameters
    ----------
    implementation : callable
        The kernel the plugin registers with ``registry.add_method("aggregate", ...)``.
    form : BatchedAggregator
        Its matrix kernel (and ``phi``, for a quasi-arithmetic mean).
    """
    _FORMS[implementation] = form


def batched_form(implementation: Callable[..., Any]) -> BatchedAggregator:
    """The batched form of a registered aggregation kernel (its own, parent by parent, when
    none was registered)."""
    found = _FORMS.get(implementation)
    return found if found is not None else BatchedAggregator(implementation)

"""The Nelder-Mead minimiser of R's ``optim`` (method ``"Nelder-Mead"``, its default).

COINr's ``get_opt_weights`` runs ``optim`` with a loose relative tolerance (0.1), so where
the search stops depends on the algorithm's every detail; SciPy's Nelder-Mead starts from a
different simplex and stops by a different rule. This is the algorithm R uses, from
J. C. Nash, *Compact Numerical Methods for Computers* (2nd ed., 1990), as R's ``nmmin``
implements it: an initial simplex stepping each coordinate by a tenth of the largest
starting value, reflection ``alpha = 1``, contraction ``beta = 0.5``, expansion
``gamma = 2``, and a stop when the simplex's highest and lowest values are within
``reltol * (|f0| + reltol)`` or after ``maxit`` evaluations.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from attrs import frozen

__all__ = ["Minimum", "nelder_mead"]

FloatArray = npt.NDArray[np.float64]
_BIG = 1.0e35  # what R puts in place of a value that is not finite


@frozen
class Minimum:
    """Where the search stopped.

    Attributes
    ----------
    x : tuple of float
        The best point.
    value : float
        The objective there.
    evaluations : int
        Calls of the objective.
    status : int
        R's ``convergence``: 0 converged, 1 evaluation limit reached, 10 the simplex stopped
        shrinking.
    trace : tuple of float
        The objective of every call, in order (what COINr prints while iterating).
    """

    x: tuple[float, ...]
    value: float
    evaluations: int
    status: int
    trace: tuple[float, ...]


def nelder_mead(
    fn: Callable[[FloatArray], float],
    x0: FloatArray,
    *,
    reltol: float = 1.490116e-08,
    abstol: float = -math.inf,
    maxit: int = 500,
) -> Minimum:
    """Minimise ``fn`` from ``x0`` as R's ``optim(x0, fn, method = "Nelder-Mead")`` does.

    Parameters
    ----------
    fn : callable
        The objective, called with an array of shape ``(n,)``.
    x0 : array of shape ``(n,)``
        The starting point.
    reltol, abstol : float
        R's ``control$reltol`` (default ``sqrt(machine epsilon)``) and ``abstol``.
    maxit : int
        The largest number of evaluations (R's ``maxit``).

    Returns
    -------
    Minimum
    """
    trace: list[float] = []

    def f(x: FloatArray) -> float:
        value = float(fn(x.copy()))
        trace.append(value)
        return value if math.isfinite(value) else _BIG

    x0 = np.asarray(x0, dtype=float)
    n = len(x0)
    if maxit <= 0:
        value = f(x0)
        return Minimum(tuple(x0.tolist()), value, 0, 0, tuple(trace))
    f0 = f(x0)
    if f0 == _BIG:
        raise ValueError("the objective cannot be evaluated at the starting point")
    convtol = reltol * (abs(f0) + reltol)
    points = np.tile(x0, (n + 1, 1))  # row j: vertex j
    values = np.full(n + 1, np.nan)
    values[0] = f0
    step = max(0.1 * float(np.max(np.abs(x0))) if n else 0.0, 0.0) or 0.1
    size = 0.0
    for j in range(1, n + 1):
        trystep = step
        while points[j, j - 1] == x0[j - 1]:
            points[j, j - 1] = x0[j - 1] + trystep
            trystep *= 10
        size += trystep
    oldsize = size
    low = 0
    evaluations = 1
    status = 0
    recompute = True
    while True:
        if recompute:
            for j in range(n + 1):
                if j != low:
                    values[j] = f(points[j])
                    evaluations += 1
            recompute = False
        v_low = v_high = values[low]
        high = low
        for j in range(n + 1):
            if j != low:
                if values[j] < v_low:
                    low, v_low = j, values[j]
                if values[j] > v_high:
                    high, v_high = j, values[j]
        if v_high <= v_low + convtol or v_low <= abstol:
            break
        centroid = -points[high]
        for j in range(n + 1):  # summed in R's order, so that the search follows R's exactly
            centroid = centroid + points[j]
        centroid = centroid / n
        reflected = 2.0 * centroid - points[high]  # (1 + alpha) c - alpha x_h, alpha = 1
        v_reflected = f(reflected)
        evaluations += 1
        if v_reflected < v_low:
            expanded = 2.0 * reflected - centroid  # gamma r + (1 - gamma) c, gamma = 2
            v_expanded = f(expanded)
            evaluations += 1
            if v_expanded < v_reflected:
                points[high], values[high] = expanded, v_expanded
            else:
                points[high], values[high] = reflected, v_reflected
        else:
            if v_reflected < v_high:
                points[high], values[high] = reflected, v_reflected
            contracted = 0.5 * points[high] + 0.5 * centroid  # beta = 0.5
            v_contracted = f(contracted)
            evaluations += 1
            if v_contracted < values[high]:
                points[high], values[high] = contracted, v_contracted
            elif v_reflected >= v_high:
                recompute = True
                size = 0.0
                for j in range(n + 1):
                    if j != low:
                        points[j] = 0.5 * (points[j] - points[low]) + points[low]
                        size += float(np.sum(np.abs(points[j] - points[low])))
                if size < oldsize:
                    oldsize = size
                else:
                    status = 10
                    break
        if evaluations > maxit:
            break
    if evaluations > maxit:
        status = 1
    return Minimum(
        x=tuple(float(v) for v in points[low]),
        value=float(values[low]),
        evaluations=evaluations,
        status=status,
        trace=tuple(trace),
    )

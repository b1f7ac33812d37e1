"""Non-compensatory aggregation: Copeland scores from the weighted outranking matrix.

COINr ``a_copeland`` and ``outrankMatrix`` (Munda & Nardo 2009). Conventions as in
:mod:`cityeval.methods.aggregate`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from cityeval.methods._aggregate_common import FloatArray, prepare

#: Upper bound on the elements of one ``(chunk, n_units, n_units)`` block in :func:`copeland`.
_COPELAND_BLOCK = 1 << 18  # smaller blocks stay in cache: measured faster than 1 << 22

__all__ = ["copeland"]


def copeland(values: npt.ArrayLike, weights: npt.ArrayLike) -> FloatArray:
    """Copeland scores from the weighted outranking matrix (non-compensatory).

    Signature ``(..., u, c), (..., c) -> (..., u)``.

    Parameters
    ----------
    values : array_like of shape ``(..., n_units, n_children)``
        Child scores; ``NaN`` marks a missing value.
    weights : array_like of shape ``(..., n_children)``
        Non-negative relative weights (importance coefficients, not trade-offs).

    Returns
    -------
    ndarray of shape ``(..., n_units)``
        Number of units a unit outranks minus the number that outrank it, in
        ``[-(n_units - 1), n_units - 1]``; ``NaN`` for a unit with no used child.

    Notes
    -----
    For units ``a`` and ``b`` let ``W(a>b)`` be the total weight of the children on which
    ``a`` scores strictly higher than ``b`` (COINr ``outrankMatrix``; Munda & Nardo 2009).
    ``a`` outranks ``b`` when ``W(a>b) > W(b>a)``. With complete data and weights summing to 1
    this is COINr's rule (``e_ab = W(a>b) + W(a=b)/2 > 0.5``, ``a_copeland`` maps the matrix to
    ``+1/-1/0`` and sums the rows).

    Missing values: a pair is compared only on the children *both* units have (pairwise
    deletion), each with its own weight. COINr instead keeps the total weight at 1 and fills
    the lower triangle with ``1 - e_ab``, so a child missing for either unit silently counts
    for the unit with the larger row index. A pair with no common child is a tie (``0``). A
    unit with no used child gets ``NaN`` and contributes ``0`` to every other unit's score.

    Cost: ``O(n_units^2 * n_children)`` time; the batch is processed in blocks of at most
    about a quarter of a million unit pairs (one draw at 514 units), so memory stays bounded
    for any number of draws.
    """
    x, _, used = prepare(values, weights)
    *batch, n_units, n_children = x.shape
    xu = np.where(used, x, np.nan).reshape(-1, n_units, n_children)
    wu = np.broadcast_to(np.asarray(weights, dtype=np.float64), (*batch, n_children)).reshape(
        -1, n_children
    )
    n_batch = xu.shape[0]
    scores = np.empty((n_batch, n_units))
    block = max(1, _COPELAND_BLOCK // max(1, n_units * n_units))
    for start in range(0, n_batch, block):
        stop = min(start + block, n_batch)
        d = np.zeros((stop - start, n_units, n_units))
        buf = np.empty_like(d)
        for k in range(n_children):
            col = xu[start:stop, :, k]
            # sign(x_a - x_b): +1 if a beats b, -1 if b beats a; NaN (either missing) -> 0.
            np.subtract(col[:, :, np.newaxis], col[:, np.newaxis, :], out=buf)
            np.sign(buf, out=buf)
            np.nan_to_num(buf, copy=False, nan=0.0)
            # d_ab = W(a>b) - W(b>a), antisymmetric by construction; unused child: buf == 0.
            np.multiply(buf, wu[start:stop, k, np.newaxis, np.newaxis], out=buf)
            d += buf
        scores[start:stop] = np.sum(np.sign(d), axis=-1)
    out = scores.reshape((*batch, n_units))
    return np.where(used.any(axis=-1), out, np.nan)

"""Participatory weights: the analytic hierarchy process (Saaty) and budget allocation.

The JRC/OECD Handbook (Nardo et al. 2008, step 6) lists both among the participatory
methods: weights come from experts' or citizens' judgements rather than from the data.
Conventions as in :mod:`cityeval.methods.weighting`, which re-exports every name here.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from cityeval.i18n import _

__all__ = ["AHP_CR_THRESHOLD", "SAATY_RANDOM_INDEX", "AhpResult", "ahp", "budget_allocation"]

FloatArray = npt.NDArray[np.float64]

#: Saaty's random consistency index RI for n = 1..15: the mean consistency index of random
#: reciprocal matrices, as tabulated from Saaty (1980), *The Analytic Hierarchy Process*,
#: McGraw-Hill. Later simulations give slightly different values for n >= 11.
SAATY_RANDOM_INDEX: tuple[float, ...] = (
    0.0,
    0.0,
    0.58,
    0.90,
    1.12,
    1.24,
    1.32,
    1.41,
    1.45,
    1.49,
    1.51,
    1.48,
    1.56,
    1.57,
    1.59,
)

#: Saaty's threshold: a consistency ratio up to 0.1 is acceptable.
AHP_CR_THRESHOLD = 0.1


class AhpResult(NamedTuple):
    """Analytic hierarchy process result.

    Attributes
    ----------
    weights : ndarray of shape ``(n,)``
        The principal right eigenvector, scaled to sum to 1.
    lambda_max : float
        The principal eigenvalue (``>= n``; ``== n`` for a consistent matrix).
    consistency_index : float
        ``CI = (lambda_max - n) / (n - 1)``; ``0`` for ``n <= 2``.
    consistency_ratio : float
        ``CR = CI / RI(n)`` with Saaty's random index; ``0`` for ``n <= 2``.
    consistent : bool
        ``CR <= 0.1``.
    """

    weights: FloatArray
    lambda_max: float
    consistency_index: float
    consistency_ratio: float
    consistent: bool


def ahp(matrix: npt.ArrayLike, *, rtol: float = 1e-6) -> AhpResult:
    """Weights from a pairwise comparison matrix by Saaty's eigenvector method.

    Parameters
    ----------
    matrix : array_like of shape ``(n, n)``
        ``a_ij`` = how many times more important ``i`` is than ``j`` (Saaty's 1-9 scale);
        positive, ``a_ii = 1``, ``a_ji = 1 / a_ij``. ``1 <= n <= 15``.
    rtol : float
        Tolerance for the diagonal and the reciprocity check ``|a_ij a_ji - 1| <= rtol``.
        Enter reciprocals as fractions (``1/3``), not rounded decimals (``0.33``).

    Returns
    -------
    AhpResult

    Raises
    ------
    ValueError
        The matrix is not square, has more than 15 rows (no random index), or has an entry
        that is not finite and positive, a diagonal entry not 1, or a non-reciprocal pair;
        the message names the first offending ``(i, j)`` (0-based).

    Notes
    -----
    Saaty (1977, J. Math. Psychol. 15:234; 1980): ``A w = lambda_max w`` for the Perron root
    of the positive matrix, ``CI = (lambda_max - n) / (n - 1)``, ``CR = CI / RI(n)`` with
    :data:`SAATY_RANDOM_INDEX`; judgements with ``CR <= 0.1`` are acceptable. A reciprocal
    matrix has ``lambda_max >= n``; a value below ``n`` from rounding is clamped to ``n``.
    """
    a = np.asarray(matrix, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(
            _("the AHP matrix must be square (n, n); got shape {a_shape}").format(a_shape=a.shape)
        )
    n = a.shape[0]
    if not 1 <= n <= len(SAATY_RANDOM_INDEX):
        raise ValueError(
            _(
                "AHP needs 1 <= n <= {len_saaty_random_index} (Saaty's random index table); got "
                "n = {n}"
            ).format(len_saaty_random_index=len(SAATY_RANDOM_INDEX), n=n)
        )
    bad = ~(np.isfinite(a) & (a > 0))
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        raise ValueError(
            _("AHP entry ({i}, {j}) = {a_ij!r} must be finite and positive").format(
                i=i, j=j, a_ij=float(a[i, j])
            )
        )
    diag_bad = np.abs(np.diag(a) - 1.0) > rtol
    if diag_bad.any():
        i = int(np.argmax(diag_bad))
        raise ValueError(
            _("AHP diagonal entry ({i}, {i}) = {float_a_i_i!r} must be 1").format(
                i=i, float_a_i_i=float(a[i, i])
            )
        )
    recip_bad = np.triu(np.abs(a * a.T - 1.0) > rtol, k=1)
    if recip_bad.any():
        i, j = (int(k) for k in np.argwhere(recip_bad)[0])
        raise ValueError(
            _(
                "AHP matrix is not reciprocal at ({i}, {j}): a[{i},{j}] * a[{j},{i}] = "
                "{a_ij!r} * {a_ji!r} = {product!r}, expected 1"
            ).format(
                i=i,
                j=j,
                a_ij=float(a[i, j]),
                a_ji=float(a[j, i]),
                product=float(a[i, j] * a[j, i]),
            )
        )
    eigval, eigvec = np.linalg.eig(a)
    k = int(np.argmax(eigval.real))
    lambda_max = max(float(eigval[k].real), float(n))
    v = np.abs(eigvec[:, k].real)  # Perron vector: one sign, take it positive
    weights = v / v.sum()
    if n <= 2:
        ci = cr = 0.0
    else:
        ci = (lambda_max - n) / (n - 1)
        cr = ci / SAATY_RANDOM_INDEX[n - 1]
    return AhpResult(weights, lambda_max, ci, cr, cr <= AHP_CR_THRESHOLD)


def budget_allocation(points: npt.ArrayLike) -> FloatArray:
    """Budget-allocation weights: the mean of the experts' normalised allocations.

    Parameters
    ----------
    points : array_like of shape ``(n_experts, n_items)``
        Each row is one expert's allocation of a budget (e.g. 100 points) to the items.

    Returns
    -------
    ndarray of shape ``(n_items,)``
        ``mean_e(points[e] / points[e].sum())``; non-negative, summing to 1. Each expert
        counts equally whatever the size of their budget.

    Raises
    ------
    ValueError
        A point is not finite or negative, or an expert allocated nothing; the message names
        the expert row.

    Notes
    -----
    JRC/OECD Handbook (Nardo et al. 2008), budget allocation process: experts distribute a
    budget over the indicators and the weights are the average allocations.
    """
    pts = np.asarray(points, dtype=np.float64)
    if pts.ndim != 2:
        raise ValueError(
            _("points must have shape (n_experts, n_items); got {pts_ndim} axes").format(
                pts_ndim=pts.ndim
            )
        )
    if pts.shape[0] < 1 or pts.shape[1] < 1:
        raise ValueError(
            _("points needs at least one expert and one item; got {pts_shape}").format(
                pts_shape=pts.shape
            )
        )
    bad = ~np.isfinite(pts) | (pts < 0)
    if bad.any():
        e, j = (int(k) for k in np.argwhere(bad)[0])
        raise ValueError(
            _(
                "expert {e} gave item {j} {float_pts_e_j!r} points; points must be finite and >= 0"
            ).format(e=e, j=j, float_pts_e_j=float(pts[e, j]))
        )
    totals = pts.sum(axis=1)
    if np.any(totals <= 0):
        e = int(np.argmax(totals <= 0))
        raise ValueError(_("expert {e} allocated no points (row total is 0)").format(e=e))
    return np.asarray(np.mean(pts / totals[:, np.newaxis], axis=0), dtype=np.float64)

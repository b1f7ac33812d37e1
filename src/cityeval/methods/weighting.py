"""Weighting kernels: equal, data-driven (entropy, CRITIC, PCA) and participatory (AHP, budget).

The participatory kernels live in :mod:`cityeval.methods.weighting_participatory` and are
re-exported here, so every weighting kernel is importable from this module.

The JRC/OECD Handbook (Nardo et al. 2008, step 6) lists the families: equal weights;
statistical weights (PCA/factor analysis); participatory weights (budget allocation, analytic
hierarchy process). Entropy and CRITIC are the objective weights of pymcdm and scikit-criteria.

Conventions
-----------
* Weights are returned as float arrays of shape ``(n,)``, non-negative and summing to 1.
* Data-driven kernels take ``x`` of shape ``(n_units, n_indicators)``, already normalised so
  that higher is better. **Missing values: listwise deletion.** A unit (row) with any ``NaN``
  is dropped before the computation, as COINr's ``get_PCA`` does; correlations, entropies and
  loadings then all refer to the same set of units. At least two complete rows are needed.
* An indicator that is constant over the complete rows carries no information and gets weight
  ``0`` (CRITIC, PCA) or entropy 1, hence weight ``0`` (entropy). If no indicator is
  informative the weights are undefined and a ``ValueError`` says so.
* Invalid input (negative points, non-reciprocal matrices, ...) raises ``ValueError`` naming the
  offending row, column or cell. Kernels never mutate their inputs.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from cityeval.i18n import _
from cityeval.methods.weighting_participatory import (
    AHP_CR_THRESHOLD,
    SAATY_RANDOM_INDEX,
    AhpResult,
    ahp,
    budget_allocation,
)

__all__ = [
    "AHP_CR_THRESHOLD",
    "SAATY_RANDOM_INDEX",
    "AhpResult",
    "PcaResult",
    "ahp",
    "budget_allocation",
    "critic",
    "entropy",
    "equal",
    "normalise_weights",
    "pca",
    "perturb",
]

FloatArray = npt.NDArray[np.float64]

#: In CRITIC, ``1 - r_jk`` below this is taken as 0 (a perfect correlation up to rounding).
_CONFLICT_TOL = 1e-12

# --------------------------------------------------------------------------------------------
# Equal weights and normalisation
# --------------------------------------------------------------------------------------------


def equal(n: int) -> FloatArray:
    """Equal weights ``1/n``.

    Parameters
    ----------
    n : int
        Number of children; ``n >= 1``.

    Returns
    -------
    ndarray of shape ``(n,)``
    """
    n = int(n)
    if n < 1:
        raise ValueError(_("n must be at least 1; got {n}").format(n=n))
    return np.full(n, 1.0 / n)


def normalise_weights(w: npt.ArrayLike) -> FloatArray:
    """Scale weights to sum to 1 along the last axis.

    Signature ``(..., n) -> (..., n)``.

    Parameters
    ----------
    w : array_like of shape ``(..., n)``
        Finite, non-negative weights with a positive sum along the last axis.

    Returns
    -------
    ndarray of shape ``(..., n)``
        ``w / w.sum(axis=-1, keepdims=True)``.

    Raises
    ------
    ValueError
        A weight is not finite or negative (the message names its index), or a sum is zero.
    """
    arr = np.asarray(w, dtype=np.float64)
    if arr.ndim < 1:
        raise ValueError(_("weights must have shape (..., n); got a scalar"))
    _require(~np.isfinite(arr), arr, "weights{idx} = {val!r} is not finite")
    _require(arr < 0, arr, "weights{idx} = {val!r} is negative")
    total = arr.sum(axis=-1, keepdims=True)
    if np.any(total <= 0):
        idx = tuple(int(i) for i in np.argwhere(total[..., 0] <= 0)[0])
        where = f" (batch index {idx})" if idx else ""
        raise ValueError(
            _("weights sum to zero{where}: at least one weight must be positive").format(
                where=where
            )
        )
    return np.asarray(arr / total, dtype=np.float64)


def _require(bad: npt.NDArray[np.bool_], arr: FloatArray, message: str) -> None:
    """Raise ``ValueError(message)`` for the first cell where ``bad`` holds."""
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(message.format(idx=list(idx), val=float(arr[idx])))


# --------------------------------------------------------------------------------------------
# Data-driven weights
# --------------------------------------------------------------------------------------------


def _complete_rows(x: npt.ArrayLike, min_rows: int = 2) -> FloatArray:
    """Validate the ``(n_units, n_indicators)`` shape and drop rows with any ``NaN``."""
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(
            _("x must have shape (n_units, n_indicators); got {arr_ndim} axes").format(
                arr_ndim=arr.ndim
            )
        )
    if arr.shape[1] < 1:
        raise ValueError(_("x has no indicator (n_indicators == 0)"))
    _require(np.isinf(arr), arr, "x{idx} = {val!r} is infinite")
    complete = arr[~np.isnan(arr).any(axis=1)]
    if complete.shape[0] < min_rows:
        raise ValueError(
            _(
                "need at least {min_rows} units without missing values (rows with NaN are "
                "dropped); got {complete_shape_0} of {arr_shape_0}"
            ).format(
                min_rows=min_rows, complete_shape_0=complete.shape[0], arr_shape_0=arr.shape[0]
            )
        )
    return complete


def _varying(x: FloatArray) -> npt.NDArray[np.bool_]:
    """Columns that are not constant over the rows."""
    return np.asarray(np.ptp(x, axis=0) > 0)


def entropy(x: npt.ArrayLike) -> FloatArray:
    """Shannon-entropy weights: indicators that discriminate more between units weigh more.

    Parameters
    ----------
    x : array_like of shape ``(n_units, n_indicators)``
        Normalised, non-negative data, higher is better; rows with ``NaN`` are dropped.

    Returns
    -------
    ndarray of shape ``(n_indicators,)``
        ``w_j = (1 - e_j) / sum_k (1 - e_k)``.

    Raises
    ------
    ValueError
        A value is negative (the message names the cell); fewer than two complete rows; or
        every indicator has maximal entropy (all constant), so no weight is defined.

    Notes
    -----
    With ``m`` complete rows (pymcdm ``entropy_weights``; scikit-criteria
    ``entropy_weights``): ``p_ij = x_ij / sum_i x_ij``,
    ``e_j = -sum_i p_ij ln p_ij / ln m`` with ``0 ln 0 = 0``. The proportions need
    non-negative data, so negative values are refused rather than shifted (shift them in the
    normalisation step, e.g. min-max onto ``[0, 1]``). A constant column has ``e_j = 1`` in
    exact arithmetic and is given exactly that (weight ``0``, not a rounding residue); so is a
    column of zeros, which has no distribution at all. ``e_j <= 1`` in exact arithmetic;
    rounding above 1 is clipped.
    """
    xs = _complete_rows(x)
    _require(xs < 0, xs, "x{idx} = {val!r} is negative (row index among complete rows)")
    m = xs.shape[0]
    col_sum = xs.sum(axis=0)
    informative = _varying(xs)  # a constant column (zeros included) has e_j = 1 exactly
    p = xs / np.where(col_sum > 0, col_sum, 1.0)
    plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    e = np.where(informative, -plogp.sum(axis=0) / np.log(m), 1.0)
    d = np.maximum(1.0 - e, 0.0)
    if not d.sum() > 0:
        raise ValueError(_("entropy weights undefined: no indicator varies across the units"))
    return np.asarray(d / d.sum(), dtype=np.float64)


def critic(x: npt.ArrayLike) -> FloatArray:
    """CRITIC weights (Diakoulaki, Mavrotas & Papayannakis 1995).

    Parameters
    ----------
    x : array_like of shape ``(n_units, n_indicators)``
        Data, higher is better; rows with ``NaN`` are dropped.

    Returns
    -------
    ndarray of shape ``(n_indicators,)``
        ``C_j / sum_k C_k`` with ``C_j = sigma_j * sum_k (1 - r_jk)``.

    Raises
    ------
    ValueError
        Fewer than two complete rows, or every ``C_j`` is zero (no varying indicator, or all
        varying indicators perfectly correlated), so no weight is defined.

    Notes
    -----
    Following the paper (eqs. 2-6, as in scikit-criteria ``critic_weights``): each column is
    min-max scaled to ``[0, 1]`` (eq. 2-3, higher is better); ``sigma_j`` is its population
    standard deviation (eq. 5, ``ddof=0``); ``r_jk`` the Pearson correlation between columns
    (eq. 4). Constant columns have no scale and no correlation; they get ``C_j = 0`` and are
    left out of the other columns' sums (rather than entering as ``NaN``).
    """
    xs = _complete_rows(x)
    active = _varying(xs)
    c = np.zeros(xs.shape[1])
    if active.any():
        z = xs[:, active]
        lo = z.min(axis=0)
        z = (z - lo) / (z.max(axis=0) - lo)
        sigma = z.std(axis=0)
        r = np.atleast_2d(np.corrcoef(z, rowvar=False))
        # 1 - r >= 0; a residue below _CONFLICT_TOL is the rounding of a perfect correlation.
        conflict = np.where(1.0 - r > _CONFLICT_TOL, 1.0 - r, 0.0)
        c[active] = sigma * np.sum(conflict, axis=1)
    if not c.sum() > 0:
        raise ValueError(
            _(
                "CRITIC weights undefined: no indicator varies, or all varying indicators are "
                "perfectly correlated"
            )
        )
    return np.asarray(c / c.sum(), dtype=np.float64)


class PcaResult(NamedTuple):
    """First-principal-component weights.

    Attributes
    ----------
    weights : ndarray of shape ``(n_indicators,)``
        Squared loadings scaled to unity: non-negative, summing to 1.
    loadings : ndarray of shape ``(n_indicators,)``
        The first eigenvector of the correlation matrix (``prcomp``'s rotation, which COINr's
        ``get_PCA`` reports), signed so that its entries sum to a non-negative value;
        ``0`` for constant indicators.
    explained_variance : float
        Share of the total variance of the standardised indicators the first component
        explains, ``lambda_1 / sum(lambda)``.
    """

    weights: FloatArray
    loadings: FloatArray
    explained_variance: float


def pca(x: npt.ArrayLike) -> PcaResult:
    """Weights from the first principal component of the standardised data.

    Parameters
    ----------
    x : array_like of shape ``(n_units, n_indicators)``
        Data, higher is better; rows with ``NaN`` are dropped.

    Returns
    -------
    PcaResult
        ``weights`` (squared loadings scaled to 1), signed ``loadings`` and the explained
        variance share.

    Raises
    ------
    ValueError
        Fewer than two complete rows, or no indicator varies.

    Notes
    -----
    The columns are standardised (mean 0, sd 1 with ``ddof=1``, as R's
    ``prcomp(scale. = TRUE)``), so the components are the eigenvectors of the correlation
    matrix. The weight convention is the OECD/JRC Handbook's (Nardo et al. 2008, sect. 6.1):
    squared factor loadings, which give the share of each indicator's variance the factor
    explains, scaled to unity. For one component the squared loadings are
    ``lambda_1 v_j^2`` and scaling them to unity gives ``v_j^2``, since the eigenvector ``v``
    has unit norm.

    Signs. An eigenvector is defined only up to its sign, so the raw loadings COINr returns
    can come out all negative, or with mixed signs (the COINr docs warn of both). Squaring
    removes the arbitrary overall sign. It also hides a genuine one: an indicator that loads
    negatively (moves against the others) still gets a positive weight. Check ``loadings``
    for mixed signs before using these weights. When the first two eigenvalues are (nearly)
    equal the component is not unique and the weights are unstable; an
    ``explained_variance`` near ``1 / n_indicators`` is the warning sign. Constant indicators
    are left out and get weight ``0``.
    """
    xs = _complete_rows(x)
    active = _varying(xs)
    if not active.any():
        raise ValueError(_("PCA weights undefined: no indicator varies across the units"))
    z = xs[:, active]
    # Divide by the range before the sd, so tiny or huge columns cannot under/overflow.
    z = (z - z.mean(axis=0)) / np.ptp(z, axis=0)
    z = z / z.std(axis=0, ddof=1)
    corr = (z.T @ z) / (z.shape[0] - 1)
    eigval, eigvec = np.linalg.eigh(corr)  # ascending eigenvalues
    v = eigvec[:, -1]
    if v.sum() < 0:
        v = -v
    loadings = np.zeros(xs.shape[1])
    loadings[active] = v
    weights = np.zeros(xs.shape[1])
    weights[active] = v**2 / np.sum(v**2)
    explained = float(eigval[-1] / np.sum(eigval))
    return PcaResult(weights, loadings, explained)


# --------------------------------------------------------------------------------------------
# Noise for uncertainty analysis
# --------------------------------------------------------------------------------------------


def perturb(weights: npt.ArrayLike, noise: npt.ArrayLike, u: npt.ArrayLike) -> FloatArray:
    """Multiplicative uniform noise on weights, one row per draw.

    Signature ``(n,), (n,), (d, n) -> (d, n)``.

    Parameters
    ----------
    weights : array_like of shape ``(n,)``
        Nominal weights.
    noise : float or array_like of shape ``(n,)``
        Relative half-width in ``[0, 1]`` (per weight or shared).
    u : array_like of shape ``(n_draws, n)``
        Uniform draws in ``[0, 1)`` (from any sampler: pseudo-random, Sobol', LHS).

    Returns
    -------
    ndarray of shape ``(n_draws, n)``
        ``weights * (1 - noise + 2 * noise * u)``: each weight uniform in
        ``[w (1 - noise), w (1 + noise))``. Not renormalised (the aggregators only use ratios).

    Notes
    -----
    COINr ``get_noisy_weights``: each weight is perturbed by ``+/- NoiseFactor * w``
    (uniform). Keeping the draws independent per weight, rather than sampling on the simplex,
    keeps the inputs of a Sobol' analysis independent.
    """
    w = np.asarray(weights, dtype=np.float64)
    nz = np.asarray(noise, dtype=np.float64)
    draws = np.asarray(u, dtype=np.float64)
    if w.ndim != 1:
        raise ValueError(
            _("weights must have shape (n,); got {w_ndim} axes").format(w_ndim=w.ndim)
        )
    if draws.ndim != 2 or draws.shape[1] != w.shape[0]:
        raise ValueError(
            _("u must have shape (n_draws, {w_shape_0}); got {draws_shape}").format(
                w_shape_0=w.shape[0], draws_shape=draws.shape
            )
        )
    if nz.ndim > 1 or (nz.ndim == 1 and nz.shape[0] != w.shape[0]):
        raise ValueError(
            _("noise must be a scalar or have shape ({w_shape_0},); got {nz_shape}").format(
                w_shape_0=w.shape[0], nz_shape=nz.shape
            )
        )
    if np.any(~np.isfinite(nz) | (nz < 0) | (nz > 1)):
        raise ValueError(_("noise must lie in [0, 1] so that perturbed weights stay >= 0"))
    return w * (1.0 - nz + 2.0 * nz * draws)

"""First-order and total Sobol' indices for many outputs at once, with bootstrap intervals.

Estimators: Saltelli et al. (2010), *Variance based sensitivity analysis of model output*,
Comput. Phys. Commun. 181:259-270, Table 2: ``S_i = mean(f(B) (f(A_B^i) - f(A))) / V`` (their
eq. (b)) and Jansen's ``ST_i = mean((f(A) - f(A_B^i))^2) / (2 V)`` (eq. (f)), with ``V`` the
variance of ``[f(A), f(B)]``. These are the estimators of ``SALib.analyze.sobol``, written here
once for every output column instead of once per column, and bootstrapped the same way
(``num_resamples`` resamples of the N base rows, interval ``z * sd``), so the numbers agree
with SALib's for the same sample and seed.
"""

from __future__ import annotations

from statistics import NormalDist
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from cityeval.i18n import _

__all__ = ["SobolIndices", "saltelli_blocks", "sobol_indices"]

FloatArray = npt.NDArray[np.float64]

#: Elements of one bootstrap block ``(N, resamples, outputs)``; bounds the memory.
_BOOT_BLOCK = 1 << 22


class SobolIndices(NamedTuple):
    """Indices per output and factor.

    Attributes
    ----------
    S1, S1_conf, ST, ST_conf : ndarray of shape ``(n_outputs, n_factors)``
        First-order and total indices and the half-widths of their confidence intervals.
    """

    S1: FloatArray
    S1_conf: FloatArray
    ST: FloatArray
    ST_conf: FloatArray


def saltelli_blocks(y: npt.ArrayLike, n_factors: int) -> FloatArray:
    """Outputs of Saltelli's design ``(N * (k + 2), n)`` as blocks ``(N, k + 2, n)``.

    Row ``i (k + 2)`` is ``A_i``, the next ``k`` rows ``A_B^j`` and the last ``B_i``:
    the layout of ``SALib.sample.sobol.sample(..., calc_second_order=False)``.
    """
    arr = np.asarray(y, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[:, np.newaxis]
    step = n_factors + 2
    if arr.shape[0] % step:
        raise ValueError(
            _("outputs have {rows} rows, not a multiple of n_factors + 2 = {step}").format(
                rows=arr.shape[0], step=step
            )
        )
    return arr.reshape(arr.shape[0] // step, step, arr.shape[1])


def _estimates(a: FloatArray, ab: FloatArray, b: FloatArray) -> tuple[FloatArray, FloatArray]:
    """S1 and ST over axis 0: ``a, b (N, ..., n)``, ``ab (N, ..., k, n)`` -> ``(..., k, n)``."""
    eps = np.finfo(float).eps
    y = np.concatenate([a, b], axis=0)
    var = np.var(y, axis=0)
    ok = (var > eps) & (np.ptp(y, axis=0) > eps)
    a_, b_ = a[..., np.newaxis, :], b[..., np.newaxis, :]
    first = np.mean(b_ * (ab - a_), axis=0)
    total = 0.5 * np.mean((a_ - ab) ** 2, axis=0)
    denom = np.where(ok, var, 1.0)[..., np.newaxis, :]
    okk = ok[..., np.newaxis, :]
    return np.where(okk, first / denom, 0.0), np.where(okk, total / denom, 0.0)


def sobol_indices(
    y: npt.ArrayLike,
    n_factors: int,
    *,
    num_resamples: int = 100,
    conf_level: float = 0.95,
    seed: int | None = None,
) -> SobolIndices:
    """Sobol' indices of every output column of Saltelli's design, vectorised.

    Signature ``(N (k + 2), n) -> 4 x (n, k)``.

    Parameters
    ----------
    y : array_like of shape ``(N * (n_factors + 2), n_outputs)`` or ``(N * (n_factors + 2),)``
        Model outputs in the row order of ``SALib.sample.sobol.sample`` without second order.
    n_factors : int
        ``k``: factors (SALib groups) of the design.
    num_resamples : int
        Bootstrap resamples of the N base rows.
    conf_level : float
        Level of the intervals, in ``(0, 1)``.
    seed : int, optional
        Seeds the resampling (``numpy.random.default_rng(seed).integers``, as SALib).

    Returns
    -------
    SobolIndices
        Arrays of shape ``(n_outputs, n_factors)``. An output that never changes has
        indices (and intervals) of 0, as in SALib.
    """
    blocks = saltelli_blocks(y, n_factors)
    n = blocks.shape[0]
    # Centre and scale each output as SALib does (indices are invariant; rounding is not).
    flat = blocks.reshape(-1, blocks.shape[2])
    sd = flat.std(axis=0)
    blocks = (blocks - flat.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    a, b = blocks[:, 0, :], blocks[:, -1, :]
    ab = blocks[:, 1:-1, :]
    s1, st = _estimates(a, ab, b)
    rng = np.random.default_rng(seed)
    r = rng.integers(n, size=(n, num_resamples))
    z = NormalDist().inv_cdf(0.5 + conf_level / 2)
    n_out = blocks.shape[2]
    s1_conf = np.empty_like(s1)
    st_conf = np.empty_like(st)
    width = max(1, _BOOT_BLOCK // max(1, n * num_resamples * max(1, n_factors)))
    for c0 in range(0, n_out, width):
        sl = slice(c0, min(c0 + width, n_out))
        ar, br = a[r, sl], b[r, sl]  # (N, R, w)
        abr = ab[r, :, sl]  # (N, R, k, w)
        boot1, boott = _estimates(ar, abr, br)  # (R, k, w)
        constant = np.ptp(np.concatenate([ar, br], axis=0), axis=(0, 1)) == 0
        s1_conf[:, sl] = np.where(constant, 0.0, z * boot1.std(axis=0, ddof=1))
        st_conf[:, sl] = np.where(constant, 0.0, z * boott.std(axis=0, ddof=1))
    return SobolIndices(s1.T, s1_conf.T, st.T, st_conf.T)

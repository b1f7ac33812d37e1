"""p-values of correlation tests, as R's ``cor.test`` computes them (COINr's ``get_pvals``).

COINr blanks correlations whose two-sided p-value exceeds 0.05; the p-values here follow
``stats::cor.test`` on the rows where both columns are present:

- Pearson: Student's t with ``n - 2`` degrees of freedom, ``t = r sqrt(n - 2) / sqrt(1 - r^2)``.
- Spearman: without ties and for ``n < 1290``, the exact null distribution of
  ``S = (n^3 - n)(1 - rho) / 6`` for ``n <= 9`` and the Edgeworth series of Best and Roberts
  (1975), algorithm AS 89, above; with ties, the t approximation.
- Kendall: without ties and for ``n < 50``, the exact distribution of the number of
  concordant pairs (the upper tail summed directly, where R subtracts from one);
  otherwise the normal approximation to ``S`` with the variance corrected for ties
  (Kendall 1970), without continuity correction.
"""

from __future__ import annotations

import math
from itertools import permutations

import numpy as np
import numpy.typing as npt

from cityeval.audit.coefficients import Method, coefficient

__all__ = ["as89_tail", "edgeworth_tail", "kendall_exact_cdf", "kendall_exact_sf", "p_value"]

FloatArray = npt.NDArray[np.float64]

# Edgeworth-series coefficients of AS 89 (Best and Roberts 1975, Appl. Statist. 24, 377).
_C = (0.2274, 0.2531, 0.1745, 0.0758, 0.1033, 0.3932, 0.0879, 0.0151, 0.0072, 0.0831, 0.0131)
_C12 = 4.6e-4
_EXACT_N = 9  # R enumerates permutations up to n = 9 (AS 89 itself stopped at 6)


def as89_tail(n: int, s: float, lower: bool) -> float:
    """``P(S >= s)`` (or ``P(S < s)`` when ``lower``) for Spearman's ``S`` under independence.

    ``S = sum (i - p_i)^2`` over a random permutation ``p`` of ``1..n``: R's ``prho``.
    """
    init = 0.0 if lower else 1.0
    if n <= 1 or s <= 0:
        return init
    n3 = n * (n * n - 1) / 3.0  # the largest S
    if s > n3:
        return 1.0 - init
    if n <= _EXACT_N:
        idx = np.arange(1, n + 1)
        perms = np.array(list(permutations(range(1, n + 1))))
        sums = ((idx - perms) ** 2).sum(axis=1)
        at_least = 1 if s == n3 else int(np.sum(sums >= s))
        total = math.factorial(n)
        return (total - at_least if lower else at_least) / total
    return edgeworth_tail(n, s, lower)


def edgeworth_tail(n: int, s: float, lower: bool) -> float:
    """AS 89's Edgeworth-series approximation of :func:`as89_tail` (used for ``n > 9``)."""
    from scipy.stats import norm

    c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11 = _C
    b = 1.0 / n
    x = (6.0 * (s - 1) * b / (n * n - 1.0) - 1.0) * math.sqrt(n - 1.0)
    y = x * x
    u = (
        x
        * b
        * (
            c1
            + b * (c2 + c3 * b)
            + y
            * (
                -c4
                + b * (c5 + c6 * b)
                - y * b * (c7 + c8 * b - y * (c9 - c10 * b + y * b * (c11 - _C12 * y)))
            )
        )
    )
    y = u / math.exp(y / 2.0)
    pv = (-y if lower else y) + float(norm.cdf(x) if lower else norm.sf(x))
    return min(1.0, max(0.0, pv))


def _kendall_distribution(n: int) -> FloatArray:
    # The counts of permutations by inversions (Mahonian numbers) as probabilities, built
    # one element at a time: p_n(k) = (1/n) sum_{j<n} p_{n-1}(k - j).
    dist = np.ones(1)
    for m in range(2, n + 1):
        dist = np.convolve(dist, np.full(m, 1.0 / m))
    return dist


def kendall_exact_cdf(n: int, q: int) -> float:
    """``P(T <= q)`` for the number ``T`` of concordant pairs of ``n`` untied observations."""
    if q < 0:
        return 0.0
    return float(min(1.0, _kendall_distribution(n)[: q + 1].sum()))


def kendall_exact_sf(n: int, q: int) -> float:
    """``P(T >= q)``, summed over the upper tail itself (R's ``1 - P(T <= q - 1)`` loses
    every digit of a p-value below about 1e-15 to cancellation)."""
    if q <= 0:
        return 1.0
    return float(min(1.0, _kendall_distribution(n)[q:].sum()))


def _ties(x: FloatArray) -> npt.NDArray[np.float64]:
    _, counts = np.unique(x, return_counts=True)
    return counts[counts > 1].astype(float)


def _pearson_p(r: float, n: int) -> float:
    from scipy.stats import t as student

    df = n - 2
    if abs(r) >= 1.0:
        return 0.0
    stat = math.sqrt(df) * r / math.sqrt(1.0 - r * r)
    return float(min(1.0, 2.0 * student.sf(abs(stat), df)))


def _spearman_p(r: float, n: int, ties: bool) -> float:
    q = (n**3 - n) * (1.0 - r) / 6.0
    half = (n**3 - n) / 6.0
    if not ties and n < 1290:
        p = as89_tail(n, round(q), lower=False) if q > half else as89_tail(n, round(q) + 2, True)
        return min(2.0 * p, 1.0)
    return _pearson_p(r, n)


def _kendall_p(x: FloatArray, y: FloatArray, r: float) -> float:
    from scipy.stats import norm

    n = len(x)
    tx, ty = _ties(x), _ties(y)
    if n < 50 and len(tx) == 0 and len(ty) == 0:
        q = round((r + 1.0) * n * (n - 1) / 4.0)
        upper = q > n * (n - 1) / 4.0
        p = kendall_exact_sf(n, q) if upper else kendall_exact_cdf(n, q)
        return min(2.0 * p, 1.0)
    t0 = n * (n - 1) / 2.0
    t1 = float(np.sum(tx * (tx - 1))) / 2.0
    t2 = float(np.sum(ty * (ty - 1))) / 2.0
    s = r * math.sqrt((t0 - t1) * (t0 - t2))
    v0 = n * (n - 1) * (2 * n + 5)
    vt = float(np.sum(tx * (tx - 1) * (2 * tx + 5)))
    vu = float(np.sum(ty * (ty - 1) * (2 * ty + 5)))
    v1 = float(np.sum(tx * (tx - 1))) * float(np.sum(ty * (ty - 1)))
    v2 = float(np.sum(tx * (tx - 1) * (tx - 2))) * float(np.sum(ty * (ty - 1) * (ty - 2)))
    var_s = (v0 - vt - vu) / 18.0 + v1 / (2.0 * n * (n - 1)) + v2 / (9.0 * n * (n - 1) * (n - 2))
    z = s / math.sqrt(var_s)
    return float(min(1.0, 2.0 * min(norm.cdf(z), norm.sf(z))))


def p_value(x: FloatArray, y: FloatArray, method: Method) -> float:
    """The two-sided p-value of ``cor.test(x, y, method = method)``.

    Parameters
    ----------
    x, y : array of shape ``(n_units,)``
        NaN where missing; the test uses the rows where both are present.

    Returns
    -------
    float
        NaN with fewer than three shared rows or a constant column.
    """
    both = ~(np.isnan(x) | np.isnan(y))
    xs, ys = x[both], y[both]
    n = len(xs)
    if n < 3 or np.ptp(xs) == 0 or np.ptp(ys) == 0:
        return float("nan")
    if method == "pearson":
        return _pearson_p(coefficient(xs, ys, "pearson"), n)
    if method == "spearman":
        r = coefficient(xs, ys, "spearman")  # cor.test ranks the shared rows again
        return _spearman_p(r, n, bool(len(_ties(xs)) or len(_ties(ys))))
    return _kendall_p(xs, ys, coefficient(xs, ys, "kendall"))

"""Plain-Python reference implementations of the aggregation, weighting and ranking kernels.

Each function is a literal loop over draws, units and children written from the formula, with
no vectorisation, so the fast kernels in ``cityeval.methods`` can be checked against it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
UnitFn = Callable[[list[float], list[float]], float]

MEDIAN_RTOL = 1e-10  # same definition as cityeval.methods.aggregate.MEDIAN_RTOL


# --------------------------------------------------------------------------------------------
# Aggregation
# --------------------------------------------------------------------------------------------


def _broadcast(values: FloatArray, weights: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Values to ``(*batch, n_units, n_children)``, weights to ``(*batch, n_children)``."""
    values = np.asarray(values, dtype=float)
    weights = np.asarray(weights, dtype=float)
    batch = np.broadcast_shapes(values.shape[:-2], weights.shape[:-1])
    n_units, n_children = values.shape[-2:]
    return (
        np.broadcast_to(values, (*batch, n_units, n_children)),
        np.broadcast_to(weights, (*batch, n_children)),
    )


def _per_unit(values: FloatArray, weights: FloatArray, fn: UnitFn) -> FloatArray:
    """Apply ``fn(xs, ws)`` to the used children (non-NaN, weight > 0) of every unit."""
    vb, wb = _broadcast(values, weights)
    *batch, n_units, n_children = vb.shape
    out = np.full((*batch, n_units), np.nan)
    for b in np.ndindex(*batch):
        for u in range(n_units):
            xs: list[float] = []
            ws: list[float] = []
            for c in range(n_children):
                x = float(vb[(*b, u, c)])
                w = float(wb[(*b, c)])
                if not math.isnan(x) and w > 0:
                    xs.append(x)
                    ws.append(w)
            if xs:
                out[(*b, u)] = fn(xs, ws)
    return out


def _arith(xs: list[float], ws: list[float]) -> float:
    return sum(w * x for x, w in zip(xs, ws, strict=True)) / sum(ws)


def _geom(xs: list[float], ws: list[float]) -> float:
    return math.exp(sum(w * math.log(x) for x, w in zip(xs, ws, strict=True)) / sum(ws))


def _harm(xs: list[float], ws: list[float]) -> float:
    return sum(ws) / sum(w / x for x, w in zip(xs, ws, strict=True))


def _median(xs: list[float], ws: list[float]) -> float:
    pairs = sorted(zip(xs, ws, strict=True), key=lambda t: t[0])
    total = sum(w for _, w in pairs)
    half = 0.5 * (1.0 - MEDIAN_RTOL) * total
    acc = 0.0
    lower = pairs[-1][0]
    for x, w in pairs:
        acc += w
        if acc >= half:
            lower = x
            break
    acc = 0.0
    upper = pairs[0][0]
    for x, w in reversed(pairs):
        acc += w
        if acc >= half:
            upper = x
            break
    return 0.5 * lower + 0.5 * upper


def ref_arithmetic(values: FloatArray, weights: FloatArray) -> FloatArray:
    return _per_unit(values, weights, _arith)


def ref_geometric(values: FloatArray, weights: FloatArray) -> FloatArray:
    return _per_unit(values, weights, _geom)


def ref_harmonic(values: FloatArray, weights: FloatArray) -> FloatArray:
    return _per_unit(values, weights, _harm)


def ref_power_mean(values: FloatArray, weights: FloatArray, p: float) -> FloatArray:
    if p == 0:
        return ref_geometric(values, weights)

    def fn(xs: list[float], ws: list[float]) -> float:
        s = sum(w * x**p for x, w in zip(xs, ws, strict=True)) / sum(ws)
        return float(s ** (1.0 / p))

    return _per_unit(values, weights, fn)


def ref_median(values: FloatArray, weights: FloatArray) -> FloatArray:
    return _per_unit(values, weights, _median)


def ref_minimum(values: FloatArray, weights: FloatArray) -> FloatArray:
    return _per_unit(values, weights, lambda xs, ws: min(xs))


def ref_availability(values: FloatArray, weights: FloatArray) -> FloatArray:
    vb, wb = _broadcast(values, weights)
    *batch, n_units, n_children = vb.shape
    out = np.full((*batch, n_units), np.nan)
    for b in np.ndindex(*batch):
        total = sum(float(wb[(*b, c)]) for c in range(n_children))
        for u in range(n_units):
            have = sum(
                float(wb[(*b, c)])
                for c in range(n_children)
                if not math.isnan(float(vb[(*b, u, c)]))
            )
            if total > 0:
                out[(*b, u)] = have / total
    return out


def ref_copeland(values: FloatArray, weights: FloatArray) -> FloatArray:
    """Pairwise deletion: compare two units on the children both have (weight > 0)."""
    vb, wb = _broadcast(values, weights)
    *batch, n_units, n_children = vb.shape
    out = np.full((*batch, n_units), np.nan)
    for b in np.ndindex(*batch):
        w = [float(wb[(*b, c)]) for c in range(n_children)]
        rows = [[float(vb[(*b, u, c)]) for c in range(n_children)] for u in range(n_units)]
        for a in range(n_units):
            if not any(not math.isnan(rows[a][c]) and w[c] > 0 for c in range(n_children)):
                continue
            score = 0
            for o in range(n_units):
                if o == a:
                    continue
                win = lose = 0.0
                for c in range(n_children):
                    xa, xo = rows[a][c], rows[o][c]
                    if math.isnan(xa) or math.isnan(xo) or w[c] <= 0:
                        continue
                    if xa > xo:
                        win += w[c]
                    elif xo > xa:
                        lose += w[c]
                score += (win > lose) - (lose > win)
            out[(*b, a)] = score
    return out


def ref_copeland_coinr(values: FloatArray, weights: FloatArray) -> FloatArray:
    """COINr ``outrankMatrix`` + ``a_copeland`` for one complete ``(n_units, n_children)``.

    In exact rational arithmetic: COINr compares ``W(a>b) + W(a=b)/2`` with ``0.5`` in floating
    point, where weights such as ``(1, 4, 1) / 6`` make a full tie come out below 0.5.
    """
    x = np.asarray(values, dtype=float)
    raw = [Fraction(float(v)) for v in np.asarray(weights, dtype=float)]
    total = sum(raw, Fraction(0))
    w = [v / total for v in raw]
    n_units, n_children = x.shape
    half = Fraction(1, 2)
    out = np.zeros(n_units)
    for i in range(n_units):
        for j in range(n_units):
            if i == j:
                continue
            e_ij = sum((w[c] for c in range(n_children) if x[i, c] > x[j, c]), Fraction(0))
            e_ij += sum((w[c] for c in range(n_children) if x[i, c] == x[j, c]), Fraction(0)) / 2
            out[i] += 1 if e_ij > half else (-1 if e_ij < half else 0)
    return out


# --------------------------------------------------------------------------------------------
# Ranking
# --------------------------------------------------------------------------------------------


def ref_rank_descending(scores: FloatArray) -> FloatArray:
    s = np.asarray(scores, dtype=float)
    out = np.full(s.shape, np.nan)
    n = s.shape[-1]
    for b in np.ndindex(*s.shape[:-1]):
        for i in range(n):
            si = float(s[(*b, i)])
            if math.isnan(si):
                continue
            out[(*b, i)] = 1 + sum(
                1 for j in range(n) if not math.isnan(float(s[(*b, j)])) and s[(*b, j)] > si
            )
    return out


def ref_strongest_weakest(values: FloatArray, k: int) -> tuple[FloatArray, FloatArray]:
    x = np.asarray(values, dtype=float)
    n_children = x.shape[-1]
    strong = np.full((*x.shape[:-1], k), -1, dtype=np.intp)
    weak = np.full((*x.shape[:-1], k), -1, dtype=np.intp)
    for idx in np.ndindex(*x.shape[:-1]):
        avail = [(float(x[(*idx, c)]), c) for c in range(n_children)]
        avail = [(v, c) for v, c in avail if not math.isnan(v)]
        hi = sorted(avail, key=lambda t: (-t[0], t[1]))[:k]
        lo = sorted(avail, key=lambda t: (t[0], t[1]))[:k]
        for slot, (_, c) in enumerate(hi):
            strong[(*idx, slot)] = c
        for slot, (_, c) in enumerate(lo):
            weak[(*idx, slot)] = c
    return strong, weak


# --------------------------------------------------------------------------------------------
# Weighting
# --------------------------------------------------------------------------------------------


def _complete(x: FloatArray) -> list[list[float]]:
    return [list(map(float, row)) for row in np.asarray(x, dtype=float) if not np.isnan(row).any()]


def ref_entropy(x: FloatArray) -> FloatArray:
    rows = _complete(x)
    m, n = len(rows), len(rows[0])
    d = []
    for j in range(n):
        col = [r[j] for r in rows]
        total = sum(col)
        if total == 0:
            e = 1.0
        else:
            e = -sum((v / total) * math.log(v / total) for v in col if v > 0) / math.log(m)
        d.append(max(1.0 - e, 0.0))
    return np.array(d) / sum(d)


def _mean(v: Sequence[float]) -> float:
    return sum(v) / len(v)


def _pearson(a: Sequence[float], b: Sequence[float]) -> float:
    ma, mb = _mean(a), _mean(b)
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
    va = sum((x - ma) ** 2 for x in a)
    vb = sum((y - mb) ** 2 for y in b)
    return cov / math.sqrt(va * vb)


def ref_critic(x: FloatArray) -> FloatArray:
    rows = _complete(x)
    n = len(rows[0])
    cols = [[r[j] for r in rows] for j in range(n)]
    active = [j for j in range(n) if max(cols[j]) > min(cols[j])]
    scaled = {}
    for j in active:
        lo, hi = min(cols[j]), max(cols[j])
        scaled[j] = [(v - lo) / (hi - lo) for v in cols[j]]
    c = [0.0] * n
    for j in active:
        mu = _mean(scaled[j])
        sd = math.sqrt(sum((v - mu) ** 2 for v in scaled[j]) / len(scaled[j]))
        c[j] = sd * sum(1.0 - _pearson(scaled[j], scaled[k]) for k in active)
    return np.array(c) / sum(c)


def ref_pca_weights(x: FloatArray) -> tuple[FloatArray, float]:
    """First right singular vector of the standardised complete data (an SVD, not eigh)."""
    xs = np.array(_complete(x))
    active = np.ptp(xs, axis=0) > 0
    z = xs[:, active]
    z = (z - z.mean(axis=0)) / np.ptp(z, axis=0)  # the correlation matrix ignores scale
    z = z / z.std(axis=0, ddof=1)
    _, sv, vt = np.linalg.svd(z, full_matrices=False)
    w = np.zeros(xs.shape[1])
    w[active] = vt[0] ** 2
    return w / w.sum(), float(sv[0] ** 2 / np.sum(sv**2))


def ref_ahp_power_iteration(a: FloatArray, n_iter: int = 2000) -> tuple[FloatArray, float]:
    """Saaty's own procedure: normalised rows of A^k e converge to the principal vector."""
    a = np.asarray(a, dtype=float)
    n = a.shape[0]
    w = [1.0 / n] * n
    for _ in range(n_iter):
        nxt = [sum(a[i, j] * w[j] for j in range(n)) for i in range(n)]
        total = sum(nxt)
        w = [v / total for v in nxt]
    aw = [sum(a[i, j] * w[j] for j in range(n)) for i in range(n)]
    lam = sum(aw[i] / w[i] for i in range(n)) / n
    return np.array(w), lam


def ref_budget_allocation(points: FloatArray) -> FloatArray:
    p = np.asarray(points, dtype=float)
    n_experts, n_items = p.shape
    out = [0.0] * n_items
    for e in range(n_experts):
        total = sum(float(v) for v in p[e])
        for j in range(n_items):
            out[j] += float(p[e, j]) / total / n_experts
    return np.array(out)

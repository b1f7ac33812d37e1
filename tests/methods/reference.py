"""Naive reference implementations of the method kernels, one per kernel.

Plain Python loops over batch elements, indicators and units, written straight from the
formulas (COINr ``R/normalise.R``, ``R/impute.R``, ``R/treat.R``, ``R/denominate.R`` and
``reference/coinr-asem-method.md``), with no vectorisation, so that the fast kernels can be
checked against them. They take and return 2-D ``(n_units, n_indicators)`` arrays unless
stated; :func:`batched` lifts any of them over leading batch axes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

FloatArray = npt.NDArray[np.float64]
Column = list[float]


def batched(fn: Callable[..., FloatArray], x: FloatArray, *args: Any, **kw: Any) -> FloatArray:
    """Apply a 2-D reference to every ``(n_units, n_indicators)`` slice of ``x``."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 2:
        return fn(x, *args, **kw)
    return np.stack([batched(fn, x[b], *args, **kw) for b in range(x.shape[0])])


def _param(value: Any, j: int) -> float:
    arr = np.asarray(value, dtype=np.float64)
    return float(arr) if arr.ndim == 0 else float(arr[j])


def _columns(x: FloatArray, direction: Any) -> list[tuple[int, float, Column]]:
    """Oriented columns ``(j, d, [d * x_uj for every unit])``."""
    out = []
    for j in range(x.shape[1]):
        d = _param(direction, j)
        out.append((j, d, [d * float(x[u, j]) for u in range(x.shape[0])]))
    return out


def _observed(col: Column) -> Column:
    return [v for v in col if not math.isnan(v)]


def _fill_column(out: FloatArray, j: int, col: Column, f: Callable[[float], float]) -> None:
    for u, v in enumerate(col):
        out[u, j] = math.nan if math.isnan(v) else f(v)


# ---------------------------------------------------------------- normalisation


def minmax(x: FloatArray, direction: Any, lower: Any = 0.0, upper: Any = 100.0) -> FloatArray:
    out = np.empty(x.shape)
    for j, _, col in _columns(x, direction):
        obs = _observed(col)
        lo, hi = _param(lower, j), _param(upper, j)
        mn, mx = (min(obs), max(obs)) if obs else (math.nan, math.nan)

        def f(v: float, mn: float = mn, mx: float = mx, lo: float = lo, hi: float = hi) -> float:
            frac = (v - mn) / (mx - mn) if mx > mn else 0.5
            return lo + frac * (hi - lo)

        _fill_column(out, j, col, f)
    return out


def zscore(x: FloatArray, direction: Any, mean: Any = 0.0, sd: Any = 1.0) -> FloatArray:
    out = np.empty(x.shape)
    for j, _, col in _columns(x, direction):
        obs = _observed(col)
        n = len(obs)
        mu = sum(obs) / n if n else math.nan
        s = math.sqrt(sum((v - mu) ** 2 for v in obs) / (n - 1)) if n > 1 else math.nan
        m, k = _param(mean, j), _param(sd, j)

        def f(v: float, mu: float = mu, s: float = s, m: float = m, k: float = k) -> float:
            return m + k * ((v - mu) / s if s > 0 else 0.0)

        _fill_column(out, j, col, f)
    return out


def _interval(low: Any, high: Any, d: float, j: int) -> tuple[float, float]:
    lo, hi = _param(low, j), _param(high, j)
    return (lo, hi) if d > 0 else (-hi, -lo)


def _interval_score(v: float, lo: float, hi: float, scale: float, truncate: bool) -> float:
    # Equal goalposts: a step at the goalpost (the module's zero-range rule).
    frac = (1.0 if v >= hi else 0.0) if hi == lo else (v - lo) / (hi - lo)
    if truncate:
        frac = min(max(frac, 0.0), 1.0)
    return frac * scale


def goalposts(
    x: FloatArray,
    direction: Any,
    low: Any,
    high: Any,
    scale: Any = 100.0,
    truncate: bool = True,
) -> FloatArray:
    out = np.empty(x.shape)
    for j, d, col in _columns(x, direction):
        lo, hi = _interval(low, high, d, j)
        s = _param(scale, j)
        for u, v in enumerate(col):
            out[u, j] = math.nan if math.isnan(v) else _interval_score(v, lo, hi, s, truncate)
    return out


def fixed_bounds(x: FloatArray, direction: Any, low: Any, high: Any, scale: Any = 100.0) -> Any:
    return goalposts(x, direction, low, high, scale, truncate=False)


def _distance(col: Column, goal: float, cap: bool, scale: float) -> Column:
    obs = _observed(col)
    mn = min(obs) if obs else math.nan
    res = []
    for v in col:
        if math.isnan(v) or math.isnan(goal):
            res.append(math.nan)
            continue
        frac = (v - mn) / (goal - mn) if goal > mn else 1.0
        if cap:
            frac = min(frac, 1.0)
        res.append(frac * scale)
    return res


def dist_to_target(
    x: FloatArray, direction: Any, target: Any, cap: bool = True, scale: Any = 100.0
) -> FloatArray:
    out = np.empty(x.shape)
    for j, d, col in _columns(x, direction):
        out[:, j] = _distance(col, d * _param(target, j), cap, _param(scale, j))
    return out


def dist_to_reference(
    x: FloatArray, direction: Any, reference_index: Any, cap: bool = False, scale: Any = 100.0
) -> FloatArray:
    out = np.empty(x.shape)
    for j, _, col in _columns(x, direction):
        ref = int(np.broadcast_to(np.asarray(reference_index), (x.shape[1],))[j])
        out[:, j] = _distance(col, col[ref], cap, _param(scale, j))
    return out


def dist_to_max(x: FloatArray, direction: Any, scale: Any = 100.0) -> FloatArray:
    out = np.empty(x.shape)
    for j, _, col in _columns(x, direction):
        obs = _observed(col)
        mn, mx = (min(obs), max(obs)) if obs else (math.nan, math.nan)
        s = _param(scale, j)
        for u, v in enumerate(col):
            if math.isnan(v):
                out[u, j] = math.nan
            elif mx > mn:
                out[u, j] = (1.0 - (mx - v) / (mx - mn)) * s
            else:
                out[u, j] = s / 2
    return out


def fraction_of_max(x: FloatArray, direction: Any, scale: Any = 100.0) -> FloatArray:
    out = np.empty(x.shape)
    for j in range(x.shape[1]):
        d = _param(direction, j)
        col = [float(v) for v in x[:, j]]
        obs = _observed(col)
        s = _param(scale, j)
        best = (max(obs) if d > 0 else min(obs)) if obs else math.nan
        for u, v in enumerate(col):
            if math.isnan(v):
                out[u, j] = math.nan
            elif v == best:
                out[u, j] = s
            else:
                num, den = (v, best) if d > 0 else (best, v)
                out[u, j] = (num / den if den != 0 else 0.0) * s
    return out


def rank(x: FloatArray, direction: Any) -> FloatArray:
    out = np.empty(x.shape)
    for j, _, col in _columns(x, direction):
        obs = _observed(col)
        for u, v in enumerate(col):
            out[u, j] = math.nan if math.isnan(v) else 1.0 + sum(1 for w in obs if w < v)
    return out


def borda(x: FloatArray, direction: Any) -> FloatArray:
    return rank(x, direction) - 1.0


def percentile_rank(x: FloatArray, direction: Any, scale: Any = 100.0) -> FloatArray:
    out = np.empty(x.shape)
    for j, _, col in _columns(x, direction):
        obs = _observed(col)
        n, s = len(obs), _param(scale, j)

        def f(v: float, obs: Column = obs, n: int = n, s: float = s) -> float:
            below = sum(1 for w in obs if w < v)
            return below / (n - 1) * s if n > 1 else 0.0

        _fill_column(out, j, col, f)
    return out


def ordinal_levels(
    x: FloatArray,
    direction: Any,
    levels: Sequence[float],
    scores: Sequence[float] | None = None,
    scale: Any = 100.0,
) -> FloatArray:
    out = np.empty(x.shape)
    for j in range(x.shape[1]):
        d = _param(direction, j)
        ordered = sorted(levels, key=lambda level: d * level)
        for u in range(x.shape[0]):
            v = float(x[u, j])
            if math.isnan(v):
                out[u, j] = math.nan
            elif scores is not None:
                out[u, j] = scores[list(levels).index(v)]
            elif len(ordered) == 1:
                out[u, j] = _param(scale, j) / 2
            else:
                out[u, j] = ordered.index(v) / (len(ordered) - 1) * _param(scale, j)
    return out


# ---------------------------------------------------------------- imputation


def _median(values: Column) -> float:
    s = sorted(values)
    n = len(s)
    if n == 0:
        return math.nan
    return (s[(n - 1) // 2] + s[n // 2]) / 2.0


def _mean(values: Column) -> float:
    return sum(values) / len(values) if values else math.nan


def _impute_by(x: FloatArray, groups: Sequence[int], stat: Callable[[Column], float]) -> Any:
    out = np.array(x, dtype=np.float64, copy=True)
    for j in range(x.shape[1]):
        for u in range(x.shape[0]):
            if math.isnan(out[u, j]) and groups[u] >= 0:
                peers = [
                    float(x[w, j])
                    for w in range(x.shape[0])
                    if groups[w] == groups[u] and not math.isnan(x[w, j])
                ]
                out[u, j] = stat(peers)
    return out


def impute_mean(x: FloatArray) -> FloatArray:
    return _impute_by(x, [0] * x.shape[0], _mean)  # type: ignore[no-any-return]


def impute_median(x: FloatArray) -> FloatArray:
    return _impute_by(x, [0] * x.shape[0], _median)  # type: ignore[no-any-return]


def impute_group_mean(x: FloatArray, groups: Sequence[int]) -> FloatArray:
    return _impute_by(x, list(groups), _mean)  # type: ignore[no-any-return]


def impute_group_median(x: FloatArray, groups: Sequence[int]) -> FloatArray:
    return _impute_by(x, list(groups), _median)  # type: ignore[no-any-return]


def impute_latest(
    x: FloatArray, times: Sequence[float], max_gap: float | None = None
) -> FloatArray:
    """``x`` of shape ``(n_times, n_units, n_indicators)``."""
    out = np.array(x, dtype=np.float64, copy=True)
    n_t, n_u, n_i = x.shape
    for u in range(n_u):
        for j in range(n_i):
            for t in range(n_t):
                if not math.isnan(x[t, u, j]):
                    continue
                for s in range(t - 1, -1, -1):
                    if not math.isnan(x[s, u, j]):
                        if max_gap is None or times[t] - times[s] <= max_gap:
                            out[t, u, j] = x[s, u, j]
                        break
    return out


def impute_linear(
    x: FloatArray, times: Sequence[float], extrapolate: str | None = None
) -> FloatArray:
    """``x`` of shape ``(n_times, n_units, n_indicators)``."""
    out = np.array(x, dtype=np.float64, copy=True)
    n_t, n_u, n_i = x.shape
    for u in range(n_u):
        for j in range(n_i):
            seen = [t for t in range(n_t) if not math.isnan(x[t, u, j])]
            for t in range(n_t):
                if not math.isnan(x[t, u, j]):
                    continue
                before = [s for s in seen if s < t]
                after = [s for s in seen if s > t]
                if before and after:
                    t0, t1 = before[-1], after[0]
                    v0, v1 = float(x[t0, u, j]), float(x[t1, u, j])
                    w = (times[t] - times[t0]) / (times[t1] - times[t0])
                    out[t, u, j] = v0 + (v1 - v0) * w
                elif extrapolate == "constant" and before:
                    out[t, u, j] = x[before[-1], u, j]
                elif extrapolate == "constant" and after:
                    out[t, u, j] = x[after[0], u, j]
    return out


# ---------------------------------------------------------------- denomination


def denominate(
    x: FloatArray, denominators: FloatArray, index: Sequence[int]
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    values = np.empty(x.shape)
    zero = np.zeros(x.shape, dtype=bool)
    for u in range(x.shape[0]):
        for j in range(x.shape[1]):
            v = float(x[u, j])
            if index[j] < 0:
                values[u, j] = v
                continue
            den = float(denominators[u, index[j]])
            if den == 0:
                values[u, j] = math.nan
                zero[u, j] = not math.isnan(v)
            else:
                values[u, j] = v / den
    return values, zero


# ---------------------------------------------------------------- outlier treatment


def treat(
    x: FloatArray,
    winmax: int | None = None,
    skew_threshold: float = 2.0,
    kurt_threshold: float = 3.5,
    log_transform: bool = True,
) -> dict[str, Any]:
    """COINr treatment written with pandas ``Series.skew()``/``.kurt()`` and plain loops.

    Returns a dict with ``values`` and per-indicator lists ``high``, ``low``, ``log``,
    ``passes``, ``failed``.
    """
    import pandas as pd

    n_units, n_ind = x.shape
    if winmax is None:
        winmax = math.ceil(n_units / 10)
    out = np.array(x, dtype=np.float64, copy=True)
    report: dict[str, list[Any]] = {"high": [], "low": [], "log": [], "passes": [], "failed": []}

    def fails(s: pd.Series) -> bool:
        sk, ku = s.skew(), s.kurt()
        return bool(abs(sk) > skew_threshold and ku > kurt_threshold)

    for j in range(n_ind):
        original = pd.Series(x[:, j]).dropna()
        work = original.copy()
        changed_high: set[Any] = set()
        changed_low: set[Any] = set()
        passes = 0
        # COINr R/treat.R winsorise(): imax/imin are the points at the extreme when the last
        # pass on that side was made, and nwin = length(imax) + length(imin) is compared
        # with winmax: a count of points, not of passes.
        imax: list[Any] = []
        imin: list[Any] = []
        nwin = 0
        while work.nunique() >= 2 and fails(work) and nwin < winmax:
            distinct = sorted(set(work.tolist()))
            if work.skew() >= 0:
                imax = [k for k in work.index if work[k] == distinct[-1]]
                for k in imax:
                    work[k] = distinct[-2]
                    changed_high.add(k)
            else:
                imin = [k for k in work.index if work[k] == distinct[0]]
                for k in imin:
                    work[k] = distinct[1]
                    changed_low.add(k)
            nwin = len(imax) + len(imin)
            passes += 1
        log = False
        if work.nunique() >= 2 and fails(work) and log_transform:
            lo, hi = original.min(), original.max()
            work = pd.Series(
                [math.log(v - lo + 0.01 * (hi - lo)) for v in original], index=original.index
            )
            changed_high, changed_low, log = set(), set(), True
        for k in work.index:
            out[k, j] = work[k]
        report["high"].append(len(changed_high))
        report["low"].append(len(changed_low))
        report["log"].append(log)
        report["passes"].append(passes)
        report["failed"].append(work.nunique() >= 2 and fails(work))
    return {"values": out, **report}


# ---------------------------------------------------------------- hypothesis strategies
# Test-only strategies shared by the method tests (bounded elements, optional batch axis).

#: Multiples of 1/8 in [-1000, 1000]: sums are exact, so moment-based kernels and their
#: references agree to rounding of one division.
grid_floats = st.integers(-8000, 8000).map(lambda k: k / 8.0)
#: Non-negative multiples of 1/8, for ratio-scale methods.
nonneg_grid_floats = st.integers(0, 8000).map(lambda k: k / 8.0)
#: General bounded floats, for order-based kernels.
wide_floats = st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False)


def with_nan(elements: st.SearchStrategy[float]) -> st.SearchStrategy[float]:
    """Cells that are sometimes missing."""
    return st.one_of(st.just(math.nan), elements, elements, elements)


@st.composite
def cases(
    draw: st.DrawFn,
    elements: st.SearchStrategy[float] = grid_floats,
    *,
    nan: bool = True,
    batch: bool | None = None,
    max_units: int = 8,
    max_indicators: int = 4,
    min_units: int = 1,
) -> tuple[FloatArray, FloatArray]:
    """``(x, direction)`` with x of shape ``(n_units, n_indicators)`` or ``(b, u, i)``."""
    n_units = draw(st.integers(min_units, max_units))
    n_ind = draw(st.integers(1, max_indicators))
    has_batch = draw(st.booleans()) if batch is None else batch
    shape: tuple[int, ...] = (n_units, n_ind)
    if has_batch:
        shape = (draw(st.integers(1, 3)), *shape)
    cell = with_nan(elements) if nan else elements
    x = draw(hnp.arrays(np.float64, shape, elements=cell))
    direction = draw(hnp.arrays(np.float64, (n_ind,), elements=st.sampled_from([-1.0, 1.0])))
    return x, direction

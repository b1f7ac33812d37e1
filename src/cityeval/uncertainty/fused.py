"""Aggregate the varying levels of many draws in the mean's own space, parent by parent.

Arithmetic, geometric and harmonic means are quasi-arithmetic: ``phi(mean) = sum(w phi(x)) /
sum(w)`` with ``phi`` the identity, ``log`` or ``1/x``. So every level above the first varying
one is a weighted sum of the level below *in phi-space*, and ``phi^-1`` is applied once, to all
the nodes together, at the end. Each child has one parent, so a level's weighted sums are
a few elementwise multiply-adds over the parents (the first child of every parent, then the
second, ...) rather than products with a mostly-zero membership matrix; arrays are laid out
node-major ``(node, draw, unit)``. Elementwise numpy arithmetic, unlike a BLAS product, gives a
draw the same bits whatever else is in its batch.

The shortcut holds when nothing is missing: the values entering the first varying level are
all finite (and positive for the geometric and harmonic means), the data-availability threshold
cannot bite, and in the draw every parent keeps some positive weight. Other draws go through
the matrix kernels level by level, as the engine does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from cityeval.uncertainty.plan import LevelPlan

__all__ = [
    "PHI_MAPS",
    "Segments",
    "fused_eligible",
    "fused_levels",
    "phi_inputs",
    "segments",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

#: The maps of the quasi-arithmetic means evaluated in phi-space: ``x``, ``log x``, ``1 / x``.
PHI_MAPS = ("identity", "log", "reciprocal")


class Segments:
    """A level's children as slots: the ``j``-th child of every parent side by side.

    A level's weighted sums are then ``max_children`` elementwise multiply-adds over
    ``(n_parents, s, u)`` arrays, each contiguous, instead of a reduction over a strided axis.

    Attributes
    ----------
    child_at : ndarray of intp, shape ``(max_children, n_parents)``
        The ``j``-th child of each parent (0 where a parent has fewer children).
    present : ndarray of bool, shape ``(max_children, n_parents)``
        Where ``child_at`` is a real child.
    complete : bool
        Whether every parent has at least one child.
    """

    __slots__ = ("child_at", "complete", "present")

    def __init__(self, level: LevelPlan) -> None:
        parent = level.parent
        counts = np.bincount(parent, minlength=level.n_parents)
        self.complete = bool(np.all(counts > 0))
        width = int(counts.max(initial=0))
        self.child_at: IntArray = np.zeros((width, level.n_parents), dtype=np.intp)
        self.present = np.zeros((width, level.n_parents), dtype=bool)
        seen = np.zeros(level.n_parents, dtype=np.intp)
        for c, p in enumerate(parent.tolist()):
            self.child_at[seen[p], p] = c
            self.present[seen[p], p] = True
            seen[p] += 1

    @property
    def n_parents(self) -> int:
        """Parents of the level."""
        return int(self.child_at.shape[1])


def segments(levels: Sequence[LevelPlan]) -> list[Segments]:
    """The :class:`Segments` of each level."""
    return [Segments(level) for level in levels]


def fused_eligible(
    values: FloatArray,
    phi: str | None,
    kwargs: Mapping[str, object],
    threshold: float | None,
    segs: Sequence[Segments],
) -> bool:
    """Whether a group's draws may take the phi-space shortcut (before looking at weights).

    ``values`` are the group's values entering the first varying level, ``(n_units, C)``;
    ``phi`` is the mean's map (:attr:`BatchedAggregator.phi
    <cityeval.uncertainty.kernels.BatchedAggregator.phi>`), None for a mean that has none.
    """
    if phi not in PHI_MAPS or not all(s.complete for s in segs):
        return False
    if threshold is not None and threshold > 1.0:
        return False
    if values.size == 0 or not bool(np.isfinite(values).all()):
        return False
    if phi != "identity":
        low = float(values.min())
        if low <= 0.0:
            return False
        epsilon = kwargs.get("epsilon", 1e-6)
        if kwargs.get("nonpositive") == "clip" and low < float(epsilon):  # type: ignore[arg-type]
            return False
    return True


def _phi(values: FloatArray, phi: str) -> FloatArray:
    if phi == "log":
        return np.log(values)
    if phi == "reciprocal":
        return 1.0 / values
    return values


def _phi_inverse(values: FloatArray, phi: str) -> None:
    if phi == "log":
        np.exp(values, out=values)
    elif phi == "reciprocal":
        np.divide(1.0, values, out=values)


def weight_totals(
    weights: Sequence[FloatArray], segs: Sequence[Segments]
) -> tuple[list[FloatArray], list[FloatArray], npt.NDArray[np.bool_]]:
    """Per level, each draw's weights by slot and their totals per parent.

    Signature ``k x (s, C_k) -> k x (max_children_k, P_k, s), k x (P_k, s)`` plus whether each
    draw keeps a positive total under every parent of every level, ``(s,)``.
    """
    slotted, totals = [], []
    ok: npt.NDArray[np.bool_] | None = None
    for w, seg in zip(weights, segs, strict=True):
        ws = np.where(seg.present[:, :, np.newaxis], w.T[seg.child_at], 0.0)
        total = ws[0].copy()
        for j in range(1, ws.shape[0]):
            total += ws[j]
        good = np.all(total > 0, axis=0)
        ok = good if ok is None else ok & good
        slotted.append(ws)
        totals.append(total)
    assert ok is not None
    return slotted, totals, ok


def phi_inputs(values: FloatArray, phi: str) -> FloatArray:
    """Values entering the first varying level in phi-space, laid out for :func:`fused_levels`.

    Signature ``(n_units, C_0) -> (C_0, 1, n_units)``; computed once per group, not per batch.
    """
    return np.ascontiguousarray(_phi(values, phi).T[:, np.newaxis, :])


def fused_levels(
    below: FloatArray,
    weights: Sequence[FloatArray],
    totals: Sequence[FloatArray],
    segs: Sequence[Segments],
    phi: str,
    out: FloatArray,
    finish: Sequence[int] | None = None,
    work: FloatArray | None = None,
) -> None:
    """Scores of the varying levels of ``s`` draws sharing the values entering them.

    Signature ``(C_0, 1, u), k x (max_children_k, P_k, s), k x (P_k, s) -> (n_varying, s, u)``,
    written into ``out`` level by level (bottom-up, each level's parents in order).

    Parameters
    ----------
    below : ndarray of shape ``(C_0, 1, n_units)``
        From :func:`phi_inputs`: the values entering the first varying level (finite;
        positive unless arithmetic), in phi-space.
    weights, totals : sequence of ndarray
        From :func:`weight_totals`: per level, the draws' weights by slot and their sums per
        parent (all positive).
    segs : sequence of Segments
        The levels' layouts.
    phi : str
        ``identity``, ``log`` or ``reciprocal``: the mean's map.
    out : ndarray of shape ``(n_varying, s, n_units)``
        Filled with the scores.
    finish : sequence of int, optional
        The nodes (rows of ``out``) brought back from phi-space; the others are left in it
        (they only feed the levels above). All nodes by default.
    work : ndarray, optional
        Flat scratch space of at least ``max(P_k) * s * n_units`` floats (allocated when not
        given).
    """
    start = 0
    inner = out.shape[1] * out.shape[2]
    widest = max((seg.n_parents for seg in segs), default=0)
    if work is None or work.shape[0] < widest * inner:
        work = np.empty(widest * inner)
    for w, total, seg in zip(weights, totals, segs, strict=True):
        p = seg.n_parents
        level = out[start : start + p]
        # The sum over each parent's children of (w / sum of w) * phi(child), slot by slot
        # (always in the same order): COINr's weighted means, weights renormalised within the
        # parent. The weights, a few per draw, are divided, not the scores.
        share = w / total[np.newaxis]
        if below.shape[1] == 1:
            # Values shared by the draws: gathering a slot's children is a small copy.
            np.multiply(below[seg.child_at[0]], share[0][:, :, np.newaxis], out=level)
            part = work[: p * inner].reshape(p, *out.shape[1:])
            for j in range(1, w.shape[0]):
                np.multiply(below[seg.child_at[j]], share[j][:, :, np.newaxis], out=part)
                level += part
        else:
            # Per-draw values: parent by parent, each child a view (a gather would copy the
            # whole level once per slot). The same products and sums in the same order,
            # padding slots (weight 0) included.
            child_at = seg.child_at.tolist()
            one = work[:inner].reshape(out.shape[1:])
            for q in range(p):
                dst = level[q]
                np.multiply(below[child_at[0][q]], share[0, q][:, np.newaxis], out=dst)
                for j in range(1, w.shape[0]):
                    np.multiply(below[child_at[j][q]], share[j, q][:, np.newaxis], out=one)
                    dst += one
        below = level
        start += p
    if finish is None:
        _phi_inverse(out, phi)
        return
    for j in finish:
        _phi_inverse(out[j], phi)

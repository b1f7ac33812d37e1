"""Evaluate a batch of draws as array operations with a leading draw axis.

Draws are grouped by (pre-aggregation variant, aggregation method); each group's varying
levels are aggregated with segment sums in the mean's own space
(:mod:`cityeval.uncertainty.fused`), or, where values are missing, level by level through the
matrix kernels of :mod:`cityeval.methods.aggregate` with per-draw membership matrices
``(s, C, P)``; ranks come from one integer sort per row (:mod:`cityeval.uncertainty.ranks`).
Python loops run over groups and levels, never over draws. A draw's numbers depend only on its
own row of the sample matrix, so results do not depend on how draws are batched or which
worker runs them.
"""

from __future__ import annotations

import threading
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from cityeval.methods import aggregate as agg
from cityeval.methods.weighting import perturb
from cityeval.uncertainty.fused import (
    Segments,
    fused_eligible,
    fused_levels,
    phi_inputs,
    segments,
    weight_totals,
)
from cityeval.uncertainty.kernels import BatchedAggregator
from cityeval.uncertainty.plan import Plan
from cityeval.uncertainty.ranks import rank_codes, rank_rows

__all__ = [
    "BatchOutput",
    "Decoded",
    "aggregate_level",
    "decode",
    "evaluate_batch",
    "evaluate_nodes",
    "evaluate_rows",
    "rank_units",
    "release_scratch",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


class Decoded(NamedTuple):
    """A batch's settings.

    Attributes
    ----------
    group : ndarray of intp, shape ``(s,)``
        ``variant * n_methods + method`` of each draw.
    weights : list of ndarray or None
        Per aggregate level at or above ``first_varying``: the children's weights of each
        draw, shape ``(s, n_children)``, or None when the level's weights are fixed.
    """

    group: IntArray
    weights: list[FloatArray | None]


class BatchOutput(NamedTuple):
    """What a worker sends back for one batch.

    Attributes
    ----------
    row0 : int
        First row of the batch in the sample matrix.
    slot0 : int
        First uncertainty slot the batch fills.
    group : ndarray of intp, shape ``(s,)``
        Each draw's (variant, method) group.
    slot_group : ndarray of intp, shape ``(n_slots,)``
        The groups of the rows that fill slots.
    scores : ndarray of shape ``(n_kept_varying, n_slots, n_units)``
        Scores of the summarised nodes computed per draw, for the slot rows, node-major (in
        the precision the spool keeps).
    rank_codes : ndarray of int32 (int64 when needed), shape ``(n_kept_varying, n_slots, n_units)``
        ``rank * n_units + unit`` of each of those scores (rank 0: missing), in rank order
        within a row: what the rank histograms count.
    outputs : ndarray of shape ``(s, 1 + n_units)``
        The Sobol' outputs of every row: the mean absolute rank shift of the top node, then
        each unit's rank of the top node.
    """

    row0: int
    slot0: int
    group: IntArray
    slot_group: IntArray
    scores: npt.NDArray[np.floating[Any]]
    rank_codes: npt.NDArray[np.signedinteger[Any]]
    outputs: FloatArray


def decode(plan: Plan, x: FloatArray) -> Decoded:
    """Turn sample rows ``(s, n_inputs)`` in ``[0, 1)`` into groups and per-draw weights."""
    s = x.shape[0]
    combo = np.zeros(s, dtype=np.intp)
    method = np.zeros(s, dtype=np.intp)
    n_levels = len(plan.levels)
    weights: list[FloatArray | None] = [None] * n_levels
    set_option: IntArray | None = None
    set_factor = None
    for f in plan.factors:
        if f.pre_aggregation:
            combo += f.option(x) * f.radix
        elif f.aggregation:
            method = f.option(x)
        elif f.form == "sets":
            set_option, set_factor = f.option(x), f
    for k in range(plan.first_varying, n_levels):
        level = plan.levels[k]
        if not level.varies:
            continue
        if level.sets_vary and set_factor is not None and set_option is not None:
            table = np.stack([w[k] for w in set_factor.set_weights])
            weights[k] = table[set_option]
        else:
            weights[k] = np.broadcast_to(level.base_weights, (s, level.base_weights.shape[0]))
    for f in plan.factors:
        if f.form == "noise":
            k = f.level
            base = weights[k]
            assert base is not None
            lo, hi = f.columns
            # COINr get_noisy_weights: each weight times U(1 - noise, 1 + noise).
            weights[k] = base * perturb(np.ones(hi - lo), f.noise, x[:, lo:hi])
    for f in plan.factors:
        if f.form == "exclude":
            k = f.level
            option = f.option(x)  # 0: nothing excluded; j: the (j - 1)-th node of the level
            base = weights[k]
            assert base is not None
            keep = np.ones((s, base.shape[1] + 1))
            keep[np.arange(s), option] = 0.0
            weights[k] = base * keep[:, 1:]
    variant = plan.variant_of_combo[combo]
    return Decoded(variant * plan.n_methods + method, weights)


def aggregate_level(
    values: FloatArray,
    membership: FloatArray,
    form: BatchedAggregator,
    kwargs: dict[str, Any],
    threshold: float | None,
) -> FloatArray:
    """One level through the batched form: ``(..., u, C), (..., C, P) -> (..., u, P)``.

    With a threshold, a parent whose available children carry less than that share of its
    weight is missing (COINr's ``dat_thresh``), as in the engine.
    """
    stacked = values.ndim == 2 and membership.ndim == 3 and form.matrix is not None
    if stacked:
        # Shared values, per-draw weights: every draw's parents side by side as the columns
        # of one (C, s * P) membership, so the kernel runs one matrix product, not s.
        s, c, p = membership.shape
        membership = membership.transpose(1, 0, 2).reshape(c, s * p)
    out: FloatArray = form.level(values, membership, kwargs)
    if threshold is not None:
        available = (~np.isnan(values)).astype(np.float64)
        share = agg.aggregate_matrix_arithmetic(available, membership)
        out = np.where(share < threshold, np.nan, out)
    if stacked:
        out = out.reshape(values.shape[0], s, p).transpose(1, 0, 2)
    return out


def rank_units(scores: FloatArray) -> FloatArray:
    """Ranks over units of scores ``(..., u, n)``, rounded as the engine rounds them.

    Equal to ``rank_descending(round(scores, 9))`` over the unit axis (1 = best, ties share
    the best rank, NaN stays NaN); see :mod:`cityeval.uncertainty.ranks`.
    """
    moved = np.ascontiguousarray(np.moveaxis(scores, -1, -2))
    if moved.size == 0:
        return np.moveaxis(np.full(moved.shape, np.nan), -2, -1)
    ranks = rank_rows(moved.reshape(-1, moved.shape[-1])).reshape(moved.shape)
    return np.moveaxis(ranks, -2, -1)


def _general_levels(
    plan: Plan,
    decoded: Decoded,
    idx: IntArray,
    values: FloatArray,
    form: BatchedAggregator,
    kwargs: dict[str, Any],
    out: FloatArray,
) -> None:
    """The varying levels of draws ``idx`` through the batched kernels, level by level."""
    below = values
    start = 0
    for k in range(plan.first_varying, len(plan.levels)):
        level = plan.levels[k]
        w = decoded.weights[k]
        if w is None:
            assert level.fixed_weights is not None
            membership = level.membership(level.fixed_weights)
        else:
            membership = level.membership(w[idx])
        below = aggregate_level(below, membership, form, dict(kwargs), plan.threshold)
        stacked = np.broadcast_to(below, (idx.shape[0], *below.shape[-2:]))
        out[start : start + level.n_parents][:, idx, :] = stacked.transpose(2, 0, 1)
        start += level.n_parents


def _segments(plan: Plan) -> list[Segments]:
    """The varying levels' layouts, built once per plan and process."""
    return plan.derived("segments", lambda: segments(plan.levels[plan.first_varying :]))


def _phi_inputs(plan: Plan, group: int, segs: list[Segments]) -> FloatArray | None:
    """A group's inputs in phi-space if its draws may take the shortcut (else None), once."""

    def make() -> FloatArray | None:
        _, kwargs = plan.methods[group % plan.n_methods]
        phi = plan.kernels[group % plan.n_methods].phi
        values = plan.inputs[group]
        eligible = fused_eligible(values, phi, dict(kwargs), plan.threshold, segs)
        return phi_inputs(values, phi) if eligible and phi is not None else None

    return plan.derived(("phi", group), make)


_SCRATCH = threading.local()


def _scratch(n: int, name: str = "scores") -> FloatArray:
    """A buffer of ``n`` floats kept by this thread: a batch's working scores (fresh pages
    cost as much to fault in as the arithmetic that fills them)."""
    buf: FloatArray | None = getattr(_SCRATCH, name, None)
    if buf is None or buf.shape[0] < n:
        buf = np.empty(n)
        setattr(_SCRATCH, name, buf)
    return buf[:n]


def release_scratch() -> None:
    """Drop this thread's working buffers (after a run on the calling thread)."""
    _SCRATCH.__dict__.clear()


def _as_slice(wanted: IntArray, n_var: int) -> slice | IntArray:
    """``wanted`` as a slice when it is a run of consecutive nodes (then no copy is made)."""
    if wanted.shape[0] and int(wanted[-1]) - int(wanted[0]) + 1 == wanted.shape[0]:
        return slice(int(wanted[0]), int(wanted[-1]) + 1)
    return wanted


def evaluate_nodes(
    plan: Plan, x: FloatArray, wanted: IntArray | None = None
) -> tuple[Decoded, FloatArray]:
    """Scores of the nodes computed per draw, node-major, for sample rows ``x``.

    Signature ``(s, n_inputs) -> Decoded, (n_wanted, s, u)``; the nodes are those from
    :attr:`Plan.varying_offset` on, in the plan's internal (bottom-up) order, or the positions
    ``wanted`` among them (ascending; every node is computed, since each feeds the levels
    above, but only those are brought back from the mean's own space and returned). Draws that
    allow it are aggregated in that space (:mod:`cityeval.uncertainty.fused`), the others
    through the batched kernels; which way a draw goes depends only on the draw.
    """
    s = x.shape[0]
    u = plan.n_units
    decoded = decode(plan, x)
    n_var = plan.n_varying_nodes
    if wanted is None:
        wanted = np.arange(n_var, dtype=np.intp)
    scores = np.empty((wanted.shape[0], s, u))
    if n_var == 0 or s == 0 or wanted.shape[0] == 0:
        return decoded, scores
    pick = _as_slice(wanted, n_var)
    finish = wanted.tolist()
    levels = plan.levels[plan.first_varying :]
    segs = _segments(plan)
    for g in np.unique(decoded.group):
        idx = np.flatnonzero(decoded.group == g)
        _, kwargs = plan.methods[int(g) % plan.n_methods]
        form = plan.kernels[int(g) % plan.n_methods]
        values: FloatArray = plan.inputs[int(g)]
        fast = np.zeros(idx.shape[0], dtype=bool)
        below = _phi_inputs(plan, int(g), segs)
        if below is not None:
            assert form.phi is not None
            weights = []
            for k, level in enumerate(levels, start=plan.first_varying):
                w = decoded.weights[k]
                if w is None:
                    assert level.fixed_weights is not None
                    w = level.fixed_weights[np.newaxis, :]
                    weights.append(np.broadcast_to(w, (idx.shape[0], w.shape[1])))
                else:
                    weights.append(w[idx])
            ordered, totals, fast = weight_totals(weights, segs)
            sel = np.flatnonzero(fast)
            if sel.size:
                every = sel.size == idx.shape[0]
                buf = _scratch(n_var * sel.size * u).reshape(n_var, sel.size, u)
                fused_levels(
                    below,
                    ordered if every else [w[:, :, sel] for w in ordered],
                    totals if every else [t[:, sel] for t in totals],
                    segs,
                    form.phi,
                    buf,
                    finish,
                    _scratch(max(seg.n_parents for seg in segs) * sel.size * u, "work"),
                )
                if idx.shape[0] == s and every:
                    scores[...] = buf[pick]
                else:
                    scores[:, idx[sel], :] = buf[pick]
        rest = idx[~fast]
        if rest.size:
            full = np.empty((n_var, s, u))
            _general_levels(plan, decoded, rest, values, form, kwargs, full)
            scores[:, rest, :] = full[pick][:, rest, :]
    return decoded, scores


def evaluate_rows(plan: Plan, x: FloatArray) -> tuple[Decoded, FloatArray, FloatArray]:
    """Scores and ranks of the nodes computed per draw, for sample rows ``x``.

    Signature ``(s, n_inputs) -> Decoded, (s, u, n_varying), (s, u, n_varying)``; the nodes
    are those from :attr:`Plan.varying_offset` on, in the plan's internal (bottom-up) order.
    """
    decoded, scores = evaluate_nodes(plan, x)
    n_var, s, u = scores.shape
    if n_var == 0 or s == 0:
        empty = np.empty((s, u, n_var))
        return decoded, empty, empty.copy()
    ranks = rank_rows(scores.reshape(-1, u)).reshape(scores.shape)
    return decoded, scores.transpose(1, 2, 0), ranks.transpose(1, 2, 0)


def rank_dtype(n_units: int) -> type[np.signedinteger[Any]]:
    """The smallest integer type holding ranks 0 (missing) to ``n_units``."""
    return np.int16 if n_units < 2**15 else np.int32


def evaluate_batch(
    plan: Plan,
    x: FloatArray,
    row0: int,
    score_dtype: type[np.floating[Any]] = np.float64,
) -> BatchOutput:
    """Evaluate sample rows ``x`` (rows ``row0 ..`` of the sample matrix).

    Signature ``(s, n_inputs) -> BatchOutput``. Every row's top node is ranked (for the
    Sobol' outputs); every summarised node (:attr:`Plan.kept`) of the rows that fill slots is
    ranked for the histograms. The slot rows' scores are returned as ``score_dtype`` (what
    the spool keeps), after ranking in double precision.
    """
    s = x.shape[0]
    u = plan.n_units
    kept = plan.kept_varying
    decoded, scores = evaluate_nodes(plan, x, kept)
    slot0, is_slot = plan.slots(row0, s)
    every_row = bool(is_slot.all())
    if plan.n_varying_nodes:
        slot_scores = scores if every_row else scores[:, is_slot, :]
        codes = rank_codes(slot_scores.reshape(-1, u)).reshape(slot_scores.shape)
        if every_row:
            # The top node (always kept, the last) was ranked for the histograms already.
            top_codes = codes[-1]
            top_rank = np.empty((s, u))
            np.put_along_axis(top_rank, top_codes % u, (top_codes // u).astype(np.float64), -1)
            top_rank[top_rank == 0] = np.nan
        else:
            top_rank = rank_rows(scores[-1])
    else:
        top_rank = np.stack([plan.prefix_top_rank[int(g)] for g in decoded.group])
        slot_scores = scores[:, is_slot, :]
        codes = np.empty(slot_scores.shape, dtype=np.int32)
    shift = np.abs(top_rank - plan.nominal_top_rank)
    counted = (~np.isnan(shift)).sum(axis=-1)
    total = np.nansum(shift, axis=-1)
    mean_shift = np.where(counted > 0, total / np.maximum(counted, 1), np.nan)
    outputs = np.concatenate([mean_shift[:, np.newaxis], top_rank], axis=-1)
    return BatchOutput(
        row0=row0,
        slot0=slot0,
        group=decoded.group,
        slot_group=decoded.group[is_slot],
        scores=slot_scores.astype(score_dtype, copy=False),
        rank_codes=codes,
        outputs=outputs,
    )

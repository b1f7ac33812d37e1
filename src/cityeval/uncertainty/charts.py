"""The two charts of an analysis: rank intervals and Sobol' indices, from plain arrays.

A chart of hundreds of units with a tick label each is unreadable (and slow: matplotlib lays
out every label). Up to :data:`LABEL_ALL` units, every unit is labelled; beyond it the chart
has two panels: every unit's interval in order of median rank, unlabelled (how uncertain the
ranking is across the whole list), and the :data:`LABELLED` best and worst units by median
rank, labelled. Each chart is built once and saved in each format from the same figure.

matplotlib is imported here only, with the non-interactive Agg backend, so that neither
``import cityeval`` nor a run without charts needs it. Nothing here knows the results type:
callers pass arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from cityeval.i18n import _

__all__ = ["LABELLED", "LABEL_ALL", "pyplot", "rank_chart", "save_figure", "sobol_chart"]

FloatArray = npt.NDArray[np.float64]

#: Units up to which every unit is labelled.
LABEL_ALL = 60
#: Units labelled at each end beyond that.
LABELLED = 15

_BLUE = "#1d4ed8"
_ORANGE = "#d97706"
_GREY = "#64748b"


def pyplot() -> Any:
    """matplotlib's pyplot on the Agg backend."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig: Any, paths: Sequence[Path]) -> None:
    """Save one figure to each path (the format from its suffix), then close it."""
    try:
        for path in paths:
            svg = path.suffix == ".svg"
            fig.savefig(path, dpi=150, metadata={"Date": None} if svg else None)
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)


def _intervals(
    ax: Any,
    x: FloatArray,
    lo: FloatArray,
    hi: FloatArray,
    median: FloatArray,
    nominal: FloatArray,
    *,
    horizontal: bool = False,
    legend: bool = True,
) -> None:
    lines = ax.hlines if horizontal else ax.vlines
    lines(x, lo, hi, color=_BLUE, alpha=0.45, linewidth=3, label=_("5–95% of draws"))
    pts = (median, x) if horizontal else (x, median)
    ax.plot(*pts, "o", color=_BLUE, markersize=4, label=_("median rank"))
    nom = (nominal, x) if horizontal else (x, nominal)
    ax.plot(
        *nom,
        "|" if horizontal else "_",
        color=_ORANGE,
        markersize=9,
        markeredgewidth=2,
        label=_("nominal rank"),
    )
    if legend:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)


def rank_chart(
    units: Sequence[str],
    median: FloatArray,
    q05: FloatArray,
    q95: FloatArray,
    nominal: FloatArray,
    title: str,
    plt: Any,
) -> Any:
    """Units in order of median rank with their 5-95% intervals and nominal ranks.

    Parameters
    ----------
    units : sequence of str
        Unit codes.
    median, q05, q95, nominal : ndarray of shape ``(n_units,)``
        The ranks of one node over the draws, and as written.
    title : str
        The chart's title.
    plt : module
        :func:`pyplot`.
    """
    order = np.lexsort((nominal, median))
    n = len(order)
    if n <= LABEL_ALL:
        fig, ax = plt.subplots(figsize=(max(6.0, 0.18 * n + 2), 4.2), layout="constrained")
        x = np.arange(n, dtype=np.float64)
        _intervals(ax, x, q05[order], q95[order], median[order], nominal[order])
        ax.set_xticks(x)
        ax.set_xticklabels([units[u] for u in order], rotation=90, fontsize=7)
        ax.invert_yaxis()
        ax.set_ylabel(_("rank (1 = best)"))
        ax.set_title(title)
        ax.grid(axis="y", color="#d4d9e1", linewidth=0.6)
        return fig
    # Fixed positions, no layout solver: the labels are the few picked units, their room is
    # known from their length.
    width, height = 11.0, 6.4
    fig = plt.figure(figsize=(width, height))
    picked_best, picked_worst = order[:LABELLED], order[-LABELLED:]
    longest = max(len(units[u]) for u in (*picked_best, *picked_worst))
    label_room = min(0.25, (0.08 * longest + 0.15) / width)
    left = fig.add_axes((0.07, 0.09, 0.47, 0.82))
    x = np.arange(1, n + 1, dtype=np.float64)
    left.vlines(
        x, q05[order], q95[order], color=_BLUE, alpha=0.3, linewidth=1, label=_("5–95% of draws")
    )
    left.plot(x, median[order], ".", color=_BLUE, markersize=2, label=_("median rank"))
    left.plot(x, nominal[order], ".", color=_ORANGE, markersize=2, label=_("nominal rank"))
    left.invert_yaxis()
    left.set_xlabel(_("units in order of median rank"))
    left.set_ylabel(_("rank (1 = best)"))
    left.set_title(_("all {n} units: 5–95% of draws").format(n=n), fontsize=10)
    left.grid(axis="y", color="#d4d9e1", linewidth=0.6)
    left.legend(loc="lower left", fontsize=8, markerscale=3)
    x0 = 0.56 + label_room
    panel = (0.97 - x0, 0.36)
    for k, (picked, which) in enumerate(
        (
            (picked_best, _("the {k} best by median rank")),
            (picked_worst, _("the {k} worst by median rank")),
        )
    ):
        ax = fig.add_axes((x0, 0.55 - 0.46 * k, *panel))
        y = np.arange(LABELLED, dtype=np.float64)
        _intervals(
            ax,
            y,
            q05[picked],
            q95[picked],
            median[picked],
            nominal[picked],
            horizontal=True,
            legend=False,
        )
        ax.set_yticks(y)
        ax.set_yticklabels([units[u] for u in picked], fontsize=7)
        ax.invert_yaxis()
        ax.set_title(which.format(k=LABELLED), fontsize=10)
        ax.grid(axis="x", color="#d4d9e1", linewidth=0.6)
        ax.tick_params(axis="x", labelsize=8)
        if k == 1:
            ax.set_xlabel(_("rank (1 = best)"))
    fig.suptitle(title)
    return fig


def sobol_chart(
    names: Sequence[str],
    s1: FloatArray,
    s1_conf: FloatArray,
    st: FloatArray,
    st_conf: FloatArray,
    plt: Any,
) -> Any:
    """First-order and total indices per factor, with their bootstrap intervals.

    Parameters
    ----------
    names : sequence of str
        The factors.
    s1, s1_conf, st, st_conf : ndarray of shape ``(n_factors,)``
        The indices of one output and the half-widths of their intervals.
    plt : module
        :func:`pyplot`.
    """
    y = np.arange(len(names))
    fig, ax = plt.subplots(figsize=(6.4, 0.55 * len(names) + 1.6), layout="constrained")
    h = 0.38
    ax.barh(
        y - h / 2,
        np.clip(s1, 0, None),
        h,
        xerr=s1_conf,
        color=_BLUE,
        label=_("first order $S_1$"),
        error_kw={"ecolor": _GREY, "capsize": 2},
    )
    ax.barh(
        y + h / 2,
        np.clip(st, 0, None),
        h,
        xerr=st_conf,
        color=_ORANGE,
        label=_("total $S_T$"),
        error_kw={"ecolor": _GREY, "capsize": 2},
    )
    ax.set_yticks(y)
    ax.set_yticklabels(list(names))
    ax.invert_yaxis()
    ax.set_xlim(0, max(1.0, float(np.nanmax(st + st_conf)) * 1.05))
    ax.set_xlabel(_("Sobol' index (95% bootstrap interval; negatives shown as 0)"))
    ax.set_title(_("Sensitivity of the mean absolute rank shift"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    return fig

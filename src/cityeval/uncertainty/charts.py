"""The two charts of an analysis, as SVG and PNG: rank intervals and Sobol' indices.

matplotlib is imported here only, with the non-interactive Agg backend, so that neither
``import cityeval`` nor a run without charts needs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from cityeval.uncertainty.results import UncertaintyResults

__all__ = ["write_charts"]

_BLUE = "#1d4ed8"
_ORANGE = "#d97706"
_GREY = "#64748b"


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _save(fig: Any, out: Path, stem: str) -> list[Path]:
    paths = []
    for suffix in ("svg", "png"):
        path = out / f"{stem}.{suffix}"
        fig.savefig(
            path,
            dpi=150,
            bbox_inches="tight",
            metadata={"Date": None} if suffix == "svg" else None,
        )
        paths.append(path)
    return paths


def rank_chart(results: UncertaintyResults, plt: Any) -> Any:
    """Units ordered by median rank of the top node, with 5-95% intervals and nominal ranks."""
    col = results.column(results.top_id)
    median = results.rank["median"][:, col]
    order = np.lexsort((results.nominal_rank[:, col], median))
    n = len(order)
    fig, ax = plt.subplots(figsize=(max(6.0, 0.18 * n + 2), 4.2))
    x = np.arange(n)
    lo = results.rank["q05"][order, col]
    hi = results.rank["q95"][order, col]
    ax.vlines(x, lo, hi, color=_BLUE, alpha=0.45, linewidth=3, label="5–95% of draws")
    ax.plot(x, median[order], "o", color=_BLUE, markersize=4, label="median rank")
    ax.plot(
        x,
        results.nominal_rank[order, col],
        "_",
        color=_ORANGE,
        markersize=9,
        markeredgewidth=2,
        label="nominal rank",
    )
    ax.set_xticks(x)
    ax.set_xticklabels([results.units[u] for u in order], rotation=90, fontsize=7)
    ax.invert_yaxis()
    ax.set_ylabel("rank (1 = best)")
    ax.set_title(f"Rank of {results.top_id} over {results.n_draws} draws")
    ax.grid(axis="y", color="#d4d9e1", linewidth=0.6)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def sobol_chart(results: UncertaintyResults, plt: Any) -> Any:
    """First-order and total indices per factor for the mean absolute rank shift."""
    assert results.sobol is not None
    names = results.factor_names
    y = np.arange(len(names))
    s = results.sobol
    fig, ax = plt.subplots(figsize=(6.4, 0.55 * len(names) + 1.6))
    h = 0.38
    ax.barh(
        y - h / 2,
        np.clip(s.S1[0], 0, None),
        h,
        xerr=s.S1_conf[0],
        color=_BLUE,
        label="first order $S_1$",
        error_kw={"ecolor": _GREY, "capsize": 2},
    )
    ax.barh(
        y + h / 2,
        np.clip(s.ST[0], 0, None),
        h,
        xerr=s.ST_conf[0],
        color=_ORANGE,
        label="total $S_T$",
        error_kw={"ecolor": _GREY, "capsize": 2},
    )
    ax.set_yticks(y)
    ax.set_yticklabels(names)
    ax.invert_yaxis()
    ax.set_xlim(0, max(1.0, float(np.nanmax(s.ST[0] + s.ST_conf[0])) * 1.05))
    ax.set_xlabel("Sobol' index (95% bootstrap interval; negatives shown as 0)")
    ax.set_title("Sensitivity of the mean absolute rank shift")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def write_charts(results: UncertaintyResults, out: Path) -> list[Path]:
    """Write ``rank_intervals.svg/.png`` and (with indices) ``sobol.svg/.png`` to ``out``."""
    plt = _pyplot()
    paths: list[Path] = []
    fig = rank_chart(results, plt)
    try:
        paths += _save(fig, out, "rank_intervals")
    finally:
        plt.close(fig)
    if results.sobol is not None and results.factor_names:
        fig = sobol_chart(results, plt)
        try:
            paths += _save(fig, out, "sobol")
        finally:
            plt.close(fig)
    return paths

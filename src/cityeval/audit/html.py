"""``audit.html``: the audit as one offline page, flags first, with heatmaps and scree plots.

Jinja2 renders it with autoescaping on, so every node id, label and message is text; the
charts are SVG drawn by the template itself from numbers and escaped labels. Nothing is
loaded from anywhere. Needs ``jinja2`` (the ``report`` or ``audit`` extra), imported here.
"""

from __future__ import annotations

import math
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from cityeval._version import __version__
from cityeval.i18n import _

if TYPE_CHECKING:
    from cityeval.audit.run import Audit

__all__ = ["heat_colour", "render_html"]

TEMPLATE = "audit.html.j2"
CELL = 26  # heatmap cell size, px
LABEL = 110  # room for row and column labels, px


def heat_colour(r: float | None) -> str:
    """The fill of a heatmap cell: red for -1, white for 0, blue for +1, grey if missing."""
    if r is None or not math.isfinite(r):
        return "#d1d5db"
    t = max(-1.0, min(1.0, r))
    if t >= 0:
        rgb = (255 - 226 * t, 255 - 177 * t, 255 - 39 * t)  # towards #1d4ed8
    else:
        rgb = (255 + 30 * t, 255 + 227 * t, 255 + 227 * t)  # towards #e11c1c
    return "#{:02x}{:02x}{:02x}".format(*(round(c) for c in rgb))


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return f"{value:.{digits}f}" if math.isfinite(value) else ""
    return str(value)


def _heatmaps(report: Audit) -> list[dict[str, Any]]:
    method = report.correlations.rows[0][1] if report.correlations.rows else "pearson"
    pairs = {
        (r["node"], r["other"]): r["r"]
        for r in report.correlations
        if r["relation"] == "sibling" and r["method"] == method
    }
    maps = []
    for group, kids in _children(report).items():
        if len(kids) < 2:
            continue
        cells = []
        for i, a in enumerate(kids):
            for j, b in enumerate(kids):
                r = 1.0 if a == b else pairs.get((a, b), pairs.get((b, a)))
                cells.append(
                    {
                        "x": LABEL + j * CELL,
                        "y": LABEL + i * CELL,
                        "fill": heat_colour(r),
                        "r": _fmt(r, 2),
                        "title": f"{a} – {b}: {_fmt(r, 3)}",
                    }
                )
        size = LABEL + len(kids) * CELL + 4
        maps.append(
            {
                "group": group,
                "method": method,
                "size": size,
                "cells": cells,
                "rows": [
                    {"label": k, "y": LABEL + i * CELL + CELL * 0.65, "x": LABEL - 6}
                    for i, k in enumerate(kids)
                ],
                "cols": [
                    {"label": k, "x": LABEL + j * CELL + CELL * 0.6, "y": LABEL - 6}
                    for j, k in enumerate(kids)
                ],
                "cell": CELL,
            }
        )
    return maps


def _children(report: Audit) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for level in report.results.compiled.levels:
        out.update(zip(level.node_ids, level.child_ids, strict=True))
    return out


def _screes(report: Audit) -> list[dict[str, Any]]:
    width, height, pad = 320, 160, 30
    out = []
    for result in report.pca:
        for g in result.groups:
            if not g.share:
                continue
            bar = (width - pad) / len(g.share)
            bars = [
                {
                    "x": pad + k * bar + 2,
                    "w": max(bar - 4, 1),
                    "h": s * (height - pad),
                    "y": height - pad - s * (height - pad),
                    "label": f"PC{k + 1}",
                    "share": _fmt(100 * s, 1),
                }
                for k, s in enumerate(g.share)
            ]
            out.append(
                {
                    "group": g.group,
                    "level": result.level,
                    "bars": bars,
                    "width": width,
                    "height": height,
                    "pad": pad,
                    "note": g.note,
                    "pc1": _fmt(100 * g.share[0], 1),
                    "weights": [(m, _fmt(w, 3)) for m, w in g.weights.items()],
                }
            )
    return out


def _table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> dict[str, Any]:
    return {"columns": columns, "rows": [[_fmt(r[c]) for c in columns] for r in rows]}


def render_html(report: Audit, lang: str = "en") -> str:
    """The audit page as HTML text (needs jinja2)."""
    import jinja2

    results = report.results
    fw = results.compiled.framework
    source = files("cityeval.audit").joinpath("templates", TEMPLATE).read_text("utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(source)
    summary = report.what_if.summary()
    optimised = report.optimised
    words = {
        "title": _("Audit of the index"),
        "flags": _("Flags"),
        "no_flags": _("Nothing was flagged."),
        "stats": _("Indicator statistics"),
        "screening": _("Data screening"),
        "screened_out": _("Units screened out"),
        "none": _("none"),
        "correlations": _("Correlations within groups"),
        "cronbach": _("Cronbach's alpha"),
        "pca": _("Principal components"),
        "pc1": _("first component"),
        "weights": _("Optimised weights"),
        "what_if": _("What if: rank changes"),
        "units": _("units"),
        "indicators": _("indicators"),
        "stage": _("stage"),
        "generated": _("Generated by cityeval {version}").format(version=__version__),
    }
    stages = list(dict.fromkeys(report.stats.column("stage")))
    stats_columns = (
        "node", "n_avail", "min", "max", "mean", "median", "sd", "skew", "kurt",
        "share_zero", "n_unique", "flag_avail", "flag_skewkurt", "flag_collinear",
    )  # fmt: skip
    context = {
        "lang": lang,
        "w": words,
        "framework": fw.id,
        "name": results.compiled.labels[results.top_id].text(lang),  # type: ignore[arg-type]
        "pipeline": results.pipeline.name or "",
        "n_units": len(results.units),
        "n_indicators": len(results.indicator_ids),
        "flags": _table(report.flags.records(), report.flags.columns),
        "stats": [
            {"stage": s, **_table(report.stats.where(stage=s), stats_columns)} for s in stages
        ],
        "screened": [
            (r["unit"], r["reason"]) for r in report.screening.units if not r["included"]
        ],
        "heatmaps": _heatmaps(report),
        "cronbach": _table(report.cronbach.records(), ("node", "level", "k", "alpha")),
        "screes": _screes(report),
        "optimised": None
        if optimised is None
        else _table(optimised.table().records(), optimised.table().columns),
        "summary": _table(summary.records(), summary.columns),
        "version": __version__,
    }
    return template.render(**context)

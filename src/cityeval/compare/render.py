"""A comparison in every format of ``evaluate``: terminal table, CSV, xlsx, HTML, JSON.

:func:`write_comparison` writes ``comparison.csv``, ``leaders.csv``, ``comparison.json``,
``comparison.xlsx`` and ``comparison.html`` through one :class:`~cityeval.io.outputs.OutputSet`.
"""

from __future__ import annotations

import io
import json
import os
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cityeval.charts.dots import rank_dots_svg
from cityeval.compare.comparison import Comparison
from cityeval.explain.summary import fmt_number
from cityeval.i18n import translator
from cityeval.model import Lang

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "COMPARE_FILES",
    "comparison_csv",
    "comparison_html",
    "comparison_xlsx",
    "leaders_csv",
    "print_comparison",
    "rank_dots_svg",
    "write_comparison",
]

#: The files :func:`write_comparison` writes.
COMPARE_FILES = (
    "comparison.csv",
    "leaders.csv",
    "comparison.json",
    "comparison.xlsx",
    "comparison.html",
)


def _words(lang: Lang) -> dict[str, str]:
    _ = translator(lang).gettext
    return {
        "title": _("Comparison of regencies"),
        "node": _("Node"),
        "rank": _("Rank"),
        "group_rank": _("Rank in group"),
        "regency": _("Regency"),
        "group": _("Group"),
        "score": _("Score"),
        "interval": _("Rank interval"),
        "leaders": _("Leaders and what sets them apart"),
        "part": _("Part"),
        "value": _("Value"),
        "median": _("Group median"),
        "contribution": _("contributions to the score"),
        "scores": _("scores"),
        "sources": _("Sources"),
        "grade": _("grade"),
        "notes": _("Notes"),
        "dots": _("Ranks (dots) and rank intervals (lines), 1 = best"),
    }


# -- terminal ------------------------------------------------------------------------------------


def print_comparison(cmp: Comparison, console: Console, lang: Lang = "en") -> None:
    """Print the ranks of every node and the leaders, labels as text (never markup)."""
    from rich.table import Table
    from rich.text import Text

    w = _words(lang)
    t = cmp.table
    table = Table(title=w["title"], title_justify="left", title_style="bold")
    table.add_column(w["regency"])
    if cmp.group_by:
        table.add_column(w["group"])
    for label in t.node_labels:
        table.add_column(Text(label), justify="right")
    order = np.argsort(np.where(np.isnan(cmp.ranks[:, 0]), np.inf, cmp.ranks[:, 0]), kind="stable")
    for u in order:
        cells = [Text(t.names[u])]
        if cmp.group_by:
            cells.append(Text(cmp.group_of(int(u))))
        cells.extend(Text(_cell(cmp, int(u), j, lang)) for j in range(len(t.node_ids)))
        table.add_row(*cells)
    console.print(table)
    lead = Table(title=w["leaders"], title_justify="left", title_style="bold")
    lead.add_column(w["node"])
    lead.add_column(w["regency"])
    lead.add_column(w["part"] + " (" + w["value"] + " / " + w["median"] + ")")
    labels = dict(zip(t.node_ids, t.node_labels, strict=True))
    for ld in cmp.leaders:
        parts = ", ".join(
            f"{lab} ({fmt_number(v, lang, decimals=t.decimals)} / "
            f"{fmt_number(m, lang, decimals=t.decimals)})"
            for _, lab, v, m in ld.parts
        )
        if not ld.parts:
            continue
        group = f" [{ld.group}]" if ld.group else ""
        lead.add_row(Text(labels[ld.node]), Text(ld.name + group), Text(parts))
    console.print(lead)
    for note in t.notes:
        console.print(Text(note, style="dim"))


def _cell(cmp: Comparison, u: int, j: int, lang: Lang) -> str:
    t = cmp.table
    score = (
        fmt_number(_f(t.scores[u, j]), lang, decimals=t.decimals)
        if not np.isnan(t.scores[u, j])
        else "–"
    )
    rank = "–" if np.isnan(cmp.ranks[u, j]) else f"{int(cmp.ranks[u, j])}"
    text = f"{score} (#{rank})"
    if t.rank_intervals is not None:
        low, high = t.rank_intervals["low"][u, j], t.rank_intervals["high"][u, j]
        if not (np.isnan(low) or np.isnan(high)):
            text += f" [{low:g}–{high:g}]"
    return text


def _f(value: Any) -> float | None:
    return None if value is None or np.isnan(value) else float(value)


# -- CSV -----------------------------------------------------------------------------------------


def comparison_csv(cmp: Comparison) -> str:
    """``comparison.csv``: one row per node and regency (best first)."""
    from cityeval.io.outputs import csv_text

    rows = cmp.rows()
    header = list(rows[0]) if rows else []
    return csv_text([[r[h] for h in header] for r in rows], header=header)


def leaders_csv(cmp: Comparison) -> str:
    """``leaders.csv``: each leader's parts with the group's median."""
    from cityeval.io.outputs import csv_text

    header = [
        "node",
        "unit",
        "name",
        "group",
        "score",
        "rank",
        "kind",
        "part",
        "part_label",
        "value",
        "group_median",
    ]
    rows = [
        [ld.node, ld.unit, ld.name, ld.group, ld.score, ld.rank, ld.kind, i, lab, v, m]
        for ld in cmp.leaders
        for i, lab, v, m in (ld.parts or (("", "", None, None),))
    ]
    return csv_text(rows, header=header)


# -- workbook ------------------------------------------------------------------------------------


def comparison_xlsx(cmp: Comparison, lang: Lang = "en") -> bytes:
    """The workbook: ranks, leaders and sources; text cells never become formulas."""
    import openpyxl
    from openpyxl.styles import Font

    from cityeval.masterplan.forms import put_text

    w = _words(lang)
    wb = openpyxl.Workbook()
    bold = Font(bold=True)

    def fill(ws: Any, rows: list[list[Any]]) -> None:
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                cell = ws.cell(row=r, column=c)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    cell.value = value
                elif value is not None:
                    put_text(cell, str(value))
                if r == 1:
                    cell.font = bold
        ws.freeze_panes = "A2"

    ranks = wb.active
    assert ranks is not None
    ranks.title = w["rank"][:31]
    rows = cmp.rows()
    header = list(rows[0]) if rows else []
    fill(ranks, [header, *[[r[h] for h in header] for r in rows]])
    leaders = wb.create_sheet(w["leaders"][:31])
    fill(
        leaders,
        [
            [
                w["node"],
                w["regency"],
                w["group"],
                w["score"],
                w["rank"],
                w["part"],
                w["value"],
                w["median"],
            ],
            *[
                [ld.node, ld.name, ld.group, ld.score, ld.rank, lab, v, m]
                for ld in cmp.leaders
                for _, lab, v, m in (ld.parts or (("", "", None, None),))
            ],
        ],
    )
    sources = wb.create_sheet(w["sources"][:31])
    fill(
        sources,
        [
            ["citation", "url", w["grade"], "note"],
            *[
                [s.get("citation"), s.get("url"), s.get("grade"), s.get("note")]
                for s in cmp.table.sources
            ],
            *[[note] for note in cmp.table.notes],
        ],
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# -- HTML ----------------------------------------------------------------------------------------


def comparison_html(cmp: Comparison, lang: Lang = "en") -> str:
    """One self-contained page: a dot plot per node, the ranks table, the leaders, sources."""
    import jinja2
    from markupsafe import Markup

    t = cmp.table
    w = _words(lang)
    nodes = []
    for j, (node, label) in enumerate(zip(t.node_ids, t.node_labels, strict=True)):
        order = list(
            np.argsort(np.where(np.isnan(cmp.ranks[:, j]), np.inf, cmp.ranks[:, j]), kind="stable")
        )
        intervals = None
        if t.rank_intervals is not None:
            intervals = [
                (float(t.rank_intervals["low"][u, j]), float(t.rank_intervals["high"][u, j]))
                for u in order
            ]
        nodes.append(
            {
                "id": node,
                "label": label,
                "svg": Markup(
                    rank_dots_svg(
                        label,
                        [t.names[u] for u in order],
                        [float(cmp.ranks[u, j]) for u in order],
                        intervals,
                    )
                ),
                "rows": [
                    {
                        "name": t.names[u],
                        "group": cmp.group_of(int(u)),
                        "score": fmt_number(_f(t.scores[u, j]), lang, decimals=t.decimals),
                        "rank": _cell(cmp, int(u), j, lang),
                    }
                    for u in order
                ],
                "leaders": [
                    {
                        "name": ld.name,
                        "group": ld.group,
                        "kind": w["contribution"] if ld.kind == "contribution" else w["scores"],
                        "parts": [
                            {
                                "label": lab,
                                "value": fmt_number(v, lang, decimals=t.decimals),
                                "median": fmt_number(m, lang, decimals=t.decimals),
                            }
                            for _, lab, v, m in ld.parts
                        ],
                    }
                    for ld in cmp.leaders
                    if ld.node == node
                ],
            }
        )
    source = files("cityeval.compare").joinpath("templates", "compare.html.j2").read_text("utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    web = ("http://", "https://")
    return env.from_string(source).render(
        lang=lang,
        w=w,
        framework=t.framework,
        group_by=cmp.group_by,
        nodes=nodes,
        notes=t.notes,
        sources=[
            {
                "citation": s.get("citation"),
                "url": s.get("url") if str(s.get("url") or "").lower().startswith(web) else None,
                "grade": s.get("grade"),
                "note": s.get("note"),
            }
            for s in t.sources
        ],
    )


# -- files ---------------------------------------------------------------------------------------


def write_comparison(
    cmp: Comparison,
    folder: str | os.PathLike[str],
    lang: Lang = "en",
    *,
    protect: list[Path] | None = None,
) -> list[Path]:
    """Write every file of :data:`COMPARE_FILES` into ``folder`` as one transaction."""
    from cityeval.io.outputs import OutputSet

    with OutputSet(folder, protect=protect or []) as out:
        out.write_text("comparison.csv", comparison_csv(cmp))
        out.write_text("leaders.csv", leaders_csv(cmp))
        out.write_text(
            "comparison.json", json.dumps(cmp.to_dict(), indent=2, ensure_ascii=False) + "\n"
        )
        out.write_bytes("comparison.xlsx", comparison_xlsx(cmp, lang))
        out.write_text("comparison.html", comparison_html(cmp, lang))
    return [Path(folder) / name for name in COMPARE_FILES]

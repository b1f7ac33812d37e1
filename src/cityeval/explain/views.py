"""The change explained in each output: the terminal, the HTML report, the workbook, files.

Each function is called with one line from the report's own modules (``report/terminal``,
``report/html``, ``report/scorecard_files``, ``cli/evaluate``), so the explanation stays here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cityeval.explain.api import (
    dimension_explanations,
    masterplan_change,
)
from cityeval.explain.explanation import Explanation, Part
from cityeval.explain.summary import fmt_number, summarise
from cityeval.i18n import translator
from cityeval.masterplan.evaluation import Scorecard
from cityeval.model import Lang

if TYPE_CHECKING:
    import jinja2
    from rich.console import Console

__all__ = [
    "SUMMARY_FILES",
    "add_why_changed_sheet",
    "dimension_explanations",
    "prepare",
    "print_change_contributors",
    "summary_files",
    "summary_makers",
    "waterfall_svg",
    "why_changed_html",
    "why_changed_rows",
    "write_summary_files",
]

#: The files :func:`write_summary_files` writes.
SUMMARY_FILES = ("summary.md", "report.docx")

#: How many contributors each dimension names.
TOP = 3


def _explanations(sc: Scorecard, lang: Lang) -> list[Explanation]:
    return dimension_explanations(masterplan_change(sc), lang)


# -- terminal ------------------------------------------------------------------------------------


def print_change_contributors(sc: Scorecard, console: Console, lang: Lang = "en") -> None:
    """Print, per dimension that changed, its three largest contributors (programmes)."""
    _ = translator(lang).gettext
    if sc.compare is None:
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=_("Why it changed: the largest contributors"),
        title_justify="left",
        title_style="bold",
    )
    table.add_column(_("Dimension"))
    table.add_column(_("Change"), justify="right")
    table.add_column(_("Largest contributors (points)"))
    table.add_column(_("Main cause"))
    for ex in _explanations(sc, lang):
        if ex.change is None or round(ex.change, 1) == 0:
            continue
        top = ex.largest("programme", TOP)
        who = ", ".join(f"{p.label} ({fmt_number(p.change, lang, signed=True)})" for p in top)
        table.add_row(
            Text(ex.label),
            Text(
                fmt_number(ex.change, lang, signed=True), style="red" if ex.change < 0 else "green"
            ),
            Text(who),
            Text(_main_cause(ex, lang)),
        )
    console.print(table)


def _main_cause(ex: Explanation, lang: Lang) -> str:
    causes = [p for p in ex.of("cause") if p.change is not None]
    if not causes:
        return ""
    main = max(causes, key=lambda p: abs(p.change or 0.0))
    return f"{main.label} ({fmt_number(main.change, lang, signed=True)})"


# -- HTML ----------------------------------------------------------------------------------------


def waterfall_svg(
    title: str,
    start: tuple[str, float],
    steps: list[tuple[str, float]],
    end: tuple[str, float],
    lang: Lang = "en",
) -> str:
    """A horizontal waterfall: the earlier score, each contribution to the change, the score now.

    :func:`cityeval.charts.waterfall.waterfall_svg` with the numbers written in ``lang``;
    every label is escaped, the chart is self-contained SVG text.
    """
    from cityeval.charts.waterfall import waterfall_svg as draw

    return draw(
        title,
        start,
        steps,
        end,
        format_value=lambda value, signed: fmt_number(value, lang, signed=signed),
    )


def _steps(ex: Explanation, lang: Lang, k: int = TOP) -> list[tuple[str, float]]:
    """The ``k`` largest programme changes of either sign, then the rest as one step."""
    progs = [p for p in ex.of("programme") if p.change is not None]
    top = sorted(progs, key=lambda p: -abs(p.change or 0.0))[:k]
    rest = sum(p.change or 0.0 for p in progs if p not in top)
    _ = translator(lang).gettext
    steps = [(p.label, p.change or 0.0) for p in top]
    if abs(rest) > 1e-9:
        steps.append((_("other programmes"), rest))
    return steps


@functools.cache
def _partial_environment() -> jinja2.Environment:
    """The environment of the explanation's sections (``_why_changed.html``, a template kept
    with the report's): Jinja's default whitespace handling, autoescaped; built once a process,
    its compiled code cached (:mod:`cityeval.io.cache`)."""
    import jinja2

    from cityeval.io.cache import bytecode_cache

    return jinja2.Environment(
        loader=jinja2.PackageLoader("cityeval.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=bytecode_cache(),
        auto_reload=True,
    )


def why_changed_html(sc: Scorecard, lang: Lang = "en", part: str = "both") -> str:
    """The report's opening sections: the summary, then (with a comparison) a waterfall per
    dimension of what changed, rendered from ``_why_changed.html`` with autoescaping.

    ``part`` is ``"summary"`` or ``"why"`` for one of the two sections, ``"both"`` for both.
    """
    _ = translator(lang).gettext
    from markupsafe import Markup

    # Only what the part shows: the summary, the waterfalls, or both.
    summary = summarise(sc, lang) if part in ("both", "summary") else None
    charts: list[dict[str, Any]] = []
    if sc.compare is not None and part in ("both", "why"):
        for ex in _explanations(sc, lang):
            if ex.change is None or ex.previous is None or ex.score is None:
                continue
            if round(ex.change, 1) == 0:
                continue  # unchanged: nothing to explain
            charts.append(
                {
                    "label": ex.label,
                    "change": fmt_number(ex.change, lang, signed=True),
                    "svg": Markup(
                        waterfall_svg(
                            ex.label,
                            (sc.compare.id, ex.previous),
                            _steps(ex, lang),
                            (sc.round.id, ex.score),
                            lang,
                        )
                    ),
                    "causes": [
                        {"label": p.label, "change": fmt_number(p.change, lang, signed=True)}
                        for p in ex.of("cause")
                    ],
                }
            )
    return (
        _partial_environment()
        .get_template("_why_changed.html")
        .render(
            part=part,
            summary=summary,
            charts=charts,
            w={
                "why": _("Why it changed"),
                "why_note": _(
                    "Each bar is a programme's contribution to the dimension's change, in points; "
                    "the contributions and the other programmes sum to the change."
                ),
                "causes": _("By cause"),
            },
        )
    )


# -- workbook ------------------------------------------------------------------------------------


def why_changed_rows(sc: Scorecard, lang: Lang = "en") -> list[list[object]]:
    """The rows of the workbook's "why it changed" sheet: a header, then every part of each
    dimension's change (unchanged indicators left out); empty without a comparison round."""
    _ = translator(lang).gettext
    if sc.compare is None:
        return []
    rows: list[list[object]] = [
        [
            _("Node"),
            _("Kind"),
            "id",
            _("Label"),
            _("Contribution"),
            _("Previous contribution"),
            _("Change"),
        ]
    ]
    for ex in _explanations(sc, lang):
        rows.append([ex.label, _("node"), ex.node, ex.label, ex.score, ex.previous, ex.change])
        for p in ex.parts:
            if p.kind == "indicator" and not p.change:
                continue
            rows.append(
                [ex.label, _kind(p, lang), p.id, p.label, p.contribution, p.previous, p.change]
            )
    return rows


def add_why_changed_sheet(wb: Any, sc: Scorecard, lang: Lang = "en") -> None:
    """Add :func:`why_changed_rows` as a sheet to the openpyxl workbook ``wb`` (with a
    comparison round; the scorecard's own workbook is written with XlsxWriter)."""
    rows = why_changed_rows(sc, lang)
    if not rows:
        return
    from openpyxl.styles import Font

    from cityeval.masterplan.forms import put_text

    ws = wb.create_sheet(why_sheet_name(lang))
    bold = Font(bold=True)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, int | float) and not isinstance(value, bool):
                cell.value = value
                cell.number_format = "0.0"
            elif value is not None:
                put_text(cell, str(value))  # text stays text (no formula)
            if r == 1:
                cell.font = bold
    ws.freeze_panes = "A2"


def why_sheet_name(lang: Lang = "en") -> str:
    """The name of the workbook's "why it changed" sheet (at most 31 characters)."""
    _ = translator(lang).gettext
    return _("Why it changed")[:31]


def _kind(p: Part, lang: Lang) -> str:
    _ = translator(lang).gettext
    return {
        "child": _("child"),
        "indicator": _("indicator"),
        "programme": _("programme"),
        "opd": _("OPD"),
        "cause": _("cause"),
    }[p.kind]


# -- files ---------------------------------------------------------------------------------------


def summary_makers(sc: Scorecard, lang: Lang = "en") -> dict[str, Callable[[], bytes]]:
    """How to make ``summary.md`` and ``report.docx`` of ``sc``, by file name."""

    def docx() -> bytes:
        from cityeval.explain.docx import summary_docx

        return summary_docx(summarise(sc, lang), sc)

    return {
        "summary.md": lambda: summarise(sc, lang).to_markdown().encode("utf-8"),
        "report.docx": docx,
    }


def summary_files(sc: Scorecard, lang: Lang = "en") -> dict[str, bytes]:
    """``summary.md`` and ``report.docx`` of ``sc``, by file name."""
    return {name: make() for name, make in summary_makers(sc, lang).items()}


def prepare(sc: Scorecard, lang: Lang = "en") -> None:
    """Compute what every view of ``sc`` shares (its explanations and summary, kept with
    ``sc``), so that views made afterwards, in this process or a forked one, reuse them."""
    summarise(sc, lang)
    if sc.compare is not None:
        _explanations(sc, lang)


def write_summary_files(sc: Scorecard, folder: str | Path, lang: Lang = "en") -> list[Path]:
    """Write ``summary.md`` and ``report.docx`` into ``folder`` together (one OutputSet)."""
    from cityeval.io.outputs import OutputSet

    with OutputSet(folder) as out:
        for name, data in summary_files(sc, lang).items():
            out.write_bytes(name, data)
    return [Path(folder) / name for name in SUMMARY_FILES]

"""The scorecard as files: JSON (every figure), CSV (one row per node) and an Excel workbook.

Each writer returns the file's content instead of writing it; the command stages every output
before any is moved into place (see :func:`cityeval.report.write_report`). Text from users'
files never becomes a formula: every CSV cell goes through :func:`cityeval.io.outputs.csv_text`
(the quote prefix OWASP recommends), and workbook text is written as strings, with Excel's
quote prefix where it looks like a formula (:mod:`cityeval.report.xlsx_write`).
"""

from __future__ import annotations

import json

from cityeval.explain.views import why_changed_rows, why_sheet_name
from cityeval.masterplan.evaluation import NodeScore, Scorecard
from cityeval.model import Lang
from cityeval.report.i18n import excluded_reason, fmt_date, status_text, term_text, word
from cityeval.report.views import indicator_name, programme_opds
from cityeval.report.xlsx_write import Sheet, workbook_bytes

__all__ = [
    "CSV_COLUMNS",
    "csv_safe",
    "scorecard_csv",
    "scorecard_json",
    "scorecard_xlsx",
    "sheet_names",
]

CSV_COLUMNS = (
    "level",
    "id",
    "parent",
    "label",
    "score",
    "previous",
    "change",
    "status",
    "at_risk",
)


def csv_safe(text: str) -> str:
    """``text`` as a spreadsheet will show it: a formula-like start gets a single quote
    (:func:`cityeval.io.outputs.neutralise_cell`, the OWASP rule)."""
    from cityeval.io.outputs import neutralise_cell

    return str(neutralise_cell(text))


def scorecard_json(sc: Scorecard, lang: Lang = "en") -> str:
    """:meth:`Scorecard.to_dict` as indented JSON text."""
    return json.dumps(sc.to_dict(lang), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _number(value: float | None) -> str:
    return "" if value is None else repr(round(value, 6))


def scorecard_csv(sc: Scorecard, lang: Lang = "en") -> str:
    """One row per node (overall, dimensions, elements, programmes), top down.

    Columns: ``level, id, parent, label, score, previous, change, status, at_risk``; status
    (a code such as ``in_progress``) and at_risk (``true``/``false``) only for programmes.
    Programmes left out of the scores (every indicator excluded) come last, with no score.
    """
    from cityeval.io.outputs import csv_text

    programmes = {p.id: p for p in sc.programmes}
    rows: list[list[str]] = []

    def row(n: NodeScore) -> None:
        prog = programmes.get(n.id) if n.level == "programme" else None
        rows.append(
            [
                n.level,
                n.id,
                n.parent or "",
                n.label.text(lang),
                _number(n.score),
                _number(n.previous),
                _number(n.change),
                "" if prog is None else prog.status,
                "" if prog is None else str(prog.at_risk).lower(),
            ]
        )

    row(sc.overall)
    for n in sc.nodes:
        row(n)
    # Programmes with every indicator left out (cancelled, not begun) are not in the tree;
    # they still get a row, with no score, so that the file lists every programme.
    in_tree = {n.id for n in sc.nodes}
    for p in sc.programmes:
        if p.id not in in_tree:
            row(NodeScore(p.id, "programme", p.label, None, None, None, p.element))
    # Every cell through the OWASP rule (numbers such as "-1.5" stay numbers).
    return csv_text(rows, header=CSV_COLUMNS)


# -- Excel ----------------------------------------------------------------------------------

_SHEETS = {
    "summary": ("Ringkasan", "Summary"),
    "elements": ("Elemen", "Elements"),
    "programmes": ("Program", "Programmes"),
    "opds": ("OPD", "OPDs"),
    "terms": ("Jangka", "Terms"),
    "at_risk": ("Berisiko", "At risk"),
    "sources": ("Sumber", "Sources"),
}


def sheet_names(lang: Lang) -> list[str]:
    """The workbook's sheets in order: one per view."""
    return [pair[0] if lang == "id" else pair[1] for pair in _SHEETS.values()]


def scorecard_xlsx(sc: Scorecard, lang: Lang = "en") -> bytes:
    """The workbook: one sheet per view, headers bold, scores as numbers (one decimal).

    With a comparison round, a last sheet holds every part of each dimension's change
    (:func:`cityeval.explain.views.why_changed_rows`). Every sheet prints on A4. Written with
    XlsxWriter (the ``report`` extra, imported when the workbook is made;
    :mod:`cityeval.report.xlsx_write`).
    """
    sheets = [Sheet(name) for name in sheet_names(lang)]
    summary, elements, programmes, opds, terms, at_risk, sources = sheets

    def w(key: str) -> str:
        return word(key, lang)

    def yes_no(flag: bool) -> str:
        return word("yes" if flag else "no", lang)

    mp, rnd = sc.masterplan, sc.round
    summary.add([w("title")], header=True)
    summary.add([w("regency"), mp.regency.title])
    summary.add([w("period"), str(mp.period)])
    summary.add([w("round"), f"{rnd.label.text(lang)} ({rnd.id})"])
    summary.add([w("date"), fmt_date(rnd.date.isoformat(), lang)])
    if sc.compare is not None:
        compare = f"{sc.compare.label.text(lang)} ({sc.compare.id}, "
        summary.add([w("compare"), compare + fmt_date(sc.compare.date.isoformat(), lang) + ")"])
    summary.add([w("cap"), sc.cap if sc.cap is not None else w("uncapped")])
    if mp.note:
        summary.add([w("note"), mp.note])
    summary.blank()
    summary.add([w("dimension"), "id", w("score"), w("previous"), w("change")], header=True)
    summary.add(
        [
            w("overall_short"),
            sc.overall.id,
            sc.overall.score,
            sc.overall.previous,
            sc.overall.change,
        ]
    )
    for d in sc.dimensions:
        summary.add([d.label.text(lang), d.id, d.score, d.previous, d.change])

    elements.add(
        [w("dimension"), w("element"), "id", w("score"), w("previous"), w("change")], header=True
    )
    for d in sc.dimensions:
        for e in sc.elements(d.id):
            elements.add(
                [d.label.text(lang), e.label.text(lang), e.id, e.score, e.previous, e.change]
            )

    prog_header = [
        w("programme"),
        "id",
        w("element"),
        w("opds"),
        w("term"),
        w("years"),
        w("status"),
        w("score"),
        w("previous"),
        w("change"),
        w("elapsed"),
        w("at_risk"),
    ]
    programmes.add(prog_header, header=True)
    at_risk.add(prog_header, header=True)
    for p in sc.programmes:
        values = [
            p.label.text(lang),
            p.id,
            p.element,
            programme_opds(sc, p),
            term_text(p.term, lang),
            f"{p.start_year}-{p.end_year}",
            status_text(p.status, lang),
            p.score,
            p.previous,
            p.change,
            p.elapsed * 100.0,
            yes_no(p.at_risk),
        ]
        programmes.add(values)
        if p.at_risk:
            at_risk.add(values)

    opds.add(
        [
            w("opd"),
            w("opd_name"),
            w("n_programmes"),
            w("score"),
            w("previous"),
            w("change"),
            w("at_risk_count"),
        ],
        header=True,
    )
    for o in sc.opds:
        opds.add(
            [
                o.short_name,
                o.label.text(lang),
                o.programmes,
                o.score,
                o.previous,
                o.change,
                o.at_risk,
            ]
        )

    terms.add([w("term"), w("n_programmes"), w("score"), w("previous"), w("change")], header=True)
    for t in sc.terms:
        terms.add([term_text(t.term, lang), t.programmes, t.score, t.previous, t.change])

    sources.add([w("citation"), w("grade"), w("link"), w("note")], header=True)
    for s in mp.sources:
        sources.add([s.citation, None if s.grade is None else s.grade.value, s.url, s.note])
    if sc.excluded or sc.missing:
        sources.blank()
        sources.add([w("programme"), w("indicator"), w("reason")], header=True)
        for node, reason in sc.excluded.items():
            sources.add([*indicator_name(sc, node, lang), excluded_reason(reason, lang)])
        for node in sc.missing:
            sources.add([*indicator_name(sc, node, lang), w("missing")])
    if mp.note:
        sources.blank()
        sources.add([w("illustrative")], header=True)
        sources.add([mp.note])
    if rnd.note:
        sources.add([rnd.note])

    why = why_changed_rows(sc, lang)  # cityeval.explain: the parts of each change
    if why:
        sheet = Sheet(why_sheet_name(lang), all_decimal=True, freeze_header=True)
        for r, why_row in enumerate(why):
            sheet.add(why_row, header=r == 0, fit=False)
        sheets.append(sheet)
    from cityeval.report.xlsx_print import PORTRAIT_WIDTH, print_header

    left, right = print_header(sc, lang)
    return workbook_bytes(
        sheets, header_left=left, header_right=right, portrait_width=PORTRAIT_WIDTH
    )

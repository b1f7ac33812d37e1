"""The scorecard as one self-contained HTML page: styles and charts inline, nothing loaded.

The page is rendered by Jinja2 with autoescaping on, so every label from users' files is
text; the charts are SVG strings whose text :mod:`cityeval.report.charts` escapes itself. Needs
``jinja2`` (the ``report`` extra), imported here only.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from cityeval._version import __version__
from cityeval.errors import CityevalError
from cityeval.i18n import _
from cityeval.masterplan.evaluation import Scorecard
from cityeval.masterplan.model import Term
from cityeval.model import Lang
from cityeval.report.charts import CURRENT, PREVIOUS, Series, bars_svg, radar_svg
from cityeval.report.i18n import (
    excluded_reason,
    fmt_change,
    fmt_date,
    fmt_score,
    status_text,
    term_text,
    word,
)
from cityeval.report.views import chart_max, indicator_name, programme_opds

__all__ = ["render_html"]

TEMPLATE = "report.html.j2"
_WEB = ("http://", "https://")


def _change_class(value: float | None) -> str:
    if value is None or round(value, 1) == 0:
        return "flat"
    return "up" if value > 0 else "down"


def _charts(sc: Scorecard, lang: Lang) -> tuple[str, str]:
    maximum = chart_max(sc)
    dims = sc.dimensions
    radar_series = [
        Series(
            f"{word('this_round', lang)} ({sc.round.id})",
            tuple(d.score for d in dims),
            CURRENT,
        )
    ]
    bar_series = [replace(radar_series[0], values=tuple(o.score for o in sc.opds))]
    if sc.compare is not None:
        earlier = f"{word('earlier_round', lang)} ({sc.compare.id})"
        radar_series.append(
            Series(earlier, tuple(d.previous for d in dims), PREVIOUS, dashed=True)
        )
        bar_series.append(Series(earlier, tuple(o.previous for o in sc.opds), PREVIOUS))
    radar = radar_svg(
        [d.label.text(lang) for d in dims],
        radar_series,
        maximum=maximum,
        title=word("radar_title", lang),
        element_id="radar",
        lang=lang,
    )
    at_risk = word("at_risk", lang).lower()
    bars = bars_svg(
        [o.short_name for o in sc.opds],
        bar_series,
        maximum=maximum,
        title=word("opd_chart_title", lang),
        element_id="opd-bars",
        notes=[f"{o.at_risk} {at_risk}" if o.at_risk else "" for o in sc.opds],
    )
    return radar, bars


def _context(sc: Scorecard, lang: Lang) -> dict[str, Any]:
    mp, rnd = sc.masterplan, sc.round

    def node(n: Any) -> dict[str, Any]:
        return {
            "id": n.id,
            "label": n.label.text(lang),
            "score": fmt_score(n.score),
            "previous": fmt_score(n.previous),
            "change": fmt_change(n.change),
            "change_class": _change_class(n.change),
            "width": 0.0 if n.score is None else min(max(n.score, 0.0), 100.0),
        }

    programmes = [
        {
            "id": p.id,
            "label": p.label.text(lang),
            "opds": programme_opds(sc, p),
            "term": term_text(p.term, lang),
            "years": f"{p.start_year}–{p.end_year}",
            "status": status_text(p.status, lang),
            "status_code": p.status,
            "score": fmt_score(p.score),
            "change": fmt_change(p.change),
            "change_class": _change_class(p.change),
            "elapsed": f"{p.elapsed * 100:.0f}",
            "at_risk": p.at_risk,
            "width": 0.0 if p.score is None else min(max(p.score, 0.0), 100.0),
            "elapsed_width": min(max(p.elapsed * 100, 0.0), 100.0),
        }
        for p in sc.programmes
    ]
    cap = "" if sc.cap is None else word("method_cap", lang).format(cap=f"{sc.cap:g}")
    return {
        "lang": lang,
        "w": {key: word(key, lang) for key in _WORD_KEYS},
        "regency": mp.regency.title,
        "province": mp.regency.province,
        "period": str(mp.period),
        "framework": mp.framework,
        "round": {
            "id": rnd.id,
            "label": rnd.label.text(lang),
            "date": fmt_date(rnd.date.isoformat(), lang),
            "year": rnd.target_year,
            "note": rnd.note,
        },
        "compare": None
        if sc.compare is None
        else {
            "id": sc.compare.id,
            "label": sc.compare.label.text(lang),
            "date": fmt_date(sc.compare.date.isoformat(), lang),
        },
        "cap": word("uncapped", lang) if sc.cap is None else f"{sc.cap:g}",
        "overall": node(sc.overall),
        "dimensions": [
            {**node(d), "elements": [node(e) for e in sc.elements(d.id)]} for d in sc.dimensions
        ],
        "programmes": programmes,
        "at_risk": [p for p in programmes if p["at_risk"]],
        "quick_wins": [
            p for p, s in zip(programmes, sc.programmes, strict=True) if s.term is Term.QUICK_WIN
        ],
        "opds": [
            {
                "short": o.short_name,
                "name": o.label.text(lang),
                "programmes": o.programmes,
                "score": fmt_score(o.score),
                "change": fmt_change(o.change),
                "change_class": _change_class(o.change),
                "at_risk": o.at_risk,
            }
            for o in sc.opds
        ],
        "terms": [
            {
                "term": term_text(t.term, lang),
                "programmes": t.programmes,
                "score": fmt_score(t.score),
                "change": fmt_change(t.change),
                "change_class": _change_class(t.change),
            }
            for t in sc.terms
        ],
        "excluded": [
            (*indicator_name(sc, n, lang), excluded_reason(r, lang))
            for n, r in sc.excluded.items()
        ],
        "missing": [indicator_name(sc, n, lang) for n in sc.missing],
        "sources": [
            {
                "citation": s.citation,
                # Only web links are links: a file's javascript: URL stays text.
                "url": s.url if s.url and s.url.lower().startswith(_WEB) else None,
                "url_text": s.url,
                "grade": None if s.grade is None else s.grade.value,
                "note": s.note,
            }
            for s in mp.sources
        ],
        "note": mp.note,
        "method": word("method_text", lang).format(cap=cap),
        "generated": word("generated", lang).format(version=__version__),
        "n_programmes": len(sc.programmes),
        "n_at_risk": len(sc.at_risk),
    }


_WORD_KEYS = (
    "title",
    "regency",
    "period",
    "framework",
    "round",
    "date",
    "year",
    "compare",
    "no_compare",
    "cap",
    "overall",
    "overall_short",
    "change",
    "score",
    "previous",
    "dimension",
    "dimensions",
    "element",
    "elements",
    "programme",
    "programmes",
    "n_programmes",
    "opd",
    "opds",
    "opd_name",
    "term",
    "terms",
    "status",
    "years",
    "elapsed",
    "at_risk",
    "at_risk_title",
    "at_risk_none",
    "achievement_vs_elapsed",
    "quick_wins",
    "quick_wins_none",
    "excluded",
    "missing",
    "indicator",
    "reason",
    "none",
    "sources",
    "citation",
    "grade",
    "note",
    "link",
    "summary",
    "radar_title",
    "opd_chart_title",
    "yes",
    "no",
    "method",
    "illustrative",
    "meter_legend",
    "grades",
)


def render_html(sc: Scorecard, lang: Lang = "en") -> str:
    """The report page of ``sc`` in ``lang``: one file that opens offline.

    Raises
    ------
    CityevalError
        If jinja2 is not installed.
    """
    try:
        import jinja2  # noqa: F401 - checked here, used by cityeval.report.templating
        from markupsafe import Markup
    except ImportError:  # pragma: no cover - depends on the environment
        raise CityevalError(
            _("the HTML report needs jinja2: pip install 'cityeval[report]'")
        ) from None
    from cityeval.report.templating import page_environment

    env = page_environment()  # built once a process, its compiled code cached (see there)
    template = env.get_template(TEMPLATE)
    radar, bars = _charts(sc, lang)
    # The charts escape their own text (see cityeval.report.charts).
    from cityeval.explain.views import why_changed_html

    # The written summary and "why it changed" (cityeval.explain), each a section.
    return template.render(
        **_context(sc, lang),
        radar=Markup(radar),
        opd_bars=Markup(bars),
        written_summary=Markup(why_changed_html(sc, lang, part="summary")),
        why_changed=Markup(why_changed_html(sc, lang, part="why")),
    )

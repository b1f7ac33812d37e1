"""The report's own words in Indonesian and English, and small formatting helpers.

Labels that come from users' files (programme names, OPDs) are in the files' two languages;
the words here are the report's headings, statuses and terms, in one table so that the
terminal, the workbook and the HTML page say the same thing.
"""

from __future__ import annotations

import re

from cityeval.i18n import N_, current_language, translator
from cityeval.masterplan.model import Term
from cityeval.model import Lang

__all__ = [
    "STATUS",
    "TERM",
    "WORDS",
    "excluded_reason",
    "fmt_change",
    "fmt_date",
    "fmt_percent",
    "fmt_score",
    "status_text",
    "term_text",
    "word",
]

WORDS: dict[str, str] = {
    # key: English (the Indonesian is in the gettext catalogue)
    "title": N_("Smart-city masterplan evaluation"),
    "regency": N_("Regency"),
    "period": N_("Masterplan period"),
    "framework": N_("Framework"),
    "round": N_("Evaluation round"),
    "date": N_("Date"),
    "year": N_("Target year"),
    "compare": N_("Compared with"),
    "no_compare": N_("no comparison"),
    "cap": N_("Achievement cap"),
    "uncapped": N_("uncapped"),
    "overall": N_("Overall achievement"),
    "overall_short": N_("Overall"),
    "change": N_("Change"),
    "score": N_("Achievement"),
    "previous": N_("Previous"),
    "dimension": N_("Dimension"),
    "dimensions": N_("Dimensions"),
    "element": N_("Element"),
    "elements": N_("Elements"),
    "programme": N_("Programme"),
    "programmes": N_("Programmes"),
    "n_programmes": N_("Programmes"),
    "opd": N_("OPD"),
    "opds": N_("OPDs"),
    "opd_name": N_("OPD name"),
    "term": N_("Term"),
    "terms": N_("Terms"),
    "status": N_("Status"),
    "years": N_("Years"),
    "elapsed": N_("Period elapsed"),
    "at_risk": N_("At risk"),
    "at_risk_title": N_("Programmes at risk"),
    "at_risk_count": N_("At risk"),
    "at_risk_none": N_("No programme is at risk."),
    "achievement_vs_elapsed": N_("Achievement vs period elapsed"),
    "quick_wins": N_("Quick wins"),
    "quick_wins_none": N_("No quick-win programme."),
    "excluded": N_("Indicators left out"),
    "missing": N_("Indicators with no realised value"),
    "indicator": N_("Indicator"),
    "reason": N_("Reason"),
    "none": N_("None."),
    "sources": N_("Sources"),
    "citation": N_("Source"),
    "grade": N_("Grade"),
    "note": N_("Note"),
    "link": N_("Link"),
    "summary": N_("Summary"),
    "radar_title": N_("Achievement by dimension"),
    "opd_chart_title": N_("Achievement by OPD"),
    "yes": N_("yes"),
    "no": N_("no"),
    "level": N_("Level"),
    "method": N_("How the scores are computed"),
    "method_text": N_(
        "An indicator's achievement is its progress from the baseline toward that year's "
        "target, in percent{cap}; a programme's, element's, dimension's and the overall "
        "achievement are weighted means of what lies below. A programme is at risk when its "
        "achievement is below the share of its period that has elapsed."
    ),
    "method_cap": N_(", capped at {cap} percent"),
    "generated": N_("Made with cityeval {version}"),
    "illustrative": N_("About the data"),
    "this_round": N_("This round"),
    "earlier_round": N_("Earlier round"),
    "meter_legend": N_("Bar: achievement; tick: the share of the programme's period elapsed."),
    "grades": N_(
        "Source grades: A official government document; B news report or regional press "
        "release; C third-party secondary material; U widely cited but not verified."
    ),
}

STATUS: dict[str, str] = {
    "not_started": N_("not started"),
    "in_progress": N_("in progress"),
    "completed": N_("completed"),
    "cancelled": N_("cancelled"),
    "not_reported": N_("not reported"),
}

TERM: dict[Term, str] = {
    Term.QUICK_WIN: N_("quick win"),
    Term.SHORT: N_("short term"),
    Term.MEDIUM: N_("medium term"),
    Term.LONG: N_("long term"),
}


def _tr(message: str, lang: Lang) -> str:
    return translator(lang).gettext(message)


def word(key: str, lang: Lang) -> str:
    """One of the report's words in ``lang``."""
    return _tr(WORDS[key], lang)


def status_text(status: str, lang: Lang) -> str:
    """A programme's or an indicator's status in words (the code when it is unknown)."""
    text = STATUS.get(status)
    return status if text is None else _tr(text, lang)


def term_text(term: Term, lang: Lang) -> str:
    """A programme's term in words."""
    return _tr(TERM[term], lang)


def _locale(lang: Lang | None) -> str:
    # English dates read "11 June 2019" (day first), as the report always wrote them.
    return "id_ID" if (lang or current_language()) == "id" else "en_GB"


def fmt_score(value: float | None, suffix: str = "", lang: Lang | None = None) -> str:
    """A score with one decimal in ``lang``'s notation (``78,6`` in Indonesian, ``78.6`` in
    English), or an en dash when there is none; ``lang`` defaults to the current language."""
    if value is None:
        return "–"
    from cityeval.explain.numbers import format_decimal  # Babel's text, without Babel

    return format_decimal(round(value, 1), 1, _locale(lang)) + suffix


def fmt_change(value: float | None, lang: Lang | None = None) -> str:
    """A change with its sign and one decimal (``+4.0``, ``-11.9``, ``0.0``; in Indonesian
    ``+4,0``)."""
    if value is None:
        return "–"
    if round(value, 1) == 0:
        return fmt_score(0.0, lang=lang)
    text = fmt_score(abs(value), lang=lang)
    return ("+" if value > 0 else "-") + text


def fmt_percent(value: float | None, lang: Lang | None = None, decimals: int = 0) -> str:
    """A share (``0.25``) as a percentage in ``lang``'s notation (``25%``; ``12,5%``)."""
    if value is None:
        return "–"
    from cityeval.explain.numbers import format_percent  # Babel's text, without Babel

    return format_percent(value, decimals, _locale(lang))


def fmt_date(date_iso: str, lang: Lang | None = None) -> str:
    """``2019-06-11`` as ``11 Juni 2019`` or ``11 June 2019`` (Babel's long date format)."""
    from datetime import date

    from cityeval.explain.numbers import format_date_long  # Babel's text, without Babel

    return format_date_long(date.fromisoformat(date_iso), _locale(lang))


# The engine words an exclusion in English; each pattern's named groups fill the message.
_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^cancelled$"), N_("cancelled")),
    (re.compile(r"^the programme starts in (?P<year>\d+)$"), N_("the programme starts in {year}")),
    (
        re.compile(r"^no target for (?P<year>\d+) or earlier$"),
        N_("no target for {year} or earlier"),
    ),
    (
        re.compile(r"^the (?P<year>\d+) target equals the baseline$"),
        N_("the {year} target equals the baseline"),
    ),
)


def excluded_reason(reason: str, lang: Lang) -> str:
    """Why an indicator was left out, in ``lang`` (the engine words it in English)."""
    for pattern, message in _REASONS:
        match = pattern.match(reason)
        if match:
            return _tr(message, lang).format(**match.groupdict())
    return reason

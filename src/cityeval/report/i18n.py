"""The report's own words in Indonesian and English, and small formatting helpers.

Labels that come from users' files (programme names, OPDs) are in the files' two languages;
the words here are the report's headings, statuses and terms, in one table so that the
terminal, the workbook and the HTML page say the same thing.
"""

from __future__ import annotations

import re

from cityeval.masterplan.model import Term
from cityeval.model import Lang

__all__ = [
    "STATUS",
    "TERM",
    "WORDS",
    "excluded_reason",
    "fmt_change",
    "fmt_date",
    "fmt_score",
    "status_text",
    "term_text",
    "word",
]

WORDS: dict[str, tuple[str, str]] = {
    # key: (Indonesian, English)
    "title": ("Evaluasi masterplan smart city", "Smart-city masterplan evaluation"),
    "regency": ("Daerah", "Regency"),
    "period": ("Periode masterplan", "Masterplan period"),
    "framework": ("Kerangka", "Framework"),
    "round": ("Tahap evaluasi", "Evaluation round"),
    "date": ("Tanggal", "Date"),
    "year": ("Tahun target", "Target year"),
    "compare": ("Dibandingkan dengan", "Compared with"),
    "no_compare": ("tanpa pembanding", "no comparison"),
    "cap": ("Batas capaian", "Achievement cap"),
    "uncapped": ("tanpa batas", "uncapped"),
    "overall": ("Capaian keseluruhan", "Overall achievement"),
    "overall_short": ("Keseluruhan", "Overall"),
    "change": ("Perubahan", "Change"),
    "score": ("Capaian", "Achievement"),
    "previous": ("Sebelumnya", "Previous"),
    "dimension": ("Dimensi", "Dimension"),
    "dimensions": ("Dimensi", "Dimensions"),
    "element": ("Elemen", "Element"),
    "elements": ("Elemen", "Elements"),
    "programme": ("Program", "Programme"),
    "programmes": ("Program", "Programmes"),
    "n_programmes": ("Jumlah program", "Programmes"),
    "opd": ("OPD", "OPD"),
    "opds": ("OPD", "OPDs"),
    "opd_name": ("Nama OPD", "OPD name"),
    "term": ("Jangka", "Term"),
    "terms": ("Jangka waktu", "Terms"),
    "status": ("Status", "Status"),
    "years": ("Tahun", "Years"),
    "elapsed": ("Waktu berjalan", "Period elapsed"),
    "at_risk": ("Berisiko", "At risk"),
    "at_risk_title": ("Program berisiko", "Programmes at risk"),
    "at_risk_count": ("Berisiko", "At risk"),
    "at_risk_none": ("Tidak ada program berisiko.", "No programme is at risk."),
    "achievement_vs_elapsed": ("Capaian vs waktu berjalan", "Achievement vs period elapsed"),
    "quick_wins": ("Program percepatan (quick win)", "Quick wins"),
    "quick_wins_none": ("Tidak ada program percepatan.", "No quick-win programme."),
    "excluded": ("Indikator yang tidak dinilai", "Indicators left out"),
    "missing": ("Indikator tanpa realisasi", "Indicators with no realised value"),
    "indicator": ("Indikator", "Indicator"),
    "reason": ("Alasan", "Reason"),
    "none": ("Tidak ada.", "None."),
    "sources": ("Sumber", "Sources"),
    "citation": ("Sumber", "Source"),
    "grade": ("Mutu", "Grade"),
    "note": ("Catatan", "Note"),
    "link": ("Tautan", "Link"),
    "summary": ("Ringkasan", "Summary"),
    "radar_title": ("Capaian per dimensi", "Achievement by dimension"),
    "opd_chart_title": ("Capaian per OPD", "Achievement by OPD"),
    "yes": ("ya", "yes"),
    "no": ("tidak", "no"),
    "level": ("Tingkat", "Level"),
    "method": ("Cara menghitung", "How the scores are computed"),
    "method_text": (
        "Capaian sebuah indikator adalah kemajuan dari baseline menuju target tahun itu, "
        "dalam persen{cap}; capaian program, elemen, dimensi dan keseluruhan adalah rata-rata "
        "berbobot di bawahnya. Sebuah program berisiko bila capaiannya di bawah porsi periode "
        "program yang telah berjalan.",
        "An indicator's achievement is its progress from the baseline toward that year's "
        "target, in percent{cap}; a programme's, element's, dimension's and the overall "
        "achievement are weighted means of what lies below. A programme is at risk when its "
        "achievement is below the share of its period that has elapsed.",
    ),
    "method_cap": (", dibatasi {cap} persen", ", capped at {cap} percent"),
    "generated": ("Dibuat dengan cityeval {version}", "Made with cityeval {version}"),
    "illustrative": ("Catatan data", "About the data"),
    "this_round": ("Tahap ini", "This round"),
    "earlier_round": ("Tahap pembanding", "Earlier round"),
    "meter_legend": (
        "Batang: capaian; garis tegak: porsi periode program yang telah berjalan.",
        "Bar: achievement; tick: the share of the programme's period elapsed.",
    ),
    "grades": (
        "Mutu sumber: A dokumen resmi pemerintah; B berita atau siaran pers daerah; "
        "C bahan sekunder pihak ketiga; U banyak dikutip tetapi belum diverifikasi.",
        "Source grades: A official government document; B news report or regional press "
        "release; C third-party secondary material; U widely cited but not verified.",
    ),
}

STATUS: dict[str, tuple[str, str]] = {
    "not_started": ("belum dimulai", "not started"),
    "in_progress": ("sedang berjalan", "in progress"),
    "completed": ("selesai", "completed"),
    "cancelled": ("dibatalkan", "cancelled"),
    "not_reported": ("tidak dilaporkan", "not reported"),
}

TERM: dict[Term, tuple[str, str]] = {
    Term.QUICK_WIN: ("percepatan (quick win)", "quick win"),
    Term.SHORT: ("jangka pendek", "short term"),
    Term.MEDIUM: ("jangka menengah", "medium term"),
    Term.LONG: ("jangka panjang", "long term"),
}

_MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang == "id" else pair[1]


def word(key: str, lang: Lang) -> str:
    """One of the report's words in ``lang``."""
    return _pick(WORDS[key], lang)


def status_text(status: str, lang: Lang) -> str:
    """A programme's or an indicator's status in words (the code when it is unknown)."""
    pair = STATUS.get(status)
    return status if pair is None else _pick(pair, lang)


def term_text(term: Term, lang: Lang) -> str:
    """A programme's term in words."""
    return _pick(TERM[term], lang)


def fmt_score(value: float | None, suffix: str = "") -> str:
    """A score with one decimal, or an en dash when there is none."""
    return "–" if value is None else f"{value:.1f}{suffix}"


def fmt_change(value: float | None) -> str:
    """A change with its sign and one decimal (``+4.0``, ``-11.9``, ``0.0``)."""
    if value is None:
        return "–"
    if round(value, 1) == 0:
        return "0.0"
    return f"{value:+.1f}"


def fmt_date(date_iso: str, lang: Lang) -> str:
    """``2019-06-11`` as ``11 Juni 2019`` or ``11 June 2019``."""
    year, month, day = (int(p) for p in date_iso.split("-"))
    months = _MONTHS_ID if lang == "id" else _MONTHS_EN
    return f"{day} {months[month - 1]} {year}"


_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^cancelled$"), "dibatalkan"),
    (re.compile(r"^the programme starts in (\d+)$"), r"program dimulai tahun \1"),
    (
        re.compile(r"^no target for (\d+) or earlier$"),
        r"tidak ada target untuk \1 atau sebelumnya",
    ),
    (re.compile(r"^the (\d+) target equals the baseline$"), r"target \1 sama dengan baseline"),
)


def excluded_reason(reason: str, lang: Lang) -> str:
    """Why an indicator was left out, in ``lang`` (the engine words it in English)."""
    if lang == "id":
        for pattern, repl in _REASONS:
            if pattern.match(reason):
                return pattern.sub(repl, reason)
    return reason

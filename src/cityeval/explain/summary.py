"""The written summary of a masterplan's evaluation, in English or Indonesian, from templates.

Every figure in the text is read from the scorecard's own data (:meth:`Scorecard.to_dict`),
rounded to one decimal as the report shows it; the explanation only decides the order in
which programmes are named and which cause is named first (no figure of its own is quoted).
Sentences are gettext messages with named placeholders; numbers follow the language (a
decimal comma in Indonesian, through Babel).
"""

from __future__ import annotations

import gettext
from typing import Any

from attrs import frozen

from cityeval.i18n import translator
from cityeval.masterplan.evaluation import Scorecard
from cityeval.model import Lang

__all__ = ["Summary", "fmt_number", "summarise"]


@frozen
class Summary:
    """A titled summary in sections of paragraphs (the same text for every format)."""

    lang: str
    title: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]

    def to_markdown(self) -> str:
        """As Markdown (``summary.md``)."""
        lines = [f"# {self.title}", ""]
        for heading, paragraphs in self.sections:
            lines += [f"## {heading}", ""]
            for p in paragraphs:
                lines += [p, ""]
        return "\n".join(lines)


def fmt_number(value: float | None, lang: str, *, signed: bool = False, decimals: int = 1) -> str:
    """One decimal (or ``decimals``) in the language's style (``48,5`` in Indonesian); ``–``
    for None."""
    from cityeval.explain.numbers import format_decimal  # Babel's text, without Babel

    if value is None:
        return "–"
    text = format_decimal(abs(value) if signed else value, max(decimals, 0), lang)
    if signed:
        return ("+" if round(value, decimals) >= 0 else "-") + text
    return str(text)


def _gettext(
    lang: Lang, translations: gettext.NullTranslations | None
) -> gettext.NullTranslations:
    if translations is not None:
        return translations
    return translator(lang)


def summarise(
    sc: Scorecard,
    lang: Lang = "en",
    *,
    translations: gettext.NullTranslations | None = None,
    contributors: int = 3,
) -> Summary:
    """The summary of ``sc`` in ``lang``.

    Parameters
    ----------
    sc : Scorecard
    lang : {"en", "id"}
    translations : gettext translations, optional
        The catalogue to use (by default :func:`cityeval.i18n.translator` for ``lang``).
    contributors : int
        How many programmes to name as the largest contributors to the change.

    Without ``translations`` the summary is kept with ``sc`` (the report page, summary.md
    and report.docx share one; a :class:`Summary` is frozen).
    """
    if translations is not None:
        return _summarise(sc, lang, translations, contributors)
    return sc.derived(
        ("explain.summary", lang, contributors),
        lambda: _summarise(sc, lang, None, contributors),
    )


def _summarise(
    sc: Scorecard,
    lang: Lang,
    translations: gettext.NullTranslations | None,
    contributors: int,
) -> Summary:
    t = _gettext(lang, translations)
    _, ngettext = t.gettext, t.ngettext
    data = sc.to_dict(lang)

    def num(v: float | None) -> str:
        return fmt_number(v, lang)

    def signed(v: float | None) -> str:
        return fmt_number(v, lang, signed=True)

    regency = data["masterplan"]["regency"]
    rnd = data["round"]
    title = _("Summary: {regency}, {round}").format(regency=regency, round=rnd["label"])
    overall = data["overall"]
    sections: list[tuple[str, tuple[str, ...]]] = []

    # -- the overall result and its change
    first: list[str] = []
    if overall["change"] is None:
        first.append(
            _("Overall achievement ({round}) is {score}.").format(
                round=rnd["label"], score=num(overall["score"])
            )
        )
    else:
        if round(overall["change"], 1) < 0:
            sentence = _(
                "Overall achievement ({round}) is {score}, down {change} points from "
                "{previous} at the earlier round."
            )
        elif round(overall["change"], 1) > 0:
            sentence = _(
                "Overall achievement ({round}) is {score}, up {change} points from "
                "{previous} at the earlier round."
            )
        else:
            sentence = _(
                "Overall achievement ({round}) is {score}, unchanged since the earlier round."
            )
        first.append(
            sentence.format(
                round=rnd["label"],
                score=num(overall["score"]),
                change=num(abs(overall["change"])),
                previous=num(overall["previous"]),
            )
        )
    dims = [d for d in data["nodes"] if d["level"] == "dimension" and d["score"] is not None]
    if dims:
        best = max(dims, key=lambda d: d["score"])
        worst = min(dims, key=lambda d: d["score"])
        first.append(
            _(
                "The strongest dimension is {best} ({best_score}); the weakest is "
                "{worst} ({worst_score})."
            ).format(
                best=best["label"],
                best_score=num(best["score"]),
                worst=worst["label"],
                worst_score=num(worst["score"]),
            )
        )
    sections.append((_("Result"), tuple(first)))

    # -- the change and its largest contributors
    if overall["change"] is not None:
        sections.append(
            (_("What changed"), tuple(_change_paragraphs(sc, data, lang, t, contributors)))
        )

    # -- programmes at risk
    risky = [p for p in data["programmes"] if p["at_risk"]]
    if risky:
        names = ", ".join(
            _("{programme} ({score})").format(programme=p["label"], score=num(p["score"]))
            for p in risky
        )
        risk = ngettext(
            "{n} programme is at risk (its achievement is below the share of its "
            "period elapsed): {names}.",
            "{n} programmes are at risk (their achievement is below the share of "
            "their period elapsed): {names}.",
            len(risky),
        ).format(n=len(risky), names=names)
    else:
        risk = _("No programme is at risk.")
    sections.append((_("Programmes at risk"), (risk,)))

    # -- OPDs whose forms are missing
    opd_names = {o["id"]: o["short_name"] for o in data["opds"]}
    unreported: dict[str, int] = {}
    for p in data["programmes"]:
        if p["status"] == "not_reported":
            for o in p["opds"]:
                unreported[o] = unreported.get(o, 0) + 1
    if unreported:
        listed = ", ".join(
            ngettext("{opd} ({n} programme)", "{opd} ({n} programmes)", n).format(
                opd=opd_names.get(o, o), n=n
            )
            for o, n in unreported.items()
        )
        forms = _("OPDs whose forms are missing for this round: {opds}.").format(opds=listed)
    else:
        forms = _("Every OPD returned its forms for this round.")
    sections.append((_("Missing forms"), (forms,)))

    # -- what the data cannot say
    limits: list[str] = []
    excluded, missing = data["excluded"], data["missing"]
    if excluded:
        limits.append(
            ngettext(
                "{n} indicator is left out of the scores (not started, cancelled or "
                "without a target for this year).",
                "{n} indicators are left out of the scores (not started, cancelled or "
                "without a target for this year).",
                len(excluded),
            ).format(n=len(excluded))
        )
    if missing:
        labels = _indicator_labels(data)
        limits.append(
            ngettext(
                "{n} indicator has no realised value this round: {names}.",
                "{n} indicators have no realised value this round: {names}.",
                len(missing),
            ).format(n=len(missing), names=", ".join(labels.get(m, m) for m in missing))
        )
    if not limits:
        limits.append(_("Every indicator with a target this year was reported and scored."))
    if data["masterplan"]["note"]:
        limits.append(_("Note on the data: {note}").format(note=data["masterplan"]["note"]))
    sections.append((_("What the data cannot say"), tuple(limits)))
    return Summary(lang=lang, title=title, sections=tuple(sections))


def _indicator_labels(data: dict[str, Any]) -> dict[str, str]:
    return {
        i["node"]: f"{p['label']}: {i['label']}"
        for p in data["programmes"]
        for i in p["indicators"]
    }


def _change_paragraphs(
    sc: Scorecard, data: dict[str, Any], lang: Lang, t: gettext.NullTranslations, k: int
) -> list[str]:
    from cityeval.explain.api import dimension_explanations, masterplan_change

    _ = t.gettext
    out: list[str] = []

    def signed(v: float | None) -> str:
        return fmt_number(v, lang, signed=True)

    dims = [d for d in data["nodes"] if d["level"] == "dimension" and d["change"] is not None]
    falls = sorted((d for d in dims if round(d["change"], 1) < 0), key=lambda d: d["change"])
    rises = sorted((d for d in dims if round(d["change"], 1) > 0), key=lambda d: -d["change"])
    if falls:
        out.append(
            _("Dimensions that fell: {dims}.").format(
                dims=", ".join(f"{d['label']} ({signed(d['change'])})" for d in falls)
            )
        )
    if rises:
        out.append(
            _("Dimensions that rose: {dims}.").format(
                dims=", ".join(f"{d['label']} ({signed(d['change'])})" for d in rises)
            )
        )
    ctx = masterplan_change(sc)
    explanations = dimension_explanations(ctx, lang, gettext_=t.gettext)
    top = explanations[0]
    causes = [p for p in top.of("cause") if p.change is not None]
    overall_change = data["overall"]["change"]
    if causes and overall_change:
        main = max(causes, key=lambda p: abs(p.change or 0.0))
        key = {
            "realisations": _("Most of the change comes from the realised values themselves."),
            "targets": _(
                "Most of the change comes from the targets moving to a new target year, "
                "not from the realised values."
            ),
            "weights": _(
                "Most of the change comes from indicators gaining or losing weight as "
                "others enter the score or go missing."
            ),
            "coverage": _(
                "Most of the change comes from indicators entering or leaving the score."
            ),
            "values": _("Most of the change comes from the values themselves."),
        }
        out.append(key[main.id])
    progs = {p["id"]: p for p in data["programmes"]}
    named = [p for p in top.largest("programme", k) if p.id in progs]
    if named:
        out.append(
            _("The programmes that moved the overall score most: {programmes}.").format(
                programmes=", ".join(
                    _("{programme} (achievement {score}, {change})").format(
                        programme=progs[p.id]["label"],
                        score=fmt_number(progs[p.id]["score"], lang),
                        change=signed(progs[p.id]["change"])
                        if progs[p.id]["change"] is not None
                        else _("new this round"),
                    )
                    for p in named
                )
            )
        )
    return out

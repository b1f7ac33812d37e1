"""The scorecard in the terminal (rich): the header, the dimensions, the OPDs, the risks.

Labels from users' files are printed as :class:`rich.text.Text`, so a programme named
``[bold]x`` prints as written rather than as rich markup.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cityeval.masterplan.evaluation import Scorecard
from cityeval.model import Lang
from cityeval.report.i18n import fmt_change, fmt_date, fmt_score, word
from cityeval.report.views import chart_max, programme_opds

__all__ = ["print_scorecard"]

BAR_WIDTH = 20


def _change(value: float | None) -> Text:
    text = fmt_change(value)
    if value is None or text == "0.0":
        return Text(text, style="dim")
    return Text(text, style="green" if value > 0 else "red")


def _bar(value: float | None, maximum: float) -> Text:
    if value is None:
        return Text("")
    filled = round(BAR_WIDTH * min(max(value / maximum, 0.0), 1.0))
    return Text("█" * filled, style="blue") + Text("░" * (BAR_WIDTH - filled), style="dim")


def print_scorecard(sc: Scorecard, console: Console, lang: Lang = "en") -> None:
    """Print the scorecard's header, dimensions, OPD table and programmes at risk."""

    def w(key: str) -> str:
        return word(key, lang)

    mp, rnd = sc.masterplan, sc.round
    maximum = chart_max(sc)
    header = [
        Text(f"{w('title')}: {mp.regency.title}", style="bold"),
        Text(f"{w('period')}: {mp.period}"),
        Text(
            f"{w('round')}: {rnd.label.text(lang)} ({rnd.id}, "
            f"{fmt_date(rnd.date.isoformat(), lang)})"
        ),
    ]
    if sc.compare is not None:
        header.append(
            Text(
                f"{w('compare')}: {sc.compare.label.text(lang)} ({sc.compare.id}, "
                f"{fmt_date(sc.compare.date.isoformat(), lang)})"
            )
        )
    overall = Text(f"{w('overall')}: ", style="bold") + Text(
        fmt_score(sc.overall.score), style="bold"
    )
    if sc.compare is not None:
        overall += Text(" (") + _change(sc.overall.change) + Text(")")
    header.append(overall)
    for line in header:  # one line each, never wrapped: they are quoted in reports
        console.print(line, soft_wrap=True)

    dims = Table(title=w("dimensions"), title_justify="left", title_style="bold")
    dims.add_column(w("dimension"))
    dims.add_column(w("score"), justify="right")
    if sc.compare is not None:
        dims.add_column(w("change"), justify="right")
    dims.add_column("", no_wrap=True)
    for d in sc.dimensions:
        cells = [Text(d.label.text(lang)), Text(fmt_score(d.score))]
        if sc.compare is not None:
            cells.append(_change(d.change))
        cells.append(_bar(d.score, maximum))
        dims.add_row(*cells)
    console.print(dims)

    opds = Table(title=w("opds"), title_justify="left", title_style="bold")
    opds.add_column(w("opd"))
    opds.add_column(w("programmes"), justify="right")
    opds.add_column(w("score"), justify="right")
    if sc.compare is not None:
        opds.add_column(w("change"), justify="right")
    opds.add_column(w("at_risk_count"), justify="right")
    for o in sc.opds:
        cells = [Text(o.short_name), Text(str(o.programmes)), Text(fmt_score(o.score))]
        if sc.compare is not None:
            cells.append(_change(o.change))
        cells.append(Text(str(o.at_risk), style="red" if o.at_risk else "dim"))
        opds.add_row(*cells)
    console.print(opds)

    if sc.at_risk:
        risks = Table(title=w("at_risk_title"), title_justify="left", title_style="bold")
        risks.add_column(w("programme"))
        risks.add_column(w("opds"))
        risks.add_column(w("achievement_vs_elapsed"), justify="right")
        for p in sc.at_risk:
            risks.add_row(
                Text(p.label.text(lang)),
                Text(programme_opds(sc, p)),
                Text(f"{fmt_score(p.score, '%')} < {p.elapsed * 100:.0f}%", style="red"),
            )
        console.print(risks)
    else:
        console.print(Text(w("at_risk_none")))
    if mp.note:
        console.print(Text(mp.note, style="dim"))

"""Lookups the report's writers share: OPD short names, indicator names, the chart scale."""

from __future__ import annotations

import math

from cityeval.masterplan.evaluation import ProgrammeScore, Scorecard
from cityeval.model import Lang

__all__ = ["chart_max", "indicator_name", "opd_short_names", "programme_opds"]


def opd_short_names(sc: Scorecard) -> dict[str, str]:
    """Each OPD's abbreviation (``Dinkes``) by id."""
    return {o.id: o.short for o in sc.masterplan.opds}


def programme_opds(sc: Scorecard, prog: ProgrammeScore) -> str:
    """The OPDs that run a programme, as ``Diskominfo, DPMD``."""
    names = opd_short_names(sc)
    return ", ".join(names.get(o, o) for o in prog.opds)


def indicator_name(sc: Scorecard, node: str, lang: Lang) -> tuple[str, str]:
    """The programme's and the indicator's names for an indicator node ``PROGRAMME.INDICATOR``.

    Falls back to the node id when the masterplan does not know it.
    """
    prog_id, _, ind_id = node.partition(".")
    for prog in sc.masterplan.programmes:
        if prog.id == prog_id:
            for ind in prog.indicators:
                if ind.id == ind_id:
                    return prog.name.text(lang), ind.name.text(lang)
            return prog.name.text(lang), ind_id
    return prog_id, ind_id


def chart_max(sc: Scorecard) -> float:
    """The top of the charts' scale: the cap, or higher when uncapped scores exceed 100."""
    values = [n.score for n in sc.nodes] + [n.previous for n in sc.nodes]
    values += [o.score for o in sc.opds] + [o.previous for o in sc.opds]
    top = max([100.0, *(v for v in values if v is not None)])
    return float(math.ceil(top / 10.0) * 10)

"""A regency's smart-city masterplan, its programmes, and the rounds that evaluate them.

The objects are frozen and validate themselves when built; checks that need the framework
tree (is ``governance.service`` an element of ``governance``?) or the masterplan (does a
round's entry name a real programme?) are methods that return located problems, so that this
package never loads a framework or a file itself. Its modules, from the bottom up:
:mod:`~.frozenmap` (the file format's mappings), :mod:`~.values` (one value against a scale
and bounds), :mod:`~.regency` (region, period, OPDs), :mod:`~.programme` (programmes and
their indicators), :mod:`~.plan` (the masterplan) and :mod:`~.rounds` (evaluation rounds).
"""

from cityeval.masterplan.model.frozenmap import FrozenMap
from cityeval.masterplan.model.plan import Masterplan
from cityeval.masterplan.model.programme import Baseline, Programme, ProgrammeIndicator, Term
from cityeval.masterplan.model.regency import Opd, Period, Regency, RegencyKind
from cityeval.masterplan.model.rounds import EntryStatus, EvaluationRound, RoundEntry, find_round
from cityeval.masterplan.model.values import value_problem

__all__ = [
    "Baseline",
    "EntryStatus",
    "EvaluationRound",
    "FrozenMap",
    "Masterplan",
    "Opd",
    "Period",
    "Programme",
    "ProgrammeIndicator",
    "Regency",
    "RegencyKind",
    "RoundEntry",
    "Term",
    "find_round",
    "value_problem",
]

"""Masterplans: a regency's smart-city programmes, their targets and their evaluation rounds.

A :class:`Masterplan` attaches a regency's programmes (each with indicators, a baseline and
yearly targets, run by OPDs) to the elements of a framework such as ``gerakan100``. An
:class:`EvaluationRound` records, per programme indicator, what was realised at one
evaluation. Files are read and written by :func:`load_masterplan`, :func:`load_round` and
their siblings; :mod:`cityeval.masterplan.template` writes a commented starting file and
:mod:`cityeval.masterplan.forms` exchanges rounds with OPDs as Excel workbooks (needs the
``excel`` extra).
"""

from cityeval.masterplan.files import (
    dumps_masterplan,
    dumps_round,
    get_masterplan,
    get_round,
    list_masterplans,
    load_masterplan,
    load_round,
    loads_masterplan,
    loads_round,
    masterplan_from_dict,
    masterplan_to_dict,
    plugin_rounds,
    resolve_framework,
    round_from_dict,
    round_to_dict,
    save_masterplan,
    save_round,
)
from cityeval.masterplan.model import (
    Baseline,
    EntryStatus,
    EvaluationRound,
    FrozenMap,
    Masterplan,
    Opd,
    Period,
    Programme,
    ProgrammeIndicator,
    Regency,
    RegencyKind,
    RoundEntry,
    Term,
    find_round,
)
from cityeval.masterplan.template import masterplan_template

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
    "dumps_masterplan",
    "dumps_round",
    "find_round",
    "get_masterplan",
    "get_round",
    "list_masterplans",
    "load_masterplan",
    "load_round",
    "loads_masterplan",
    "loads_round",
    "masterplan_from_dict",
    "masterplan_template",
    "masterplan_to_dict",
    "plugin_rounds",
    "resolve_framework",
    "round_from_dict",
    "round_to_dict",
    "save_masterplan",
    "save_round",
]

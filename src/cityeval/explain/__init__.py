"""Why a score is what it is: contributions, changes and a written summary.

:func:`explain` splits one unit's score at one node into its children's, indicators' (and for
a masterplan programmes' and OPDs') contributions, exact and summing to the score, and with a
comparison splits the change the same way and by cause (realisations, targets, weights,
coverage). See ``docs/how-to/explain-scores.md``.
"""

from __future__ import annotations

from cityeval.explain.api import MasterplanChange, explain, masterplan_change
from cityeval.explain.explanation import Explanation, Part

__all__ = ["Explanation", "MasterplanChange", "Part", "explain", "masterplan_change"]

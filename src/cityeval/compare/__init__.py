"""Compare regencies: rank them overall and per dimension, by group, and explain the leaders.

>>> table = load_scores("docs/examples/south-sumatra-2021.yaml")      # doctest: +SKIP
>>> result = compare(table, group_by="kind")                           # doctest: +SKIP
>>> write_comparison(result, "out")                                    # doctest: +SKIP

See ``docs/how-to/compare-regencies.md``.
"""

from __future__ import annotations

from cityeval.compare.comparison import Comparison, Leader, compare
from cityeval.compare.render import COMPARE_FILES, print_comparison, write_comparison
from cityeval.compare.table import (
    NodeParts,
    ScoreTable,
    from_results,
    from_scorecards,
    load_scores,
)

__all__ = [
    "COMPARE_FILES",
    "Comparison",
    "Leader",
    "NodeParts",
    "ScoreTable",
    "compare",
    "from_results",
    "from_scorecards",
    "load_scores",
    "print_comparison",
    "write_comparison",
]

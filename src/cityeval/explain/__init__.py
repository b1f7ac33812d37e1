"""Why a score is what it is: contributions, changes and a written summary.

:func:`explain` splits one unit's score at one node into its children's, indicators' (and for
a masterplan programmes' and OPDs') contributions, exact and summing to the score, and with a
comparison splits the change the same way and by cause (realisations, targets, weights,
coverage). See ``docs/how-to/explain-scores.md``.
"""

from __future__ import annotations

import sys as _sys
import types as _types
from typing import Any

from cityeval.explain.api import MasterplanChange, explain, masterplan_change
from cityeval.explain.explanation import Explanation, Part

__all__ = ["Explanation", "MasterplanChange", "Part", "explain", "masterplan_change"]


class _CallablePackage(_types.ModuleType):
    """This package, callable: ``cityeval.explain(...)`` is :func:`cityeval.api.explain`.

    ``cityeval.explain`` names both the public verb and this subpackage; once the subpackage is
    imported the import system makes it the attribute of ``cityeval``, so the package itself
    must answer the call.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Explanation:
        from cityeval.api import explain

        return explain(*args, **kwargs)


_sys.modules[__name__].__class__ = _CallablePackage

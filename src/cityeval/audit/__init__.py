"""The audit of an index's statistical coherence, as COINr has it.

On an engine :class:`~cityeval.engine.Results`: indicator statistics at every stage
(:func:`indicator_stats`, COINr's ``get_stats``), data availability and screening
(:func:`data_availability`, :func:`screen`), correlations within and across levels with
p-values and flags (:func:`correlations`, :func:`correlation_flags`), Cronbach's alpha
(:func:`cronbach`), principal components (:func:`pca`), optimised weights
(:func:`optimise_weights`) and what-if comparisons (:func:`compare`,
:func:`remove_elements`); :func:`audit` runs them all and :func:`write_audit` writes the
files of ``cityeval audit``. Every table converts to pandas with ``to_frame()``.

>>> from cityeval.audit import audit          # doctest: +SKIP
>>> report = audit(results)                    # doctest: +SKIP
>>> report.stats.to_frame().query("stage == 'raw'")  # doctest: +SKIP

Needs SciPy (the ``audit`` extra); pandas for ``to_frame``.
"""

import sys as _sys
import types as _types
from typing import Any

from cityeval.audit.correlations import correlation_flags, correlations
from cityeval.audit.cronbach import cronbach, cronbach_alpha
from cityeval.audit.files import write_audit
from cityeval.audit.optimise import OptimisedWeights, optimise_weights
from cityeval.audit.pca import PCAGroup, PCAResult, pca
from cityeval.audit.run import Audit, audit
from cityeval.audit.screening import Screening, data_availability, screen
from cityeval.audit.stats import StatsThresholds, indicator_stats
from cityeval.audit.tables import Table
from cityeval.audit.whatif import Comparison, compare, remove_elements

__all__ = [
    "Audit",
    "Comparison",
    "OptimisedWeights",
    "PCAGroup",
    "PCAResult",
    "Screening",
    "StatsThresholds",
    "Table",
    "audit",
    "compare",
    "correlation_flags",
    "correlations",
    "cronbach",
    "cronbach_alpha",
    "data_availability",
    "indicator_stats",
    "optimise_weights",
    "pca",
    "remove_elements",
    "screen",
    "write_audit",
]


class _CallablePackage(_types.ModuleType):
    """This package, callable: ``cityeval.audit(...)`` is :func:`cityeval.api.audit`.

    ``cityeval.audit`` names both the public verb and this subpackage; once the subpackage is
    imported the import system makes it the attribute of ``cityeval``, so the package itself
    must answer the call.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Audit:
        from cityeval.api import audit

        return audit(*args, **kwargs)


_sys.modules[__name__].__class__ = _CallablePackage

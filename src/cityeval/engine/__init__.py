"""The scoring engine: compile a framework, run a pipeline over a data set, return results.

>>> results = score(framework, dataset)            # doctest: +SKIP
>>> results.score(results.top_id)                  # doctest: +SKIP
"""

from cityeval.engine.compiled import AggregateLevel, CompiledFramework, compile_framework
from cityeval.engine.results import Results, TreatmentRecord
from cityeval.engine.run import DEFAULT_PIPELINE, EngineError, score
from cityeval.engine.weight_methods import WeightOutcome

__all__ = [
    "DEFAULT_PIPELINE",
    "AggregateLevel",
    "CompiledFramework",
    "EngineError",
    "Results",
    "TreatmentRecord",
    "WeightOutcome",
    "compile_framework",
    "score",
]

"""The uncertainty specification: how many draws, which method, and the uncertain factors.

A specification is pure data, loaded from YAML, JSON or TOML through the shared converter, so
its errors read like every other file's (``spec.yaml: factors.pillar_weights.noise: ...``).
What a factor names (a step, a level, a method, a weight set) is checked against the
framework and the pipeline later, in :func:`cityeval.uncertainty.design.check_spec`.
"""

from __future__ import annotations

import enum
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from attrs import field, frozen

from cityeval.errors import InputError, ModelError, Problem

__all__ = [
    "Factor",
    "FactorStep",
    "NodeSelection",
    "SamplingMethod",
    "ScorePrecision",
    "UncertaintySpec",
    "load_spec",
    "loads_spec",
    "spec_from_dict",
]

#: What the keyword ``declared`` in a weight-set factor stands for: the framework's own weights.
DECLARED = "declared"


class SamplingMethod(enum.Enum):
    """How draws are made and what is estimated."""

    #: Pseudo-random draws (NumPy's PCG64): uncertainty only.
    MONTE_CARLO = "monte-carlo"
    #: Saltelli's design on a scrambled Sobol' sequence: uncertainty and Sobol' indices.
    SOBOL = "sobol"


class ScorePrecision(enum.Enum):
    """How each draw's scores are kept until their percentiles are read."""

    #: Rounded to single precision (4 bytes a score): each percentile within a relative
    #: 6e-8 of the exact one, half the temporary file and a faster summary.
    SINGLE = "single"
    #: As computed (8 bytes a score): percentiles exact, equal to ``numpy.quantile``.
    DOUBLE = "double"


class NodeSelection(enum.Enum):
    """Which aggregates get rank and score intervals (every aggregate is still computed)."""

    #: The overall index and its dimensions (the level just below it): the default.
    DIMENSIONS = "dimensions"
    #: Every aggregate node.
    ALL = "all"


class FactorStep(enum.Enum):
    """The construction step a factor varies (``exclude`` removes one node per draw)."""

    IMPUTE = "impute"
    TREAT = "treat"
    NORMALISE = "normalise"
    WEIGHT = "weight"
    AGGREGATE = "aggregate"
    EXCLUDE = "exclude"


def _check_noise(instance: object, attribute: object, value: float | None) -> None:
    if value is not None and (not math.isfinite(value) or not 0 < value <= 1):
        raise ModelError.at(
            ("noise",),
            f"must be greater than 0 and at most 1 (weights stay >= 0), got {value}",
        )


def _check_level(instance: object, attribute: object, value: int | None) -> None:
    if value is not None and value < 1:
        raise ModelError.at(("level",), f"must be 1 (indicators) or more, got {value}")


def _check_unique(instance: object, attribute: Any, value: tuple[str, ...]) -> None:
    seen: set[str] = set()
    for i, item in enumerate(value):
        if item in seen:
            raise ModelError.at((attribute.name, i), f"{item!r} is listed twice")
        seen.add(item)


@frozen
class Factor:
    """One uncertain input of the analysis.

    Exactly one form applies, by step:

    * ``weight`` with ``level`` and ``noise``: every weight of the nodes at that level times
      an independent ``U(1 - noise, 1 + noise)``;
    * ``weight`` with ``sets``: one of the framework's named weight sets (``declared`` is the
      framework's own weights);
    * ``impute``, ``treat``, ``normalise``, ``aggregate`` with ``choices``: one of these
      registered methods;
    * ``impute``, ``treat``, ``normalise`` with ``param`` and ``range``: a whole-number
      parameter of the step's method, uniform over ``range[0]..range[1]`` inclusive
      (e.g. ``winmax`` of the ``coinr`` treatment);
    * ``exclude`` with ``level``: each draw leaves out one node of that level, or none.

    Parameters
    ----------
    step : FactorStep
        The step varied.
    level : int, optional
        COINr's level number: 1 = indicators, 2 = their parents, and so on.
    noise : float, optional
        Relative half-width of the weight noise, in ``(0, 1]``.
    choices : tuple of str
        Registered method names.
    sets : tuple of str
        Weight-set names.
    param : str, optional
        A parameter of the step's method.
    range : tuple of (int, int), optional
        Inclusive bounds of ``param``.
    """

    step: FactorStep
    level: int | None = field(default=None, validator=_check_level)
    noise: float | None = field(default=None, validator=_check_noise)
    choices: tuple[str, ...] = field(default=(), validator=_check_unique)
    sets: tuple[str, ...] = field(default=(), validator=_check_unique)
    param: str | None = None
    range: tuple[int, int] | None = None

    def __attrs_post_init__(self) -> None:
        problems = self._form_problems()
        if problems:
            raise ModelError(problems)

    @property
    def form(self) -> str:
        """``noise``, ``sets``, ``choices``, ``param`` or ``exclude``."""
        if self.step is FactorStep.EXCLUDE:
            return "exclude"
        if self.noise is not None:
            return "noise"
        if self.sets:
            return "sets"
        if self.param is not None:
            return "param"
        return "choices"

    def _form_problems(self) -> list[Problem]:
        step = self.step.value
        given = {
            name
            for name in ("level", "noise", "choices", "sets", "param", "range")
            if getattr(self, name) not in (None, ())
        }
        allowed: dict[FactorStep, list[set[str]]] = {
            FactorStep.WEIGHT: [{"level", "noise"}, {"sets"}],
            FactorStep.EXCLUDE: [{"level"}],
            FactorStep.AGGREGATE: [{"choices"}],
            FactorStep.IMPUTE: [{"choices"}, {"param", "range"}],
            FactorStep.TREAT: [{"choices"}, {"param", "range"}],
            FactorStep.NORMALISE: [{"choices"}, {"param", "range"}],
        }
        forms = allowed[self.step]
        if given in forms:
            return self._range_problems()
        described = ", or ".join(" and ".join(f"'{k}'" for k in sorted(f)) for f in forms)
        candidates = [f for f in forms if f & given] or forms
        best = min(candidates, key=lambda f: len(f ^ given))
        problems = [
            Problem((name,), f"{step!r} factors take {described}; not '{name}'")
            for name in sorted(given - best)
        ]
        problems += [
            Problem((name,), f"required ({step!r} factors take {described})")
            for name in sorted(best - given)
        ]
        return problems

    def _range_problems(self) -> list[Problem]:
        if self.range is None:
            return []
        lo, hi = self.range
        if lo > hi:
            return [Problem(("range",), f"the lower bound {lo} is above the upper bound {hi}")]
        if hi - lo > 1000:
            return [
                Problem(
                    ("range",),
                    f"{hi - lo + 1} values: each value of a pre-aggregation parameter is one "
                    "engine run; keep it to at most 1001",
                )
            ]
        return []


def _check_draws(instance: object, attribute: object, value: int) -> None:
    if value < 1:
        raise ModelError.at(("draws",), f"must be at least 1, got {value}")


def _factors_default() -> dict[str, Factor]:
    return {}


@frozen
class UncertaintySpec:
    """What to vary and how many times.

    Parameters
    ----------
    draws : int
        Monte Carlo draws; for ``sobol`` the base sample size ``N`` of Saltelli's design
        (the model then runs ``N * (n_factors + 2)`` times), a power of two.
    seed : int
        Seeds the sampler and the bootstrap; one seed gives one result.
    method : SamplingMethod
        ``monte-carlo`` (uncertainty) or ``sobol`` (uncertainty and sensitivity).
    factors : dict of str to Factor
        The uncertain inputs, by a name of the user's choosing.
    resamples : int
        Bootstrap resamples for the confidence intervals of the Sobol' indices.
    score_precision : ScorePrecision
        ``single`` (the default) keeps the draws' scores rounded to single precision until
        their percentiles and mean are read (each within a relative 6e-8 of the exact value,
        far below the Monte Carlo error); ``double`` keeps them as computed, and the
        percentiles equal ``numpy.quantile``'s. Ranks and their statistics, nominal values and
        the Sobol' indices are exact either way.
    nodes : NodeSelection
        ``dimensions`` (the default): intervals for the index and its dimensions; ``all``:
        for every aggregate (slower: each is ranked and summarised over every draw).
    """

    draws: int = field(validator=_check_draws)
    seed: int = 0
    method: SamplingMethod = SamplingMethod.MONTE_CARLO
    factors: dict[str, Factor] = field(factory=_factors_default)
    resamples: int = 100
    score_precision: ScorePrecision = ScorePrecision.SINGLE
    nodes: NodeSelection = NodeSelection.DIMENSIONS

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        n = self.draws
        if self.method is SamplingMethod.SOBOL and n & (n - 1):
            below = 1 << (n.bit_length() - 1)
            problems.append(
                Problem(
                    ("draws",),
                    f"must be a power of two for method 'sobol' (Sobol' points lose their "
                    f"balance otherwise), got {n}; use {below} or {below * 2}",
                )
            )
        if self.resamples < 2:
            problems.append(Problem(("resamples",), f"must be at least 2, got {self.resamples}"))
        problems.extend(
            Problem(
                ("factors", name),
                "a factor name is letters, digits, '_' and '-' (it names CSV columns)",
            )
            for name in self.factors
            if not name or not name.replace("_", "").replace("-", "").isalnum()
        )
        if problems:
            raise ModelError(problems)


def spec_from_dict(data: Any, source: str = "") -> UncertaintySpec:
    """Build an :class:`UncertaintySpec` from plain data; problems read ``source: path: ...``."""
    from cityeval.io.converter import structure

    if isinstance(data, Mapping) and "factors" in data:
        factors = data["factors"]
        if factors is None:
            data = {k: v for k, v in data.items() if k != "factors"}
        elif not isinstance(factors, Mapping):
            raise InputError(
                source,
                [Problem(("factors",), "expected a mapping of factor names to factors")],
            )
    return structure(data, UncertaintySpec, source)


def load_spec(path: str | os.PathLike[str]) -> UncertaintySpec:
    """Read a specification from a ``.yaml``, ``.yml``, ``.json`` or ``.toml`` file."""
    from cityeval.io.documents import read_document

    return spec_from_dict(read_document(path), Path(path).name)


def loads_spec(text: str, fmt: str = "yaml", source: str = "<string>") -> UncertaintySpec:
    """Read a specification from text."""
    from cityeval.io.documents import load_text

    return spec_from_dict(load_text(text, fmt, source), source)  # type: ignore[arg-type]

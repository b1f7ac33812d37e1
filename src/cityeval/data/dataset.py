"""The Dataset: indicator values for a set of units, at one time or over several, as arrays.

A dataset is what the engine scores: one row a unit (a regency, a city, a country), one column
an indicator, float64 values with NaN for a missing value, plus the units' names, group labels
and the denominators that indicators may be divided by.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from attrs import Factory, evolve, field, frozen

from cityeval.data.fields import (
    TEXT_RULE,
    FloatArray,
    IntArray,
    Time,
    bad_text,
    code_problems,
    format_time,
    latest,
    readonly,
    same,
    some,
    to_codes,
    to_denominators,
    to_groups,
    to_labels,
    to_times,
)
from cityeval.errors import InputError, ModelError, NotFoundError, Problem

if TYPE_CHECKING:
    from cityeval.model import Framework

__all__ = [
    "DENOMINATOR_PREFIX",
    "GROUP_PREFIX",
    "RESERVED_COLUMNS",
    "Dataset",
    "FloatArray",
    "IntArray",
    "Time",
    "format_time",
]

#: Column names with a meaning of their own in the layout; no indicator may take them.
RESERVED_COLUMNS = ("unit", "time", "name")
GROUP_PREFIX = "group:"
DENOMINATOR_PREFIX = "denominator:"


@frozen(eq=False, repr=False)
class Dataset:
    """Indicator values for a set of units, as a cross-section or a panel.

    Build one with :func:`cityeval.data.read_csv`, :func:`cityeval.data.from_mapping` or
    :func:`cityeval.data.from_pandas`; the constructor itself takes the arrays. Arrays are
    copied and made read-only, so a dataset never changes after it is built. Datasets compare
    by identity; use :meth:`equals` to compare contents.

    Parameters
    ----------
    units : tuple of str
        Unit codes, unique (such as BPS region codes or ISO country codes).
    indicators : tuple of str
        Indicator ids, one a column, unique.
    values : array of shape ``(n_units, n_indicators)`` or ``(n_times, n_units, n_indicators)``
        Float values, NaN where missing; the three-axis form is panel data and needs ``times``.
    names : tuple of str or None, optional
        Each unit's name, None where unknown; all None by default.
    times : tuple of int or float, optional
        Strictly ascending times (years, evaluation rounds) of a panel; None for a
        cross-section. Integral floats are stored as ints (``2018.0`` becomes ``2018``).
    groups : mapping of str to tuple of str or None, optional
        Group column name (such as ``"province"``) to one label per unit, None where missing.
    denominators : mapping of str to array, optional
        Denominator name (such as ``"Population"``) to an array of shape ``(n_units,)``, or
        ``(n_times, n_units)`` for a panel; NaN where missing.
    source : str
        Where the data came from, used in error messages: a file name, ``"<mapping>"``.

    Raises
    ------
    ModelError
        If an array's shape does not match the units, indicators or times (the message names
        the axis), if codes repeat, if a value is infinite, or if text is empty or padded.
    """

    units: tuple[str, ...] = field(converter=to_codes)
    indicators: tuple[str, ...] = field(converter=to_codes)
    values: FloatArray = field(converter=readonly)
    names: tuple[str | None, ...] = field(
        default=Factory(lambda self: (None,) * len(self.units), takes_self=True),
        converter=to_labels,
    )
    times: tuple[Time, ...] | None = field(default=None, converter=to_times)
    groups: Mapping[str, tuple[str | None, ...]] = field(factory=dict, converter=to_groups)
    denominators: Mapping[str, FloatArray] = field(factory=dict, converter=to_denominators)
    source: str = "<mapping>"

    def __attrs_post_init__(self) -> None:
        problems = self._shape_problems()
        if not problems:
            problems = self._content_problems()
        if problems:
            raise ModelError(problems)

    # -- validation -----------------------------------------------------------------------

    def _shape_problems(self) -> list[Problem]:
        problems: list[Problem] = []
        nu, ni = len(self.units), len(self.indicators)
        axes: tuple[tuple[str, int], ...] = (("units", nu), ("indicators", ni))
        if self.times is None:
            if self.values.ndim != 2:
                hint = " (pass times for panel data)" if self.values.ndim == 3 else ""
                problems.append(
                    Problem(
                        ("values",),
                        "must have 2 axes (units, indicators) for a cross-section, "
                        f"got {self.values.ndim}{hint}",
                    )
                )
                return problems
        else:
            axes = (("times", len(self.times)), *axes)
            if self.values.ndim != 3:
                problems.append(
                    Problem(
                        ("values",),
                        "must have 3 axes (times, units, indicators) for panel data, "
                        f"got {self.values.ndim}",
                    )
                )
                return problems
        for axis, (what, n) in enumerate(axes):
            if self.values.shape[axis] != n:
                problems.append(
                    Problem(
                        ("values",),
                        f"axis {axis} ({what}) has length {self.values.shape[axis]} "
                        f"but there are {n} {what}",
                    )
                )
        if len(self.names) != nu:
            problems.append(
                Problem(("names",), f"has {len(self.names)} entries but there are {nu} units")
            )
        for group, labels in self.groups.items():
            if len(labels) != nu:
                problems.append(
                    Problem(
                        ("groups", group), f"has {len(labels)} labels but there are {nu} units"
                    )
                )
        expected = (nu,) if self.times is None else (len(self.times), nu)
        what = "(units)" if self.times is None else "(times, units)"
        for name, array in self.denominators.items():
            if array.shape != expected:
                problems.append(
                    Problem(
                        ("denominators", name),
                        f"must have shape {expected} {what}, got {array.shape}",
                    )
                )
        return problems

    def _content_problems(self) -> list[Problem]:
        problems: list[Problem] = []
        problems += code_problems("units", self.units, "unit code")
        problems += code_problems("indicators", self.indicators, "indicator")
        for j, ind in enumerate(self.indicators):
            if ind in RESERVED_COLUMNS or ind.startswith((GROUP_PREFIX, DENOMINATOR_PREFIX)):
                problems.append(Problem(("indicators", j), f"{ind!r} is a reserved column name"))
        for i, name in enumerate(self.names):
            if name is not None and bad_text(name):
                problems.append(Problem(("names", i), f"{TEXT_RULE} (or None), got {name!r}"))
        for group, labels in self.groups.items():
            if bad_text(group):
                problems.append(Problem(("groups",), f"group name {TEXT_RULE}, got {group!r}"))
            for i, label in enumerate(labels):
                if label is not None and bad_text(label):
                    problems.append(
                        Problem(("groups", group, i), f"{TEXT_RULE} (or None), got {label!r}")
                    )
        for name in self.denominators:
            if bad_text(name):
                problems.append(
                    Problem(("denominators",), f"denominator name {TEXT_RULE}, got {name!r}")
                )
        if self.times is not None:
            for k, t in enumerate(self.times):
                if not np.isfinite(t):
                    problems.append(Problem(("times", k), f"must be finite, got {t!r}"))
                elif k and not self.times[k - 1] < t:
                    problems.append(
                        Problem(
                            ("times", k),
                            "times must be strictly ascending, got "
                            f"{format_time(t)} after {format_time(self.times[k - 1])}",
                        )
                    )
        infinite = np.argwhere(np.isinf(self.values))
        if infinite.size:
            *_, u, i = infinite[0]
            problems.append(
                Problem(
                    ("values",),
                    f"must be finite or NaN; {len(infinite)} infinite, the first at unit "
                    f"{self.units[u]!r}, indicator {self.indicators[i]!r}",
                )
            )
        for name, array in self.denominators.items():
            if np.isinf(array).any():
                problems.append(Problem(("denominators", name), "must be finite or NaN"))
        return problems

    # -- shape ------------------------------------------------------------------------------

    @property
    def n_units(self) -> int:
        """The number of units."""
        return len(self.units)

    @property
    def n_indicators(self) -> int:
        """The number of indicator columns."""
        return len(self.indicators)

    @property
    def is_panel(self) -> bool:
        """Whether there is a time axis: values of shape ``(n_times, n_units, n_indicators)``."""
        return self.times is not None

    def __repr__(self) -> str:
        what = f"{self.n_units} units x {self.n_indicators} indicators"
        if self.times is not None:
            what += f" x {len(self.times)} times"
        parts = [repr(self.source), what]
        if self.groups:
            parts.append(f"groups={list(self.groups)!r}")
        if self.denominators:
            parts.append(f"denominators={list(self.denominators)!r}")
        return f"Dataset({', '.join(parts)})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuild through the constructor, so unpickled arrays are read-only again.
        return (_restore, (self._fields(),))

    def _fields(self) -> dict[str, Any]:
        return {
            "units": self.units,
            "indicators": self.indicators,
            "values": self.values,
            "names": self.names,
            "times": self.times,
            "groups": dict(self.groups),
            "denominators": dict(self.denominators),
            "source": self.source,
        }

    # -- queries ----------------------------------------------------------------------------

    def column(self, indicator_id: str) -> FloatArray:
        """One indicator's values.

        Returns
        -------
        array of shape ``(n_units,)``, or ``(n_times, n_units)`` for a panel
            A read-only view.

        Raises
        ------
        NotFoundError
            If there is no such column; the message lists the columns.
        """
        return self.values[..., self._index_of(indicator_id)]

    def _index_of(self, indicator_id: str) -> int:
        try:
            return self.indicators.index(indicator_id)
        except ValueError:
            raise NotFoundError(
                f"{self.source}: no indicator column {indicator_id!r} "
                f"(columns: {some(self.indicators)})"
            ) from None

    def select(self, indicators: Iterable[str]) -> Dataset:
        """The same units with only the given indicator columns, in the given order.

        Raises
        ------
        NotFoundError
            Naming every id that has no column.
        """
        wanted = list(indicators)
        if tuple(wanted) == self.indicators:
            return self
        position = {ind: k for k, ind in enumerate(self.indicators)}
        unknown = [i for i in wanted if i not in position]
        if unknown:
            noun = "column" if len(unknown) == 1 else "columns"
            raise NotFoundError(
                f"{self.source}: no indicator {noun} {', '.join(map(repr, unknown))} "
                f"(columns: {some(self.indicators)})"
            )
        index = [position[i] for i in wanted]
        return evolve(self, indicators=wanted, values=self.values[..., index])

    def at_time(self, time: Time) -> Dataset:
        """The cross-section of a panel at one of its times.

        Returns
        -------
        Dataset
            ``values`` of shape ``(n_units, n_indicators)``; denominators of shape
            ``(n_units,)``.

        Raises
        ------
        NotFoundError
            If the panel has no such time (the message lists its times).
        ValueError
            If the dataset is a cross-section.
        """
        times = self._panel_times("at_time")
        try:
            k = times.index(time)
        except ValueError:
            known = ", ".join(format_time(t) for t in times)
            raise NotFoundError(f"{self.source}: no time {time!r} (times: {known})") from None
        return evolve(
            self,
            values=self.values[k],
            times=None,
            denominators={name: d[k] for name, d in self.denominators.items()},
        )

    def _panel_times(self, method: str) -> tuple[Time, ...]:
        if self.times is None:
            raise ValueError(
                f"{self.source}: {method}() needs panel data, this is a cross-section"
            )
        return self.times

    def latest(self) -> Dataset:
        """A cross-section holding, for each unit and column, its most recent observed value.

        Each cell (and each denominator) takes the value at the latest time at which it is
        not missing; it stays NaN if it is missing at every time. A cross-section is returned
        as it is.

        Returns
        -------
        Dataset
            ``values`` of shape ``(n_units, n_indicators)``.
        """
        if self.times is None:
            return self
        return evolve(
            self,
            values=latest(self.values),
            times=None,
            denominators={name: latest(d) for name, d in self.denominators.items()},
        )

    def group_codes(self, name: str) -> tuple[IntArray, tuple[str, ...]]:
        """A group column as integer codes.

        Returns
        -------
        codes : int array of shape ``(n_units,)``
            Each unit's position in ``labels``; -1 where the unit has no label.
        labels : tuple of str
            The distinct labels, sorted.

        Raises
        ------
        NotFoundError
            If there is no such group column; the message lists the groups.
        """
        try:
            column = self.groups[name]
        except KeyError:
            raise NotFoundError(
                f"{self.source}: no group {name!r} (groups: {some(self.groups)})"
            ) from None
        labels = tuple(sorted({lab for lab in column if lab is not None}))
        position = {lab: k for k, lab in enumerate(labels)}
        codes = np.array([-1 if lab is None else position[lab] for lab in column], dtype=np.intp)
        return codes, labels

    def with_values(self, values: npt.ArrayLike) -> Dataset:
        """The same units, indicators, times and metadata with new values.

        Parameters
        ----------
        values : array of shape ``(n_units, n_indicators)`` or ``(n_times, n_units, n_indicators)``
            The same shape as :attr:`values`.
        """
        return evolve(self, values=values)

    def equals(self, other: object) -> bool:
        """Whether two datasets hold the same data, NaN in the same places (source aside)."""
        if not isinstance(other, Dataset):
            return False
        return (
            self.units == other.units
            and self.indicators == other.indicators
            and self.names == other.names
            and self.times == other.times
            and dict(self.groups) == dict(other.groups)
            and list(self.denominators) == list(other.denominators)
            and all(same(d, other.denominators[name]) for name, d in self.denominators.items())
            and same(self.values, other.values)
        )

    def check_against(self, framework: Framework) -> None:
        """Check the columns and every value against a framework's indicators.

        Raises
        ------
        InputError
            Listing every column that is no indicator of the framework, every indicator of
            the framework without a column, every indicator whose ``denominator`` has no
            ``denominator:`` column, and every value that breaks its indicator's scale or
            bounds (``unit 'u2', column 'pct': 150 lies outside the percentage scale
            [0, 100]``; see :mod:`cityeval.data.checks`).
        """
        from cityeval.data.checks import dataset_value_problems, framework_problems

        problems = framework_problems(self.indicators, self.denominators, framework)
        if self.times is None:
            rows, labels = self.values, [f"unit {u!r}" for u in self.units]
        else:
            rows = self.values.reshape(-1, self.n_indicators)
            labels = [f"unit {u!r} at {format_time(t)}" for t in self.times for u in self.units]
        problems += dataset_value_problems(rows, self.indicators, labels, framework)
        if problems:
            raise InputError(self.source, problems)


def _restore(fields: dict[str, Any]) -> Dataset:
    return Dataset(**fields)

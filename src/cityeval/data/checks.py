"""Checks of data against a framework: the columns it needs, and each value against its scale.

Every value read for an indicator is checked against the indicator's scale and bounds: a
percentage lies in [0, 100], a binary value is 0 or 1, an ordinal value is one of the scale's
levels, and a value of an indicator with declared ``bounds`` lies inside them. An indicator
declared ``unbounded: true`` in its framework is not checked, nor is one divided by a
denominator (its scale describes the value after the division, not the column).

The same rules serve every reader: the data CSV, mappings and DataFrames
(:mod:`cityeval.data.layout`), :meth:`Dataset.check_against <cityeval.data.Dataset.check_against>`,
masterplan rounds and the Excel forms (:func:`check_value`, with any locator the caller
likes, such as a sheet and a cell).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from attrs import frozen

from cityeval.errors import Problem
from cityeval.i18n import _

if TYPE_CHECKING:
    from cityeval.model import Framework, Indicator

__all__ = [
    "ValueRule",
    "check_value",
    "dataset_value_problems",
    "framework_problems",
    "rule_for_indicator",
    "rule_for_unit",
    "value_problems",
]

FloatArray = npt.NDArray[np.float64]


def _num(x: float) -> str:
    return f"{x:g}"


@frozen
class ValueRule:
    """What values an indicator may take.

    Attributes
    ----------
    lower, upper : float
        The closed interval values must lie in.
    levels : tuple of float
        For an ordinal or binary scale, the only values allowed; empty for an interval.
    what : str
        How messages name the rule: ``"the percentage scale [0, 100]"``.
    """

    lower: float
    upper: float
    levels: tuple[float, ...] = ()
    what: str = ""

    @classmethod
    def interval(cls, lower: float, upper: float, what: str) -> ValueRule:
        """Values in ``[lower, upper]``; ``what`` names the rule (``the bounds [0, 60]``)."""
        return cls(lower, upper, (), what)

    @classmethod
    def one_of(cls, levels: Iterable[float], what: str) -> ValueRule:
        """Values among ``levels``."""
        lv = tuple(sorted(float(v) for v in levels))
        return cls(lv[0], lv[-1], lv, what)

    def problem(self, value: float) -> str | None:
        """Why ``value`` breaks the rule, or None (NaN, a missing value, always passes)."""
        if math.isnan(value):
            return None
        if self.levels:
            if value in self.levels:
                return None
            return _("{value} is not one of the levels of {what} ({levels})").format(
                value=_num(value), what=self.what, levels=", ".join(map(_num, self.levels))
            )
        if self.lower <= value <= self.upper:
            return None
        return _("{value} lies outside {what}").format(value=_num(value), what=self.what)

    def breaks(self, values: FloatArray) -> npt.NDArray[np.bool_]:
        """Which of ``values`` break the rule (vectorised; NaN never does)."""
        with np.errstate(invalid="ignore"):
            if self.levels:
                bad: npt.NDArray[np.bool_] = ~np.isin(values, self.levels) & ~np.isnan(values)
                return bad
            return (values < self.lower) | (values > self.upper)


def rule_for_indicator(indicator: Indicator) -> ValueRule | None:
    """The rule an indicator's values follow, or None when they are not checked.

    None for a ratio indicator without bounds, an indicator declared ``unbounded``, and an
    indicator divided by a denominator.
    """
    from cityeval.model import ScaleKind

    if indicator.unbounded or indicator.denominator is not None:
        return None
    scale = indicator.scale
    if scale.kind is ScaleKind.ORDINAL:
        levels = [lv.value for lv in scale.levels]
        return ValueRule.one_of(levels, _("the ordinal scale"))
    if scale.kind is ScaleKind.BINARY:
        return ValueRule.one_of((0.0, 1.0), _("the binary scale"))
    b = indicator.bounds
    if b is not None:
        what = _("the bounds [{lower}, {upper}]").format(lower=_num(b.lower), upper=_num(b.upper))
        return ValueRule.interval(b.lower, b.upper, what)
    if scale.kind is ScaleKind.PERCENTAGE:
        return ValueRule.interval(0.0, 100.0, _("the percentage scale [0, 100]"))
    return None


def rule_for_unit(unit: str | None) -> ValueRule | None:
    """The rule for a value given only its unit of measurement (a masterplan's indicators).

    A value measured in ``%`` lies in [0, 100]; other units are not checked.
    """
    if unit is not None and unit.strip() in ("%", "persen", "percent"):
        return ValueRule.interval(0.0, 100.0, _("the percentage scale [0, 100]"))
    return None


def check_value(value: float, rule: ValueRule | None) -> str | None:
    """Why one value breaks ``rule``, or None; for readers that locate values themselves.

    Examples
    --------
    >>> rule = ValueRule.interval(0, 100, "the percentage scale [0, 100]")
    >>> check_value(150.0, rule)
    '150 lies outside the percentage scale [0, 100]'
    """
    return None if rule is None else rule.problem(value)


def value_problems(
    values: FloatArray,
    rules: Sequence[ValueRule | None],
    row_labels: Sequence[str],
    columns: Sequence[str],
) -> list[Problem]:
    """Every value of a table that breaks its column's rule, row by row.

    Parameters
    ----------
    values : array of shape ``(n_rows, n_columns)``
        The values, NaN where missing.
    rules : sequence of ValueRule or None, length ``n_columns``
        Each column's rule (None: not checked).
    row_labels : sequence of str, length ``n_rows``
        How messages name each row: ``"row 3 (u2)"``.
    columns : sequence of str, length ``n_columns``
        The column names.

    Returns
    -------
    list of Problem
        Located as ``row 3 (u2), column 'pct'``, in reading order (row by row).
    """
    found: list[tuple[int, int, Problem]] = []
    for j, rule in enumerate(rules):
        if rule is None:
            continue
        column = values[:, j]
        for r in np.flatnonzero(rule.breaks(column)).tolist():
            message = rule.problem(float(column[r]))
            assert message is not None
            found.append((r, j, Problem((f"{row_labels[r]}, column {columns[j]!r}",), message)))
    found.sort(key=lambda t: (t[0], t[1]))
    return [p for _r, _j, p in found]


def dataset_value_problems(
    values: FloatArray,
    indicators: Sequence[str],
    row_labels: Sequence[str],
    framework: Framework,
) -> list[Problem]:
    """:func:`value_problems` with each column's rule taken from ``framework``.

    ``values`` has shape ``(n_rows, n_columns)``; columns that are no indicator of the
    framework are not checked here (:func:`framework_problems` names them).
    """
    known = {ind.id: ind for ind in framework.indicators()}
    rules = [rule_for_indicator(known[c]) if c in known else None for c in indicators]
    if not any(rules):
        return []
    return value_problems(values, rules, row_labels, indicators)


def framework_problems(
    indicators: Iterable[str], denominators: Iterable[str], framework: Framework
) -> list[Problem]:
    """What is wrong with a set of columns for a framework (empty when they match).

    Parameters
    ----------
    indicators : iterable of str
        The indicator column ids, in column order.
    denominators : iterable of str
        The denominator names (columns ``denominator:NAME``).
    framework : Framework
        The framework the data are meant for.
    """
    fw = framework.id
    columns = list(indicators)
    have = set(columns)
    dens = set(denominators)
    wanted = framework.indicators()
    ids = {ind.id for ind in wanted}
    problems = [
        Problem(
            (f"column {c!r}",),
            _(
                "not an indicator of framework {framework!r} "
                "(mark it 'group:{column}' or 'denominator:{column}' if it is one)"
            ).format(framework=fw, column=c),
        )
        for c in columns
        if c not in ids
    ]
    problems += [
        Problem(
            (),
            _("indicator {indicator!r} of framework {framework!r} has no column").format(
                indicator=ind.id, framework=fw
            ),
        )
        for ind in wanted
        if ind.id not in have
    ]
    problems += [
        Problem(
            (),
            _(
                "indicator {indicator!r} of framework {framework!r} is divided by "
                "{denominator!r}, but there is no column 'denominator:{denominator}'"
            ).format(indicator=ind.id, framework=fw, denominator=ind.denominator),
        )
        for ind in wanted
        if ind.denominator is not None and ind.denominator not in dens
    ]
    return problems

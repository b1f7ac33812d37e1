"""Data availability and screening (COINr's ``get_data_avail`` and ``Screen``).

A unit's availability is the share of indicators it has a value for; its non-zero share is
the share of its *present* values that are not zero (COINr's ``Non_Zero``). ``Screen``
removes the units below ``dat_thresh`` (default 2/3, ``unit_screen = "byNA"``), below
``nonzero_thresh`` (default 0.05, ``"byzeros"``) or either (``"byNAandzeros"``). cityeval
adds two rules COINr leaves to the user: a minimum availability within every group of one
level (per dimension), and dropping indicators below a minimum availability. Each removed
unit and dropped indicator carries its reason in words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
from attrs import frozen

from cityeval.audit.structure import structure_of
from cityeval.audit.tables import Table
from cityeval.errors import ModelError, Problem
from cityeval.i18n import _

if TYPE_CHECKING:
    import pandas as pd

    from cityeval.data import Dataset
    from cityeval.engine import Results

__all__ = ["Screening", "data_availability", "screen"]

UnitScreen = Literal["byNA", "byzeros", "byNAandzeros"]


def _indicator_values(results: Results, stage: str) -> np.ndarray:
    from cityeval.audit.structure import stage_data

    _, values = stage_data(results, stage)
    return values


def data_availability(results: Results, stage: str = "raw") -> Table:
    """Each unit's data availability, overall and within every aggregate (``get_data_avail``).

    Parameters
    ----------
    results : Results
    stage : str
        An indicator stage (``raw`` by default).

    Returns
    -------
    Table
        ``availability``: ``unit``, ``n_missing``, ``n_zero``, ``n_miss_or_zero``,
        ``availability``, ``non_zero``, then one column per aggregate (lowest level first)
        with the share of its indicators the unit has.
    """
    structure = structure_of(results)
    values = _indicator_values(results, stage)
    ids = results.indicator_ids
    missing = np.isnan(values)
    n_missing = missing.sum(axis=1)
    n_zero = (np.nan_to_num(values, nan=1.0) == 0).sum(axis=1)
    k = values.shape[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        non_zero = 1.0 - n_zero / (k - n_missing)
    groups = [n for lev in range(2, structure.max_level + 1) for n in structure.nodes_at(lev)]
    shares = []
    for g in groups:
        cols = [j for j, i in enumerate(ids) if structure.ancestor_at(i, structure.levels[g]) == g]
        shares.append(1.0 - missing[:, cols].mean(axis=1))
    rows = [
        (
            unit,
            int(n_missing[u]),
            int(n_zero[u]),
            int(n_missing[u] + n_zero[u]),
            1.0 - n_missing[u] / k,
            non_zero[u],
            *(float(s[u]) for s in shares),
        )
        for u, unit in enumerate(results.units)
    ]
    columns = (
        "unit",
        "n_missing",
        "n_zero",
        "n_miss_or_zero",
        "availability",
        "non_zero",
        *groups,
    )
    return Table("availability", columns, rows)


@frozen
class Screening:
    """Which units and indicators pass the data-availability rules, and why not.

    Attributes
    ----------
    units : Table
        ``screening``: the availability table of :func:`data_availability` with
        ``included`` and ``reason`` columns.
    indicators : Table
        ``indicator_screening``: ``indicator``, ``availability``, ``included``, ``reason``.
    """

    units: Table
    indicators: Table

    @property
    def removed_units(self) -> tuple[str, ...]:
        """The units screened out, in row order."""
        return tuple(r["unit"] for r in self.units if not r["included"])

    @property
    def dropped_indicators(self) -> tuple[str, ...]:
        """The indicators below the minimum availability."""
        return tuple(r["indicator"] for r in self.indicators if not r["included"])

    def screened_dataset(self, dataset: Dataset) -> Dataset:
        """``dataset`` without the removed units (COINr's "Screened" data set)."""
        from cityeval.data import Dataset

        removed = set(self.removed_units)
        keep = [u for u, unit in enumerate(dataset.units) if unit not in removed]
        return Dataset(
            units=tuple(dataset.units[u] for u in keep),
            indicators=dataset.indicators,
            values=dataset.values[..., keep, :],
            names=tuple(dataset.names[u] for u in keep),
            times=dataset.times,
            groups={g: tuple(v[u] for u in keep) for g, v in dataset.groups.items()},
            denominators={d: a[..., keep] for d, a in dataset.denominators.items()},
            source=dataset.source,
        )

    def to_frame(self) -> pd.DataFrame:
        """The units' table as a pandas DataFrame."""
        return self.units.to_frame()


def _check_share(name: str, value: float | None) -> list[Problem]:
    if value is not None and not 0 <= value <= 1:
        return [Problem((name,), _("must be between 0 and 1, got {value}").format(value=value))]
    return []


def screen(
    results: Results,
    *,
    stage: str = "raw",
    unit_screen: UnitScreen = "byNA",
    dat_thresh: float = 2 / 3,
    nonzero_thresh: float = 0.05,
    group_level: int | str | None = None,
    group_thresh: float | None = None,
    indicator_thresh: float | None = None,
) -> Screening:
    """Screen units (COINr's ``Screen``) and indicators by data availability.

    Parameters
    ----------
    results : Results
    stage : str
        The indicator stage whose availability counts (``raw``: before imputation).
    unit_screen : ``"byNA"``, ``"byzeros"`` or ``"byNAandzeros"``
        COINr's rule: availability below ``dat_thresh``, non-zero share below
        ``nonzero_thresh``, or either.
    dat_thresh, nonzero_thresh : float
        Shares between 0 and 1 (COINr's defaults 2/3 and 0.05).
    group_level : int or str, optional
        Also remove a unit whose availability within any group of this level (a number,
        2 = the indicators' parents, or a level name such as ``"dimension"``) is below
        ``group_thresh``.
    group_thresh : float, optional
        The minimum availability within every group of ``group_level``.
    indicator_thresh : float, optional
        Drop indicators whose availability over all units is below this share.

    Returns
    -------
    Screening

    Raises
    ------
    ModelError
        If a threshold lies outside [0, 1], ``unit_screen`` is unknown, or only one of
        ``group_level`` and ``group_thresh`` is given.
    """
    problems = [
        *_check_share("dat_thresh", dat_thresh),
        *_check_share("nonzero_thresh", nonzero_thresh),
        *_check_share("group_thresh", group_thresh),
        *_check_share("indicator_thresh", indicator_thresh),
    ]
    if unit_screen not in ("byNA", "byzeros", "byNAandzeros"):
        problems.append(
            Problem(
                ("unit_screen",),
                _("must be byNA, byzeros or byNAandzeros, got {value!r}").format(
                    value=unit_screen
                ),
            )
        )
    if (group_level is None) != (group_thresh is None):
        problems.append(
            Problem(("group_thresh",), _("give both group_level and group_thresh, or neither"))
        )
    if problems:
        raise ModelError(problems)
    structure = structure_of(results)
    avail = data_availability(results, stage)
    group_cols: tuple[str, ...] = ()
    if group_level is not None:
        group_cols = structure.nodes_at(structure.level_number(group_level))
    rows = []
    for r in avail.records():
        reasons = []
        if unit_screen in ("byNA", "byNAandzeros") and r["availability"] < dat_thresh:
            reasons.append(
                _("data availability {share:.1%} is below {threshold:.1%}").format(
                    share=r["availability"], threshold=dat_thresh
                )
            )
        non_zero = r["non_zero"]
        if (
            unit_screen in ("byzeros", "byNAandzeros")
            and non_zero is not None
            and non_zero < nonzero_thresh
        ):
            reasons.append(
                _("non-zero share {share:.1%} is below {threshold:.1%}").format(
                    share=non_zero, threshold=nonzero_thresh
                )
            )
        if group_thresh is not None:
            reasons.extend(
                _("data availability in {group} {share:.1%} is below {threshold:.1%}").format(
                    group=g, share=r[g], threshold=group_thresh
                )
                for g in group_cols
                if r[g] < group_thresh
            )
        rows.append((*(r[c] for c in avail.columns), not reasons, "; ".join(reasons) or None))
    units = Table("screening", (*avail.columns, "included", "reason"), rows)
    values = _indicator_values(results, stage)
    shares = 1.0 - np.isnan(values).mean(axis=0) if values.shape[0] else np.zeros(0)
    ind_rows = []
    for j, ind in enumerate(results.indicator_ids):
        share = float(shares[j]) if values.shape[0] else float("nan")
        low = indicator_thresh is not None and not share >= indicator_thresh
        reason = (
            _("data availability {share:.1%} is below {threshold:.1%}").format(
                share=share, threshold=indicator_thresh
            )
            if low
            else None
        )
        ind_rows.append((ind, share, not low, reason))
    indicators = Table(
        "indicator_screening", ("indicator", "availability", "included", "reason"), ind_rows
    )
    return Screening(units=units, indicators=indicators)

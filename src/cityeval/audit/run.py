"""The whole audit of one run: every analysis with the defaults of COINr, and their flags."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from attrs import frozen

from cityeval.audit.correlations import correlation_flags, correlations
from cityeval.audit.cronbach import cronbach
from cityeval.audit.optimise import OptimisedWeights, optimise_weights
from cityeval.audit.pca import PCAResult, pca
from cityeval.audit.screening import Screening, data_availability, screen
from cityeval.audit.stats import StatsThresholds, indicator_stats
from cityeval.audit.structure import AGGREGATED, structure_of
from cityeval.audit.tables import Table
from cityeval.audit.whatif import Comparison, compare, remove_elements
from cityeval.errors import CityevalError
from cityeval.i18n import _

if TYPE_CHECKING:
    from cityeval.engine import Results

__all__ = ["FLAG_COLUMNS", "Audit", "audit"]

FLAG_COLUMNS = ("analysis", "stage", "node", "other", "flag", "detail")


@frozen
class Audit:
    """Every analysis of a run's statistical coherence.

    Attributes
    ----------
    results : Results
        The audited run.
    stats : Table
        :func:`~cityeval.audit.indicator_stats` of every node at every stage.
    availability : Table
        :func:`~cityeval.audit.data_availability` of the raw data.
    screening : Screening
        :func:`~cityeval.audit.screen` with the audit's thresholds.
    correlations : Table
        :func:`~cityeval.audit.correlations` on the aggregated data, every method asked.
    correlation_flags : Table
        Collinear and negative sibling pairs.
    cronbach : Table
        Cronbach's alpha of every aggregate's children.
    pca : tuple of PCAResult
        Principal components of each level below the index, group by group.
    optimised : OptimisedWeights or None
        Weights optimised at one level (None when they cannot be, with a flag saying why).
    what_if : Comparison
        The optimised weights and each removed element against the run, unit by unit.
    flags : Table
        Everything worth a look, first: columns :data:`FLAG_COLUMNS`.
    """

    results: Results
    stats: Table
    availability: Table
    screening: Screening
    correlations: Table
    correlation_flags: Table
    cronbach: Table
    pca: tuple[PCAResult, ...]
    optimised: OptimisedWeights | None
    what_if: Comparison
    flags: Table

    def tables(self) -> dict[str, Table]:
        """Every table by name, flags first (the sheets of ``audit.xlsx``)."""
        out = {
            "flags": self.flags,
            "stats": self.stats,
            "availability": self.availability,
            "screening": self.screening.units,
            "indicator_screening": self.screening.indicators,
            "correlations": self.correlations,
            "correlation_flags": self.correlation_flags,
            "cronbach": self.cronbach,
            "pca": _concat("pca", [p.components() for p in self.pca]),
            "pca_loadings": _concat("pca_loadings", [p.loadings() for p in self.pca]),
            "what_if": self.what_if.table,
            "what_if_summary": self.what_if.summary(),
        }
        if self.optimised is not None:
            out["optimised_weights"] = self.optimised.table()
        return out


def _concat(name: str, tables: list[Table]) -> Table:
    columns = tables[0].columns if tables else ()
    return Table(name, columns, [row for t in tables for row in t.rows])


def _flags(
    stats: Table,
    screening: Screening,
    corr_flags: Table,
    alpha: Table,
    alpha_threshold: float,
    pcas: tuple[PCAResult, ...],
    notes: list[tuple[str, str | None, str | None, str | None, str, str]],
) -> Table:
    rows: list[tuple[Any, ...]] = list(notes)
    rows.extend(
        ("screening", None, r["unit"], None, "screened_out", r["reason"])
        for r in screening.units
        if not r["included"]
    )
    rows.extend(
        ("screening", None, r["indicator"], None, "dropped", r["reason"])
        for r in screening.indicators
        if not r["included"]
    )
    for r in stats:
        checks = (
            ("flag_avail", "low_availability", _("data availability {v:.1%}"), "availability"),
            ("flag_skewkurt", "outliers", _("skewness {v:.2f}, kurtosis {w:.2f}"), "skew"),
            ("flag_collinear", "collinear", _("collinear with {v} sibling(s)"), "n_collinear"),
            ("flag_nonzero", "many_zeros", _("share of zeros {v:.1%}"), "share_zero"),
            ("flag_unique", "few_unique", _("{v} unique values"), "n_unique"),
        )
        for column, flag, text, value in checks:
            if r[column] not in (None, "ok"):
                if r[value] is None:
                    detail = _("no values")
                else:
                    detail = text.format(v=r[value], w=r["kurt"])
                rows.append(("stats", r["stage"], r["node"], None, flag, detail))
    for r in corr_flags:
        detail = _("{method} correlation {r:.3f} within {group}").format(
            method=r["method"], r=r["r"], group=r["group"]
        )
        rows.append(("correlations", r["stage"], r["node"], r["other"], r["flag"], detail))
    for r in alpha:
        if r["alpha"] is not None and r["alpha"] < alpha_threshold:
            detail = _("Cronbach's alpha {alpha:.3f} is below {threshold}").format(
                alpha=r["alpha"], threshold=alpha_threshold
            )
            rows.append(("cronbach", r["stage"], r["node"], None, "low_alpha", detail))
    rows.extend(
        ("pca", p.stage, g.group, None, "pca_note", g.note)
        for p in pcas
        for g in p.groups
        if g.note
    )
    return Table("flags", FLAG_COLUMNS, rows)


def audit(
    results: Results,
    *,
    methods: Iterable[str] = ("pearson", "spearman", "kendall"),
    pval: float = 0.05,
    thresholds: StatsThresholds | None = None,
    collinear: float = 0.9,
    negative: float = 0.0,
    alpha_threshold: float = 0.7,
    pca_threshold: float = 0.6,
    dat_thresh: float = 2 / 3,
    group_level: int | str | None = None,
    group_thresh: float | None = None,
    indicator_thresh: float | None = None,
    optimise_level: int | str | None = None,
    importance: Mapping[str, float] | Literal["equal"] = "equal",
    remove_levels: Iterable[int | str] | None = None,
    compare_with: Results | None = None,
) -> Audit:
    """Audit a run: statistics, screening, correlations, alpha, PCA, weights, what-if.

    Parameters
    ----------
    results : Results
        The run to audit.
    methods : iterable of str
        Correlation methods (``pearson``, ``spearman``, ``kendall``).
    pval : float
        Significance level of the correlations.
    thresholds : StatsThresholds, optional
        The statistics' flags (COINr's defaults).
    collinear, negative : float
        Sibling correlations (by the first of ``methods``) above ``collinear`` or below
        ``negative`` are flagged.
    alpha_threshold : float
        Cronbach's alpha below this is flagged (0.7, the usual rule of thumb).
    pca_threshold : float
        A first principal component explaining less than this share gets a note.
    dat_thresh, group_level, group_thresh, indicator_thresh
        Screening rules, as :func:`~cityeval.audit.screen`.
    optimise_level : int or str, optional
        The level whose weights are optimised; the one below the index by default. When
        they cannot be optimised (one unit, constant scores) a flag says why.
    importance : ``"equal"`` or mapping
        The intended importance of that level's nodes.
    remove_levels : iterable, optional
        Levels whose elements are removed one at a time; every level below the index by
        default.
    compare_with : Results, optional
        Another run (another pipeline or weight set) compared with this one, unit by unit.

    Returns
    -------
    Audit

    Raises
    ------
    NotFoundError
        If ``optimise_level`` or a level of ``remove_levels`` is not a level of the index.
    ModelError
        If a threshold or a correlation method is invalid.
    """
    structure = structure_of(results)
    if optimise_level is not None:
        structure.level_number(optimise_level)  # an unknown level is the caller's mistake
    notes: list[tuple[str, str | None, str | None, str | None, str, str]] = []
    stats = indicator_stats(results, thresholds=thresholds)
    screening = screen(
        results,
        dat_thresh=dat_thresh,
        group_level=group_level,
        group_thresh=group_thresh,
        indicator_thresh=indicator_thresh,
    )
    chosen = tuple(methods)
    corr = correlations(results, AGGREGATED, chosen, pval)
    # flagged by the first method asked (COINr's default, Pearson), not once per method
    corr_flags = correlation_flags(corr, collinear, negative, chosen[0] if chosen else None)
    alpha = cronbach(results, AGGREGATED)
    pcas = tuple(
        pca(results, AGGREGATED, level, threshold=pca_threshold)
        for level in range(1, structure.max_level)
    )
    optimised: OptimisedWeights | None = None
    try:
        optimised = optimise_weights(results, optimise_level, importance)
    except CityevalError as exc:
        notes.append(("weights", None, None, None, "not_optimised", str(exc)))
    if optimised is not None and not optimised.converged:
        notes.append(
            (
                "weights",
                None,
                None,
                None,
                "not_converged",
                _(
                    "the weight optimisation stopped after {n} evaluations without converging"
                ).format(n=optimised.evaluations),
            )
        )
    tables: list[Table] = []
    if compare_with is not None:
        tables.append(compare(results, compare_with, scenario="compared").table)
    if optimised is not None:
        from cityeval.engine import score

        run = score(results.compiled.framework, results.dataset, optimised.pipeline)
        tables.append(compare(results, run, scenario="optimised-weights").table)
    levels = range(1, structure.max_level) if remove_levels is None else remove_levels
    tables.extend(remove_elements(results, level).table for level in levels)
    what_if = Comparison(_concat("what_if", tables))
    flags = _flags(stats, screening, corr_flags, alpha, alpha_threshold, pcas, notes)
    return Audit(
        results=results,
        stats=stats,
        availability=data_availability(results),
        screening=screening,
        correlations=corr,
        correlation_flags=corr_flags,
        cronbach=alpha,
        pca=pcas,
        optimised=optimised,
        what_if=what_if,
        flags=flags,
    )

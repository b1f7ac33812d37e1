"""The audit on COINr's ASEM example agrees with the figures COINr's vignettes print.

The figures are quoted from COINr's vignettes ``analysis.Rmd`` and ``weights.Rmd`` (rendered
in the package's ``docs/articles``), as printed there: rounded to three significant
figures (``get_stats``), or with R's seven digits. The vignettes use
``build_example_coin()``: the raw data (``up_to = "new_coin"``) and the full coin
(denominated, imputed by group mean, treated, min-max normalised, aggregated), which is
the pipeline of ``docs/examples/asem-pipeline.yaml``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from cityeval.audit import (
    correlation_flags,
    correlations,
    cronbach,
    data_availability,
    indicator_stats,
    optimise_weights,
    pca,
)
from cityeval.engine import Results, score


def signif(x: float, digits: int = 3) -> float:
    """R's ``signif``."""
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - math.floor(math.log10(abs(x))))


# analysis.Rmd: head(get_stats(coin, dset = "Raw")) in three blocks of columns.
STATS = {
    "LPI": (2.07, 4.23, 3.41, 3.42, 0.538, -0.304, -0.657, 51, 51, 51, 1.000, 1.000),
    "Flights": (0.99, 211.00, 38.60, 25.60, 46.700, 2.100, 4.510, 51, 51, 51, 1.000, 1.000),
    "Ship": (0.00, 21.20, 12.00, 12.70, 6.840, -0.576, -0.681, 51, 42, 43, 0.824, 0.843),
    "Bord": (0.00, 122.00, 23.60, 18.00, 24.800, 2.150, 5.790, 51, 45, 30, 0.882, 0.588),
    "Elec": (0.00, 110.00, 16.20, 6.91, 22.700, 2.230, 5.790, 51, 47, 46, 0.922, 0.902),
}
SKEWKURT = {"LPI": "ok", "Flights": "OUT", "Ship": "ok", "Bord": "OUT", "Elec": "OUT"}


def test_get_stats_on_the_raw_data(asem: Results) -> None:
    table = indicator_stats(asem, stages=["raw"])
    for node, expected in STATS.items():
        (row,) = table.where(node=node, stage="raw")
        nonzero = row["n_nonzero"] / row["n_avail"]
        got = (
            row["min"],
            row["max"],
            row["mean"],
            row["median"],
            row["sd"],
            row["skew"],
            row["kurt"],
            row["n_avail"],
            row["n_nonzero"],
            row["n_unique"],
            nonzero,
            row["frc_unique"],
        )
        assert tuple(signif(float(v)) for v in got) == pytest.approx(expected, abs=1e-9), node
        assert row["flag_skewkurt"] == SKEWKURT[node]
        assert row["flag_avail"] == row["flag_nonzero"] == row["flag_unique"] == "ok"


def test_get_data_avail(asem: Results) -> None:
    table = {r["unit"]: r for r in data_availability(asem)}
    # (N_missing, N_zero, N_miss_or_zero, Dat_Avail, Non_Zero)
    assert (
        table["AUS"]["n_missing"],
        table["AUS"]["n_zero"],
        table["AUS"]["non_zero"],
    ) == (0, 3, pytest.approx(0.9387755, abs=1e-7))
    bgd = table["BGD"]
    assert (bgd["n_missing"], bgd["n_zero"], bgd["n_miss_or_zero"]) == (6, 1, 7)
    assert bgd["availability"] == pytest.approx(0.877551, abs=1e-6)
    assert bgd["non_zero"] == pytest.approx(0.9767442, abs=1e-7)
    # ByGroup: ConEcFin, Instit, P2P, Physical
    assert (bgd["ConEcFin"], bgd["Instit"], bgd["P2P"], bgd["Physical"]) == pytest.approx(
        (1, 0.8333333, 0.75, 0.875), abs=1e-7
    )
    assert table["BGR"]["n_miss_or_zero"] == 0


def test_get_corr_within_environ_on_the_raw_data(asem: Results) -> None:
    table = correlations(asem, "raw", ["pearson"])

    def r(a: str, b: str) -> dict[str, object]:
        (row,) = [x for x in table if {x["node"], x["other"]} == {a, b}]
        return row

    # COINr prints NA for CO2 ~ Forest: its p-value exceeds 0.05.
    assert r("CO2", "Forest")["significant"] is False
    for other, value in (("MatCon", 0.7222051), ("PrimEner", 0.3268484), ("Renew", -0.5986338)):
        row = r("CO2", other)
        assert row["r"] == pytest.approx(value, abs=5e-8)
        assert row["significant"] is True
    # the wide matrix: Forest ~ Renew 0.35; MatCon ~ PrimEner 0.38; PrimEner ~ Renew NA
    assert round(r("Forest", "Renew")["r"], 2) == 0.35  # type: ignore[call-overload]
    assert round(r("MatCon", "PrimEner")["r"], 2) == 0.38  # type: ignore[call-overload]
    assert r("PrimEner", "Renew")["significant"] is False
    assert r("Forest", "MatCon")["significant"] is False


def test_get_corr_flags_on_the_normalised_data(asem: Results) -> None:
    table = correlations(asem, "normalised", ["pearson"])
    high = correlation_flags(table, collinear=0.75, negative=-1.0)
    assert sorted(
        (r["group"], *sorted((r["node"], r["other"])), round(r["r"], 3)) for r in high
    ) == [
        ("Social", "CPI", "FreePress", 0.761),
        ("Social", "CPI", "NGOs", 0.768),
    ]
    low = correlation_flags(table, collinear=1.0, negative=-0.5)
    assert sorted(
        (r["group"], *sorted((r["node"], r["other"])), round(r["r"], 3)) for r in low
    ) == [
        ("Instit", "CostImpEx", "TBTs", -0.697),
        ("Instit", "RTAs", "TBTs", -0.752),
        ("Instit", "TBTs", "TIRcon", -0.623),
    ]


def test_get_cronbach_of_p2p(asem: Results) -> None:
    (row,) = cronbach(asem, "raw").where(node="P2P")
    assert row["alpha"] == pytest.approx(0.05126659, abs=5e-9)


def test_get_pca_of_the_sustainability_groups(asem: Results) -> None:
    result = pca(asem, "raw", level=1)
    groups = {g.group: g for g in result.groups}
    environ = groups["Environ"]
    assert environ.members == ("CO2", "Forest", "MatCon", "PrimEner", "Renew")
    assert environ.n_dropped == 1  # "Removing 1 rows with missing values"
    assert [round(w, 3) for w in environ.weights.values()] == [
        -0.581,
        0.214,
        -0.543,
        -0.313,
        0.473,
    ]
    social = groups["Social"]
    assert social.members[:4] == ("CPI", "FemLab", "FreePress", "NGOs")
    assert social.n_dropped == 14
    assert [round(w, 3) for w in list(social.weights.values())[:5]] == [
        -0.417,
        -0.324,
        0.401,
        -0.191,
        0.302,
    ]
    # summary(prcomp): standard deviations, proportion and cumulative proportion of variance
    assert social.sdev == pytest.approx(
        (2.2042, 1.1256, 0.9788, 0.78834, 0.77153, 0.56836, 0.42463, 0.36068, 0.25760), abs=5e-5
    )
    # summary.prcomp rounds the shares to 5 decimals, then prints 4 significant digits
    printed = (0.5398, 0.1408, 0.1065, 0.06905, 0.06614, 0.03589, 0.02003, 0.01445, 0.00737)
    assert [round(s, 5) for s in social.share] == pytest.approx(printed, abs=5.1e-5)
    assert social.cumulative[-1] == pytest.approx(1.0)
    sus = groups["SusEcFin"]
    assert sus.n_dropped == 7
    assert [round(w, 3) for w in sus.weights.values()] == [0.472, 0.451, -0.492, -0.227, -0.53]


def test_pca_weights_at_level_2(asem: Results) -> None:
    result = pca(asem, "aggregated", level=2)
    weights = {m: w for g in result.groups for m, w in g.weights.items()}
    expected = {
        "Physical": 0.5117970,
        "ConEcFin": 0.3049926,
        "Political": 0.3547671,
        "Instit": 0.5081540,
        "P2P": 0.5108455,
        "Environ": 0.6513188,
        "Social": -0.7443677,
        "SusEcFin": 0.1473108,
    }
    for node, value in expected.items():
        assert abs(weights[node]) == pytest.approx(abs(value), abs=5e-8), node
    # Conn has COINr's signs; in Sust, NumPy's LAPACK returns the component reversed.
    assert all(weights[n] > 0 for n in ("Physical", "ConEcFin", "Political", "Instit", "P2P"))
    sust = [weights[n] / v for n, v in expected.items() if n in ("Environ", "Social", "SusEcFin")]
    assert sust == pytest.approx([sust[0]] * 3)


def test_correlations_of_the_sub_indices_with_the_index(asem: Results) -> None:
    table = correlations(asem, methods=["pearson"])
    found = {r["node"]: r["r"] for r in table.where(other="Index", relation="parent")}
    assert found["Conn"] == pytest.approx(0.9397805, abs=5e-8)
    assert found["Sust"] == pytest.approx(0.8382873, abs=5e-8)


# weights.Rmd: get_opt_weights(coin, itarg = "equal", dset = "Aggregated", Level = 3)
# prints the objective at each of its 15 evaluations.
TRACE = (
    -7.11287670895252,
    -6.75731482891423,
    -7.5563175412706,
    -8.21181051402935,
    -10.0802172796095,
    -13.3043247136273,
    -8.7011048855954,
    -7.93721550859392,
    -9.92111795779074,
    -8.57337082557942,
    -13.0490317878554,
    -10.1205749624737,
    -11.4698196057753,
    -11.5046209642509,
    -12.938292451273,
)


def test_get_opt_weights_at_level_3(asem: Results) -> None:
    opt = optimise_weights(asem, level=3, importance="equal")
    assert opt.nodes == ("Conn", "Sust")
    assert opt.trace == pytest.approx(TRACE, abs=1e-12)
    assert opt.evaluations == 15 and opt.converged
    assert opt.weights == pytest.approx((0.3902439, 0.6097561), abs=5e-8)
    assert opt.initial_correlations == pytest.approx((0.9397805, 0.8382873), abs=5e-8)
    # re-aggregated with the optimised weights, the correlations are balanced
    rerun = score(asem.compiled.framework, asem.dataset, opt.pipeline)
    table = correlations(rerun, methods=["pearson"])
    found = {r["node"]: r["r"] for r in table.where(other="Index", relation="parent")}
    assert (found["Conn"], found["Sust"]) == pytest.approx((0.8971336, 0.8925119), abs=5e-8)
    assert opt.correlations == pytest.approx((found["Conn"], found["Sust"]), abs=1e-12)
    assert rerun.weights["Index"] == pytest.approx(opt.weights)
    np.testing.assert_allclose(sum(opt.weights), 1.0)

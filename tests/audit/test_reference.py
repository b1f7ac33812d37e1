"""The audit's numbers against independent computations: pandas, SciPy, plain loops.

Each reference is written here without the audit's code: statistics by pandas (whose
``skew``/``kurt`` are the same bias-adjusted estimators COINr uses), correlations by plain
loops with R's pairwise rules and p-values by SciPy, Cronbach's alpha by its textbook
variance form, principal components by the eigen-decomposition of the correlation matrix,
what-if ranks by aggregating the normalised data again by hand.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import stats as sps

from cityeval.audit import (
    compare,
    correlations,
    cronbach,
    indicator_stats,
    pca,
    remove_elements,
)
from cityeval.audit.neldermead import nelder_mead
from cityeval.audit.pvalues import (
    as89_tail,
    edgeworth_tail,
    kendall_exact_cdf,
    kendall_exact_sf,
    p_value,
)
from cityeval.audit.structure import stage_data, structure_of
from cityeval.engine import Results, score

pd = pytest.importorskip("pandas")


@pytest.mark.parametrize("stage", ["raw", "imputed", "treated", "normalised", "aggregated"])
def test_statistics_against_pandas(asem: Results, stage: str) -> None:
    ids, values = stage_data(asem, stage)
    frame = pd.DataFrame(values, columns=list(ids))
    table = indicator_stats(asem, stages=[stage]).to_frame().set_index("node")
    expected = pd.DataFrame(
        {
            "n_avail": frame.count(),
            "min": frame.min(),
            "max": frame.max(),
            "mean": frame.mean(),
            "median": frame.median(),
            "sd": frame.std(),
            "skew": frame.skew(),
            "kurt": frame.kurt(),
            "n_unique": frame.nunique(),
            "n_nonzero": (frame.fillna(0) != 0).sum(),
        }
    )
    for column in expected:
        np.testing.assert_allclose(
            table.loc[list(ids), column].to_numpy(dtype=float),
            expected.loc[list(ids), column].to_numpy(dtype=float),
            rtol=1e-9,
            atol=1e-12,
            err_msg=column,
        )
    assert (table["stage"] == stage).all()
    share = table["availability"].to_numpy(dtype=float)
    np.testing.assert_allclose(share, frame.notna().mean().to_numpy())


def _reference_pearson(x: np.ndarray, y: np.ndarray) -> float:
    keep = ~(np.isnan(x) | np.isnan(y))
    return float(np.corrcoef(x[keep], y[keep])[0, 1])


def _reference_spearman(x: np.ndarray, y: np.ndarray) -> float:
    # R: rank each column over its own present values, then Pearson on the shared rows
    rx = pd.Series(x).rank(method="average").to_numpy()
    ry = pd.Series(y).rank(method="average").to_numpy()
    return _reference_pearson(rx, ry)


def test_correlations_against_loops_and_scipy(asem: Results) -> None:
    ids, values = stage_data(asem, "raw")
    col = {c: values[:, k] for k, c in enumerate(ids)}
    table = correlations(asem, "raw", ["pearson", "spearman", "kendall"])
    assert len(table) > 0
    for row in table:
        x, y = col[row["node"]], col[row["other"]]
        keep = ~(np.isnan(x) | np.isnan(y))
        xs, ys = x[keep], y[keep]
        assert row["n"] == keep.sum()
        if row["method"] == "pearson":
            ref = sps.pearsonr(xs, ys)
            assert row["r"] == pytest.approx(_reference_pearson(x, y), abs=1e-12)
            assert row["p_value"] == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-300)
        elif row["method"] == "spearman":
            assert row["r"] == pytest.approx(_reference_spearman(x, y), abs=1e-12)
            tied = len(np.unique(xs)) < len(xs) or len(np.unique(ys)) < len(ys)
            if tied:  # R's t approximation, as SciPy's
                assert row["p_value"] == pytest.approx(sps.spearmanr(xs, ys).pvalue, rel=1e-9)
        else:
            n = len(xs)
            tied = len(np.unique(xs)) < n or len(np.unique(ys)) < n
            ref = sps.kendalltau(xs, ys, method="asymptotic" if tied or n >= 50 else "exact")
            assert row["r"] == pytest.approx(ref.statistic, abs=1e-12)
            assert row["p_value"] == pytest.approx(ref.pvalue, rel=1e-6, abs=1e-300)
        assert -1.0 <= row["r"] <= 1.0


def test_spearman_exact_p_values_against_enumeration() -> None:
    # For n <= 9 without ties R enumerates every permutation: so does this reference.
    rng = np.random.default_rng(7)
    for n in (4, 5, 6, 7):
        x = rng.permutation(n).astype(float)
        y = (x + rng.normal(0, 1.5, n)).argsort().argsort().astype(float)
        rho = sps.spearmanr(x, y).statistic
        s_obs = round((n**3 - n) * (1 - rho) / 6)
        all_s = [
            sum((i - p) ** 2 for i, p in enumerate(perm))
            for perm in itertools.permutations(range(n))
        ]
        upper = np.mean([s >= s_obs for s in all_s])
        lower = np.mean([s <= s_obs for s in all_s])
        half = (n**3 - n) / 6
        expected = min(1.0, 2 * (upper if s_obs > half else lower))
        assert p_value(x, y, "spearman") == pytest.approx(expected, abs=1e-12)


def test_as89_edgeworth_series_is_close_to_the_exact_tail() -> None:
    # Above n = 9 R uses the series; at n = 9 it is already within 0.01 of the exact tail.
    n = 9
    perms = np.array(list(itertools.permutations(range(n))), dtype=np.int64)
    all_s = ((perms - np.arange(n)) ** 2).sum(axis=1)
    for s in (20, 60, 100, 120, 160, 200):
        exact = np.mean(all_s >= s)
        assert edgeworth_tail(n, s, lower=False) == pytest.approx(exact, abs=0.01), s
        assert edgeworth_tail(n, s, lower=True) == pytest.approx(1 - exact, abs=0.01), s
        assert as89_tail(n, s, lower=False) == pytest.approx(exact, abs=1e-12)


def test_kendall_exact_distribution_against_enumeration() -> None:
    n = 6
    concordant = [
        sum(perm[i] < perm[j] for i in range(n) for j in range(i + 1, n))
        for perm in itertools.permutations(range(n))
    ]
    for q in range(0, 16):
        assert kendall_exact_cdf(n, q) == pytest.approx(np.mean(np.array(concordant) <= q))
        assert kendall_exact_sf(n, q) == pytest.approx(np.mean(np.array(concordant) >= q))


def test_cronbach_against_the_variance_formula(asem: Results) -> None:
    structure = structure_of(asem)
    ids, values = stage_data(asem, "aggregated")
    frame = pd.DataFrame(values, columns=list(ids))
    for row in cronbach(asem):
        kids = list(structure.children[row["node"]])
        sub = frame[kids]
        cov = sub.cov()  # pairwise complete, as R's cov(use = "pairwise.complete.obs")
        k = len(kids)
        expected = k / (k - 1) * (1 - np.trace(cov.to_numpy()) / cov.to_numpy().sum())
        assert row["alpha"] == pytest.approx(expected, rel=1e-10), row["node"]
        if not sub.isna().any().any():  # complete data: the textbook form
            total = sub.sum(axis=1).var()
            assert row["alpha"] == pytest.approx(k / (k - 1) * (1 - sub.var().sum() / total))


def test_pca_against_the_correlation_matrix_eigenvalues(asem: Results) -> None:
    ids, values = stage_data(asem, "aggregated")
    frame = pd.DataFrame(values, columns=list(ids))
    for level in (1, 2, 3):
        for g in pca(asem, level=level).groups:
            data = frame[list(g.members)].dropna()
            eig, vec = np.linalg.eigh(np.corrcoef(data.to_numpy().T))
            order = np.argsort(eig)[::-1]
            eig, vec = eig[order], vec[:, order]
            m = len(g.sdev)
            np.testing.assert_allclose(np.square(g.sdev), eig[:m], rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(g.share, eig[:m] / eig.sum(), rtol=1e-9, atol=1e-12)
            loadings = np.array(g.loadings)
            for c in range(m):
                if eig[c] > 1e-9 and (c + 1 == m or abs(eig[c] - eig[c + 1]) > 1e-6):
                    same = np.allclose(loadings[:, c], vec[:, c], atol=1e-7)
                    flipped = np.allclose(loadings[:, c], -vec[:, c], atol=1e-7)
                    assert same or flipped, (g.group, c)


def _by_hand(results: Results, removed: str | None) -> np.ndarray:
    """The ASEM index re-aggregated from the normalised data with one element left out."""
    structure = structure_of(results)
    ids, values = stage_data(results, "normalised")
    scores = {c: values[:, k] for k, c in enumerate(ids)}
    for level in results.compiled.levels:
        for node, kids in zip(level.node_ids, level.child_ids, strict=True):
            kept = [k for k in kids if k != removed]
            block = np.column_stack([scores[k] for k in kept])
            scores[node] = np.nanmean(block, axis=1)
    index = scores[structure.top]
    return np.array([1 + np.sum(index > v) for v in index], dtype=float)


@pytest.mark.parametrize("level", [1, 2])
def test_remove_elements_agrees_with_aggregating_again(asem: Results, level: int) -> None:
    result = remove_elements(asem, level)
    structure = structure_of(asem)
    nodes = structure.nodes_at(level)
    summary = {r["removed"]: r["mean_abs_rank_shift"] for r in result.summary()}
    nominal = _by_hand(asem, None)
    for node in nodes[:: max(1, len(nodes) // 6)]:
        expected = _by_hand(asem, node)
        rows = result.table.where(removed=node)
        got = np.array([r["rank"] for r in rows])
        np.testing.assert_array_equal(got, expected)
        np.testing.assert_array_equal([r["rank_base"] for r in rows], nominal)
        assert summary[node] == pytest.approx(np.mean(np.abs(expected - nominal)))


def test_compare_two_pipelines(asem: Results) -> None:
    from cityeval.audit.reweight import with_weights

    other = score(asem.compiled.framework, asem.dataset, with_weights(asem, {"Conn": 3.0}))
    result = compare(asem, other)
    ranks_a = asem.rank("Index")
    ranks_b = other.rank("Index")
    assert [r["rank"] for r in result.table] == list(ranks_b)
    assert [r["rank_change"] for r in result.table] == list(ranks_b - ranks_a)
    assert result.mean_abs_rank_shift() == pytest.approx(np.mean(np.abs(ranks_b - ranks_a)))
    assert compare(asem, asem).mean_abs_rank_shift() == 0.0


def test_nelder_mead_reproduces_r_optim_on_rosenbrock() -> None:
    # ?optim: optim(c(-1.2, 1), fr) gives par 1.000260 1.000506, value 8.825241e-08,
    # 195 function evaluations.
    def fr(x: np.ndarray) -> float:
        return float(100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2)

    found = nelder_mead(fr, np.array([-1.2, 1.0]))
    assert found.x == pytest.approx((1.000260, 1.000506), abs=5e-7)
    assert found.value == pytest.approx(8.825241e-08, rel=1e-6)
    assert found.evaluations == 195
    assert found.status == 0
    assert math.isclose(min(found.trace), found.value)

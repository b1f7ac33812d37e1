"""Tests of the outlier treatment kernel and its statistics, including the ASEM exactness check."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cityeval.methods._stats import nan_kurt, nan_skew, rank_min
from cityeval.methods.denominate import denominate
from cityeval.methods.impute import group_mean
from cityeval.methods.treat import coinr_treat, default_winmax
from tests.shared_data import require_asem

from . import reference as ref
from .reference import cases, grid_floats

NAN = np.nan
FAST = settings(max_examples=60, deadline=None)

# ------------------------------------------------------------------ statistics


@FAST
@given(cases(grid_floats, batch=False, max_units=12))
def test_skew_and_kurt_match_pandas(case: Any) -> None:
    x, _ = case
    x.flags.writeable = False
    skew, kurt = nan_skew(x), nan_kurt(x)
    for j in range(x.shape[1]):
        s = pd.Series(x[:, j])
        np.testing.assert_allclose(skew[j], s.skew(), rtol=1e-7, atol=1e-9, equal_nan=True)
        np.testing.assert_allclose(kurt[j], s.kurt(), rtol=1e-7, atol=1e-9, equal_nan=True)


def test_skew_and_kurt_degenerate_cases_match_pandas() -> None:
    x = np.array([[1.0, 1.0, 1.0], [1.0, 2.0, NAN], [1.0, 3.0, NAN], [1.0, 5.0, 3.0]])
    expected_skew = [pd.Series(x[:, j]).skew() for j in range(3)]
    expected_kurt = [pd.Series(x[:, j]).kurt() for j in range(3)]
    np.testing.assert_allclose(nan_skew(x), expected_skew, equal_nan=True)
    np.testing.assert_allclose(nan_kurt(x), expected_kurt, equal_nan=True)
    assert np.isnan(nan_skew(x)[0])  # constant: undefined, not 0


@FAST
@given(cases(st.integers(-3, 3).map(float)))
def test_rank_min_matches_pandas(case: Any) -> None:
    x, _ = case
    r = rank_min(x)
    x2 = x.reshape(-1, *x.shape[-2:])
    r2 = r.reshape(x2.shape)
    for b in range(x2.shape[0]):
        expected = pd.DataFrame(x2[b]).rank(method="min").to_numpy()
        np.testing.assert_array_equal(r2[b], expected)


# ------------------------------------------------------------------ treatment vs reference

_small = st.integers(0, 40).map(float)
_outlier = st.integers(100, 4000).map(float)
_negative_outlier = st.integers(-4000, -100).map(float)
_cell = st.one_of(
    st.just(NAN), _small, _small, _small, _small, _small, _outlier, _negative_outlier
)


@st.composite
def _skewed(draw: st.DrawFn) -> np.ndarray:
    n_units = draw(st.integers(4, 30))
    n_ind = draw(st.integers(1, 4))
    return draw(hnp.arrays(np.float64, (n_units, n_ind), elements=_cell))


def _assert_matches_reference(result: Any, expected: dict[str, Any]) -> None:
    np.testing.assert_allclose(result.values, expected["values"], rtol=1e-12, equal_nan=True)
    np.testing.assert_array_equal(result.winsorised_high, expected["high"])
    np.testing.assert_array_equal(result.winsorised_low, expected["low"])
    np.testing.assert_array_equal(result.log_applied, expected["log"])
    np.testing.assert_array_equal(result.passes, expected["passes"])
    np.testing.assert_array_equal(result.failed, expected["failed"])


@FAST
@given(_skewed(), st.sampled_from([None, 0, 1, 3]), st.booleans())
@example(np.array([[0.0], [0.0], [0.0], [0.0], [0.0], [4000.0]]), None, True)
def test_agrees_with_pandas_reference(x: np.ndarray, winmax: int | None, log: bool) -> None:
    x.flags.writeable = False
    result = coinr_treat(x, winmax=winmax, log_transform=log)
    _assert_matches_reference(result, ref.treat(x, winmax=winmax, log_transform=log))


@FAST
@given(_skewed())
def test_missing_stays_missing_and_input_untouched(x: np.ndarray) -> None:
    x_copy = x.copy()
    x.flags.writeable = False
    result = coinr_treat(x)
    np.testing.assert_array_equal(x, x_copy)
    np.testing.assert_array_equal(np.isnan(result.values), np.isnan(x))


@FAST
@given(_skewed())
def test_winsorising_only_narrows_the_range(x: np.ndarray) -> None:
    result = coinr_treat(x, log_transform=False)
    lo = np.fmin.reduce(x, axis=0)
    hi = np.fmax.reduce(x, axis=0)
    seen = ~np.isnan(x)
    assert (result.values >= lo)[seen].all()
    assert (result.values <= hi)[seen].all()
    assert not result.log_applied.any()


@FAST
@given(_skewed(), st.data())
def test_permutation_of_units_permutes_outputs(x: np.ndarray, data: st.DataObject) -> None:
    perm = np.asarray(data.draw(st.permutations(range(x.shape[0]))))
    result = coinr_treat(x)
    permuted = coinr_treat(x[perm])
    np.testing.assert_allclose(permuted.values, result.values[perm], rtol=1e-12, equal_nan=True)
    np.testing.assert_array_equal(permuted.log_applied, result.log_applied)


# ------------------------------------------------------------------ pinned behaviour


def test_default_winmax_is_ceil_of_a_tenth_of_units() -> None:
    assert default_winmax(51) == 6
    assert default_winmax(50) == 5
    assert default_winmax(30) == 3  # 0.1 * 30 is 3.0000000000000004 in floating point
    assert default_winmax(1) == 1


def test_ties_at_the_maximum_all_move_to_the_next_distinct_value() -> None:
    col = np.array([1, 2, 2, 3, 3, 3, 4, 5, 100, 100, 100], dtype=float)[:, None]
    # Thresholds low enough that the column fails, so exactly one pass is made.
    result = coinr_treat(
        col, winmax=1, skew_threshold=0.5, kurt_threshold=-5.0, log_transform=False
    )
    np.testing.assert_array_equal(result.values[:, 0], np.where(col[:, 0] == 100, 5, col[:, 0]))
    assert result.winsorised_high[0] == 3
    assert result.passes[0] == 1


def test_negative_skew_winsorises_the_low_side() -> None:
    col = -np.array([1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 200], dtype=float)[:, None]
    result = coinr_treat(col)
    assert result.winsorised_low[0] == 1
    assert result.winsorised_high[0] == 0
    assert result.values[-1, 0] == -6.0
    assert not result.failed[0]


def test_log_transform_of_the_original_column_when_winsorising_is_not_enough() -> None:
    col = np.array([1.0] * 20 + [2.0, 3.0, 5.0, 10.0, 50.0, 300.0, 1000.0])[:, None]
    result = coinr_treat(col, winmax=1)
    assert result.log_applied[0]
    assert result.winsorised_high[0] == 0  # the Winsorised values were discarded
    assert result.passes[0] == 1
    lo, hi = col.min(), col.max()
    np.testing.assert_allclose(result.values[:, 0], np.log(col[:, 0] - lo + 0.01 * (hi - lo)))
    winsorised_only = coinr_treat(col, winmax=1, log_transform=False)
    assert not winsorised_only.log_applied[0]
    assert winsorised_only.failed[0]
    assert winsorised_only.winsorised_high[0] == 1


def test_thresholds_are_strict_and_both_required() -> None:
    # skew 2.236..., kurt exactly 5: fails only if both thresholds are exceeded strictly.
    col = np.array([[0.0], [0.0], [0.0], [0.0], [1.0]])
    assert coinr_treat(col, kurt_threshold=5.0).passes[0] == 0
    assert coinr_treat(col, kurt_threshold=4.9).passes[0] == 1
    assert coinr_treat(col, skew_threshold=2.3).passes[0] == 0


def test_too_few_distinct_values_is_reported_not_raised() -> None:
    x = np.array([[3.0, NAN, 1.0], [3.0, NAN, 2.0], [3.0, 4.0, 9.0], [NAN, NAN, 1.0]])
    result = coinr_treat(x)
    np.testing.assert_array_equal(result.degenerate, [True, True, False])
    np.testing.assert_array_equal(result.values, x)
    assert not result.failed.any()


# ------------------------------------------------------------------ ASEM exactness


@pytest.fixture(scope="module")
def asem() -> dict[str, Any]:
    folder = require_asem()  # skips locally, fails under CI, when the data set is missing
    data = pd.read_csv(folder / "iData.csv")
    meta = pd.read_csv(folder / "iMeta.csv")
    indicators = meta[meta["Type"] == "Indicator"]
    return {
        "data": data,
        "codes": list(indicators["iCode"]),
        "denominator_of": dict(zip(indicators["iCode"], indicators["Denominator"], strict=True)),
        "denominators": list(meta.loc[meta["Type"] == "Denominator", "iCode"]),
    }


def _reference_pipeline(asem: dict[str, Any]) -> dict[str, Any]:
    """Denominate and group-impute in plain pandas, then the pandas reference treatment."""
    data = asem["data"]
    frame = pd.DataFrame(index=data.index)
    for code in asem["codes"]:
        den = asem["denominator_of"][code]
        frame[code] = data[code] / data[den] if isinstance(den, str) else data[code]
    missing_after_denomination = int(frame.isna().sum().sum())
    imputed = frame.copy()
    for code in asem["codes"]:
        for rows in data.groupby("EurAsia_group").groups.values():
            fill = frame.loc[rows, code].mean()
            imputed.loc[rows, code] = frame.loc[rows, code].fillna(fill)
    treated = ref.treat(imputed.to_numpy(dtype=float))
    return {"missing": missing_after_denomination, "imputed": imputed, "treated": treated}


def test_asem_denominate_impute_treat_matches_reference(asem: dict[str, Any]) -> None:
    data, codes, dens = asem["data"], asem["codes"], asem["denominators"]
    index = [dens.index(d) if isinstance(d, str) else -1 for d in asem["denominator_of"].values()]
    denominated = denominate(data[codes].to_numpy(float), data[dens].to_numpy(float), index)
    assert int(np.isnan(denominated.values).sum()) == 65
    assert not denominated.zero_division.any()
    groups = pd.factorize(data["EurAsia_group"])[0]
    imputed = group_mean(denominated.values, groups)
    assert not np.isnan(imputed).any()
    result = coinr_treat(imputed)

    expected = _reference_pipeline(asem)
    assert expected["missing"] == 65
    np.testing.assert_allclose(imputed, expected["imputed"].to_numpy(), rtol=1e-12, atol=0)
    _assert_matches_reference(result, expected["treated"])
    np.testing.assert_allclose(result.values, expected["treated"]["values"], rtol=0, atol=1e-9)

    # Pin the treatment report (winsorised points per indicator; no log transform needed).
    treated = {
        code: (int(result.winsorised_high[j]), int(result.winsorised_low[j]))
        for j, code in enumerate(codes)
        if result.passes[j] > 0 or result.log_applied[j]
    }
    assert treated == {
        "Flights": (1, 0),
        "Bord": (3, 0),
        "Gas": (3, 0),
        "Services": (4, 0),
        "FDI": (2, 0),
        "ForPort": (3, 0),
        "CostImpEx": (1, 0),
        "Tariff": (3, 0),
        "StMob": (2, 0),
        "CultServ": (3, 0),
        "Forest": (2, 0),
        "Poverty": (3, 0),
        "NGOs": (3, 0),
        "FemLab": (0, 1),
        "PubDebt": (1, 0),
    }
    assert not result.log_applied.any()
    assert not result.failed.any()


# ------------------------------------------------------------------ winmax counts points


TIED_MAXIMA = np.array(
    [0.0] * 9 + [1.0] * 7 + [2.0] * 7 + [3.0] * 6 + [4.0] * 6 + [39, 146, 146, 183, 183]
)


def test_winmax_counts_winsorised_points_not_passes() -> None:
    """COINr R/treat.R: ``nwin <- length(imax) + length(imin)``; the two tied maxima are
    changed by one pass, which reaches winmax = 2, so there is no second pass although the
    column still fails (counting passes would make two)."""
    result = coinr_treat(TIED_MAXIMA[:, None], winmax=2, log_transform=False)
    assert result.passes[0] == 1
    assert result.winsorised_high[0] == 2
    assert result.failed[0]
    assert np.max(result.values) == 146.0
    # With room for more points, the next pass changes all four values at 146 and above.
    more = coinr_treat(TIED_MAXIMA[:, None], winmax=3, log_transform=False)
    assert more.passes[0] == 2 and more.winsorised_high[0] == 4
    assert np.max(more.values) == 39.0


@given(
    st.lists(st.integers(0, 4), min_size=8, max_size=30),
    st.lists(st.tuples(st.integers(20, 200), st.integers(1, 3)), min_size=1, max_size=3),
    st.integers(1, 6),
)
def test_tied_extremes_agree_with_coinr_reference(
    body: list[int], tails: list[tuple[int, int]], winmax: int
) -> None:
    col = np.array(body + [v for v, times in tails for _ in range(times)], dtype=float)
    result = coinr_treat(col[:, None], winmax=winmax, log_transform=False)
    expected = ref.treat(col[:, None], winmax=winmax, log_transform=False)
    np.testing.assert_array_equal(result.values, expected["values"])
    assert list(result.passes) == expected["passes"]
    assert list(result.winsorised_high) == expected["high"]

"""The audit's functions: options, and the library's own errors for a caller's mistakes."""

from __future__ import annotations

import numpy as np
import pytest

from cityeval.audit import (
    audit,
    correlations,
    indicator_stats,
    optimise_weights,
    pca,
    remove_elements,
    screen,
)
from cityeval.engine import Results
from cityeval.errors import ModelError, NotFoundError


def test_pca_of_a_whole_level(asem: Results) -> None:
    (whole,) = pca(asem, level="pillar", by_groups=False).groups
    assert whole.group == "All" and len(whole.members) == 8
    assert sum(whole.share) == pytest.approx(1.0)
    assert pca(asem, level=2).to_frame()["group"].unique().tolist() == ["Conn", "Sust"]


def test_optimise_with_given_importances(asem: Results) -> None:
    opt = optimise_weights(asem, level="sub-index", importance={"Conn": 1.0, "Sust": 2.0})
    assert opt.target == pytest.approx((1 / 3, 2 / 3))
    # closer to the targets than the starting weights were
    start = np.array(opt.initial_correlations) / sum(opt.initial_correlations)
    assert np.abs(np.array(opt.obtained) - opt.target).sum() < np.abs(start - opt.target).sum()
    with pytest.raises(ModelError, match="missing: Sust"):
        optimise_weights(asem, level=3, importance={"Conn": 1.0})
    with pytest.raises(ModelError, match="not positive: Sust"):
        optimise_weights(asem, level=3, importance={"Conn": 1.0, "Sust": -1.0})
    with pytest.raises(ModelError, match="the index itself"):
        optimise_weights(asem, level=4)


def test_infomax_raises_the_sum_of_correlations(asem: Results) -> None:
    opt = optimise_weights(asem, level=3, optype="infomax")
    assert opt.target is None
    assert sum(opt.correlations) >= sum(opt.initial_correlations) - 1e-12
    assert opt.table().column("target") == [None, None]


def test_callers_mistakes_are_the_librarys_errors(asem: Results) -> None:
    with pytest.raises(ModelError, match="unknown correlation method 'pearsons'"):
        correlations(asem, methods=["pearsons"])
    with pytest.raises(NotFoundError, match="unknown stage 'cooked'"):
        indicator_stats(asem, stages=["cooked"])
    with pytest.raises(NotFoundError, match="unknown level 'district'"):
        pca(asem, level="district")
    with pytest.raises(ModelError) as info:
        screen(asem, dat_thresh=1.5, nonzero_thresh=-1, group_level=2)
    text = str(info.value)
    assert "dat_thresh" in text and "nonzero_thresh" in text and "group_thresh" in text
    with pytest.raises(ModelError, match="the index itself cannot be removed"):
        remove_elements(asem, level=4)
    with pytest.raises(NotFoundError):
        audit(asem, optimise_level="nowhere")


def test_tables_convert_to_pandas(asem: Results) -> None:
    report = audit(asem, methods=["pearson"], remove_levels=[3])
    for name, table in report.tables().items():
        frame = table.to_frame()
        assert list(frame.columns) == list(table.columns), name
        assert len(frame) == len(table), name
    assert report.what_if.to_frame()["scenario"].unique().tolist() == [
        "optimised-weights",
        "remove:Conn",
        "remove:Sust",
    ]
    assert report.flags.rows  # the ASEM audit has things to look at

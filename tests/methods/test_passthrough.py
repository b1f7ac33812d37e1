"""The "none" methods: they return copies of their input and report no treatment."""

from __future__ import annotations

import numpy as np

from cityeval.methods import passthrough


def test_passthroughs_copy_and_never_alias() -> None:
    x = np.array([[1.0, np.nan], [3.0, 4.0]])
    x.setflags(write=False)
    for out in (
        passthrough.identity(x, np.array([1.0, -1.0])),
        passthrough.keep(x),
        passthrough.keep_denominate(x, np.ones((2, 1)), np.array([0, -1])),
    ):
        np.testing.assert_array_equal(out, x)
        assert out is not x and out.flags.writeable


def test_keep_treat_reports_nothing_treated() -> None:
    x = np.array([[1.0, 2.0], [3.0, 100.0], [2.0, 1.0]])
    result = passthrough.keep_treat(x)
    np.testing.assert_array_equal(result.values, x)
    assert not result.log_applied.any() and not result.failed.any()
    assert (result.winsorised_high == 0).all() and (result.passes == 0).all()

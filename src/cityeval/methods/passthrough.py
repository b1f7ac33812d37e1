"""Kernels that leave data as they are: for steps a pipeline skips for some indicators."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from cityeval.methods.treat import TreatmentResult

__all__ = ["identity", "keep", "keep_denominate", "keep_treat"]

FloatArray = npt.NDArray[np.float64]


def identity(x: npt.ArrayLike, direction: npt.ArrayLike) -> FloatArray:
    """Take the values as they are (already scores on a common scale); direction is not applied.

    Signature ``(..., u, i), (i,) -> (..., u, i)``. Used for inputs that are already
    comparable scores, such as the five component scores of the Gerakan 100 evaluation.
    """
    return np.array(x, dtype=np.float64, copy=True)


def keep(x: npt.ArrayLike) -> FloatArray:
    """Impute nothing: missing values stay missing. Shape ``(..., u, i) -> (..., u, i)``."""
    return np.array(x, dtype=np.float64, copy=True)


def keep_treat(x: npt.ArrayLike) -> TreatmentResult:
    """Treat nothing, and report so. Shape ``(u, i) -> (u, i)``."""
    values = np.array(x, dtype=np.float64, copy=True)
    n = values.shape[-1]
    zeros = np.zeros(n, dtype=np.intp)
    nan = np.full(n, np.nan)
    no = np.zeros(n, dtype=np.bool_)
    return TreatmentResult(
        values, zeros, zeros.copy(), no, nan, nan, nan, nan, zeros.copy(), no, no
    )


def keep_denominate(
    x: npt.ArrayLike, denominators: npt.ArrayLike, index: npt.ArrayLike
) -> FloatArray:
    """Divide by nothing. Shape ``(..., u, i) -> (..., u, i)``."""
    return np.array(x, dtype=np.float64, copy=True)

"""Datasets to and from pandas DataFrames, in the same column layout as the CSV file.

pandas is optional: it is imported inside these functions, never when cityeval is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from cityeval.data.dataset import DENOMINATOR_PREFIX, GROUP_PREFIX, Dataset
from cityeval.data.layout import build_dataset
from cityeval.errors import InputError, Problem

if TYPE_CHECKING:
    from cityeval.model import Framework

__all__ = ["dataset_from_pandas", "dataset_to_pandas"]

_TEXT_COLUMNS = ("unit", "name")


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "this needs pandas, which is optional: pip install 'cityeval[pandas]'"
        ) from None
    return pd


def dataset_from_pandas(
    frame: Any, *, source: str = "<DataFrame>", framework: Framework | None = None
) -> Dataset:
    """Build a dataset from a DataFrame laid out like the CSV file.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns named as in the CSV file (``unit``, optional ``time``, ``name``,
        ``group:NAME``, ``denominator:NAME``, indicator ids), one row a unit (or a
        (unit, time) pair). Without a ``unit`` column the index holds the unit codes; a
        two-level index holds unit codes then times.
    source : str
        The name messages start with.
    framework : Framework, optional
        Check the columns against it too.

    Raises
    ------
    InputError
        With every problem, rows located by position from 0 (``index 3, column 'LPI'``).
    """
    pd = _pandas()
    if not isinstance(frame, pd.DataFrame):
        message = f"expected a pandas DataFrame, got {type(frame).__name__}"
        raise InputError(source, [Problem((), message)])
    if "unit" not in frame.columns:
        if frame.index.nlevels > 2:
            message = (
                f"without a 'unit' column the index must hold unit codes (and times), "
                f"got an index of {frame.index.nlevels} levels"
            )
            raise InputError(source, [Problem((), message)])
        frame = frame.reset_index(names=["unit", "time"][: frame.index.nlevels])
    names = list(frame.columns)
    duplicated = sorted({str(n) for n in frame.columns[frame.columns.duplicated()]})
    if duplicated:
        raise InputError(source, [Problem((), f"duplicate column {n!r}") for n in duplicated])
    columns = [_cells(frame.iloc[:, k], names[k], pd) for k in range(len(names))]
    order = sorted(range(len(names)), key=lambda k: {"unit": 0, "time": 1}.get(names[k], 2))
    return build_dataset(
        [names[k] for k in order],
        [columns[k] for k in order],
        [f"index {i}" for i in range(len(frame))],
        source,
        ordered=False,
        framework=framework,
    )


def _cells(series: Any, name: object, pd: Any) -> Any:
    """A column's cells: a float array for numeric columns, else a list with None for NA."""
    text = isinstance(name, str) and (name in _TEXT_COLUMNS or name.startswith(GROUP_PREFIX))
    if (
        not text
        and pd.api.types.is_numeric_dtype(series.dtype)
        and not pd.api.types.is_bool_dtype(series.dtype)
    ):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    return [None if _is_missing(v, pd) else v for v in series.tolist()]


def _is_missing(value: Any, pd: Any) -> bool:
    return value is None or (np.ndim(value) == 0 and bool(pd.isna(value)))


def dataset_to_pandas(dataset: Dataset, *, index: bool = False) -> Any:
    """The dataset as a DataFrame in the CSV layout.

    Parameters
    ----------
    dataset : Dataset
        The data.
    index : bool
        Put ``unit`` (and ``time``) in the index rather than in columns.

    Returns
    -------
    pandas.DataFrame
        ``n_units`` rows, or ``n_times * n_units`` rows for a panel (all units at the first
        time, then at the second ...), with columns ``unit``, ``time`` (panel only), ``name``
        (when any unit has one), ``group:NAME``, ``denominator:NAME`` and the indicators.
        Missing text is None, missing numbers NaN.
    """
    pd = _pandas()
    n_times = 1 if dataset.times is None else len(dataset.times)
    data: dict[str, Any] = {"unit": list(dataset.units) * n_times}
    if dataset.times is not None:
        data["time"] = [t for t in dataset.times for _ in dataset.units]
    if any(name is not None for name in dataset.names):
        data["name"] = pd.Series(list(dataset.names) * n_times, dtype=object)
    for g, labels in dataset.groups.items():
        data[f"{GROUP_PREFIX}{g}"] = pd.Series(list(labels) * n_times, dtype=object)
    for d, array in dataset.denominators.items():
        data[f"{DENOMINATOR_PREFIX}{d}"] = array.reshape(-1).copy()
    flat = dataset.values.reshape(n_times * dataset.n_units, dataset.n_indicators)
    for j, ind in enumerate(dataset.indicators):
        data[ind] = flat[:, j].copy()
    frame = pd.DataFrame(data)
    if index:
        frame = frame.set_index(["unit", "time"] if dataset.times is not None else "unit")
    return frame

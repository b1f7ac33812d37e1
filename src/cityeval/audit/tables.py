"""The audit's tables: named columns and plain rows, convertible to pandas, CSV and Excel."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Table", "cell"]


def cell(value: Any) -> Any:
    """A value as a table keeps it: NaN and infinities become None, numpy scalars Python ones."""
    if value is None or isinstance(value, bool | str):
        return value
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _rows(value: Iterable[Sequence[Any]]) -> tuple[tuple[Any, ...], ...]:
    return tuple(tuple(cell(v) for v in row) for row in value)


def _columns(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@frozen
class Table:
    """A table of one analysis: a name, column names, and one tuple per row.

    Missing numbers are ``None``. Convert with :meth:`to_frame` (needs pandas),
    :meth:`records` or :meth:`csv`.

    Parameters
    ----------
    name : str
        What the table holds (``"stats"``, ``"correlations"``); the Excel sheet name.
    columns : tuple of str
        Column names.
    rows : tuple of tuple
        The rows, each as long as ``columns``.
    """

    name: str
    columns: tuple[str, ...] = field(converter=_columns)
    rows: tuple[tuple[Any, ...], ...] = field(converter=_rows)

    def __attrs_post_init__(self) -> None:
        for i, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"row {i} of table {self.name!r} has {len(row)} cells, not {len(self.columns)}"
                )

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.records())

    def column(self, name: str) -> list[Any]:
        """Every value of one column, in row order."""
        k = self.columns.index(name)
        return [row[k] for row in self.rows]

    def records(self) -> list[dict[str, Any]]:
        """The rows as dictionaries keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def where(self, **equal: Any) -> list[dict[str, Any]]:
        """The rows (as dictionaries) whose columns equal the given values."""
        return [r for r in self.records() if all(r[k] == v for k, v in equal.items())]

    def csv(self) -> str:
        """CSV text, every text cell neutralised against spreadsheet formulas."""
        from cityeval.io.outputs import csv_text

        return csv_text(
            ([("" if v is None else v) for v in row] for row in self.rows), header=self.columns
        )

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame with the same columns (needs pandas); missing numbers NaN."""
        import pandas as pd

        return pd.DataFrame.from_records(list(self.rows), columns=list(self.columns))

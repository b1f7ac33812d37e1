"""COINr's iData table converted to a data CSV in cityeval's layout, checked on the way."""

from __future__ import annotations

from pathlib import Path

from cityeval.errors import InputError, Problem
from cityeval.i18n import _
from cityeval.io.coinr_table import cell, number, read_table, where
from cityeval.io.outputs import csv_text

__all__ = ["convert_idata"]


def convert_idata(idata: Path, kinds: dict[str, str]) -> tuple[str, int]:
    """iData as CSV text in cityeval's data layout, and its number of rows.

    ``kinds`` maps each code of iMeta to its ``Type``. Columns are renamed
    (``uCode`` -> ``unit``, ``Time`` -> ``time`` for a panel, ``uName`` -> ``name``, groups
    and denominators prefixed ``group:`` and ``denominator:``), indicators last.

    Raises
    ------
    InputError
        Naming the row and column of every problem: a column iMeta does not describe, an
        indicator without a column, an empty, spaced or repeated unit code, a value that is no
        number.
    """
    header, rows = read_table(idata)
    problems: list[Problem] = []
    if "uCode" not in header:
        message = _("missing column 'uCode' (the unit codes)")
        raise InputError(idata.name, [Problem((), message)])
    skip = {"uCode", "uName", "Time"}
    problems.extend(
        Problem((f"column {col!r}",), _("not described in iMeta"))
        for col in header
        if col not in skip and col not in kinds
    )
    for code, kind in kinds.items():
        if kind in ("Indicator", "Group", "Denominator") and code not in header:
            problems.append(
                Problem(
                    (f"column {code!r}",),
                    _("{kind} {code!r} of iMeta has no column in iData").format(
                        kind=kind.lower(), code=code
                    ),
                )
            )
    if problems:
        raise InputError(idata.name, problems)
    numeric = [c for c in header if kinds.get(c) in ("Indicator", "Denominator")]
    first: dict[tuple[str, str], int] = {}
    times: set[float] = set()
    for r, row in rows:
        unit = cell(row, "uCode")
        if not unit:
            problems.append(Problem(where(r, "uCode"), _("empty unit code")))
        elif " " in unit:
            problems.append(
                Problem(
                    where(r, "uCode"),
                    _("{code!r} contains a space, which COINr does not allow").format(code=unit),
                )
            )
        if "Time" in header:
            t = number(cell(row, "Time"), where(r, "Time"), problems)
            if t is not None:
                times.add(t)
        for col in numeric:
            number(cell(row, col), where(r, col), problems)
    panel = len(times) > 1
    for r, row in rows:
        unit = cell(row, "uCode")
        key = (unit, cell(row, "Time") if panel else "")
        if unit and key in first:
            message = (
                _("duplicate unit {unit!r} at time {time} (first at row {first})")
                if panel
                else _("duplicate unit code {unit!r} (first at row {first})")
            )
            problems.append(
                Problem(
                    where(r, "uCode"), message.format(unit=unit, time=key[1], first=first[key])
                )
            )
        elif unit:
            first[key] = r
    if problems:
        raise InputError(idata.name, problems)
    out_cols: list[tuple[str, str]] = [("unit", "uCode")]
    if panel:
        out_cols.append(("time", "Time"))
    if "uName" in header:
        out_cols.append(("name", "uName"))
    for col in header:
        col_kind = kinds.get(col)
        if col_kind == "Group":
            out_cols.append((f"group:{col}", col))
        elif col_kind == "Denominator":
            out_cols.append((f"denominator:{col}", col))
    out_cols.extend((col, col) for col in header if kinds.get(col) == "Indicator")
    text = csv_text(
        ([cell(row, old) for _new, old in out_cols] for _r, row in rows),
        header=[new for new, _old in out_cols],
    )
    return text, len(rows)

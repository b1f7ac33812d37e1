"""Import COINr's exchange tables (iData, iMeta) as a cityeval framework and data set.

COINr (the R toolkit for composite indicators) keeps an index in two tables: ``iData``, one
row a unit (``uCode``, ``uName``, group, ``Time``, denominator and indicator columns), and
``iMeta``, one row per column of iData and per aggregate (``Level``, ``iCode``, ``iName``,
``Direction``, ``Weight``, ``Unit``, ``Target``, ``Denominator``, ``Parent``, ``Type``).
This module turns them into a :class:`~cityeval.model.Framework` and a CSV in cityeval's data
layout (``unit``, ``time``, ``name``, ``group:NAME``, ``denominator:NAME``, indicators).
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections import defaultdict
from pathlib import Path

from attrs import frozen

from cityeval.errors import InputError, ModelError, Problem
from cityeval.model import (
    Dimension,
    Direction,
    Framework,
    Indicator,
    Label,
    Pipeline,
    Source,
    Step,
    StepKind,
)

__all__ = ["CoinrImport", "import_coinr", "read_coinr"]

META_REQUIRED = ("Level", "iCode", "Direction", "Weight", "Parent", "Type")
META_OPTIONAL = ("iName", "Unit", "Target", "Denominator")
TYPES = ("Indicator", "Aggregate", "Group", "Denominator", "Other")
LEVEL_NAMES = {1: "indicator", 2: "pillar", 3: "sub-index"}


@frozen
class CoinrImport:
    """The result of an import: the framework and the data as CSV text."""

    framework: Framework
    data_csv: str
    n_units: int


def _read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(str(path), [Problem((), "file not found")]) from None
    except UnicodeDecodeError:
        raise InputError(path.name, [Problem((), "not a text file (it is not UTF-8)")]) from None
    if not text.strip():
        raise InputError(path.name, [Problem((), "the file is empty")])
    reader = csv.DictReader(io.StringIO(text))
    header = list(reader.fieldnames or [])
    return header, list(reader)


def _cell(row: dict[str, str], col: str) -> str:
    return (row.get(col) or "").strip()


def _number(
    text: str, where: tuple[str, ...], problems: list[Problem], *, allow_empty: bool = True
) -> float | None:
    if text == "" or text.upper() in ("NA", "NAN"):
        if not allow_empty:
            problems.append(Problem(where, "a value is required"))
        return None
    try:
        value = float(text)
    except ValueError:
        problems.append(Problem(where, f"expected a number, got {text!r}"))
        return None
    if not math.isfinite(value):
        problems.append(Problem(where, f"expected a finite number, got {text!r}"))
        return None
    return value


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_.\-]+", "-", name).strip("-.").lower()
    return slug or "coinr-import"


def read_coinr(
    idata: str | os.PathLike[str],
    imeta: str | os.PathLike[str],
    *,
    framework_id: str | None = None,
) -> CoinrImport:
    """Read COINr's iData and iMeta tables.

    Parameters
    ----------
    idata, imeta : path
        The two CSV files.
    framework_id : str, optional
        The id of the new framework; by default the name of iData's folder.

    Raises
    ------
    InputError
        Naming the file, the row (as a spreadsheet numbers it) and the column of every problem.
    """
    idata, imeta = Path(idata), Path(imeta)
    meta_header, meta_rows = _read_table(imeta)
    problems: list[Problem] = []
    missing = [c for c in META_REQUIRED if c not in meta_header]
    if missing:
        raise InputError(
            imeta.name,
            [
                Problem(
                    (),
                    f"missing column(s) {', '.join(map(repr, missing))} (iMeta needs "
                    f"{', '.join(META_REQUIRED)})",
                )
            ],
        )
    codes: dict[str, int] = {}
    kinds: dict[str, str] = {}
    rows_by_code: dict[str, dict[str, str]] = {}
    for r, row in enumerate(meta_rows, start=2):
        code = _cell(row, "iCode")
        kind = _cell(row, "Type")
        if not code:
            problems.append(Problem((f"row {r}, column 'iCode'",), "empty code"))
            continue
        if code in codes:
            problems.append(
                Problem(
                    (f"row {r}, column 'iCode'",),
                    f"duplicate code {code!r} (first at row {codes[code]})",
                )
            )
            continue
        if kind not in TYPES:
            problems.append(
                Problem(
                    (f"row {r}, column 'Type'",),
                    f"expected one of {', '.join(TYPES)}, got {kind!r}",
                )
            )
            continue
        codes[code] = r
        kinds[code] = kind
        rows_by_code[code] = row
    if problems:
        raise InputError(imeta.name, problems)

    tree_codes = [c for c, k in kinds.items() if k in ("Indicator", "Aggregate")]
    children: dict[str, list[str]] = defaultdict(list)
    levels: dict[str, int] = {}
    tops: list[str] = []
    for code in tree_codes:
        row, r = rows_by_code[code], codes[code]
        level = _number(
            _cell(row, "Level"), (f"row {r}, column 'Level'",), problems, allow_empty=False
        )
        if level is not None:
            if not level.is_integer() or level < 1:
                problems.append(
                    Problem(
                        (f"row {r}, column 'Level'",),
                        f"expected a level 1, 2, ..., got {_cell(row, 'Level')!r}",
                    )
                )
            levels[code] = int(level)
        parent = _cell(row, "Parent")
        if parent:
            if parent not in kinds:
                problems.append(
                    Problem((f"row {r}, column 'Parent'",), f"unknown parent {parent!r}")
                )
            elif kinds[parent] != "Aggregate":
                problems.append(
                    Problem(
                        (f"row {r}, column 'Parent'",), f"parent {parent!r} is not an aggregate"
                    )
                )
            else:
                children[parent].append(code)
        else:
            tops.append(code)
        direction = _cell(row, "Direction")
        if kinds[code] == "Indicator" and direction not in ("1", "1.0", "-1", "-1.0"):
            problems.append(
                Problem((f"row {r}, column 'Direction'",), f"expected 1 or -1, got {direction!r}")
            )
        denom = _cell(row, "Denominator")
        if denom and kinds.get(denom) != "Denominator":
            problems.append(
                Problem(
                    (f"row {r}, column 'Denominator'",),
                    f"{denom!r} is no denominator column of iMeta",
                )
            )
    if not tops:
        problems.append(Problem((), "no top node (an aggregate or indicator without a Parent)"))
    for code in tree_codes:
        parent = _cell(rows_by_code[code], "Parent")
        if parent in levels and code in levels and levels[parent] != levels[code] + 1:
            problems.append(
                Problem(
                    (f"row {codes[code]}, column 'Level'",),
                    f"level {levels[code]} under {parent!r} at level {levels[parent]}; "
                    "a parent is one level up",
                )
            )
    if problems:
        raise InputError(imeta.name, problems)

    def weight(code: str) -> float:
        w = _number(_cell(rows_by_code[code], "Weight"), (), [])
        return 1.0 if w is None else w

    def label(code: str) -> Label:
        return Label(en=_cell(rows_by_code[code], "iName") or code)

    def build(code: str) -> Dimension | Indicator:
        row = rows_by_code[code]
        if kinds[code] == "Indicator":
            target = _number(_cell(row, "Target"), (), [])
            return Indicator(
                id=code,
                label=label(code),
                unit=_cell(row, "Unit") or None,
                direction=Direction.LOWER
                if _cell(row, "Direction").startswith("-")
                else Direction.HIGHER,
                target=target,
                weight=weight(code),
                denominator=_cell(row, "Denominator") or None,
            )
        kids = [build(c) for c in children[code]]
        dims = tuple(k for k in kids if isinstance(k, Dimension))
        inds = tuple(k for k in kids if isinstance(k, Indicator))
        return Dimension(
            id=code, label=label(code), weight=weight(code), children=dims, indicators=inds
        )

    top_level = max(levels.values())
    names = [LEVEL_NAMES.get(n, f"level {n}") for n in range(top_level, 0, -1)]
    if len(tops) == 1 and top_level > 1:
        names[0] = "index"
    fid = framework_id or _slug(idata.resolve().parent.name)
    has_denominators = any(_cell(rows_by_code[c], "Denominator") for c in tree_codes)
    steps = [
        Step(StepKind.NORMALISE, "minmax", {"lower": 0.0, "upper": 100.0}),
        Step(StepKind.AGGREGATE, "arithmetic"),
    ]
    if has_denominators:
        steps.insert(0, Step(StepKind.DENOMINATE, "divide"))
    try:
        framework = Framework(
            id=fid,
            name=Label(en=f"{fid} (imported from COINr tables)"),
            levels=tuple(names),
            dimensions=tuple(build(t) for t in tops),  # type: ignore[misc]
            description=Label(en=f"Imported from COINr's {idata.name} and {imeta.name}."),
            sources=(Source(citation=f"COINr exchange tables {idata.name}, {imeta.name}"),),
            pipeline=Pipeline(
                steps=tuple(steps),
                name="coinr-defaults",
                description="COINr's defaults: denominate where iMeta names a denominator, "
                "min-max onto [0, 100], weighted arithmetic means",
            ),
        )
    except ModelError as exc:
        raise InputError(imeta.name, exc.problems) from None
    data_csv, n_units = _convert_idata(idata, kinds)
    return CoinrImport(framework, data_csv, n_units)


def _convert_idata(idata: Path, kinds: dict[str, str]) -> tuple[str, int]:
    header, rows = _read_table(idata)
    problems: list[Problem] = []
    if "uCode" not in header:
        raise InputError(idata.name, [Problem((), "missing column 'uCode' (the unit codes)")])
    skip = {"uCode", "uName", "Time"}
    problems.extend(
        Problem((f"column {col!r}",), "not described in iMeta")
        for col in header
        if col not in skip and col not in kinds
    )
    for code, kind in kinds.items():
        if kind in ("Indicator", "Group", "Denominator") and code not in header:
            problems.append(
                Problem(
                    (f"column {code!r}",),
                    f"{kind.lower()} {code!r} of iMeta has no column in iData",
                )
            )
    if problems:
        raise InputError(idata.name, problems)
    times = {(_cell(r, "Time")) for r in rows} if "Time" in header else set()
    with_time = len(times) > 1
    out_cols: list[tuple[str, str]] = [("unit", "uCode")]
    if with_time:
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
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([new for new, _ in out_cols])
    for row in rows:
        writer.writerow([_cell(row, old) for _, old in out_cols])
    return buf.getvalue(), len(rows)


def import_coinr(
    idata: str | os.PathLike[str],
    imeta: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    framework_id: str | None = None,
) -> tuple[Path, Path]:
    """Write ``framework.yaml`` and ``data.csv`` for COINr's tables into ``out_dir``.

    Returns
    -------
    tuple of Path
        The framework file and the data file.
    """
    from cityeval.io.documents import write_atomic
    from cityeval.io.frameworks import save_framework

    result = read_coinr(idata, imeta, framework_id=framework_id)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    fw_path, data_path = out / "framework.yaml", out / "data.csv"
    save_framework(result.framework, fw_path)
    write_atomic(data_path, result.data_csv)
    return fw_path, data_path

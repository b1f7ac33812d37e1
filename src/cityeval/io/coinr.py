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
from cityeval.i18n import _
from cityeval.io.limits import read_bytes
from cityeval.io.outputs import csv_text
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

__all__ = ["MAX_LEVEL", "MAX_TABLE_BYTES", "CoinrImport", "import_coinr", "read_coinr"]

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


#: The largest iData or iMeta file read, in bytes (256 MiB).
MAX_TABLE_BYTES = 256 * 1024 * 1024
#: The highest ``Level`` accepted, as COINr's ``check_iMeta`` (levels are 1, 2, ..., at most 1000).
MAX_LEVEL = 1000

Row = dict[str, str]


def _read_table(path: Path) -> tuple[list[str], list[tuple[int, Row]]]:
    """The header and the rows (with their spreadsheet row numbers) of a COINr table.

    Refuses, with the row, a row with fewer cells than the header (a truncated row) or more
    (extra cells), and, with the column, an empty or repeated column name.
    """
    raw = read_bytes(path, MAX_TABLE_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        message = _("not a text file (it is not UTF-8)")
        raise InputError(path.name, [Problem((), message)]) from None
    if not text.strip():
        raise InputError(path.name, [Problem((), _("the file is empty"))])
    records: list[list[str]] = []
    try:
        records.extend(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        message = _("not valid CSV: {problem}").format(problem=exc)
        raise InputError(path.name, [Problem((f"row {len(records) + 1}",), message)]) from None
    header = [c.strip() for c in records[0]]
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for k, name in enumerate(header, start=1):
        if not name:
            problems.append(Problem((f"column {k}",), _("empty column name")))
        elif name in seen:
            problems.append(
                Problem(
                    (f"column {k}",),
                    _("duplicate column {name!r} (first at column {first})").format(
                        name=name, first=seen[name]
                    ),
                )
            )
        else:
            seen[name] = k
    rows: list[tuple[int, Row]] = []
    width = len(header)
    for n, record in enumerate(records[1:], start=2):
        if not "".join(record).strip():
            continue  # a blank line
        if len(record) != width:
            what = _("a truncated row") if len(record) < width else _("extra cells")
            problems.append(
                Problem(
                    (f"row {n}",),
                    _("expected {expected} cells, got {got} ({what})").format(
                        expected=width, got=len(record), what=what
                    ),
                )
            )
            continue
        rows.append((n, dict(zip(header, (c.strip() for c in record), strict=True))))
    if problems:
        raise InputError(path.name, problems)
    return header, rows


def _cell(row: Row, col: str) -> str:
    return (row.get(col) or "").strip()


def _where(r: int, col: str) -> tuple[str]:
    return (f"row {r}, column {col!r}",)


def _number(
    text: str, where: tuple[str, ...], problems: list[Problem], *, allow_empty: bool = True
) -> float | None:
    if text == "" or text.upper() in ("NA", "NAN"):
        if not allow_empty:
            problems.append(Problem(where, _("a value is required")))
        return None
    if not _NUMBER.fullmatch(text) and text.lower().lstrip("+-") not in ("inf", "infinity"):
        problems.append(Problem(where, _("expected a number, got {value!r}").format(value=text)))
        return None
    value = float(text)
    if not math.isfinite(value):
        message = _("expected a finite number, got {value!r}").format(value=text)
        problems.append(Problem(where, message))
        return None
    return value


#: A number as COINr's tables write it (R's ``write.csv``): no thousands separators.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _code_problem(code: str) -> str | None:
    """COINr's rules for codes: no spaces, not starting with a digit; ours: a valid id."""
    if " " in code:
        return _("{code!r} contains a space, which COINr does not allow").format(code=code)
    if code[:1].isdigit():
        return _("{code!r} begins with a number, which COINr does not allow").format(code=code)
    if not _CODE.fullmatch(code):
        return _("{code!r} is not a valid code (use letters, digits, '_', '.', '-')").format(
            code=code
        )
    return None


_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*")


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
    missing = [c for c in META_REQUIRED if c not in meta_header]
    if missing:
        message = _("missing column(s) {missing} (iMeta needs {required})").format(
            missing=", ".join(map(repr, missing)), required=", ".join(META_REQUIRED)
        )
        raise InputError(imeta.name, [Problem((), message)])
    problems: list[Problem] = []
    codes: dict[str, int] = {}
    kinds: dict[str, str] = {}
    rows_by_code: dict[str, Row] = {}
    for r, row in meta_rows:
        code = _cell(row, "iCode")
        kind = _cell(row, "Type")
        if not code:
            problems.append(Problem(_where(r, "iCode"), _("empty code")))
            continue
        bad = _code_problem(code)
        if bad is not None:
            problems.append(Problem(_where(r, "iCode"), bad))
            continue
        if code in codes:
            problems.append(
                Problem(
                    _where(r, "iCode"),
                    _("duplicate code {code!r} (first at row {first})").format(
                        code=code, first=codes[code]
                    ),
                )
            )
            continue
        if kind not in TYPES:
            problems.append(
                Problem(
                    _where(r, "Type"),
                    _("expected one of {types}, got {kind!r}").format(
                        types=", ".join(TYPES), kind=kind
                    ),
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
    weights: dict[str, float] = {}
    targets: dict[str, float | None] = {}
    tops: list[str] = []
    has_target = "Target" in meta_header
    for code in tree_codes:
        row, r = rows_by_code[code], codes[code]
        level = _number(_cell(row, "Level"), _where(r, "Level"), problems, allow_empty=False)
        if level is not None:
            if not level.is_integer() or not 1 <= level <= MAX_LEVEL:
                problems.append(
                    Problem(
                        _where(r, "Level"),
                        _("expected a level 1, 2, ... (at most {most}), got {value!r}").format(
                            most=MAX_LEVEL, value=_cell(row, "Level")
                        ),
                    )
                )
            elif kinds[code] == "Indicator" and level != 1:
                problems.append(
                    Problem(
                        _where(r, "Level"),
                        _("an indicator is at level 1, got {value}").format(value=int(level)),
                    )
                )
            elif kinds[code] == "Aggregate" and level == 1:
                problems.append(
                    Problem(_where(r, "Level"), _("an aggregate is at level 2 or higher, got 1"))
                )
            else:
                levels[code] = int(level)
        w = _number(_cell(row, "Weight"), _where(r, "Weight"), problems, allow_empty=False)
        if w is not None:
            if w < 0:
                problems.append(
                    Problem(
                        _where(r, "Weight"),
                        _("a weight must be >= 0, got {value}").format(value=_cell(row, "Weight")),
                    )
                )
            else:
                weights[code] = w
        if kinds[code] == "Indicator" and has_target:
            targets[code] = _number(_cell(row, "Target"), _where(r, "Target"), problems)
        parent = _cell(row, "Parent")
        if parent:
            if parent not in kinds:
                problems.append(
                    Problem(
                        _where(r, "Parent"), _("unknown parent {parent!r}").format(parent=parent)
                    )
                )
            elif kinds[parent] != "Aggregate":
                problems.append(
                    Problem(
                        _where(r, "Parent"),
                        _("parent {parent!r} is not an aggregate").format(parent=parent),
                    )
                )
            else:
                children[parent].append(code)
        else:
            tops.append(code)
        direction = _cell(row, "Direction")
        if kinds[code] == "Indicator" and direction not in ("1", "1.0", "-1", "-1.0"):
            problems.append(
                Problem(
                    _where(r, "Direction"),
                    _("expected 1 or -1, got {value!r}").format(value=direction),
                )
            )
        denom = _cell(row, "Denominator")
        if denom and kinds.get(denom) != "Denominator":
            problems.append(
                Problem(
                    _where(r, "Denominator"),
                    _("{name!r} is no denominator column of iMeta").format(name=denom),
                )
            )
    if not tops and tree_codes:
        problems.append(Problem((), _("no top node (an aggregate or indicator without a Parent)")))
    if not tree_codes:
        problems.append(Problem((), _("no indicators (no row of Type 'Indicator')")))
    used = set(levels.values())
    if used and used != set(range(1, max(used) + 1)):
        gaps = sorted(set(range(1, max(used) + 1)) - used)
        problems.append(
            Problem(
                ("column 'Level'",),
                _("levels skip {gaps}; COINr needs every level from 1 to the highest").format(
                    gaps=", ".join(map(str, gaps))
                ),
            )
        )
    for code in tree_codes:
        parent = _cell(rows_by_code[code], "Parent")
        if parent in levels and code in levels and levels[parent] != levels[code] + 1:
            problems.append(
                Problem(
                    _where(codes[code], "Level"),
                    _(
                        "level {level} under {parent!r} at level {parent_level}; "
                        "a parent is one level up"
                    ).format(level=levels[code], parent=parent, parent_level=levels[parent]),
                )
            )
    if problems:
        raise InputError(imeta.name, problems)

    def weight(code: str) -> float:
        return weights[code]

    def label(code: str) -> Label:
        return Label(en=_cell(rows_by_code[code], "iName") or code)

    def build(code: str) -> Dimension | Indicator:
        row = rows_by_code[code]
        if kinds[code] == "Indicator":
            target = targets.get(code)
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
        unit = _cell(row, "uCode")
        if not unit:
            problems.append(Problem(_where(r, "uCode"), _("empty unit code")))
        elif " " in unit:
            problems.append(
                Problem(
                    _where(r, "uCode"),
                    _("{code!r} contains a space, which COINr does not allow").format(code=unit),
                )
            )
        if "Time" in header:
            t = _number(_cell(row, "Time"), _where(r, "Time"), problems)
            if t is not None:
                times.add(t)
        for col in numeric:
            _number(_cell(row, col), _where(r, col), problems)
    panel = len(times) > 1
    for r, row in rows:
        unit = _cell(row, "uCode")
        key = (unit, _cell(row, "Time") if panel else "")
        if unit and key in first:
            message = (
                _("duplicate unit {unit!r} at time {time} (first at row {first})")
                if panel
                else _("duplicate unit code {unit!r} (first at row {first})")
            )
            problems.append(
                Problem(
                    _where(r, "uCode"), message.format(unit=unit, time=key[1], first=first[key])
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
        ([_cell(row, old) for _new, old in out_cols] for _r, row in rows),
        header=[new for new, _old in out_cols],
    )
    return text, len(rows)


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

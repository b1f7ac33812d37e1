"""Import COINr's exchange tables (iData, iMeta) as a cityeval framework and data set.

COINr (the R toolkit for composite indicators) keeps an index in two tables: ``iData``, one
row a unit (``uCode``, ``uName``, group, ``Time``, denominator and indicator columns), and
``iMeta``, one row per column of iData and per aggregate (``Level``, ``iCode``, ``iName``,
``Direction``, ``Weight``, ``Unit``, ``Target``, ``Denominator``, ``Parent``, ``Type``).
This module turns them into a :class:`~cityeval.model.Framework` and a CSV in cityeval's data
layout (``unit``, ``time``, ``name``, ``group:NAME``, ``denominator:NAME``, indicators).

Reading a table and checking its cells is :mod:`cityeval.io.coinr_table`; converting iData is
:mod:`cityeval.io.coinr_idata`; this module checks iMeta and builds the framework from it.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from pathlib import Path

from attrs import frozen

from cityeval.errors import InputError, ModelError, Problem
from cityeval.i18n import _
from cityeval.io.coinr_idata import convert_idata
from cityeval.io.coinr_table import (
    MAX_TABLE_BYTES,
    Row,
    cell,
    code_problem,
    number,
    read_table,
    where,
)
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


#: The highest ``Level`` accepted, as COINr's ``check_iMeta`` (levels are 1, 2, ..., at most 1000).
MAX_LEVEL = 1000


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
    meta_header, meta_rows = read_table(imeta)
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
        code = cell(row, "iCode")
        kind = cell(row, "Type")
        if not code:
            problems.append(Problem(where(r, "iCode"), _("empty code")))
            continue
        bad = code_problem(code)
        if bad is not None:
            problems.append(Problem(where(r, "iCode"), bad))
            continue
        if code in codes:
            problems.append(
                Problem(
                    where(r, "iCode"),
                    _("duplicate code {code!r} (first at row {first})").format(
                        code=code, first=codes[code]
                    ),
                )
            )
            continue
        if kind not in TYPES:
            problems.append(
                Problem(
                    where(r, "Type"),
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
        level = number(cell(row, "Level"), where(r, "Level"), problems, allow_empty=False)
        if level is not None:
            if not level.is_integer() or not 1 <= level <= MAX_LEVEL:
                problems.append(
                    Problem(
                        where(r, "Level"),
                        _("expected a level 1, 2, ... (at most {most}), got {value!r}").format(
                            most=MAX_LEVEL, value=cell(row, "Level")
                        ),
                    )
                )
            elif kinds[code] == "Indicator" and level != 1:
                problems.append(
                    Problem(
                        where(r, "Level"),
                        _("an indicator is at level 1, got {value}").format(value=int(level)),
                    )
                )
            elif kinds[code] == "Aggregate" and level == 1:
                problems.append(
                    Problem(where(r, "Level"), _("an aggregate is at level 2 or higher, got 1"))
                )
            else:
                levels[code] = int(level)
        w = number(cell(row, "Weight"), where(r, "Weight"), problems, allow_empty=False)
        if w is not None:
            if w < 0:
                problems.append(
                    Problem(
                        where(r, "Weight"),
                        _("a weight must be >= 0, got {value}").format(value=cell(row, "Weight")),
                    )
                )
            else:
                weights[code] = w
        if kinds[code] == "Indicator" and has_target:
            targets[code] = number(cell(row, "Target"), where(r, "Target"), problems)
        parent = cell(row, "Parent")
        if parent:
            if parent not in kinds:
                problems.append(
                    Problem(
                        where(r, "Parent"), _("unknown parent {parent!r}").format(parent=parent)
                    )
                )
            elif kinds[parent] != "Aggregate":
                problems.append(
                    Problem(
                        where(r, "Parent"),
                        _("parent {parent!r} is not an aggregate").format(parent=parent),
                    )
                )
            else:
                children[parent].append(code)
        else:
            tops.append(code)
        direction = cell(row, "Direction")
        if kinds[code] == "Indicator" and direction not in ("1", "1.0", "-1", "-1.0"):
            problems.append(
                Problem(
                    where(r, "Direction"),
                    _("expected 1 or -1, got {value!r}").format(value=direction),
                )
            )
        denom = cell(row, "Denominator")
        if denom and kinds.get(denom) != "Denominator":
            problems.append(
                Problem(
                    where(r, "Denominator"),
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
        parent = cell(rows_by_code[code], "Parent")
        if parent in levels and code in levels and levels[parent] != levels[code] + 1:
            problems.append(
                Problem(
                    where(codes[code], "Level"),
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
        return Label(en=cell(rows_by_code[code], "iName") or code)

    def build(code: str) -> Dimension | Indicator:
        row = rows_by_code[code]
        if kinds[code] == "Indicator":
            target = targets.get(code)
            return Indicator(
                id=code,
                label=label(code),
                unit=cell(row, "Unit") or None,
                direction=Direction.LOWER
                if cell(row, "Direction").startswith("-")
                else Direction.HIGHER,
                target=target,
                weight=weight(code),
                denominator=cell(row, "Denominator") or None,
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
    has_denominators = any(cell(rows_by_code[c], "Denominator") for c in tree_codes)
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
    data_csv, n_units = convert_idata(idata, kinds)
    return CoinrImport(framework, data_csv, n_units)


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

"""Reading one filled evaluation form: its hidden record and every reported row, or problems.

A workbook is checked for size and zip bombs before openpyxl opens it
(:mod:`~cityeval.masterplan.forms.zipguard`), then read in openpyxl's read-only mode. Every
bad cell is reported at the cell the officer filled, as ``form-dinkes.xlsx: Dinkes!G7:
problem``, and all problems of a workbook are reported together.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import frozen

from cityeval.i18n import _
from cityeval.masterplan.forms.cells import number_cell, status_cell, text_cell
from cityeval.masterplan.forms.layout import (
    COL_EVIDENCE,
    COL_INDICATOR_ID,
    COL_PROGRAMME_ID,
    COL_REALISED,
    COL_STATUS,
    FIRST_ROW,
    FORM_VERSION,
    META_SHEET,
    STATUS_LABELS,
    CellProblem,
    FormError,
    openpyxl_module,
)
from cityeval.masterplan.forms.zipguard import xlsx_problem
from cityeval.masterplan.model import EntryStatus, Masterplan, RoundEntry
from cityeval.model import Label

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

__all__ = ["FormContent", "FormMeta", "FormRow", "read_form", "stored_masterplan"]

PathLike = str | os.PathLike[str]

_COLUMNS = "ABCDEFGHIJK"
_IDX = {col: i for i, col in enumerate(_COLUMNS)}
_META_ROWS_MAX = 1_000
_SHEET_ROWS_MAX = 100_000


@frozen
class FormMeta:
    """What a form's hidden sheet records: the masterplan, the round, its year, date and name,
    and which sheet belongs to which OPD (``(sheet name, OPD id)``)."""

    masterplan: str
    round: str
    year: int
    date: dt.date | None
    label: Label | None
    sheets: tuple[tuple[str, str], ...]


@frozen
class FormRow:
    """A reported row: the entry it gives, and where it stands (file, sheet, row number)."""

    entry: RoundEntry
    file: str
    sheet: str
    row: int

    def cell(self, col: str) -> str:
        """The reference of this row's cell in column ``col``: ``G7``."""
        return f"{col}{self.row}"


@frozen
class FormContent:
    """A form read without problems: its record, the OPD sheets present and their rows.

    ``filled`` holds the OPD ids whose sheet has at least one reported row.
    """

    file: str
    meta: FormMeta
    opds: tuple[str, ...]
    filled: tuple[str, ...]
    rows: tuple[FormRow, ...]


def _load(path: Path, name: str) -> Workbook | CellProblem:
    openpyxl = openpyxl_module()
    if not path.is_file():
        return CellProblem(name, _("file not found") if not path.exists() else _("not a file"))
    refused = xlsx_problem(path)
    if refused is not None:
        return CellProblem(name, refused)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about spreadsheet features it drops (extensions, styles); they do
            # not matter for reading values.
            warnings.simplefilter("ignore")
            # From memory (the guard capped the size): no file handle left open whatever
            # openpyxl raises, and none held while the workbook is read lazily.
            data = io.BytesIO(path.read_bytes())
            wb: Workbook = openpyxl.load_workbook(data, read_only=True, data_only=False)
    except Exception:  # a zip that is not a workbook fails in many ways (zip, XML, KeyError)
        return CellProblem(name, _("not a valid Excel workbook (.xlsx)"))
    return wb


def _altered(name: str) -> CellProblem:
    return CellProblem(
        name, _("the hidden sheet {sheet} has been altered").format(sheet=repr(META_SHEET))
    )


def _read_meta(wb: Workbook, name: str) -> FormMeta | CellProblem:
    if META_SHEET not in wb.sheetnames:
        return CellProblem(
            name,
            _(
                "not a cityeval evaluation form (its hidden sheet {sheet} is missing); write "
                "forms with `cityeval masterplan form`"
            ).format(sheet=repr(META_SHEET)),
        )
    values: dict[str, Any] = {}
    sheets: list[tuple[str, str]] = []
    for n, row in enumerate(wb[META_SHEET].iter_rows(max_col=3, values_only=True)):
        if n >= _META_ROWS_MAX:
            return _altered(name)
        if not row or row[0] is None:
            continue
        key = str(row[0])
        if key == "sheet" and len(row) >= 3:
            if not isinstance(row[1], str) or not isinstance(row[2], str):
                return _altered(name)
            sheets.append((row[1], row[2]))
        else:
            values[key] = row[1] if len(row) > 1 else None
    version = values.get("format")
    if not isinstance(version, int) or isinstance(version, bool) or version > FORM_VERSION:
        return CellProblem(
            name,
            _("form format {version} is not one this cityeval reads ({supported})").format(
                version=repr(version), supported=FORM_VERSION
            ),
        )
    try:
        year = values["year"]
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2200:
            return _altered(name)
        raw_date = values.get("date")
        date = dt.date.fromisoformat(str(raw_date)) if raw_date is not None else None
        label_id, label_en = values.get("label_id"), values.get("label_en")
        label = (
            Label(
                id=str(label_id) if label_id is not None else None,
                en=str(label_en) if label_en is not None else None,
            )
            if label_id is not None or label_en is not None
            else None
        )
        masterplan, round_id = values["masterplan"], values["round"]
        if not isinstance(masterplan, str) or not isinstance(round_id, str):
            return _altered(name)
        return FormMeta(masterplan, round_id, year, date, label, tuple(sheets))
    except (KeyError, TypeError, ValueError):
        return _altered(name)


def stored_masterplan(path: PathLike) -> str:
    """The id of the masterplan a form was written for.

    Raises
    ------
    FormError
        If the file is not a readable cityeval form.
    """
    p = Path(path)
    wb = _load(p, p.name)
    if isinstance(wb, CellProblem):
        raise FormError([wb])
    try:
        meta = _read_meta(wb, p.name)
    except Exception:  # openpyxl parses sheets lazily: a broken part fails here, in many ways
        meta = CellProblem(p.name, _("not a valid Excel workbook (.xlsx)"))
    finally:
        wb.close()
    if isinstance(meta, CellProblem):
        raise FormError([meta])
    return meta.masterplan


def _read_sheet(
    rows_in: Any,
    name: str,
    sheet: str,
    opd_id: str,
    masterplan: Masterplan,
    problems: list[CellProblem],
) -> list[FormRow]:
    rows: list[FormRow] = []
    for r, raw in enumerate(rows_in, start=FIRST_ROW):
        if r - FIRST_ROW >= _SHEET_ROWS_MAX:
            problems.append(
                CellProblem(
                    name,
                    _("more than {n} rows; do not add rows to a form").format(n=_SHEET_ROWS_MAX),
                    sheet,
                    f"A{r}",
                )
            )
            break
        cells = tuple(raw) + (None,) * (len(_COLUMNS) - len(raw))

        def value(col: str, cells: tuple[Any, ...] = cells) -> Any:
            return cells[_IDX[col]]

        def at(col: str, message: str, r: int = r) -> None:
            problems.append(CellProblem(name, message, sheet, f"{col}{r}"))

        realised = number_cell(value(COL_REALISED))
        status = status_cell(value(COL_STATUS))
        evidence = text_cell(value(COL_EVIDENCE))
        if realised is None and status is None and evidence is None:
            continue  # not reported
        first_filled = next(
            c
            for c, v in ((COL_REALISED, realised), (COL_STATUS, status), (COL_EVIDENCE, evidence))
            if v is not None
        )
        prog_id = text_cell(value(COL_PROGRAMME_ID))
        ind_id = text_cell(value(COL_INDICATOR_ID))
        if prog_id is None or ind_id is None:
            at(
                first_filled,
                _(
                    "a filled row without its programme and indicator ids; do not add rows or "
                    "edit the hidden columns"
                ),
            )
            continue
        prog = next((p for p in masterplan.programmes if p.id == prog_id), None)
        if prog is None:
            at(
                COL_PROGRAMME_ID,
                _("unknown programme {programme} in masterplan {masterplan}").format(
                    programme=repr(prog_id), masterplan=repr(masterplan.id)
                ),
            )
            continue
        ind = next((i for i in prog.indicators if i.id == ind_id), None)
        if ind is None:
            at(
                COL_INDICATOR_ID,
                _("programme {programme} has no indicator {indicator}").format(
                    programme=repr(prog_id), indicator=repr(ind_id)
                ),
            )
            continue
        bad = False
        if isinstance(realised, str):
            at(COL_REALISED, realised)
            bad = True
        elif realised is not None:
            outside = ind.value_problem(realised)
            if outside is not None:
                at(COL_REALISED, outside)
                bad = True
        if isinstance(status, str):
            at(COL_STATUS, status)
            bad = True
        if bad:
            continue
        assert not isinstance(realised, str) and not isinstance(status, str)
        if status is None:
            at(COL_STATUS, _("choose a status: a realised value or evidence is given"))
            continue
        if status is EntryStatus.COMPLETED and realised is None:
            at(
                COL_REALISED,
                _("status {status} (completed) needs a realised value").format(
                    status=repr(STATUS_LABELS[status])
                ),
            )
            continue
        entry = RoundEntry(
            programme=prog_id,
            indicator=ind_id,
            status=status,
            realised=realised,
            evidence=evidence,
            opd=opd_id,
        )
        rows.append(FormRow(entry, name, sheet, r))
    return rows


def read_form(
    path: PathLike, masterplan: Masterplan, problems: list[CellProblem]
) -> FormContent | None:
    """Read one filled form; its problems go to ``problems`` (None when it cannot be used).

    The form must be for ``masterplan``; which round it is for is left to the caller.
    """
    p = Path(path)
    name = p.name
    wb = _load(p, name)
    if isinstance(wb, CellProblem):
        problems.append(wb)
        return None
    try:
        return _read_open(wb, name, masterplan, problems)
    except Exception:  # openpyxl parses sheets lazily: a broken part fails here, in many ways
        problems.append(CellProblem(name, _("not a valid Excel workbook (.xlsx)")))
        return None
    finally:
        wb.close()


def _read_open(
    wb: Workbook, name: str, masterplan: Masterplan, problems: list[CellProblem]
) -> FormContent | None:
    meta = _read_meta(wb, name)
    if isinstance(meta, CellProblem):
        problems.append(meta)
        return None
    if meta.masterplan != masterplan.id:
        problems.append(
            CellProblem(
                name,
                _("the form is for masterplan {form}, not {masterplan}").format(
                    form=repr(meta.masterplan), masterplan=repr(masterplan.id)
                ),
            )
        )
        return None
    before = len(problems)
    opds: list[str] = []
    filled: list[str] = []
    rows: list[FormRow] = []
    known = [o.id for o in masterplan.opds]
    for sheet, opd_id in meta.sheets:
        if sheet not in wb.sheetnames:
            problems.append(
                CellProblem(name, _("the sheet {sheet} is missing").format(sheet=repr(sheet)))
            )
            continue
        if opd_id not in known:
            problems.append(
                CellProblem(
                    name,
                    _("the sheet {sheet} is for OPD {opd}, unknown to the masterplan").format(
                        sheet=repr(sheet), opd=repr(opd_id)
                    ),
                )
            )
            continue
        ws = wb[sheet]
        found = _read_sheet(
            ws.iter_rows(min_row=FIRST_ROW, max_col=len(_COLUMNS), values_only=True),
            name,
            sheet,
            opd_id,
            masterplan,
            problems,
        )
        opds.append(opd_id)
        if found:
            filled.append(opd_id)
        rows.extend(found)
    if len(problems) > before:
        return None
    return FormContent(name, meta, tuple(opds), tuple(filled), tuple(rows))

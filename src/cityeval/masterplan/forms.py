"""Evaluation forms: an Excel workbook per round for the OPDs to fill, and reading it back.

:func:`write_form` writes one sheet per OPD listing its programme indicators with their
baseline and the target for the round's year, and cells for the realised value (checked to be
a number), the status (a dropdown) and the evidence; a first sheet, "Petunjuk", explains it in
Indonesian, and a hidden sheet records the masterplan, the round and the year.
:func:`read_forms` reads filled workbooks back into an :class:`EvaluationRound`, reporting
every bad cell as ``form.xlsx: Dinkes!G7: problem``. Needs ``openpyxl`` (the ``excel`` extra),
imported only when a form is written or read.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from attrs import frozen

from cityeval.errors import CityevalError
from cityeval.io.converter import describe
from cityeval.masterplan.model import (
    EntryStatus,
    EvaluationRound,
    Masterplan,
    Opd,
    Programme,
    ProgrammeIndicator,
    RoundEntry,
)
from cityeval.model import Label

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "FORM_VERSION",
    "STATUS_LABELS",
    "CellProblem",
    "FormError",
    "put_text",
    "read_forms",
    "stored_masterplan",
    "write_form",
]

PathLike = str | os.PathLike[str]

#: The layout version written into every form; :func:`read_forms` refuses newer ones.
FORM_VERSION = 1

#: What the status dropdown shows for each status (the status codes are accepted too).
STATUS_LABELS: dict[EntryStatus, str] = {
    EntryStatus.NOT_STARTED: "belum dimulai",
    EntryStatus.IN_PROGRESS: "sedang berjalan",
    EntryStatus.COMPLETED: "selesai",
    EntryStatus.CANCELLED: "dibatalkan",
}

GUIDE_SHEET = "Petunjuk"
META_SHEET = "_cityeval"
FIRST_ROW = 4  # rows 1-2: title, row 3: headers

# Column letters of an OPD sheet. Ids sit in hidden, locked columns at the right.
COL_PROGRAMME_NAME = "A"
COL_INDICATOR_NAME = "B"
COL_UNIT = "C"
COL_BASELINE = "D"
COL_BASELINE_YEAR = "E"
COL_TARGET = "F"
COL_REALISED = "G"
COL_STATUS = "H"
COL_EVIDENCE = "I"
COL_PROGRAMME_ID = "J"
COL_INDICATOR_ID = "K"

_HEADERS = (
    (COL_PROGRAMME_NAME, "Program", 34),
    (COL_INDICATOR_NAME, "Indikator", 40),
    (COL_UNIT, "Satuan", 14),
    (COL_BASELINE, "Baseline", 11),
    (COL_BASELINE_YEAR, "Tahun baseline", 10),
    (COL_TARGET, "Target {year}", 11),
    (COL_REALISED, "Realisasi {year}", 13),
    (COL_STATUS, "Status", 17),
    (COL_EVIDENCE, "Bukti / keterangan", 44),
    (COL_PROGRAMME_ID, "id program", 10),
    (COL_INDICATOR_ID, "id indikator", 10),
)

_FORMULA_START = ("=", "+", "-", "@")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


# -- errors ---------------------------------------------------------------------------------


@frozen
class CellProblem:
    """A problem in a form: the workbook, and the sheet and cell when there is one."""

    file: str
    message: str
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}: " if self.sheet is not None else ""
        return f"{self.file}: {where}{self.message}"


class FormError(CityevalError, ValueError):
    """Filled forms that cannot be read into a round; one line per problem."""

    def __init__(self, problems: Iterable[CellProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# -- writing --------------------------------------------------------------------------------


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - depends on the environment
        raise CityevalError("Excel forms need openpyxl: pip install 'cityeval[excel]'") from None
    return openpyxl


def put_text(cell: Cell | MergedCell, text: str | None) -> None:
    """Write ``text`` so that a spreadsheet shows it as text, never runs it as a formula.

    A string beginning with ``=``, ``+``, ``-`` or ``@`` would otherwise be read as a formula
    (CSV/formula injection): such cells are stored as strings with Excel's quote prefix.
    """
    cell.value = text
    if text is not None and text.startswith(_FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def _sheet_names(opds: Sequence[Opd]) -> dict[str, str]:
    """A sheet name per OPD id: its short name, made legal and unique (31 characters)."""
    names: dict[str, str] = {}
    used = {GUIDE_SHEET.lower(), META_SHEET.lower()}
    for opd in opds:
        base = re.sub(r"[\[\]:*?/\\']", "-", opd.short).strip() or opd.id
        base = base[:31]
        name, n = base, 2
        while name.lower() in used:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        used.add(name.lower())
        names[opd.id] = name
    return names


def _guide(wb: Workbook, masterplan: Masterplan, round_id: str, year: int) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = GUIDE_SHEET
    statuses = ", ".join(f"'{label}'" for label in STATUS_LABELS.values())
    lines = [
        f"Formulir evaluasi smart city - {masterplan.regency.title}",
        f"Masterplan: {masterplan.id} ({masterplan.period})   Putaran evaluasi (tahap): "
        f"{round_id}   Tahun target: {year}",
        "",
        "Petunjuk pengisian",
        "1. Setiap OPD (organisasi perangkat daerah) mengisi lembar (sheet) dengan nama "
        "singkatannya. Program yang dijalankan beberapa OPD muncul di lembar setiap OPD "
        "tersebut; cukup satu OPD yang mengisi, atau isilah dengan nilai yang sama.",
        "2. Isi hanya kolom berwarna: Realisasi (angka), Status (pilih dari daftar) dan "
        "Bukti / keterangan (teks bebas: nomor SK, tautan, laporan).",
        f"3. Realisasi diisi angka dalam satuan indikator, untuk tahun {year}. Gunakan angka "
        "saja, tanpa satuan atau teks (contoh: 42 atau 42,5).",
        f"4. Status: {statuses}. Status 'selesai' wajib disertai nilai realisasi.",
        "5. Baris yang dibiarkan kosong dianggap tidak dilaporkan. Jika mengisi realisasi "
        "atau bukti, pilih juga statusnya.",
        "6. Jangan mengubah, menghapus atau menyisipkan baris dan kolom, dan jangan mengubah "
        "nama lembar: kolom id yang tersembunyi dipakai untuk membaca formulir kembali.",
        "7. Kirim berkas yang sudah diisi ke tim smart city (Diskominfo/Bappeda), yang "
        f"menggabungkannya dengan: cityeval masterplan collect ... --round {round_id}",
        "",
        "Arah indikator: untuk sebagian indikator nilai yang lebih rendah lebih baik "
        "(misalnya lama layanan dalam hari); targetnya lebih rendah dari baseline.",
        "",
        "Catatan: " + (masterplan.note or "-"),
    ]
    for i, line in enumerate(lines, start=1):
        put_text(ws.cell(row=i, column=1), line)
    ws["A1"].font = _font(bold=True, size=14)
    ws["A4"].font = _font(bold=True)
    ws.column_dimensions["A"].width = 120
    for row in ws.iter_rows(min_row=5, max_row=len(lines)):
        for cell in row:
            cell.alignment = _alignment(wrap=True)


def _font(**kwargs: Any) -> Any:
    from openpyxl.styles import Font

    return Font(**kwargs)


def _alignment(**kwargs: Any) -> Any:
    from openpyxl.styles import Alignment

    kwargs.setdefault("vertical", "top")
    if "wrap" in kwargs:
        kwargs["wrap_text"] = kwargs.pop("wrap")
    return Alignment(**kwargs)


def _meta(wb: Workbook, rows: list[tuple[str, Any, Any]]) -> None:
    ws = wb.create_sheet(META_SHEET)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str):
                put_text(ws.cell(row=r, column=c), value)
            else:
                ws.cell(row=r, column=c, value=value)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


def _opd_sheet(
    wb: Workbook,
    name: str,
    opd: Opd,
    rows: list[tuple[Programme, ProgrammeIndicator]],
    year: int,
    round_id: str,
    prefill: EvaluationRound | None,
) -> None:
    from openpyxl.styles import PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(name)
    put_text(ws["A1"], f"{opd.name.text('id')} ({opd.short})")
    ws["A1"].font = _font(bold=True, size=13)
    put_text(ws["A2"], f"Putaran evaluasi {round_id}, tahun {year}")
    for col, header, width in _HEADERS:
        cell = ws[f"{col}3"]
        put_text(cell, header.format(year=year))
        cell.font = _font(bold=True)
        cell.alignment = _alignment(wrap=True)
        ws.column_dimensions[col].width = width
    for col in (COL_PROGRAMME_ID, COL_INDICATOR_ID):
        ws.column_dimensions[col].hidden = True
    fill = PatternFill("solid", fgColor="FFF2CC")
    unlocked = Protection(locked=False)
    last = FIRST_ROW + len(rows) - 1
    for r, (prog, ind) in enumerate(rows, start=FIRST_ROW):
        put_text(ws[f"{COL_PROGRAMME_NAME}{r}"], prog.name.text("id"))
        put_text(ws[f"{COL_INDICATOR_NAME}{r}"], ind.name.text("id"))
        put_text(ws[f"{COL_UNIT}{r}"], ind.unit)
        ws[f"{COL_BASELINE}{r}"] = ind.baseline.value
        ws[f"{COL_BASELINE_YEAR}{r}"] = ind.baseline.year
        ws[f"{COL_TARGET}{r}"] = ind.target(year)
        put_text(ws[f"{COL_PROGRAMME_ID}{r}"], prog.id)
        put_text(ws[f"{COL_INDICATOR_ID}{r}"], ind.id)
        entry = prefill.entry(prog.id, ind.id) if prefill is not None else None
        if entry is not None:
            ws[f"{COL_REALISED}{r}"] = entry.realised
            put_text(ws[f"{COL_STATUS}{r}"], STATUS_LABELS[entry.status])
            put_text(ws[f"{COL_EVIDENCE}{r}"], entry.evidence)
        for col in (COL_REALISED, COL_STATUS, COL_EVIDENCE):
            ws[f"{col}{r}"].protection = unlocked
            ws[f"{col}{r}"].fill = fill
        for col in (COL_PROGRAMME_NAME, COL_INDICATOR_NAME, COL_EVIDENCE):
            ws[f"{col}{r}"].alignment = _alignment(wrap=True)
    number = DataValidation(
        type="decimal",
        operator="between",
        formula1="-1000000000000000",
        formula2="1000000000000000",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Bukan angka",
        error="Isi realisasi dengan angka saja (contoh: 42 atau 42,5).",
    )
    status = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUS_LABELS.values()) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Status tidak dikenal",
        error="Pilih status dari daftar.",
    )
    ws.add_data_validation(number)
    ws.add_data_validation(status)
    number.add(f"{COL_REALISED}{FIRST_ROW}:{COL_REALISED}{last}")
    status.add(f"{COL_STATUS}{FIRST_ROW}:{COL_STATUS}{last}")
    ws.freeze_panes = f"C{FIRST_ROW}"
    ws.protection.sheet = True


def write_form(
    masterplan: Masterplan,
    round_id: str,
    path: PathLike,
    *,
    year: int,
    date: dt.date | None = None,
    label: Label | None = None,
    prefill: EvaluationRound | None = None,
) -> list[str]:
    """Write the evaluation form of a round as an Excel workbook, atomically.

    Parameters
    ----------
    masterplan : Masterplan
        Whose programmes the form lists.
    round_id : str
        The round the form collects, such as ``"2019-tahap-3"``; stored in the workbook.
    path : path
        Where to write the ``.xlsx`` file.
    year : int
        The year whose targets the form shows.
    date, label : optional
        The round's date and name, stored for :func:`read_forms`.
    prefill : EvaluationRound, optional
        A round whose values fill the form in (to correct or complete it).

    Returns
    -------
    list of str
        The names of the OPD sheets written (OPDs without programmes get none).
    """
    openpyxl = _openpyxl()
    wb: Workbook = openpyxl.Workbook()
    _guide(wb, masterplan, round_id, year)
    names = _sheet_names(masterplan.opds)
    written: list[str] = []
    meta: list[tuple[str, Any, Any]] = [
        ("format", FORM_VERSION, None),
        ("masterplan", masterplan.id, None),
        ("round", round_id, None),
        ("year", year, None),
        ("date", date.isoformat() if date is not None else None, None),
        ("label_id", label.id if label is not None else None, None),
        ("label_en", label.en if label is not None else None, None),
    ]
    for opd in masterplan.opds:
        rows = [(p, i) for p in masterplan.programmes_of(opd.id) for i in p.indicators]
        if not rows:
            continue
        _opd_sheet(wb, names[opd.id], opd, rows, year, round_id, prefill)
        meta.append(("sheet", names[opd.id], opd.id))
        written.append(names[opd.id])
    _meta(wb, meta)
    buffer = io.BytesIO()
    wb.save(buffer)
    _write_bytes_atomic(Path(path), buffer.getvalue())
    return written


def _write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- reading --------------------------------------------------------------------------------


@frozen
class _Meta:
    masterplan: str
    round: str
    year: int
    date: dt.date | None
    label: Label | None
    sheets: tuple[tuple[str, str], ...]  # (sheet name, OPD id)


def _load(path: Path, name: str) -> Workbook | CellProblem:
    openpyxl = _openpyxl()
    if not path.is_file():
        return CellProblem(name, "file not found")
    try:
        with warnings.catch_warnings():
            # openpyxl warns about spreadsheet features it drops (extensions, styles); they do
            # not matter for reading values.
            warnings.simplefilter("ignore")
            wb: Workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception:  # a zip that is not a workbook fails in many ways (zip, XML, KeyError)
        return CellProblem(name, "not a valid Excel workbook")
    return wb


def _read_meta(wb: Workbook, name: str) -> _Meta | CellProblem:
    if META_SHEET not in wb.sheetnames:
        return CellProblem(
            name,
            f"not a cityeval evaluation form (its hidden sheet {META_SHEET!r} is missing); "
            "write forms with `cityeval masterplan form`",
        )
    values: dict[str, Any] = {}
    sheets: list[tuple[str, str]] = []
    for row in wb[META_SHEET].iter_rows(values_only=True):
        if not row or row[0] is None:
            continue
        key = str(row[0])
        if key == "sheet" and len(row) >= 3:
            sheets.append((str(row[1]), str(row[2])))
        else:
            values[key] = row[1] if len(row) > 1 else None
    version = values.get("format")
    if not isinstance(version, int) or version > FORM_VERSION:
        return CellProblem(
            name, f"form format {version!r} is not one this cityeval reads ({FORM_VERSION})"
        )
    try:
        year = int(values["year"])
        date = (
            dt.date.fromisoformat(str(values["date"])) if values.get("date") is not None else None
        )
        label_id, label_en = values.get("label_id"), values.get("label_en")
        label = (
            Label(id=label_id, en=label_en)
            if label_id is not None or label_en is not None
            else None
        )
        return _Meta(
            str(values["masterplan"]), str(values["round"]), year, date, label, tuple(sheets)
        )
    except (KeyError, TypeError, ValueError):
        return CellProblem(name, f"the hidden sheet {META_SHEET!r} has been altered")


def stored_masterplan(path: PathLike) -> str:
    """The id of the masterplan a form was written for.

    Raises
    ------
    FormError
        If the file is not a readable cityeval form.
    """
    p = Path(path)
    wb = _load(p, p.name)
    meta = wb if isinstance(wb, CellProblem) else _read_meta(wb, p.name)
    if isinstance(meta, CellProblem):
        raise FormError([meta])
    return meta.masterplan


def _number(value: object) -> float | str | None:
    """The cell as a number, None when blank, or the problem as text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        return f"expected a number, got {describe(value)}"
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and _NUMBER.match(value.strip()):
        return float(value.strip().replace(",", "."))
    return f"expected a number, got {describe(value)}"


def _status(value: object) -> EntryStatus | str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip().lower()
    for status, label in STATUS_LABELS.items():
        if text in (label, status.value):
            return status
    choices = ", ".join(f"'{label}'" for label in STATUS_LABELS.values())
    return f"expected one of {choices}, got {describe(value)}"


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


@frozen
class _Row:
    entry: RoundEntry
    file: str
    sheet: str
    cell: str


def _read_sheet(
    ws: Worksheet, name: str, opd_id: str, masterplan: Masterplan, problems: list[CellProblem]
) -> list[_Row]:
    rows: list[_Row] = []
    sheet = ws.title
    for r in range(FIRST_ROW, ws.max_row + 1):

        def at(col: str, message: str, r: int = r) -> None:
            problems.append(CellProblem(name, message, sheet, f"{col}{r}"))

        prog_id = _text(ws[f"{COL_PROGRAMME_ID}{r}"].value)
        ind_id = _text(ws[f"{COL_INDICATOR_ID}{r}"].value)
        realised = _number(ws[f"{COL_REALISED}{r}"].value)
        status = _status(ws[f"{COL_STATUS}{r}"].value)
        evidence = _text(ws[f"{COL_EVIDENCE}{r}"].value)
        if realised is None and status is None and evidence is None:
            continue  # not reported
        if prog_id is None or ind_id is None:
            at(
                COL_PROGRAMME_ID,
                "a filled row without its programme and indicator ids; do not add rows or "
                "edit the hidden columns",
            )
            continue
        prog = next((p for p in masterplan.programmes if p.id == prog_id), None)
        if prog is None:
            at(COL_PROGRAMME_ID, f"unknown programme {prog_id!r} in masterplan {masterplan.id!r}")
            continue
        if ind_id not in [i.id for i in prog.indicators]:
            at(COL_INDICATOR_ID, f"programme {prog_id!r} has no indicator {ind_id!r}")
            continue
        bad = False
        if isinstance(realised, str):
            at(COL_REALISED, realised)
            bad = True
        if isinstance(status, str):
            at(COL_STATUS, status)
            bad = True
        if bad:
            continue
        assert not isinstance(realised, str) and not isinstance(status, str)
        if status is None:
            at(COL_STATUS, "choose a status: a realised value or evidence is given")
            continue
        if status is EntryStatus.COMPLETED and realised is None:
            at(
                COL_REALISED,
                f"status '{STATUS_LABELS[status]}' (completed) needs a realised value",
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
        rows.append(_Row(entry, name, sheet, f"{COL_REALISED}{r}"))
    return rows


def read_forms(
    paths: Sequence[PathLike],
    masterplan: Masterplan,
    round_id: str,
    *,
    date: dt.date | None = None,
    label: Label | None = None,
) -> EvaluationRound:
    """Read filled evaluation forms back into one round; nothing is returned unless all is well.

    A row counts as reported when its realised value, status or evidence is filled in. A
    reported row needs a status, and a ``selesai`` (completed) row a realised value. The same
    programme indicator reported on several sheets or workbooks (programmes with several
    OPDs) must be reported identically; it is then kept once, from the first.

    Parameters
    ----------
    paths : sequence of path
        Workbooks written by :func:`write_form` for this round, filled in.
    masterplan : Masterplan
        The masterplan the forms were written for.
    round_id : str
        The round being collected; every workbook must be for it.
    date : datetime.date, optional
        The round's date; by default the one stored in the forms, else today.
    label : Label, optional
        The round's name; by default the one stored in the forms, else one made from its id.

    Raises
    ------
    FormError
        Listing every problem, such as ``form.xlsx: Dinkes!G7: expected a number, got
        'lima puluh'``, or ``form.xlsx: not a valid Excel workbook``.
    """
    problems: list[CellProblem] = []
    found: dict[tuple[str, str], _Row] = {}
    metas: list[tuple[str, _Meta]] = []
    for p in paths:
        path = Path(p)
        name = path.name
        wb = _load(path, name)
        if isinstance(wb, CellProblem):
            problems.append(wb)
            continue
        meta = _read_meta(wb, name)
        if isinstance(meta, CellProblem):
            problems.append(meta)
            continue
        if meta.masterplan != masterplan.id:
            problems.append(
                CellProblem(
                    name, f"the form is for masterplan {meta.masterplan!r}, not {masterplan.id!r}"
                )
            )
            continue
        if meta.round != round_id:
            problems.append(
                CellProblem(name, f"the form is for round {meta.round!r}, not {round_id!r}")
            )
            continue
        if metas and meta.year != metas[0][1].year:
            first_name, first = metas[0]
            problems.append(
                CellProblem(
                    name,
                    f"the form is for the year {meta.year}, but {first_name} is for {first.year}",
                )
            )
            continue
        metas.append((name, meta))
        for sheet, opd_id in meta.sheets:
            if sheet not in wb.sheetnames:
                problems.append(CellProblem(name, f"the sheet {sheet!r} is missing"))
                continue
            if opd_id not in [o.id for o in masterplan.opds]:
                problems.append(
                    CellProblem(
                        name,
                        f"the sheet {sheet!r} is for OPD {opd_id!r}, unknown to the masterplan",
                    )
                )
                continue
            for row in _read_sheet(wb[sheet], name, opd_id, masterplan, problems):
                key = (row.entry.programme, row.entry.indicator)
                first_row = found.get(key)
                if first_row is None:
                    found[key] = row
                elif not _differs(first_row.entry, row.entry):
                    found[key] = _lead_reporter(masterplan, first_row, row)
                else:
                    problems.append(
                        CellProblem(
                            name,
                            f"programme {key[0]!r}, indicator {key[1]!r} is reported differently "
                            f"in {first_row.file}: {first_row.sheet}!{first_row.cell}",
                            row.sheet,
                            row.cell,
                        )
                    )
    if not problems and not metas:
        problems.append(CellProblem("<forms>", "no form given"))
    if problems:
        raise FormError(problems)
    meta = metas[0][1]
    round_date = date or next((m.date for _, m in metas if m.date is not None), None)
    round_date = round_date or dt.date.today()
    round_label = (
        label
        or meta.label
        or Label(id=f"Evaluasi smart city {round_id}", en=f"Smart-city evaluation {round_id}")
    )
    order = {(p.id, i.id): n for n, (p, i) in enumerate(masterplan.items())}
    entries = sorted(
        (r.entry for r in found.values()), key=lambda e: order[(e.programme, e.indicator)]
    )
    return EvaluationRound(
        id=round_id,
        date=round_date,
        label=round_label,
        masterplan=masterplan.id,
        year=meta.year if meta.year != round_date.year else None,
        entries=tuple(entries),
    )


def _lead_reporter(masterplan: Masterplan, first: _Row, second: _Row) -> _Row:
    """Of two identical reports, the one credited to the OPD listed first on the programme."""
    opds = masterplan.programme(first.entry.programme).opds
    rank = {opd: i for i, opd in enumerate(opds)}
    late = len(opds)
    if rank.get(second.entry.opd or "", late) < rank.get(first.entry.opd or "", late):
        return attrs.evolve(first, entry=attrs.evolve(first.entry, opd=second.entry.opd))
    return first


def _differs(a: RoundEntry, b: RoundEntry) -> bool:
    return (a.status, a.realised, a.evidence) != (b.status, b.realised, b.evidence)

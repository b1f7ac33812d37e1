"""Writing evaluation forms: one Excel workbook per OPD (or one for all) for a round.

Each OPD sheet lists the OPD's programme indicators with their baseline and the target for the
round's year, and cells for the realised value (checked to be a number), the status (a
dropdown) and the evidence; a first sheet, "Petunjuk", explains it in Indonesian, and a hidden
sheet records the masterplan, the round and the year. Every sheet prints on A4. Needs
``openpyxl`` (the ``excel`` extra), imported only when a form is written.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import frozen

from cityeval.i18n import _
from cityeval.masterplan.forms.layout import (
    COL_BASELINE,
    COL_BASELINE_YEAR,
    COL_EVIDENCE,
    COL_INDICATOR_ID,
    COL_INDICATOR_NAME,
    COL_PROGRAMME_ID,
    COL_PROGRAMME_NAME,
    COL_REALISED,
    COL_STATUS,
    COL_TARGET,
    COL_UNIT,
    COMBINED_NAME,
    FIRST_ROW,
    FORM_VERSION,
    GUIDE_SHEET,
    HEADER_ROW,
    HEADERS,
    LAST_VISIBLE_COL,
    META_SHEET,
    STATUS_LABELS,
    form_file_name,
    openpyxl_module,
    put_text,
    sheet_names,
)
from cityeval.masterplan.forms.print_setup import a4_page_setup
from cityeval.masterplan.model import (
    EvaluationRound,
    Masterplan,
    Opd,
    Programme,
    ProgrammeIndicator,
)
from cityeval.model import Label

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

__all__ = ["WrittenForm", "form_workbook_bytes", "write_form", "write_forms"]

PathLike = str | os.PathLike[str]


@frozen
class WrittenForm:
    """One workbook written: its file name and the OPD sheets in it, as ``(OPD id, sheet)``."""

    file: str
    sheets: tuple[tuple[str, str], ...]


def _font(**kwargs: Any) -> Any:
    from openpyxl.styles import Font

    return Font(**kwargs)


def _alignment(**kwargs: Any) -> Any:
    from openpyxl.styles import Alignment

    kwargs.setdefault("vertical", "top")
    if "wrap" in kwargs:
        kwargs["wrap_text"] = kwargs.pop("wrap")
    return Alignment(**kwargs)


def _round_header(round_id: str, year: int) -> str:
    return f"Putaran evaluasi {round_id}, tahun {year}"


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
        "saja, tanpa satuan, teks atau titik pemisah ribuan (contoh: 42, 42,5 atau 1250).",
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
    a4_page_setup(
        ws,
        landscape=False,
        header_rows=None,
        header_left=masterplan.regency.title,
        header_right=_round_header(round_id, year),
    )
    ws.print_area = f"A1:A{len(lines)}"


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
    masterplan: Masterplan,
    year: int,
    round_id: str,
    prefill: EvaluationRound | None,
) -> None:
    from openpyxl.styles import PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(name)
    put_text(ws["A1"], f"{opd.name.text('id')} ({opd.short})")
    ws["A1"].font = _font(bold=True, size=13)
    put_text(ws["A2"], _round_header(round_id, year))
    for col, header, width in HEADERS:
        cell = ws[f"{col}{HEADER_ROW}"]
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
    # Nine visible columns, about 200 characters wide: landscape, one page wide.
    a4_page_setup(
        ws,
        landscape=True,
        header_rows=(HEADER_ROW, HEADER_ROW),
        header_left=masterplan.regency.title,
        header_right=_round_header(round_id, year),
    )
    ws.print_area = f"A1:{LAST_VISIBLE_COL}{last}"


def _rows_of(masterplan: Masterplan, opd: Opd) -> list[tuple[Programme, ProgrammeIndicator]]:
    return [(p, i) for p in masterplan.programmes_of(opd.id) for i in p.indicators]


def form_workbook_bytes(
    masterplan: Masterplan,
    round_id: str,
    *,
    year: int,
    date: dt.date | None = None,
    label: Label | None = None,
    prefill: EvaluationRound | None = None,
    opds: Iterable[str] | None = None,
) -> tuple[bytes, tuple[tuple[str, str], ...]]:
    """The form of a round as ``.xlsx`` bytes, with the ``(OPD id, sheet name)`` it holds.

    ``opds`` limits the workbook to those OPDs (by id); by default every OPD that runs a
    programme gets a sheet. OPDs without programmes get none.
    """
    openpyxl = openpyxl_module()
    wanted = None if opds is None else set(opds)
    wb: Workbook = openpyxl.Workbook()
    _guide(wb, masterplan, round_id, year)
    names = sheet_names(masterplan.opds)
    written: list[tuple[str, str]] = []
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
        rows = _rows_of(masterplan, opd)
        if not rows or (wanted is not None and opd.id not in wanted):
            continue
        _opd_sheet(wb, names[opd.id], opd, rows, masterplan, year, round_id, prefill)
        meta.append(("sheet", names[opd.id], opd.id))
        written.append((opd.id, names[opd.id]))
    _meta(wb, meta)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), tuple(written)


def write_form(
    masterplan: Masterplan,
    round_id: str,
    path: PathLike,
    *,
    year: int,
    date: dt.date | None = None,
    label: Label | None = None,
    prefill: EvaluationRound | None = None,
    opds: Iterable[str] | None = None,
) -> list[str]:
    """Write the evaluation form of a round as one Excel workbook, atomically.

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
        The round's date and name, stored for the reader.
    prefill : EvaluationRound, optional
        A round whose values fill the form in (to correct or complete it).
    opds : iterable of str, optional
        Only these OPDs' sheets (by id); all OPDs with programmes by default.

    Returns
    -------
    list of str
        The names of the OPD sheets written (OPDs without programmes get none).

    Raises
    ------
    OutputError
        If the file cannot be written.
    """
    from cityeval.io.outputs import write_output_file

    data, sheets = form_workbook_bytes(
        masterplan, round_id, year=year, date=date, label=label, prefill=prefill, opds=opds
    )
    write_output_file(Path(path), data)
    return [sheet for _opd, sheet in sheets]


def write_forms(
    masterplan: Masterplan,
    round_id: str,
    folder: PathLike,
    *,
    year: int,
    date: dt.date | None = None,
    label: Label | None = None,
    prefill: EvaluationRound | None = None,
    combined: bool = False,
    combined_name: str = COMBINED_NAME,
    protect: Sequence[PathLike] = (),
) -> list[WrittenForm]:
    """Write a round's forms into ``folder``: one workbook per OPD, or one for all.

    Each OPD that runs a programme gets ``form-<opd id>.xlsx`` holding only its programmes
    (the file Diskominfo sends to that OPD); with ``combined`` one workbook
    (``combined_name``) holds every OPD's sheet. The workbooks are written as one set: all
    of them appear, or (on any failure) none.

    Returns
    -------
    list of WrittenForm
        The workbooks written, in the masterplan's OPD order.

    Raises
    ------
    OutputError
        If the folder or a file cannot be written, or a file is an input in ``protect``.
    """
    from cityeval.errors import ModelError
    from cityeval.io.outputs import OutputSet

    kwargs: dict[str, Any] = {"year": year, "date": date, "label": label, "prefill": prefill}
    jobs: list[tuple[str, list[str] | None]]
    if combined:
        jobs = [(combined_name, None)]
    else:
        jobs = [(form_file_name(o), [o.id]) for o in masterplan.opds if _rows_of(masterplan, o)]
    if not jobs:
        raise ModelError.at(
            ("programmes",),
            _("masterplan {masterplan} has no programme to report on").format(
                masterplan=repr(masterplan.id)
            ),
        )
    written: list[WrittenForm] = []
    with OutputSet(folder, protect=protect) as out:
        for name, opds in jobs:
            data, sheets = form_workbook_bytes(masterplan, round_id, opds=opds, **kwargs)
            out.write_bytes(name, data)
            written.append(WrittenForm(name, sheets))
    return written

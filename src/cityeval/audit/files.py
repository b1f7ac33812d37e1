"""The files of ``cityeval audit``, written together through one output set.

``stats.csv``, ``correlations.csv``, ``cronbach.csv``, ``pca.csv``, ``what_if.csv`` and the
other tables as CSV (every text cell neutralised), the optimised weights as a weight set
(``weights.yaml``, a ``weight_sets`` entry for the framework file) and as a ready pipeline
(``pipeline-optimised.yaml``), ``audit.xlsx`` with a sheet per table, and ``audit.html``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cityeval.audit.run import Audit
    from cityeval.audit.tables import Table

__all__ = ["weight_set_text", "write_audit", "xlsx_bytes"]


def weight_set_text(report: Audit) -> str | None:
    """``weights.yaml``: the optimised weights as a framework ``weight_sets`` entry."""
    if report.optimised is None:
        return None
    from cityeval.io.converter import unstructure
    from cityeval.io.documents import dump_text

    return dump_text({"weight_sets": [unstructure(report.optimised.weight_set())]}, "yaml")


def xlsx_bytes(tables: Iterable[Table]) -> bytes:
    """An Excel workbook with one sheet per table; text that looks like a formula is quoted."""
    import io

    from openpyxl import Workbook

    from cityeval.io.outputs import neutralise_cell

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for table in tables:
        sheet = book.create_sheet(table.name[:31])
        sheet.append([neutralise_cell(c) for c in table.columns])
        for row in table.rows:
            sheet.append([neutralise_cell(v) for v in row])
        sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def write_audit(
    report: Audit,
    out_dir: str | os.PathLike[str],
    *,
    protect: Iterable[str | os.PathLike[str]] = (),
    lang: str = "en",
) -> list[Path]:
    """Write every file of the audit into ``out_dir`` as one transaction.

    Parameters
    ----------
    report : Audit
    out_dir : path
        Created if needed; files of an earlier audit there are replaced together.
    protect : iterable of path
        The command's inputs, never overwritten.
    lang : ``"en"`` or ``"id"``
        The language of labels in the HTML page.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    OutputError
        If the folder cannot be written or an output would replace an input.
    """
    from cityeval.audit.html import render_html
    from cityeval.io.outputs import OutputSet
    from cityeval.io.pipelines import dumps_pipeline

    tables = report.tables()
    with OutputSet(out_dir, protect=protect) as out:
        for name, table in tables.items():
            out.write_text(f"{name}.csv", table.csv())
        weights = weight_set_text(report)
        if weights is not None and report.optimised is not None:
            out.write_text("weights.yaml", weights)
            out.write_text("pipeline-optimised.yaml", dumps_pipeline(report.optimised.pipeline))
        out.write_bytes("audit.xlsx", xlsx_bytes(tables.values()))
        out.write_text("audit.html", render_html(report, lang))
    return [Path(out_dir) / n for n in out.names]

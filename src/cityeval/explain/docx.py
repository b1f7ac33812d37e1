"""The summary as a Word document (``report.docx``) for a regency's office to edit.

Needs ``python-docx`` (the ``report`` extra), imported here only.
"""

from __future__ import annotations

import io

from cityeval.errors import CityevalError
from cityeval.explain.summary import Summary, fmt_number
from cityeval.i18n import translator
from cityeval.masterplan.evaluation import Scorecard

__all__ = ["summary_docx"]


def summary_docx(summary: Summary, sc: Scorecard) -> bytes:
    """The Word document: the summary's sections, then a table of the dimensions.

    Raises
    ------
    CityevalError
        If python-docx is not installed.
    """
    lang = summary.lang
    _ = translator("id" if lang == "id" else "en").gettext
    try:
        import docx
    except ImportError:  # pragma: no cover - depends on the environment
        raise CityevalError(
            _("report.docx needs python-docx: pip install 'cityeval[report]'")
        ) from None
    doc = docx.Document()
    doc.add_heading(summary.title, level=0)
    for heading, paragraphs in summary.sections:
        doc.add_heading(heading, level=1)
        for text in paragraphs:
            doc.add_paragraph(text)
    doc.add_heading(_("Dimensions"), level=1)
    columns = [_("Dimension"), _("Achievement")]
    if sc.compare is not None:
        columns += [_("Previous"), _("Change")]
    table = doc.add_table(rows=1, cols=len(columns))
    for cell, text in zip(table.rows[0].cells, columns, strict=True):
        cell.text = text
    for d in (sc.overall, *sc.dimensions):
        cells = table.add_row().cells
        values = [d.label.text(lang), fmt_number(d.score, lang)]  # type: ignore[arg-type]
        if sc.compare is not None:
            values += [fmt_number(d.previous, lang), fmt_number(d.change, lang, signed=True)]
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()

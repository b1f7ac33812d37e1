"""Evaluation forms: Excel workbooks the OPDs fill in, and collecting them back into a round.

Writing (:mod:`~.write`) makes one workbook per OPD, or one for all, each sheet set up to print
on A4; reading (:mod:`~.read`, cell by cell in :mod:`~.cells`, after the zip-bomb check of
:mod:`~.zipguard`) checks every filled cell against its indicator; collecting
(:mod:`~.collect`) merges workbooks into one round and says which OPDs have not answered.
:mod:`~.layout` holds what writer and reader agree on. Needs ``openpyxl`` (the ``excel``
extra), imported only when a form is written or read.
"""

from cityeval.masterplan.forms.collect import Collection, collect_forms, form_paths, read_forms
from cityeval.masterplan.forms.layout import (
    COMBINED_NAME,
    FORM_VERSION,
    STATUS_LABELS,
    CellProblem,
    FormError,
    form_file_name,
    put_text,
)
from cityeval.masterplan.forms.read import stored_masterplan
from cityeval.masterplan.forms.write import WrittenForm, write_form, write_forms

__all__ = [
    "COMBINED_NAME",
    "FORM_VERSION",
    "STATUS_LABELS",
    "CellProblem",
    "Collection",
    "FormError",
    "WrittenForm",
    "collect_forms",
    "form_file_name",
    "form_paths",
    "put_text",
    "read_forms",
    "stored_masterplan",
    "write_form",
    "write_forms",
]

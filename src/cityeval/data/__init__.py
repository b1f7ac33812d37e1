"""Data for a set of units: the :class:`Dataset` and the CSV layout every command reads.

``import cityeval.data`` needs only numpy; pandas is imported by the functions that use it.
The modules, each importing only those above it in this list:

- :mod:`~cityeval.data.dataset`: the :class:`Dataset` type;
- :mod:`~cityeval.data.cells`: reading one cell (numbers, text);
- :mod:`~cityeval.data.checks`: columns and values against a framework;
- :mod:`~cityeval.data.layout`: columns of cells in the CSV layout to a dataset;
- :mod:`~cityeval.data.csv_read`, :mod:`~cityeval.data.csv_write`: the CSV form;
- :mod:`~cityeval.data.mapping`, :mod:`~cityeval.data.frames`: plain data and pandas.
"""

from cityeval.data.cells import MISSING_MARKERS, parse_number
from cityeval.data.checks import ValueRule, check_value, framework_problems, rule_for_indicator
from cityeval.data.csv_read import MAX_CSV_BYTES, parse_csv, read_csv
from cityeval.data.csv_write import format_csv, write_csv
from cityeval.data.dataset import Dataset
from cityeval.data.frames import dataset_from_pandas as from_pandas
from cityeval.data.frames import dataset_to_pandas as to_pandas
from cityeval.data.mapping import dataset_from_mapping as from_mapping

__all__ = [
    "MAX_CSV_BYTES",
    "MISSING_MARKERS",
    "Dataset",
    "ValueRule",
    "check_value",
    "format_csv",
    "framework_problems",
    "from_mapping",
    "from_pandas",
    "parse_csv",
    "parse_number",
    "read_csv",
    "rule_for_indicator",
    "to_pandas",
    "write_csv",
]

"""Data for a set of units: the :class:`Dataset` and the CSV layout every command reads.

``import cityeval.data`` needs only numpy; pandas is imported by the functions that use it.
"""

from cityeval.data.csvio import MISSING_MARKERS, format_csv, parse_csv, read_csv, write_csv
from cityeval.data.dataset import Dataset, framework_problems

__all__ = [
    "MISSING_MARKERS",
    "Dataset",
    "format_csv",
    "framework_problems",
    "parse_csv",
    "read_csv",
    "write_csv",
]

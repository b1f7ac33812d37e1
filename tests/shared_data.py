"""The shared data sets the tests read, and what happens when one is missing.

Locally a missing data set skips the tests that need it; under ``CI`` it fails them, as the
browser test does, so that a CI run can never pass while silently checking less.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import SHARED

#: COINr's ASEM example (``iData.csv``, ``iMeta.csv``); ``CITYEVAL_ASEM_DIR`` overrides.
ASEM = Path(os.environ.get("CITYEVAL_ASEM_DIR") or SHARED / "datasets" / "asem")


def require_shared(folder: Path, files: tuple[str, ...] = ()) -> None:
    """Skip (locally) or fail (under ``CI``) unless ``folder`` and its ``files`` exist."""
    missing = [str(folder / f) for f in files if not (folder / f).is_file()]
    if folder.is_dir() and not missing:
        return
    reason = f"shared data set missing: {', '.join(missing) or folder}"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the tests that read it", pytrace=False)
    pytest.skip(reason)


def require_asem() -> Path:
    """The ASEM folder, or skip/fail as :func:`require_shared` does."""
    require_shared(ASEM, ("iData.csv", "iMeta.csv"))
    return ASEM

"""A framework reference that cannot be a path is looked up as an id: the library's own error."""

from __future__ import annotations

import pytest

import cityeval
from cityeval.errors import NotFoundError


@pytest.mark.parametrize("ref", ["9" * 300, "a\x00b", "x" * 5000])
def test_an_impossible_path_is_an_unknown_id(ref: str) -> None:
    with pytest.raises(NotFoundError):
        cityeval.get_framework(ref)

"""The region a masterplan belongs to, the years it covers and the agencies (OPDs) that run it."""

from __future__ import annotations

import enum
import re
from typing import Any

from attrs import field, frozen

from cityeval.errors import ModelError
from cityeval.i18n import _
from cityeval.masterplan.model._common import not_blank
from cityeval.model import Label
from cityeval.model._checks import check_id

__all__ = ["Opd", "Period", "Regency", "RegencyKind"]


class RegencyKind(enum.Enum):
    """A second-level region: a *kabupaten* (regency, mostly rural) or a *kota* (city)."""

    KABUPATEN = "kabupaten"
    KOTA = "kota"


_CODE = re.compile(r"^[0-9]{2}\.[0-9]{2}$")


def _check_code(instance: object, attribute: Any, value: str | None) -> None:
    if value is not None and not _CODE.match(value):
        raise ModelError.at(
            ("code",),
            _(
                "{value} is not a Kemendagri region code: expected two digits, a dot and two "
                "digits, such as '16.07' (in YAML, write it in quotes)"
            ).format(value=repr(value)),
        )


@frozen
class Regency:
    """The region a masterplan belongs to.

    Parameters
    ----------
    name : str
        Its name without the kind, such as ``"Banyuasin"``.
    province : str, optional
        The province (*provinsi*), such as ``"Sumatera Selatan"``.
    code : str, optional
        The region code of the Ministry of Home Affairs (*kode wilayah Kemendagri*): two
        digits for the province, a dot, two for the region, such as ``"16.07"``.
    kind : RegencyKind
        ``kabupaten`` (regency, the default) or ``kota`` (city).
    """

    name: str = field(validator=not_blank)
    province: str | None = None
    code: str | None = field(default=None, validator=_check_code)
    kind: RegencyKind = RegencyKind.KABUPATEN

    @property
    def title(self) -> str:
        """``"Kabupaten Banyuasin"``, ``"Kota Kediri"``."""
        return f"{self.kind.value.capitalize()} {self.name}"


@frozen
class Period:
    """The years a masterplan covers, both included."""

    start_year: int
    end_year: int

    def __attrs_post_init__(self) -> None:
        if self.end_year < self.start_year:
            raise ModelError.at(
                ("end_year",),
                _("must not be before start_year ({start}), got {end}").format(
                    start=self.start_year, end=self.end_year
                ),
            )

    def __contains__(self, year: object) -> bool:
        return isinstance(year, int) and self.start_year <= year <= self.end_year

    def __str__(self) -> str:
        return f"{self.start_year}-{self.end_year}"

    @property
    def years(self) -> range:
        """Every year of the period."""
        return range(self.start_year, self.end_year + 1)


@frozen
class Opd:
    """A regional government agency: an OPD (*organisasi perangkat daerah*).

    OPDs are the *dinas*, *badan* and offices of a regency that carry out its programmes and
    report their progress at each evaluation.

    Parameters
    ----------
    id : str
        Referred to by programmes and round entries, such as ``"dinkes"``.
    name : Label
        Full name, such as *Dinas Kesehatan* (health office).
    short_name : str, optional
        The usual abbreviation (``"Dinkes"``); names the OPD's sheet in a form.
    note : str, optional
        Remarks, such as why the OPD is assumed to run a programme.
    """

    id: str = field(validator=check_id)
    name: Label
    short_name: str | None = None
    note: str | None = None

    @property
    def short(self) -> str:
        """The abbreviation, or the id when there is none."""
        return self.short_name or self.id

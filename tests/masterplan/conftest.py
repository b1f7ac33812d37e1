"""A small masterplan against the gerakan100 framework, as text to break in each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cityeval.i18n import set_language
from cityeval.masterplan import Masterplan, loads_masterplan


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    """``--lang`` chooses the language for the whole process: back to the environment after."""
    yield
    set_language(None)


GOOD = """\
id: contoh
regency: {name: Contoh, province: Sumatera Selatan, code: "16.99", kind: kabupaten}
period: {start_year: 2017, end_year: 2021}
framework: gerakan100
vision: {id: Contoh yang cerdas, en: A smart Contoh}
goals:
  governance: {id: Layanan publik yang cepat, en: Fast public services}
opds:
  - id: diskominfo
    name: {id: Dinas Komunikasi dan Informatika, en: Communication and Informatics Office}
    short_name: Diskominfo
  - id: dinkes
    name: {id: Dinas Kesehatan, en: Health Office}
    short_name: Dinkes
programmes:
  - id: perizinan
    name: {id: Perizinan daring, en: Online permits}
    dimension: governance
    element: governance.service
    opds: [diskominfo]
    term: quick_win
    start_year: 2018
    end_year: 2019
    indicators:
      - id: permits-online
        name: Izin daring
        unit: "%"
        baseline: {value: 10, year: 2017}
        targets: {2018: 40, 2019: 60}
  - id: puskesmas
    name: {id: Puskesmas terhubung, en: Connected health centres}
    dimension: living
    element: living.health
    opds: [dinkes, diskominfo]
    term: medium
    start_year: 2018
    end_year: 2021
    indicators:
      - id: connected
        name: Puskesmas terhubung
        unit: puskesmas
        baseline: {value: 0, year: 2017}
        targets: {2019: 10, 2021: 25}
      - id: waiting-days
        name: Lama tunggu rujukan
        unit: hari
        direction: lower
        baseline: {value: 5, year: 2017}
        targets: {2019: 3, 2021: 1}
"""

ROUND = """\
id: 2019-tahap-3
date: 2019-06-11
label: {id: Evaluasi tahap 3, en: Round 3}
masterplan: contoh
entries:
  - {programme: perizinan, indicator: permits-online, status: completed, realised: 62,
     opd: diskominfo}
  - {programme: puskesmas, indicator: connected, status: in_progress, realised: 6, opd: dinkes}
"""


@pytest.fixture
def masterplan() -> Masterplan:
    return loads_masterplan(GOOD, source="contoh.yaml")


@pytest.fixture
def masterplan_file(tmp_path: Path) -> Path:
    path = tmp_path / "contoh.yaml"
    path.write_text(GOOD, encoding="utf-8")
    return path

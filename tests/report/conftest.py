"""Scorecards to report on: the Banyuasin example, and a masterplan with hostile names."""

from __future__ import annotations

import pytest

from cityeval.masterplan import loads_masterplan, loads_round
from cityeval.masterplan.evaluation import Scorecard, evaluate
from cityeval.masterplan.files import resolve_framework

SCRIPT = "<script>alert(1)</script>"
HYPERLINK = '=HYPERLINK("x")'
ARITHMETIC = "-1+2"

# Programme names a spreadsheet would run as formulas, or a browser as script.
HOSTILE = f"""\
id: hostile
regency: {{name: Contoh, province: Sumatera Selatan, code: "16.99", kind: kabupaten}}
period: {{start_year: 2017, end_year: 2021}}
framework: gerakan100
vision: {{id: Contoh yang cerdas, en: A smart Contoh}}
opds:
  - id: diskominfo
    name: {{id: Dinas Komunikasi dan Informatika, en: Communication and Informatics Office}}
    short_name: "@Kominfo"
programmes:
  - id: formula
    name: '{HYPERLINK}'
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
        baseline: {{value: 10, year: 2017}}
        targets: {{2018: 40, 2019: 60}}
  - id: arithmetic
    name: '{ARITHMETIC}'
    dimension: governance
    element: governance.service
    opds: [diskominfo]
    term: short
    start_year: 2018
    end_year: 2020
    indicators:
      - id: counted
        name: Counted
        baseline: {{value: 0, year: 2017}}
        targets: {{2019: 10}}
  - id: script
    name: '{SCRIPT}'
    dimension: living
    element: living.health
    opds: [diskominfo]
    term: medium
    start_year: 2018
    end_year: 2021
    indicators:
      - id: connected
        name: Puskesmas terhubung
        unit: puskesmas
        baseline: {{value: 0, year: 2017}}
        targets: {{2019: 10, 2021: 25}}
  - id: later
    name: '=1+1'
    dimension: living
    element: living.health
    opds: [diskominfo]
    term: long
    start_year: 2020
    end_year: 2021
    indicators:
      - id: later
        name: '+cmd'
        baseline: {{value: 0, year: 2019}}
        targets: {{2021: 5}}
sources:
  - citation: '{SCRIPT}'
    url: "javascript:alert(2)"
note: 'Illustrative <b>data</b>'
"""

HOSTILE_ROUNDS = (
    """\
id: 2018-tahap-1
date: 2018-06-01
label: {id: Tahap 1, en: Round 1}
masterplan: hostile
entries:
  - {programme: formula, indicator: permits-online, status: in_progress, realised: 20}
""",
    """\
id: 2019-tahap-2
date: 2019-06-11
label: {id: Tahap 2, en: Round 2}
masterplan: hostile
entries:
  - {programme: formula, indicator: permits-online, status: completed, realised: 62}
  - {programme: arithmetic, indicator: counted, status: in_progress, realised: 2}
  - {programme: script, indicator: connected, status: in_progress, realised: 1}
""",
)


@pytest.fixture(scope="session")
def hostile() -> Scorecard:
    """A scorecard whose labels look like formulas and script."""
    mp = loads_masterplan(HOSTILE, source="hostile.yaml")
    first, second = (loads_round(text, masterplan=mp) for text in HOSTILE_ROUNDS)
    return evaluate(mp, resolve_framework(mp), second, compare=first)

"""A small index whose name and unit codes look like script and spreadsheet formulas."""

from __future__ import annotations

from pathlib import Path

SCRIPT = "<script>alert(1)</script>"

FRAMEWORK = f"""\
id: hostile
name: {{en: '{SCRIPT}'}}
levels: [dimension, indicator]
dimensions:
  - id: one
    label: {{en: '<img src=x onerror=alert(2)>'}}
    indicators:
      - {{id: a, label: A}}
      - {{id: b, label: B}}
      - {{id: c, label: C}}
  - id: two
    label: Two
    indicators:
      - {{id: d, label: D}}
      - {{id: e, label: E}}
"""

UNITS = ["=1+1", "@SUM", "u3", "u4", "u5", "u6", "u7", "u8"]
VALUES = [
    [1, 2, 3, 4, 5],
    [2, 1, 4, 3, 3],
    [3, 5, 2, 6, 1],
    [4, 3, 5, 2, 2],
    [5, 6, 1, 5, 4],
    [6, 4, 6, 1, 6],
    [7, 8, 8, 8, 7],
    [8, 7, 7, 7, 8],
]


def write(folder: Path) -> tuple[Path, Path]:
    """``framework.yaml`` and ``data.csv`` of the hostile index in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    fw = folder / "framework.yaml"
    fw.write_text(FRAMEWORK, encoding="utf-8")
    lines = ["unit,a,b,c,d,e"]
    lines += [",".join([u, *map(str, row)]) for u, row in zip(UNITS, VALUES, strict=True)]
    data = folder / "data.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return fw, data

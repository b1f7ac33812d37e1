"""The outputs of one seed are what they were before the speed work, byte for byte.

``pinned/`` holds the files the analysis wrote for three small cases before the nodes to
summarise could be chosen, the aggregators came from the registry and the CSV cells were
neutralised (none of these cases has a cell to neutralise). ``nodes: all`` gives the same
files; the default (the index and its dimensions) gives the same rows for those nodes.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from benchmarks.bench_uncertainty import SPEC as BENCH_SPEC
from benchmarks.synthetic import REDUCED, make_workload

from cityeval.uncertainty import UncertaintyResults, analyse, loads_spec

from .conftest import PIPELINE, make_dataset, make_framework
from .test_analysis import ALL_FACTORS

PINNED = Path(__file__).parent / "pinned"
FILES = ("rank_intervals.csv", "sobol.csv", "draws.csv")


def _results(case: str, nodes: str) -> UncertaintyResults:
    if case == "synthetic-reduced":
        fw, data, base = make_workload(REDUCED)
        spec = loads_spec(BENCH_SPEC.format(draws=200) + f"nodes: {nodes}\n")
        return analyse(fw, data, base, spec, batch_size=64)
    fw = make_framework()
    data = make_dataset(fw)
    text = {
        "sobol-double": ALL_FACTORS.format(draws=32, method="sobol", precision="double"),
        "mc-single": ALL_FACTORS.format(draws=300, method="monte-carlo", precision="single"),
    }[case].replace("nodes: all", f"nodes: {nodes}")
    return analyse(fw, data, PIPELINE, loads_spec(text), batch_size=40)


def _summary(text: str) -> dict[str, object]:
    summary: dict[str, object] = json.loads(text)
    summary.pop("node_selection", None)  # added since
    return summary


CASES = ["sobol-double", "mc-single", "synthetic-reduced"]


@pytest.mark.parametrize("case", CASES)
def test_every_aggregate_gives_the_pinned_files(case: str, tmp_path: Path) -> None:
    _results(case, "all").write(tmp_path, charts=False)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (PINNED / case / name).read_bytes(), name
    pinned = _summary((PINNED / case / "summary.json").read_text())
    assert _summary((tmp_path / "summary.json").read_text()) == pinned


@pytest.mark.parametrize("case", CASES)
def test_the_default_nodes_give_the_pinned_rows(case: str, tmp_path: Path) -> None:
    results = _results(case, "dimensions")
    results.write(tmp_path, charts=False)
    with (PINNED / case / "rank_intervals.csv").open() as fh:
        pinned = list(csv.reader(fh))
    kept = set(results.node_ids)
    assert len(kept) < len({row[1] for row in pinned[1:]})
    expected = [pinned[0], *(row for row in pinned[1:] if row[1] in kept)]
    with (tmp_path / "rank_intervals.csv").open() as fh:
        assert list(csv.reader(fh)) == expected
    for name in ("sobol.csv", "draws.csv"):
        assert (tmp_path / name).read_bytes() == (PINNED / case / name).read_bytes(), name
    summary = _summary((tmp_path / "summary.json").read_text())
    pinned_summary = _summary((PINNED / case / "summary.json").read_text())
    assert summary.pop("nodes") == len(kept)
    pinned_summary.pop("nodes")
    assert summary == pinned_summary

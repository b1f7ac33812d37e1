"""``cityeval audit`` on the ASEM example and on Banyuasin's round, its files and its errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
import yaml

from cityeval.cli import main
from cityeval.data import read_csv, write_csv
from cityeval.engine import Results, score
from cityeval.io.frameworks import load_framework, save_framework
from cityeval.io.pipelines import load_pipeline, save_pipeline
from tests.audit.conftest import PIPELINE

EXPECTED = {
    "stats.csv",
    "correlations.csv",
    "cronbach.csv",
    "pca.csv",
    "what_if.csv",
    "weights.yaml",
    "pipeline-optimised.yaml",
    "audit.xlsx",
    "audit.html",
    "flags.csv",
}


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))


@pytest.fixture(scope="module")
def asem_out(
    asem_files: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("audit") / "asem"
    fw, data = asem_files
    args = ["audit", "-f", str(fw), "-d", str(data), "-p", str(PIPELINE), "-o", str(out)]
    from typer.testing import CliRunner

    from cityeval.cli.app import build_app

    result = CliRunner().invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    return out, result.output


def test_audit_writes_every_file(asem_out: tuple[Path, str]) -> None:
    out, printed = asem_out
    assert {p.name for p in out.iterdir()} >= EXPECTED
    assert "optimised weights: Conn 0.3902, Sust 0.6098" in printed
    assert "flag(s) for 51 units and 60 nodes" in printed


def test_stats_csv_has_a_row_per_node_and_stage(asem_out: tuple[Path, str], asem: Results) -> None:
    rows = _rows(asem_out[0] / "stats.csv")
    header = list(rows[0])
    assert header[:3] == ["node", "level", "stage"] and "mean" in header
    stages = ("raw", "denominated", "imputed", "treated", "normalised")
    expected = {(i, s) for i in asem.indicator_ids for s in stages}
    expected |= {(n, "aggregated") for n in asem.node_ids}
    assert {(r["node"], r["stage"]) for r in rows} == expected
    (lpi,) = [r for r in rows if r["node"] == "LPI" and r["stage"] == "raw"]
    assert float(lpi["mean"]) == pytest.approx(np.nanmean(asem.stages["raw"][:, 0]))


def test_optimised_weights_are_a_usable_weight_set_and_pipeline(
    asem_out: tuple[Path, str], asem: Results
) -> None:
    out = asem_out[0]
    doc = yaml.safe_load((out / "weights.yaml").read_text())
    (ws,) = doc["weight_sets"]
    assert ws["weights"] == pytest.approx({"Conn": 0.3902439, "Sust": 0.6097561}, abs=5e-8)
    # the weight set goes into the framework, and the pipeline names it
    data = dict(yaml.safe_load(_framework_text(asem)))
    data["weight_sets"] = [ws]
    from cityeval.io.frameworks import framework_from_dict
    from cityeval.model import Step, StepKind

    fw = framework_from_dict(data)
    pipe = asem.pipeline
    steps = list(pipe.steps)
    steps.insert(-1, Step(StepKind.WEIGHT, "explicit", {"set": ws["name"]}))
    from attrs import evolve

    with_set = score(fw, asem.dataset, evolve(pipe, steps=tuple(steps)))
    written = score(fw, asem.dataset, load_pipeline(out / "pipeline-optimised.yaml"))
    np.testing.assert_allclose(with_set.aggregates, written.aggregates, atol=1e-9)
    assert with_set.weights["Index"] == pytest.approx((0.3902439, 0.6097561), abs=5e-8)


def _framework_text(results: Results) -> str:
    from cityeval.io.frameworks import dumps_framework

    return dumps_framework(results.compiled.framework)


def test_what_if_csv_agrees_with_rerunning_the_pipeline(
    asem_out: tuple[Path, str], asem: Results
) -> None:
    rows = _rows(asem_out[0] / "what_if.csv")
    optimised = [r for r in rows if r["scenario"] == "optimised-weights"]
    rerun = score(
        asem.compiled.framework,
        asem.dataset,
        load_pipeline(asem_out[0] / "pipeline-optimised.yaml"),
    )
    ranks = dict(zip(rerun.units, rerun.rank("Index"), strict=True))
    assert len(optimised) == 51
    for r in optimised:
        assert float(r["rank"]) == ranks[r["unit"]]
    assert {r["scenario"] for r in rows} >= {"remove:LPI", "remove:Physical", "remove:Conn"}


def test_audit_xlsx_has_a_sheet_per_table(asem_out: tuple[Path, str]) -> None:
    from openpyxl import load_workbook

    book = load_workbook(asem_out[0] / "audit.xlsx", read_only=True)
    assert book.sheetnames[0] == "flags"
    assert {"stats", "correlations", "cronbach", "pca", "what_if"} <= set(book.sheetnames)


def test_audit_on_banyuasin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cityeval.masterplan import get_masterplan, get_round
    from cityeval.masterplan.compile import compile_round, progress_pipeline
    from cityeval.masterplan.files import resolve_framework

    mp = get_masterplan("banyuasin")
    compiled = compile_round(mp, resolve_framework(mp), get_round(mp, "2019-tahap-3"))
    save_framework(compiled.framework, tmp_path / "framework.yaml")
    write_csv(compiled.dataset, tmp_path / "data.csv")
    save_pipeline(progress_pipeline(), tmp_path / "pipeline.yaml")
    code = main(
        [
            "audit",
            "--framework",
            str(tmp_path / "framework.yaml"),
            "--data",
            str(tmp_path / "data.csv"),
            "--pipeline",
            str(tmp_path / "pipeline.yaml"),
            "--out",
            str(tmp_path / "audit"),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "for 1 units" in printed
    names = {p.name for p in (tmp_path / "audit").iterdir()}
    assert EXPECTED - {"weights.yaml", "pipeline-optimised.yaml"} <= names
    flags = _rows(tmp_path / "audit" / "flags.csv")
    assert any(f["flag"] == "not_optimised" for f in flags)  # one unit: no correlations


def test_bad_data_is_an_error_without_traceback(
    asem_files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "data.csv"
    lines = asem_files[1].read_text().splitlines()
    header = lines[0].split(",")
    first = lines[1].split(",")
    first[header.index("LPI")] = "not-a-number"
    bad.write_text("\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n")
    code = main(["audit", "-f", str(asem_files[0]), "-d", str(bad), "-o", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "LPI" in err
    assert not (tmp_path / "o").exists()


def test_an_input_is_never_overwritten(
    asem_files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fw, data = asem_files
    folder = tmp_path / "here"
    folder.mkdir()
    copy = folder / "stats.csv"
    copy.write_text(data.read_text())
    framework = load_framework(fw)
    read_csv(copy, framework)
    code = main(["audit", "-f", str(fw), "-d", str(copy), "-o", str(folder)])
    assert code == 2
    assert "not overwritten" in capsys.readouterr().err
    assert copy.read_text() == data.read_text()


def test_unknown_optimise_level(
    asem_files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fw, data = asem_files
    out = tmp_path / "o"
    code = main(["audit", "-f", str(fw), "-d", str(data), "-o", str(out), "--optimise-level", "x"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown level 'x'") and "2 (pillar)" in err
    assert not out.exists()


def test_screening_options(asem_files: tuple[Path, Path], tmp_path: Path) -> None:
    fw, data = asem_files
    out = tmp_path / "o"
    args = ["audit", "-f", str(fw), "-d", str(data), "-p", str(PIPELINE), "-o", str(out)]
    args += ["--min-availability", "0.9", "--group-level", "pillar"]
    args += ["--group-availability", "0.7", "--indicator-availability", "0.9"]
    assert main(args) == 0
    flags = _rows(out / "flags.csv")
    screened = {f["node"]: f["detail"] for f in flags if f["flag"] == "screened_out"}
    assert {"BGD", "BRN", "KHM", "LAO", "MMR"} <= set(screened)
    assert "data availability 87.8% is below 90.0%" in screened["KHM"]
    dropped = {f["node"] for f in flags if f["flag"] == "dropped"}
    assert dropped == {"ConSpeed", "Pat", "CultGood", "Poverty", "Palma", "TertGrad"}
    rows = {r["unit"]: r for r in _rows(out / "screening.csv")}
    assert rows["CHE"]["included"] == "True" and rows["CHE"]["reason"] == ""


def test_panel_data_are_audited_at_the_latest_time(asem: Results) -> None:
    from cityeval.audit import audit
    from cityeval.data import Dataset

    ds = asem.dataset
    later = ds.values * 1.5 + 1.0
    panel = Dataset(
        units=ds.units,
        indicators=ds.indicators,
        values=np.stack([ds.values, later]),
        names=ds.names,
        times=(2021, 2022),
        groups=ds.groups,
        denominators={k: np.stack([v, v]) for k, v in ds.denominators.items()},
    )
    latest = Dataset(
        units=ds.units,
        indicators=ds.indicators,
        values=later,
        names=ds.names,
        groups=ds.groups,
        denominators=ds.denominators,
    )
    fw = asem.compiled.framework
    a = audit(score(fw, panel, asem.pipeline), remove_levels=[3])
    b = audit(score(fw, latest, asem.pipeline), remove_levels=[3])
    assert a.stats.rows == b.stats.rows
    assert a.correlations.rows == b.correlations.rows
    assert a.what_if.table.rows == b.what_if.table.rows
    assert a.optimised is not None and b.optimised is not None
    assert a.optimised.weights == b.optimised.weights

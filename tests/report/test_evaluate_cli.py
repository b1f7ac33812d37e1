"""``cityeval evaluate`` through the real error boundary: files, messages, languages."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from cityeval.cli import app as app_module
from cityeval.masterplan import dumps_round, get_masterplan, get_round
from cityeval.report import REPORT_FILES

pytest.importorskip("openpyxl")
pytest.importorskip("jinja2")

from cityeval.explain.views import SUMMARY_FILES

BASE = ("evaluate", "banyuasin", "--round", "2019-tahap-3")


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    status = app_module.run([str(a) for a in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_writes_the_four_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "laporan"
    status, out, err = run(capsys, *BASE, "--compare", "2018-tahap-2", "--out", out_dir)
    assert (status, err) == (0, "")
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(REPORT_FILES + SUMMARY_FILES)
    assert "Smart-city masterplan evaluation: Kabupaten Banyuasin" in out
    assert "Evaluation round: Third evaluation round, 2019 (2019-tahap-3, 11 June 2019)" in out
    assert "Compared with: Evaluation round 2, 2018 (2018-tahap-2, 31 October 2018)" in out
    assert "Overall achievement: 48.5 (-30.2)" in out
    assert "Programmes at risk" in out and "ILLUSTRATIVE" in out
    assert "wrote " in out and "report.html" in out
    data = json.loads((out_dir / "scorecard.json").read_text(encoding="utf-8"))
    assert data["round"]["id"] == "2019-tahap-3" and data["compare"]["id"] == "2018-tahap-2"
    assert data["cap"] == 100.0


def test_unknown_round_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(
        capsys, "evaluate", "banyuasin", "--round", "2020-tahap-4", "--out", tmp_path / "x"
    )
    assert status == 2 and out == ""
    assert err == (
        "error: unknown round '2020-tahap-4' (rounds: 2018-tahap-1, 2018-tahap-2, 2019-tahap-3)\n"
    )
    assert not (tmp_path / "x").exists()


def test_compare_must_be_earlier(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys, "evaluate", "banyuasin", "--round", "2018-tahap-2", "--compare", "2019-tahap-3",
        "--out", tmp_path / "x",
    )  # fmt: skip
    assert status == 2 and out == ""
    assert err == (
        "error: --compare: round '2019-tahap-3' (2019-06-11) is not earlier than round "
        "'2018-tahap-2' (2018-10-31); --compare takes an earlier round\n"
    )
    assert run(capsys, *BASE, "--compare", "2019-tahap-3", "--out", tmp_path / "x")[0] == 2
    assert not (tmp_path / "x").exists()


def test_indonesian_labels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, *BASE, "--compare", "2018-tahap-2", "--lang", "id", "--out", tmp_path
    )
    assert status == 0
    assert "Evaluasi masterplan smart city: Kabupaten Banyuasin" in out
    assert "Tahap evaluasi: Evaluasi lanjutan tahap ketiga tahun 2019" in out
    assert "11 Juni 2019" in out and "Program berisiko" in out
    with (tmp_path / "scorecard.csv").open(encoding="utf-8-sig", newline="") as fh:
        labels = {r["id"]: r["label"] for r in csv.DictReader(fh)}
    assert labels["governance.service"] == "Pelayanan Publik"
    data = json.loads((tmp_path / "scorecard.json").read_text(encoding="utf-8"))
    assert data["round"]["label"] == "Evaluasi lanjutan tahap ketiga tahun 2019"
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<html lang="id">' in html and "Capaian per dimensi" in html
    import openpyxl

    assert openpyxl.load_workbook(tmp_path / "scorecard.xlsx").sheetnames[0] == "Ringkasan"


def test_rounds_from_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mp = get_masterplan("banyuasin")
    text = dumps_round(get_round(mp, "2018-tahap-1")).replace("id: 2018-tahap-1", "id: 2018-kopi")
    round_file = tmp_path / "rounds" / "2018-kopi.yaml"
    round_file.parent.mkdir()
    round_file.write_text(text, encoding="utf-8")
    status, out, err = run(
        capsys, *BASE, "--compare", "2018-kopi", "--rounds", round_file, "--out", tmp_path / "o"
    )
    assert (status, err) == (0, "")
    assert "(2018-kopi, " in out
    data = json.loads((tmp_path / "o" / "scorecard.json").read_text(encoding="utf-8"))
    assert data["compare"]["id"] == "2018-kopi"
    # The file's round is listed among the known ones.
    status, _, err = run(capsys, "evaluate", "banyuasin", "--round", "nope", "--rounds",
                         round_file, "--out", tmp_path / "o")  # fmt: skip
    assert status == 2
    assert "(rounds: 2018-kopi, 2018-tahap-1, 2018-tahap-2, 2019-tahap-3)" in err


def test_round_file_for_another_masterplan_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mp = get_masterplan("banyuasin")
    text = dumps_round(get_round(mp, "2018-tahap-1")).replace(
        "masterplan: banyuasin", "masterplan: ogan-ilir"
    )
    round_file = tmp_path / "r.yaml"
    round_file.write_text(text, encoding="utf-8")
    status, _, err = run(capsys, *BASE, "--rounds", round_file, "--out", tmp_path / "o")
    assert status == 2
    assert err.startswith("error: r.yaml: masterplan: the round is for masterplan 'ogan-ilir'")


def test_uncapped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, *BASE, "--cap", "0", "--out", tmp_path)[0] == 0
    data = json.loads((tmp_path / "scorecard.json").read_text(encoding="utf-8"))
    assert data["cap"] is None
    assert max(n["score"] or 0 for n in data["nodes"]) > 100  # SAPA Banyuasin beat its target

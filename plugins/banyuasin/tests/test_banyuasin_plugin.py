"""Kabupaten Banyuasin's plugin: framework, illustrative masterplan and rounds."""

from __future__ import annotations

import datetime as dt
from importlib.resources import as_file

import pytest

from cityeval import Dimension, Framework, Grade, get_framework, load_framework
from cityeval.masterplan import (
    EntryStatus,
    EvaluationRound,
    Masterplan,
    Term,
    get_masterplan,
    get_round,
    load_masterplan,
    load_round,
    plugin_rounds,
)
from cityeval.plugins import get_host

ROUND_IDS = ["2018-tahap-1", "2018-tahap-2", "2019-tahap-3"]
ARTICLE = "https://sumateranews.co.id/diskominfo-gelar-rapat-evaluasi-penerapan-smart-city/"


@pytest.fixture(scope="module")
def fw() -> Framework:
    return get_framework("banyuasin")


@pytest.fixture(scope="module")
def mp() -> Masterplan:
    return get_masterplan("banyuasin")


@pytest.fixture(scope="module")
def rounds(mp: Masterplan) -> list[EvaluationRound]:
    return plugin_rounds(mp)


def test_registered_through_the_entry_point() -> None:
    host = get_host()
    assert host.frameworks.get("banyuasin").plugin == "banyuasin"
    info = {p.name: p for p in host.plugins}["banyuasin"]
    assert info.distribution == "cityeval-banyuasin"


def test_six_dimensions_with_the_national_elements(fw: Framework) -> None:
    national = get_framework("gerakan100")
    assert [d.id for d in fw.dimensions] == [d.id for d in national.dimensions]
    for dim, ref in zip(fw.dimensions, national.dimensions, strict=True):
        assert [c.id for c in dim.children] == [c.id for c in ref.children]
    assert fw.template


def test_goals_come_from_the_article_except_the_sixth(fw: Framework) -> None:
    for dim in fw.dimensions:
        assert isinstance(dim, Dimension) and dim.goal is not None
        assert dim.goal.id and dim.goal.en
        if dim.id == "environment":
            assert dim.note is not None and "national framework" in dim.note
            assert all(s.url != ARTICLE for s in dim.sources)
        else:
            assert [(s.url, s.grade) for s in dim.sources] == [(ARTICLE, Grade.B)]
    assert "layak tinggal, nyaman, dan efisien" in str(fw.node("living").goal.id)  # type: ignore[union-attr]
    assert fw.note is not None and "sixth" in fw.note and "five" in fw.note


def test_the_masterplan_is_marked_illustrative(mp: Masterplan) -> None:
    from cityeval_banyuasin import MASTERPLAN_FILE, ROUND_FILES

    assert mp.note is not None and mp.note.startswith("ILLUSTRATIVE")
    for data_file in (MASTERPLAN_FILE, *ROUND_FILES):
        assert data_file.read_text(encoding="utf-8").startswith("# ILLUSTRATIVE DATA.")
    assert mp.framework == "banyuasin" and mp.regency.code == "16.07"
    assert (mp.period.start_year, mp.period.end_year) == (2017, 2021)
    assert any(s.url == ARTICLE and s.grade is Grade.B for s in mp.sources)


def test_programmes_from_public_sources_under_each_dimension(mp: Masterplan) -> None:
    by_dimension: dict[str, set[str]] = {}
    for prog in mp.programmes:
        by_dimension.setdefault(prog.dimension, set()).add(prog.id)
    assert {"jam-kunci", "simpada", "oss", "sapa-banyuasin", "evoting-pilkades"} <= by_dimension[
        "governance"
    ]
    assert {"pasar-id", "job-fair"} <= by_dimension["economy"]
    assert {"sitarung-betuah", "serambe", "siperas"} <= by_dimension["living"]
    assert {"begesah", "perpustakaan-digital", "cctv-online", "prodesga"} <= by_dimension[
        "society"
    ]
    assert {"gerakan-peduli-sampah", "kualitas-udara", "kebun-buddhi"} <= by_dimension[
        "environment"
    ]
    for prog_id in by_dimension["branding"]:
        note = mp.programme(prog_id).note
        assert note is not None and "ILLUSTRATIVE" in note


def test_opds_not_named_in_the_article_are_assumptions(mp: Masterplan) -> None:
    named = {"bappeda", "perkimtan", "dinkes", "dlh", "koperindag", "disnakertrans", "disparpora"}
    assert named | {"diskominfo"} <= {o.id for o in mp.opds}
    for opd in mp.opds:
        if opd.id not in named | {"diskominfo", "perkimtan", "koperindag"}:
            assert opd.note is not None and opd.note.startswith("Assumption"), opd.id
    assert all(mp.programmes_of(opd.id) for opd in mp.opds)


def test_three_rounds_checked_against_the_masterplan(
    mp: Masterplan, rounds: list[EvaluationRound]
) -> None:
    assert [r.id for r in rounds] == ROUND_IDS
    assert rounds[2].date == dt.date(2019, 6, 11)
    for rnd in rounds:
        assert rnd.check_against(mp) == []
        assert rnd.note is not None and rnd.note.startswith("ILLUSTRATIVE")
        assert get_round(mp, rnd.id) == rnd


def test_quick_wins_are_mostly_done_by_2019(mp: Masterplan, rounds: list[EvaluationRound]) -> None:
    reported = {(e.programme, e.indicator): e for r in rounds for e in r.entries}  # latest wins
    quick = [(p.id, i.id) for p, i in mp.items() if p.term is Term.QUICK_WIN]
    done = [k for k in quick if reported[k].status is EntryStatus.COMPLETED]
    assert len(done) == len(quick)


def test_some_programmes_are_at_risk_in_2019(
    mp: Masterplan, rounds: list[EvaluationRound]
) -> None:
    latest = rounds[-1]
    at_risk = []
    for entry in latest.entries:
        ind = mp.programme(entry.programme).indicator(entry.indicator)
        target = ind.target(latest.target_year)
        if target is None:
            continue
        if entry.status in (EntryStatus.NOT_STARTED, EntryStatus.CANCELLED) or (
            entry.realised is not None
            and (entry.realised - ind.baseline.value) / (target - ind.baseline.value) < 0.5
        ):
            at_risk.append(entry.programme)
    assert {"siperas", "kualitas-udara", "wajah-kota"} <= set(at_risk)
    assert 3 <= len(at_risk) <= len(latest.entries) // 2


def test_the_data_files_load_through_the_public_loaders(mp: Masterplan) -> None:
    from cityeval_banyuasin import FRAMEWORK_FILE, MASTERPLAN_FILE, ROUND_FILES

    with as_file(FRAMEWORK_FILE) as path:
        assert load_framework(path) == get_framework("banyuasin")
    with as_file(MASTERPLAN_FILE) as path:
        assert load_masterplan(path) == mp
    for data_file, round_id in zip(ROUND_FILES, ROUND_IDS, strict=True):
        with as_file(data_file) as path:
            assert load_round(path, masterplan=mp).id == round_id

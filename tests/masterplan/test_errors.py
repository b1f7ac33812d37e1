"""Every class of mistake in a masterplan or a round gets one pinned, located message."""

from __future__ import annotations

from pathlib import Path

import pytest

from cityeval import InputError, NotFoundError
from cityeval.masterplan import (
    Masterplan,
    find_round,
    load_masterplan,
    loads_masterplan,
    loads_round,
    plugin_rounds,
)

from .conftest import GOOD, ROUND


def replaced(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def masterplan_error(old: str, new: str) -> str:
    with pytest.raises(InputError) as exc:
        loads_masterplan(replaced(GOOD, old, new), source="contoh.yaml")
    return str(exc.value)


def round_error(masterplan: Masterplan, old: str, new: str) -> str:
    with pytest.raises(InputError) as exc:
        loads_round(replaced(ROUND, old, new), source="round.yaml", masterplan=masterplan)
    return str(exc.value)


def test_the_good_files_load(masterplan: Masterplan) -> None:
    assert [p.id for p in masterplan.programmes] == ["perizinan", "puskesmas"]
    rnd = loads_round(ROUND, masterplan=masterplan)
    assert rnd.target_year == 2019 and len(rnd.entries) == 2


def test_unknown_dimension() -> None:
    assert masterplan_error("dimension: governance", "dimension: smart_gov") == (
        "contoh.yaml: programmes[0].dimension: unknown dimension 'smart_gov' (dimensions of "
        "'gerakan100': governance, branding, economy, living, society, environment)"
    )


def test_unknown_element() -> None:
    assert masterplan_error("element: governance.service", "element: governance.servis") == (
        "contoh.yaml: programmes[0].element: unknown element 'governance.servis' (elements of "
        "'governance': governance.service, governance.bureaucracy, governance.policy)"
    )


def test_element_of_another_dimension() -> None:
    assert masterplan_error("element: governance.service", "element: living.health") == (
        "contoh.yaml: programmes[0].element: 'living.health' is an element of 'living', not of "
        "'governance' (elements of 'governance': governance.service, governance.bureaucracy, "
        "governance.policy)"
    )


def test_programme_without_opd() -> None:
    assert masterplan_error("opds: [diskominfo]", "opds: []") == (
        "contoh.yaml: programmes[0].opds: a programme needs at least one OPD (organisasi "
        "perangkat daerah) responsible for it"
    )


def test_undeclared_opd() -> None:
    assert masterplan_error("opds: [dinkes, diskominfo]", "opds: [dinkes, dinsos]") == (
        "contoh.yaml: programmes[1].opds[1]: unknown OPD 'dinsos' (declared: diskominfo, dinkes)"
    )


def test_target_outside_the_period() -> None:
    assert masterplan_error("targets: {2019: 10, 2021: 25}", "targets: {2019: 10, 2023: 25}") == (
        "contoh.yaml: programmes[1].indicators[0].targets.2023: the year 2023 lies outside the "
        "programme's years 2018-2021"
    )
    text = replaced(GOOD, "end_year: 2021\n    indicators", "end_year: 2023\n    indicators")
    text = replaced(text, "targets: {2019: 10, 2021: 25}", "targets: {2019: 10, 2023: 25}")
    with pytest.raises(InputError) as exc:
        loads_masterplan(text, source="contoh.yaml")
    assert str(exc.value) == (
        "contoh.yaml: programmes[1].end_year: the year 2023 lies outside the masterplan's "
        "period 2017-2021\n"
        "contoh.yaml: programmes[1].indicators[0].targets.2023: the year 2023 lies outside the "
        "masterplan's period 2017-2021"
    )


def test_target_outside_the_programmes_years() -> None:
    assert masterplan_error("targets: {2018: 40, 2019: 60}", "targets: {2018: 40, 2020: 60}") == (
        "contoh.yaml: programmes[0].indicators[0].targets.2020: the year 2020 lies outside the "
        "programme's years 2018-2019"
    )


def test_target_equal_to_the_baseline() -> None:
    assert masterplan_error("targets: {2018: 40, 2019: 60}", "targets: {2018: 40, 2019: 10}") == (
        "contoh.yaml: programmes[0].indicators[0].targets.2019: equals the baseline (10); "
        "progress toward it cannot be measured"
    )


def test_text_where_a_number_belongs() -> None:
    assert masterplan_error("targets: {2018: 40", "targets: {2018: empat puluh") == (
        "contoh.yaml: programmes[0].indicators[0].targets.2018: expected a number, got "
        "'empat puluh'"
    )
    assert masterplan_error("{value: 10, year: 2017}", "{value: sepuluh, year: 2017}") == (
        "contoh.yaml: programmes[0].indicators[0].baseline.value: expected a number, got 'sepuluh'"
    )


def test_a_target_key_that_is_not_a_year() -> None:
    assert masterplan_error("targets: {2018: 40", "targets: {tahun: 40") == (
        "contoh.yaml: programmes[0].indicators[0].targets.tahun: expected a year as the key, "
        "got 'tahun'"
    )


def test_duplicate_programme_id() -> None:
    assert masterplan_error("  - id: puskesmas", "  - id: perizinan") == (
        "contoh.yaml: programmes[1].id: duplicate programme id 'perizinan' (first used at "
        "programmes[0].id)"
    )


def test_duplicate_indicator_id_within_a_programme() -> None:
    assert masterplan_error("- id: waiting-days", "- id: connected") == (
        "contoh.yaml: programmes[1].indicators[1].id: duplicate indicator id 'connected' (first "
        "used at indicators[0].id)"
    )


def test_duplicate_opd_id() -> None:
    assert masterplan_error("  - id: dinkes", "  - id: diskominfo") == (
        "contoh.yaml: opds[1].id: duplicate OPD id 'diskominfo' (first used at opds[0].id)\n"
        "contoh.yaml: programmes[1].opds[0]: unknown OPD 'dinkes' (declared: diskominfo)"
    )


def test_bad_region_code() -> None:
    assert masterplan_error('code: "16.99"', "code: 16.9") == (
        "contoh.yaml: regency.code: '16.9' is not a Kemendagri region code: expected two digits, "
        "a dot and two digits, such as '16.07' (in YAML, write it in quotes)"
    )


def test_goal_for_an_unknown_dimension() -> None:
    assert masterplan_error("  governance: {id: Layanan", "  tata_kelola: {id: Layanan") == (
        "contoh.yaml: goals.tata_kelola: unknown dimension 'tata_kelola' (dimensions of "
        "'gerakan100': governance, branding, economy, living, society, environment)"
    )


def test_weight_for_an_unknown_node() -> None:
    text = GOOD + "weights: {governance: 2, perizinan: 3, permits-online: 1}\n"
    with pytest.raises(InputError) as exc:
        loads_masterplan(text, source="contoh.yaml")
    assert str(exc.value) == (
        "contoh.yaml: weights.permits-online: 'permits-online' is no dimension or element of "
        "'gerakan100' and no programme of the masterplan"
    )


def test_unknown_framework() -> None:
    message = masterplan_error("framework: gerakan100", "framework: gerakan1000")
    assert message.startswith(
        "contoh.yaml: framework: unknown framework 'gerakan1000' (registered: "
    )


def test_unknown_field() -> None:
    assert masterplan_error("    term: quick_win", "    term: quick_win\n    tema: x") == (
        "contoh.yaml: programmes[0].tema: unknown field (expected one of: id, name, dimension, "
        "element, opds, term, start_year, end_year, indicators, budget, description, note)"
    )


def test_unknown_term() -> None:
    assert masterplan_error("term: quick_win", "term: cepat") == (
        "contoh.yaml: programmes[0].term: expected one of 'quick_win', 'short', 'medium', "
        "'long', got 'cepat'"
    )


def test_problems_in_several_programmes_are_all_reported() -> None:
    text = replaced(GOOD, "opds: [diskominfo]", "opds: []")
    text = replaced(text, "targets: {2019: 10, 2021: 25}", "targets: {2019: 0, 2021: 25}")
    with pytest.raises(InputError) as exc:
        loads_masterplan(text, source="contoh.yaml")
    assert str(exc.value).splitlines() == [
        "contoh.yaml: programmes[0].opds: a programme needs at least one OPD (organisasi "
        "perangkat daerah) responsible for it",
        "contoh.yaml: programmes[1].indicators[0].targets.2019: equals the baseline (0); "
        "progress toward it cannot be measured",
    ]


def test_a_loaded_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "rencana.yaml"
    path.write_text(replaced(GOOD, "dimension: governance", "dimension: smart_gov"))
    with pytest.raises(InputError, match=r"^rencana\.yaml: programmes\[0\]\.dimension: "):
        load_masterplan(path)


# -- rounds ---------------------------------------------------------------------------------


def test_realisation_for_an_unknown_programme(masterplan: Masterplan) -> None:
    assert round_error(masterplan, "programme: puskesmas", "programme: posyandu") == (
        "round.yaml: entries[1].programme: unknown programme 'posyandu' in masterplan 'contoh'"
    )


def test_realisation_for_an_unknown_indicator(masterplan: Masterplan) -> None:
    assert round_error(masterplan, "indicator: connected", "indicator: beds") == (
        "round.yaml: entries[1].indicator: programme 'puskesmas' has no indicator 'beds' "
        "(indicators: connected, waiting-days)"
    )


def test_realised_text_where_a_number_belongs(masterplan: Masterplan) -> None:
    assert round_error(masterplan, "realised: 6,", "realised: enam,") == (
        "round.yaml: entries[1].realised: expected a number, got 'enam'"
    )


def test_duplicate_round_entry(masterplan: Masterplan) -> None:
    assert round_error(
        masterplan,
        "programme: puskesmas, indicator: connected",
        "programme: perizinan, indicator: permits-online",
    ) == (
        "round.yaml: entries[1]: duplicate entry for programme 'perizinan', indicator "
        "'permits-online' (first at entries[0])"
    )


def test_completed_without_a_realised_value(masterplan: Masterplan) -> None:
    assert round_error(masterplan, "status: completed, realised: 62,", "status: completed,") == (
        "round.yaml: entries[0].realised: a completed entry needs a realised value"
    )


def test_unknown_status(masterplan: Masterplan) -> None:
    assert round_error(masterplan, "status: in_progress", "status: berjalan") == (
        "round.yaml: entries[1].status: expected one of 'not_started', 'in_progress', "
        "'completed', 'cancelled', got 'berjalan'"
    )


def test_round_of_another_masterplan(masterplan: Masterplan) -> None:
    assert round_error(masterplan, "masterplan: contoh", "masterplan: banyuasin") == (
        "round.yaml: masterplan: the round is for masterplan 'banyuasin', not 'contoh'"
    )


def test_round_outside_the_period(masterplan: Masterplan) -> None:
    assert round_error(masterplan, "date: 2019-06-11", "date: 2023-06-11") == (
        "round.yaml: date: the year 2023 lies outside the masterplan's period 2017-2021"
    )


def test_reporting_opd_not_declared(masterplan: Masterplan) -> None:
    assert round_error(masterplan, "opd: dinkes", "opd: dinsos") == (
        "round.yaml: entries[1].opd: unknown OPD 'dinsos' (declared: diskominfo, dinkes)"
    )


def test_a_bad_date(masterplan: Masterplan) -> None:
    assert round_error(masterplan, "date: 2019-06-11", "date: 11 Juni 2019") == (
        "round.yaml: date: expected a date (YYYY-MM-DD), got '11 Juni 2019'"
    )


def test_a_round_id_that_does_not_exist(masterplan: Masterplan) -> None:
    rnd = loads_round(ROUND, masterplan=masterplan)
    assert find_round([rnd], "2019-tahap-3") is rnd
    with pytest.raises(NotFoundError) as exc:
        find_round([rnd], "2020-tahap-4")
    assert str(exc.value) == "unknown round '2020-tahap-4' (rounds: 2019-tahap-3)"
    assert plugin_rounds(masterplan) == []

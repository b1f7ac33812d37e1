"""The Gerakan 100 Smart City framework as shipped by the plugin."""

from __future__ import annotations

import pytest

from cityeval import Dimension, Framework, Grade, get_framework, load_framework
from cityeval.plugins import get_host

DIMENSIONS = {
    "governance": ["governance.service", "governance.bureaucracy", "governance.policy"],
    "branding": ["branding.tourism", "branding.business", "branding.appearance"],
    "economy": ["economy.industry", "economy.welfare", "economy.transaction"],
    "living": ["living.harmony", "living.health", "living.mobility"],
    "society": ["society.community", "society.learning", "society.security"],
    "environment": ["environment.protection", "environment.waste", "environment.energy"],
}


@pytest.fixture(scope="module")
def fw() -> Framework:
    return get_framework("gerakan100")


def test_registered_through_the_entry_point() -> None:
    host = get_host()
    assert host.frameworks.get("gerakan100").plugin == "gerakan100"
    info = {p.name: p for p in host.plugins}["gerakan100"]
    assert info.distribution == "cityeval-gerakan100"


def test_six_dimensions_of_three_elements(fw: Framework) -> None:
    assert {d.id: [c.id for c in d.children] for d in fw.dimensions} == DIMENSIONS
    assert fw.levels[:2] == ("dimension", "element")


def test_it_is_a_template_without_indicators(fw: Framework) -> None:
    assert fw.template
    assert fw.indicators() == ()


def test_bilingual_labels_and_goals(fw: Framework) -> None:
    for node in fw.walk():
        assert node.label.id and node.label.en, node.id
    for dim in fw.dimensions:
        assert isinstance(dim, Dimension) and dim.goal is not None
        assert dim.goal.id and dim.goal.en
    assert fw.node("environment.waste").label.text("id") == "Tata Kelola Sampah dan Limbah"


def test_every_node_has_graded_sources(fw: Framework) -> None:
    assert fw.sources and all(s.grade is not None for s in fw.sources)
    for node in fw.walk():
        assert node.sources, node.id
        assert all(s.grade is not None for s in node.sources), node.id


def test_elements_backed_only_by_grade_c_are_not_presented_as_official(fw: Framework) -> None:
    assert fw.note is not None and "grade C" in fw.note
    for node in fw.walk():
        if all(s.grade is Grade.C for s in node.sources):
            assert not any(s.grade is not None and s.grade.official for s in node.sources)


def test_the_disagreement_on_smart_livings_third_element_is_in_the_data(fw: Framework) -> None:
    note = fw.node("living.mobility").note
    assert note is not None
    assert "disagree" in note and "Building" in note


def test_the_data_file_loads_through_the_public_loader() -> None:
    from importlib.resources import as_file

    from cityeval_gerakan100 import FRAMEWORK_FILE

    with as_file(FRAMEWORK_FILE) as path:
        assert load_framework(path) == get_framework("gerakan100")

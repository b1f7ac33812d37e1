"""Boyd Cohen's Smart City Wheel: a template of six components with three drivers each."""

from __future__ import annotations

from cityeval import Grade, get_framework
from cityeval.plugins import get_host
from cityeval.testing.conformance import check_framework_plugin


def test_registered_through_the_entry_point() -> None:
    assert get_host().frameworks.get("cohen-wheel").plugin == "cohen-wheel"


def test_conformance_of_a_template() -> None:
    report = check_framework_plugin("cohen-wheel")
    assert report.skipped == ["scoring: the framework is a template"]


def test_six_components_three_drivers_each() -> None:
    fw = get_framework("cohen-wheel")
    assert fw.template and fw.indicators() == ()
    assert [d.id for d in fw.dimensions] == [
        "economy",
        "environment",
        "government",
        "living",
        "mobility",
        "people",
    ]
    assert all(len(d.children) == 3 for d in fw.dimensions)
    assert fw.node("mobility.mixed-modal-access").label.en == "Mixed-modal access"
    assert fw.sources[0].grade is Grade.A
    assert fw.note is not None and "not found" in fw.note

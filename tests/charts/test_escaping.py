"""Every chart kind shows a hostile label as text: no markup gets through, the text survives."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tests.charts.conftest import every_chart, texts

HOSTILE = ["<script>alert(1)</script>", '"q" onload="x"', "Tom & Jerry's <b>"]
KINDS = list(every_chart(HOSTILE))


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_labels_are_text(kind: str) -> None:
    svg = every_chart(HOSTILE)[kind]()
    assert "<script" not in svg and "<b>" not in svg
    assert 'onload="x"' not in svg
    root = ET.fromstring(svg)  # well-formed: nothing broke out of an attribute or a text
    shown = "\n".join(texts(root)) + "\n".join(v for e in root.iter() for v in e.attrib.values())
    # at least one of the labels appears, exactly as written, as text or attribute value
    assert any(label in shown for label in HOSTILE)
    assert not [e for e in root.iter() if e.tag.endswith(("script", "b", "foreignObject"))]


@pytest.mark.parametrize("kind", ["radar", "bars", "dots", "heatmap", "rank_intervals", "sobol"])
def test_every_row_label_is_shown_unchanged(kind: str) -> None:
    root = ET.fromstring(every_chart(HOSTILE)[kind]())
    shown = texts(root)
    for label in HOSTILE:
        assert any(label in t for t in shown), (kind, label)


def test_escaped_forms_in_the_markup() -> None:
    svg = every_chart(HOSTILE)["bars"]()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "Tom &amp; Jerry&#x27;s &lt;b&gt;" in svg
    assert "&quot;q&quot; onload=&quot;x&quot;" in svg

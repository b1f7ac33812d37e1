"""The PNG is the SVG drawn: a PNG of the chart's size, not blank, with the chart's colours."""

from __future__ import annotations

import struct
import zlib

import numpy as np
import pytest

from cityeval.charts import rank_intervals_svg, sobol_svg
from cityeval.charts.svg import CURRENT, PREVIOUS

pytest.importorskip("resvg_py")

from cityeval.charts.raster import svg_to_png


def decode(png: bytes) -> np.ndarray:
    """The pixels of an 8-bit RGB or RGBA PNG, shape ``(height, width, channels)``."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    data = b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        body = png[pos + 8 : pos + 8 + length]
        if kind == b"IDAT":
            data += body
        else:
            chunks.setdefault(kind, body)
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert depth == 8 and colour in (2, 6)
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(data)
    stride = width * channels
    out = np.zeros((height, stride), dtype=np.int64)
    previous = np.zeros(stride, dtype=np.int64)
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], np.frombuffer(raw[start + 1 : start + 1 + stride], np.uint8)
        cur = line.astype(np.int64)
        if kind == 1:  # sub
            for i in range(channels, stride):
                cur[i] = (cur[i] + cur[i - channels]) % 256
        elif kind == 2:  # up
            cur = (cur + previous) % 256
        elif kind == 3:  # average
            for i in range(stride):
                left = cur[i - channels] if i >= channels else 0
                cur[i] = (cur[i] + (left + previous[i]) // 2) % 256
        elif kind == 4:  # Paeth
            for i in range(stride):
                a = cur[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                cur[i] = (cur[i] + pred) % 256
        out[row] = cur
        previous = cur
    return out.reshape(height, width, channels)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


@pytest.mark.parametrize("n", [8, 90])
def test_the_png_is_the_chart_drawn(n: int) -> None:
    rng = np.random.default_rng(n)
    median = rng.permutation(n).astype(float) + 1
    svg = rank_intervals_svg(
        [f"u{k}" for k in range(n)], median, np.maximum(median - 3, 1), median + 3, median, "t"
    )
    png = svg_to_png(svg, scale=1.0)
    pixels = decode(png)
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    assert pixels.shape[:2] == (
        round(float(root.get("height", 0))),
        round(float(root.get("width", 0))),
    )
    rgb = pixels[..., :3]
    # not blank: a white background with a good part of it drawn on
    white = (rgb == 255).all(axis=-1)
    assert white.mean() > 0.5 and (~white).mean() > 0.02
    # the chart's two colours are there (the median dots, the nominal ticks)
    for colour in (CURRENT, PREVIOUS):
        near = (np.abs(rgb - np.array(_rgb(colour))).sum(axis=-1) < 40).sum()
        assert near > 20, colour


def test_scale_sets_the_size() -> None:
    svg = sobol_svg(
        ["a", "b"], np.array([0.2, 0.3]), np.zeros(2), np.array([0.4, 0.5]), np.zeros(2)
    )
    one, two = decode(svg_to_png(svg, scale=1.0)), svg_to_png(svg, scale=2.0)
    (w2, h2) = struct.unpack(">II", two[16:24])
    assert (h2, w2) == (2 * one.shape[0], 2 * one.shape[1])


def test_a_broken_document_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"."):
        svg_to_png("<svg")

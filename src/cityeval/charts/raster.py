"""PNG from a chart's SVG, with resvg (the ``resvg-py`` wheel: Rust, no system library).

The PNG is the SVG drawn: the same document, rendered at ``scale`` times its size, text in
the first of the chart's font families found on the system (DejaVu Sans or Liberation Sans
where Segoe UI, Helvetica and Arial are absent). ``resvg_py`` is imported here, when a PNG is
asked for, so neither ``import cityeval`` nor a chart drawn only as SVG needs it.
"""

from __future__ import annotations

__all__ = ["svg_to_png"]

#: The sans-serif family resvg falls back on when none of a chart's families is installed.
FALLBACK_SANS = "DejaVu Sans"


def svg_to_png(svg: str, *, scale: float = 1.5) -> bytes:
    """Render an SVG document to PNG bytes.

    Parameters
    ----------
    svg : str
        A whole SVG document (such as a chart drawn with ``standalone=True``), with a
        ``width`` and ``height`` or a ``viewBox``.
    scale : float
        Pixels per SVG unit: 1.5 gives a 1650 px wide image of an 1100 px wide chart (the
        size of the matplotlib charts it replaces, 150 dpi).

    Returns
    -------
    bytes
        The PNG file's content.

    Raises
    ------
    ImportError
        If ``resvg-py`` is not installed (``pip install 'cityeval[uncertainty]'``).
    ValueError
        If resvg cannot parse or render ``svg`` (a bug in the chart, not a user's error).
    """
    import resvg_py

    png: bytes = bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            zoom=scale,
            background="#ffffff",
            sans_serif_family=FALLBACK_SANS,
            font_family=FALLBACK_SANS,
        )
    )
    return png

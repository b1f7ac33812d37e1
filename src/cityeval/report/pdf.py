"""``report.pdf``: the HTML report printed to A4 by headless Chromium, through Playwright.

The PDF is the same page a browser prints (its print stylesheet: A4, a running header, page
numbers, a page per section), so the two never disagree. Chromium is the system's own
(Debian's ``/usr/bin/chromium``, or ``CITYEVAL_CHROMIUM``), driven by Playwright's Python
client; Playwright never downloads a browser here. Both are imported or started only when a
PDF is asked for.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from cityeval.errors import OutputError
from cityeval.i18n import _

__all__ = ["CHROMIUM_ENV", "CHROMIUM_FLAGS", "find_chromium", "html_to_pdf", "install_hint"]

#: The environment variable that names the Chromium executable to use.
CHROMIUM_ENV = "CITYEVAL_CHROMIUM"

#: The flags Chromium is started with: headless, no sandbox (containers, root), no GPU, and
#: nothing that reaches the network on its own.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium")


def install_hint() -> str:
    """How to install what ``--pdf`` needs, in the current language."""
    return _(
        "report.pdf is printed by headless Chromium through Playwright: install Playwright's "
        "Python client with pip install 'cityeval[pdf]' (it downloads no browser) and the "
        "system's Chromium, such as apt-get install chromium on Debian or Ubuntu; or set "
        "{env} to the path of a Chromium or Chrome executable"
    ).format(env=CHROMIUM_ENV)


def find_chromium() -> str | None:
    """The Chromium executable to use: ``CITYEVAL_CHROMIUM``, else one on the ``PATH``."""
    explicit = os.environ.get(CHROMIUM_ENV)
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found is not None:
            return found
    return None


def html_to_pdf(html: str, *, executable: str | None = None, timeout_ms: float = 60_000) -> bytes:
    """Print the HTML page ``html`` to PDF on A4, as Chromium prints it.

    Parameters
    ----------
    html : str
        A complete page that needs nothing from the network (the report is one such file).
    executable : str, optional
        The Chromium executable; by default :func:`find_chromium`'s.
    timeout_ms : float
        How long starting the browser and loading the page may take, in milliseconds.

    Returns
    -------
    bytes
        The PDF document. The page size comes from the page's ``@page`` rule (A4); a page
        without one is printed on A4.

    Raises
    ------
    OutputError
        If Playwright or Chromium is missing (saying how to install them) or Chromium fails.
    """
    target = "report.pdf"
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise OutputError(target, install_hint()) from None
    chromium = executable or find_chromium()
    if chromium is None:
        raise OutputError(target, install_hint())
    args = [flag for flag in CHROMIUM_FLAGS if flag != "--headless"]  # launch() adds its own
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=chromium, headless=True, args=args, timeout=timeout_ms
            )
            try:
                page = browser.new_page()
                page.set_content(html, wait_until="load", timeout=timeout_ms)
                page.emulate_media(media="print")
                data = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
            finally:
                browser.close()
    except PlaywrightError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise OutputError(
            target,
            _("Chromium ({path}) could not print the report: {error}; {hint}").format(
                path=chromium, error=first, hint=install_hint()
            ),
        ) from None
    return data

"""Build hook: compile the gettext catalogues (``.po``) into the ``.mo`` files gettext reads.

The ``.po`` files under ``src/cityeval/locale`` are the source, kept in git; the ``.mo`` files
are built beside them on every build (wheel, editable install) and shipped in the wheel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogueBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compile ``src/cityeval/locale/*/LC_MESSAGES/*.po`` with Babel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        src = Path(self.root) / "src"
        for po in sorted((src / "cityeval" / "locale").glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as fh:
                catalog = read_po(fh)
            mo = po.with_suffix(".mo")
            with mo.open("wb") as fh:
                write_mo(fh, catalog, use_fuzzy=False)
            if version != "editable":  # an editable install reads the tree itself
                build_data["force_include"][str(mo)] = str(mo.relative_to(src))

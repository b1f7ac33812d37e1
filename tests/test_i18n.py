"""Every message a person reads has an Indonesian translation, and the language is chosen right.

The catalogue test extracts the messages from the code with Babel, exactly as the maintainers'
``pybabel extract`` does, so a new ``_("...")`` without an Indonesian ``msgstr`` fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cityeval import i18n

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
ID_PO = SRC / "cityeval" / "locale" / "id" / "LC_MESSAGES" / "cityeval.po"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[a-z_][a-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}")


def _extracted() -> dict[str, list[str]]:
    from babel.messages.extract import extract_from_dir

    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(SRC), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        texts = message if isinstance(message, tuple) else (message,)
        for text in texts:
            if text:
                found.setdefault(text, []).append(f"{filename}:{lineno}")
    return found


def _catalogue() -> dict[str, str]:
    from babel.messages.pofile import read_po

    with ID_PO.open("rb") as fh:
        catalog = read_po(fh)
    out: dict[str, str] = {}
    for msg in catalog:
        if not msg.id or msg.fuzzy:
            continue
        ids = msg.id if isinstance(msg.id, tuple) else (msg.id,)
        strs = msg.string if isinstance(msg.string, tuple) else (msg.string,)
        # Indonesian has one plural form: msgstr[0] serves singular and plural alike.
        out.update({mid: strs[min(i, len(strs) - 1)] for i, mid in enumerate(ids)})
    return out


def test_code_marks_messages() -> None:
    assert len(_extracted()) > 50


def test_every_message_has_an_indonesian_translation() -> None:
    catalogue = _catalogue()
    missing = {
        msg: where for msg, where in _extracted().items() if not catalogue.get(msg, "").strip()
    }
    lines = [f"{where[0]}: {msg!r}" for msg, where in sorted(missing.items())]
    assert not missing, "messages with no Indonesian translation in locale/id:\n" + "\n".join(
        lines
    )


def test_translations_keep_the_placeholders() -> None:
    # A translator who renames {value} would make .format() raise at the worst moment.
    bad = [
        (mid, mstr)
        for mid, mstr in _catalogue().items()
        if mstr and sorted(PLACEHOLDER.findall(mid)) != sorted(PLACEHOLDER.findall(mstr))
    ]
    assert not bad


def test_compiled_catalogue_is_current() -> None:
    # The build compiles the .po; an out-of-date .mo means the package was not rebuilt.
    from babel.messages.pofile import read_po

    translations = i18n.translator("id")
    with ID_PO.open("rb") as fh:
        catalog = read_po(fh)
    stale = []
    for msg in catalog:
        if not msg.id or msg.fuzzy or not msg.string:
            continue
        if isinstance(msg.id, tuple):
            shown = translations.ngettext(msg.id[0], msg.id[1], 1)
            wanted = msg.string[0]
        else:
            shown, wanted = translations.gettext(msg.id), msg.string
        if shown != wanted:
            stale.append(msg.id)
    assert not stale, (
        "locale/id .mo is older than the .po: reinstall (pip install -e .) or run "
        "`pybabel compile -d src/cityeval/locale -D cityeval`"
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"CITYEVAL_LANG": "id"}, "id"),
        ({"CITYEVAL_LANG": "en", "LANG": "id_ID.UTF-8"}, "en"),
        ({"LANG": "id_ID.UTF-8"}, "id"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "id_ID.UTF-8"}, "en"),
        ({"LC_MESSAGES": "id_ID"}, "id"),
        ({"LANG": "C"}, "en"),
        ({}, "en"),
    ],
)
def test_language_from_environment(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for var in ("CITYEVAL_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert i18n.language_from_environment() == expected


def test_set_language_wins_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYEVAL_LANG", "en")
    try:
        i18n.set_language("id")
        assert i18n.current_language() == "id"
        assert i18n._("is a file, not a folder") == "berupa berkas, bukan folder"
        i18n.set_language(None)
        assert i18n.current_language() == "en"
        assert i18n._("is a file, not a folder") == "is a file, not a folder"
    finally:
        i18n.set_language(None)


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        i18n.set_language("fr")

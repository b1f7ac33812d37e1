"""The user's cache (cityeval.io.cache): parsed documents and compiled templates, stale-safe."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cityeval.errors import InputError
from cityeval.io import cache
from cityeval.io.documents import load_text, read_document

BIG = "items:\n" + "".join(
    f"  - {{id: i{i}, label: 'Item {i}', weight: {i}.5}}\n" for i in range(400)
)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CITYEVAL_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _entries(folder: Path, kind: str) -> list[Path]:
    return sorted((folder / kind).iterdir()) if (folder / kind).exists() else []


def _no_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    import cityeval.io.documents as documents

    def fail(*_args: object) -> None:
        raise AssertionError("parsed although the cache holds the text")

    monkeypatch.setattr(documents, "_parse", fail)


def test_a_large_yaml_text_is_parsed_once(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(BIG) >= cache.MIN_DOCUMENT_CHARS
    first = load_text(BIG, "yaml", "big.yaml")
    assert len(_entries(folder, "documents")) == 1
    _no_parser(monkeypatch)
    again = load_text(BIG, "yaml", "big.yaml")
    assert again == first and again is not first  # a fresh object each time
    assert stat.S_IMODE((folder / "documents").stat().st_mode) == 0o700


def test_a_changed_text_is_parsed_again(folder: Path) -> None:
    load_text(BIG, "yaml", "big.yaml")
    changed = BIG.replace("Item 7'", "Item seven'")
    data = load_text(changed, "yaml", "big.yaml")
    assert data["items"][7]["label"] == "Item seven"
    assert len(_entries(folder, "documents")) == 2


def test_small_texts_and_json_are_not_kept(folder: Path) -> None:
    load_text("a: 1\n", "yaml", "small.yaml")
    load_text('{"a": [' + ",".join(["1"] * 3000) + "]}", "json", "big.json")
    assert _entries(folder, "documents") == []


def test_errors_are_not_kept(folder: Path) -> None:
    bad = BIG + "  - [unclosed\n"
    for _ in range(2):
        with pytest.raises(InputError, match="not valid YAML"):
            load_text(bad, "yaml", "bad.yaml")
    assert _entries(folder, "documents") == []


def test_a_damaged_entry_is_parsed_again(folder: Path) -> None:
    first = load_text(BIG, "yaml", "big.yaml")
    (entry,) = _entries(folder, "documents")
    entry.write_bytes(b"not a pickle")
    assert load_text(BIG, "yaml", "big.yaml") == first


def test_a_read_only_cache_still_reads(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert load_text(BIG, "yaml", "big.yaml")["items"][0]["id"] == "i0"
    assert _entries(folder, "documents") == []


def test_a_folder_others_can_write_is_not_used(folder: Path) -> None:
    (folder / "documents").mkdir(parents=True)
    os.chmod(folder / "documents", 0o777)
    load_text(BIG, "yaml", "big.yaml")
    assert _entries(folder, "documents") == []


def test_the_cache_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYEVAL_CACHE_DIR", "")
    assert cache.cache_folder() is None
    assert cache.bytecode_cache() is None
    assert cache.cached_document(BIG, "yaml", "salt") == (False, None)


def test_the_default_folder_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CITYEVAL_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if os.name != "nt":
        assert cache.cache_folder() == tmp_path / "cityeval"


def test_a_file_read_twice_gives_the_same_data(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(BIG, encoding="utf-8")
    assert read_document(path) == read_document(path)
    assert len(_entries(folder, "documents")) == 1


# -- templates --------------------------------------------------------------------------------


def _env(source: str) -> object:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.DictLoader({"page.html": source}), bytecode_cache=cache.bytecode_cache()
    )


def test_templates_are_compiled_once_and_stale_safe(folder: Path) -> None:
    first = _env("Hello {{ name }}")
    assert first.get_template("page.html").render(name="A") == "Hello A"  # type: ignore[attr-defined]
    entries = _entries(folder, "jinja")
    assert len(entries) == 1
    again = _env("Hello {{ name }}")
    assert again.get_template("page.html").render(name="B") == "Hello B"  # type: ignore[attr-defined]
    changed = _env("Goodbye {{ name }}")  # same name, new source: compiled again
    assert changed.get_template("page.html").render(name="C") == "Goodbye C"  # type: ignore[attr-defined]


def test_a_damaged_template_entry_is_compiled_again(folder: Path) -> None:
    _env("Hi {{ x }}").get_template("page.html")  # type: ignore[attr-defined]
    (entry,) = _entries(folder, "jinja")
    entry.write_bytes(b"\x00garbage")
    assert _env("Hi {{ x }}").get_template("page.html").render(x=1) == "Hi 1"  # type: ignore[attr-defined]


def test_the_report_page_is_the_same_with_and_without_the_cache(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cityeval import api
    from cityeval.report import templating
    from cityeval.report.html import render_html

    card = api.evaluate("banyuasin", "2019-tahap-3", compare="2018-tahap-2")
    templating.page_environment.cache_clear()
    cold = render_html(card, "en")
    assert _entries(folder, "jinja")
    templating.page_environment.cache_clear()
    warm = render_html(card, "en")  # from the cache's compiled code
    monkeypatch.setenv("CITYEVAL_CACHE_DIR", "")
    templating.page_environment.cache_clear()
    assert render_html(card, "en") == cold == warm
    templating.page_environment.cache_clear()

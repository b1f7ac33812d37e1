"""The plugin system: every hook, duplicate names, failing plugins, blocking, the facade."""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pytest

from cityeval import Dimension, Framework, Indicator, Label, NotFoundError, RegistryError, hookimpl
from cityeval.plugins import PluginHost, PluginWarning, hookspecs
from cityeval.plugins.registry import (
    CommandRegistry,
    FrameworkRegistry,
    MasterplanRegistry,
    MethodRegistry,
)

HostFactory = Callable[..., PluginHost]


def tiny(id: str = "tiny") -> Framework:
    return Framework(
        id,
        Label(en="Tiny"),
        ("dimension", "indicator"),
        (Dimension("d", Label(en="D"), indicators=(Indicator("i", Label(en="I")),)),),
    )


class FrameworkPlugin:
    @hookimpl
    def cityeval_register_frameworks(self, registry: FrameworkRegistry) -> None:
        registry.add_framework(tiny())


class MethodPlugin:
    @staticmethod
    def halve(x: object) -> object:
        """Halve every value."""
        return x

    @hookimpl
    def cityeval_register_methods(self, registry: MethodRegistry) -> None:
        registry.add_method("normalise", "halve", self.halve)


def hello() -> None:
    """Say hello."""
    print("halo")


class CommandPlugin:
    @hookimpl
    def cityeval_register_commands(self, registry: CommandRegistry) -> None:
        registry.add_command("hello", hello, help="Say hello.")


HOOK_TESTS = {
    "cityeval_register_frameworks": "test_register_frameworks",
    "cityeval_register_methods": "test_register_methods",
    "cityeval_register_commands": "test_register_commands",
    "cityeval_register_masterplans": "test_register_masterplans",
    "cityeval_register_crosswalks": "test_register_crosswalks",
}


def test_every_hook_has_a_test() -> None:
    specs = {
        n
        for n, f in inspect.getmembers(hookspecs, inspect.isfunction)
        if n.startswith("cityeval_")
    }
    assert specs == set(HOOK_TESTS)
    for test_name in HOOK_TESTS.values():
        assert test_name in globals()


def test_hooks_are_named_cityeval_register_things() -> None:
    for name in HOOK_TESTS:
        assert name.startswith("cityeval_register_")


def test_register_frameworks(host_with: HostFactory) -> None:
    host = host_with(("fw", FrameworkPlugin()))
    entry = host.frameworks.get("tiny")
    assert entry.framework == tiny()
    assert entry.plugin == "fw"


def test_register_frameworks_from_a_file(host_with: HostFactory, tmp_path: Path) -> None:
    from cityeval import save_framework

    path = tmp_path / "t.json"
    save_framework(tiny("from-file"), path)

    class FilePlugin:
        @hookimpl
        def cityeval_register_frameworks(self, registry: FrameworkRegistry) -> None:
            registry.add_framework(path)

    host = host_with(("file", FilePlugin()))
    assert host.frameworks.get("from-file").framework == tiny("from-file")


def test_register_methods(host_with: HostFactory) -> None:
    host = host_with(("m", MethodPlugin()))
    entry = host.methods.get("normalise", "halve")
    assert entry.summary == "Halve every value."
    assert entry.plugin == "m"
    # built-in weighting schemes arrive through the same hook
    assert {e.name for e in host.methods.of_kind("weight")} >= {"explicit", "equal"}
    assert host.methods.get("weight", "equal").plugin == "cityeval.builtin"


def test_register_commands(host_with: HostFactory, capsys: pytest.CaptureFixture[str]) -> None:
    host = host_with(("c", CommandPlugin()))
    assert [e.name for e in host.commands.entries()] == ["hello"]
    from cityeval.cli import main

    assert main(["hello"]) == 0
    assert capsys.readouterr().out == "halo\n"


def test_register_masterplans(host_with: HostFactory) -> None:
    from importlib import import_module

    from cityeval.masterplan.files import get_masterplan, get_round, list_masterplans

    banyuasin = import_module("cityeval_banyuasin")  # the plugin package, as a plugin object
    masterplan_file, round_files = banyuasin.MASTERPLAN_FILE, banyuasin.ROUND_FILES

    class MasterplanPlugin:
        @hookimpl
        def cityeval_register_masterplans(self, registry: MasterplanRegistry) -> None:
            registry.add_masterplan(masterplan_file, round_files[:1])

    with pytest.warns(PluginWarning, match="masterplan 'banyuasin' is already registered"):
        host = host_with(("banyuasin", banyuasin), ("again", MasterplanPlugin()))
    # the second registration of the same id is refused and reported, the first kept
    assert [f.name for f in host.failures] == ["again"]
    assert "masterplan 'banyuasin' is already registered" in host.failures[0].error
    entry = host.masterplans.entries()[0]
    assert (entry.id, entry.plugin, len(entry.rounds)) == ("banyuasin", "banyuasin", 3)
    mp = get_masterplan("banyuasin")
    assert [m.id for m in list_masterplans()] == ["banyuasin"]
    assert get_round(mp, "2019-tahap-3").date.isoformat() == "2019-06-11"


def test_register_crosswalks(host_with: HostFactory, tmp_path: Path) -> None:
    from cityeval.crosswalk import Crosswalk, Link, get_crosswalk, list_crosswalks, save_crosswalk
    from cityeval.plugins.registry import CrosswalkRegistry

    walk = Crosswalk("tiny-to-other", "tiny", "other", (Link("d", ("x",)),))
    path = tmp_path / "walk.yaml"
    save_crosswalk(Crosswalk("from-file", "tiny", "other", (Link("i", ("x", "y")),)), path)

    class CrosswalkPlugin:
        @hookimpl
        def cityeval_register_crosswalks(self, registry: CrosswalkRegistry) -> None:
            registry.add_crosswalk(walk)
            registry.add_crosswalk(path)

    class Again:
        @hookimpl
        def cityeval_register_crosswalks(self, registry: CrosswalkRegistry) -> None:
            registry.add_crosswalk(walk)

    with pytest.warns(PluginWarning, match="crosswalk 'tiny-to-other' is already registered"):
        host = host_with(("cw", CrosswalkPlugin()), ("again", Again()))
    assert [e.crosswalk.id for e in host.crosswalks.entries()] == ["from-file", "tiny-to-other"]
    assert host.crosswalks.get("tiny-to-other").plugin == "cw"
    assert get_crosswalk("from-file").mappings[0].targets == ("x", "y")
    assert [c.id for c in list_crosswalks()] == ["from-file", "tiny-to-other"]
    with pytest.raises(NotFoundError, match=r"unknown crosswalk 'nope' \(registered: from-file,"):
        get_crosswalk("nope")


def test_unknown_method_kind_and_name(host_with: HostFactory) -> None:
    host = host_with()
    with pytest.raises(
        NotFoundError,
        match=r"unknown weight method 'magic' \(registered: ahp, budget, critic, entropy, equal, ",
    ):
        host.methods.get("weight", "magic")

    class BadKind:
        @hookimpl
        def cityeval_register_methods(self, registry: MethodRegistry) -> None:
            registry.add_method("sorcery", "x", print)

    with pytest.warns(PluginWarning, match="unknown method kind 'sorcery'"):
        host_with(("bad", BadKind()))


def test_duplicate_names_are_rejected_and_reported(host_with: HostFactory) -> None:
    class Again(FrameworkPlugin):
        pass

    with pytest.warns(PluginWarning) as record:
        host = host_with(("first", FrameworkPlugin()), ("second", Again()))
    assert str(record[0].message) == (
        "plugin 'second' failed in cityeval_register_frameworks: RegistryError: framework "
        "'tiny' is already registered by plugin 'first'; plugin 'second' cannot register it again"
    )
    assert host.frameworks.get("tiny").plugin == "first"


def test_registry_rejects_duplicates_directly() -> None:
    reg = FrameworkRegistry()
    reg._begin("p")
    reg.add_framework(tiny())
    with pytest.raises(RegistryError, match="already registered by the same plugin"):
        reg.add_framework(tiny())


def test_a_failing_plugin_leaves_nothing_behind_and_others_keep_working(
    host_with: HostFactory,
) -> None:
    class HalfWay:
        @hookimpl
        def cityeval_register_frameworks(self, registry: FrameworkRegistry) -> None:
            registry.add_framework(tiny("half"))
            raise RuntimeError("database offline")

    with pytest.warns(
        PluginWarning,
        match="plugin 'halfway' failed in cityeval_register_frameworks: "
        "RuntimeError: database offline",
    ):
        host = host_with(("halfway", HalfWay()), ("fw", FrameworkPlugin()))
    assert "half" not in host.frameworks
    assert "tiny" in host.frameworks
    assert [f.name for f in host.failures] == ["halfway"]
    assert not host.is_loaded("halfway") and host.is_loaded("fw")


def test_misspelled_hook_names_fail_the_plugin(host_with: HostFactory) -> None:
    class Typo:
        @hookimpl
        def cityeval_register_framework(self, registry: FrameworkRegistry) -> None:  # no 's'
            raise AssertionError("never called")

    with pytest.warns(PluginWarning, match="plugin 'typo' failed validation"):
        host = host_with(("typo", Typo()), ("fw", FrameworkPlugin()))
    assert "typo" not in host.plugin_names()
    assert "tiny" in host.frameworks


def test_bad_hook_signature_fails_the_plugin(host_with: HostFactory) -> None:
    class WrongArgs:
        @hookimpl
        def cityeval_register_frameworks(self, frameworks: object) -> None:
            raise AssertionError("never called")

    with pytest.warns(PluginWarning, match="plugin 'wrong' failed to register"):
        host = host_with(("wrong", WrongArgs()))
    assert "wrong" not in host.plugin_names()


class FakeEntryPoint:
    def __init__(self, name: str, target: object | Exception) -> None:
        self.name = name
        self.group = "cityeval"
        self.dist = None
        self._target = target

    def load(self) -> object:
        if isinstance(self._target, Exception):
            raise self._target
        return self._target


@pytest.fixture
def fake_entry_points(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    def install(*eps: FakeEntryPoint) -> None:
        def entry_points(group: str) -> list[FakeEntryPoint]:
            return list(eps) if group == "cityeval" else []

        monkeypatch.setattr(metadata, "entry_points", entry_points)

    return install


def test_entry_points_load(host_with: HostFactory, fake_entry_points: Callable[..., None]) -> None:
    module = types.ModuleType("fake_fw")
    module.cityeval_register_frameworks = FrameworkPlugin().cityeval_register_frameworks  # type: ignore[attr-defined]
    fake_entry_points(FakeEntryPoint("fake", module))
    host = host_with(entry_points=True)
    assert "fake" in host.plugin_names()
    assert host.frameworks.get("tiny").plugin == "fake"


def test_import_failure_is_reported(
    host_with: HostFactory, fake_entry_points: Callable[..., None]
) -> None:
    module = types.ModuleType("fake_fw")
    module.cityeval_register_frameworks = FrameworkPlugin().cityeval_register_frameworks  # type: ignore[attr-defined]
    fake_entry_points(
        FakeEntryPoint("broken", ModuleNotFoundError("No module named 'numpy_financial'")),
        FakeEntryPoint("fine", module),
    )
    with pytest.warns(
        PluginWarning, match="plugin 'broken' failed to import: ModuleNotFoundError"
    ):
        host = host_with(entry_points=True)
    assert host.is_loaded("fine")
    assert host.failures[0].name == "broken"


def test_environment_variable_blocks_plugins(
    host_with: HostFactory, fake_entry_points: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    module = types.ModuleType("fake_fw")
    module.cityeval_register_frameworks = FrameworkPlugin().cityeval_register_frameworks  # type: ignore[attr-defined]
    fake_entry_points(
        FakeEntryPoint("fake", module), FakeEntryPoint("never", RuntimeError("imported"))
    )
    monkeypatch.setenv("CITYEVAL_DISABLE_PLUGINS", "never, fake")
    host = host_with(entry_points=True)
    assert "fake" not in host.plugin_names()
    assert "tiny" not in host.frameworks
    assert host.failures == []


def test_get_framework_by_id_or_file(host_with: HostFactory, tmp_path: Path) -> None:
    import cityeval

    host_with(("fw", FrameworkPlugin()))
    assert cityeval.get_framework("tiny") == tiny()
    assert [f.id for f in cityeval.list_frameworks()] == ["tiny"]
    path = tmp_path / "x.yaml"
    cityeval.save_framework(tiny("x"), path)
    assert cityeval.get_framework(str(path)).id == "x"
    with pytest.raises(NotFoundError, match=r"unknown framework 'nope' \(registered: tiny\)"):
        cityeval.get_framework("nope")


def test_plugin_authors_need_one_import() -> None:
    import cityeval

    assert cityeval.hookimpl is hookspecs.hookimpl

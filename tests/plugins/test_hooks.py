"""The plugin system: every hook, duplicate names, failing plugins, blocking, the facade."""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable, Generator
from importlib import metadata
from pathlib import Path

import pytest

from cityeval import Dimension, Framework, Indicator, Label, NotFoundError, RegistryError, hookimpl
from cityeval.plugins import PluginHost, PluginWarning, hookspecs
from cityeval.plugins.manager import HOOKS
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


def _hookspecs() -> dict[str, dict[str, type]]:
    """Each hook's parameters and their types, read from the hook specifications."""
    from cityeval.plugins import registry

    return {
        name: {
            k: v
            for k, v in typing.get_type_hints(function, globalns=vars(registry)).items()
            if k != "return"
        }
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if name.startswith("cityeval_")
    }


def test_hooks_are_named_cityeval_register_things() -> None:
    assert _hookspecs()
    for name in _hookspecs():
        assert name.startswith("cityeval_register_")


@pytest.mark.parametrize("hook_name", sorted(_hookspecs()))
def test_every_hook_is_called_once_with_its_documented_registry(
    host_with: HostFactory, hook_name: str
) -> None:
    """A plugin built from the hookspec alone: the host must call it, with the right type."""
    calls: list[object] = []
    ((param_name, param_type),) = _hookspecs()[hook_name].items()
    assert param_name == "registry"

    def implementation(registry: object) -> None:
        calls.append(registry)

    plugin = types.ModuleType("spy")
    setattr(plugin, hook_name, hookimpl(implementation))
    host = host_with(("spy", plugin))
    attrs = [a for a, (hook, _cls) in HOOKS.items() if hook == hook_name]
    assert len(attrs) == 1, f"the host has no registry filled by {hook_name}"
    registry = getattr(host, attrs[0])
    getattr(host, attrs[0])  # asking again calls nothing again
    assert calls == [registry]
    assert isinstance(registry, param_type)


def test_register_frameworks(host_with: HostFactory) -> None:
    host = host_with(("fw", FrameworkPlugin()))
    entry = host.frameworks.get("tiny")
    assert entry.framework == tiny()
    assert entry.plugin == "fw"


def test_register_frameworks_from_a_file(host_with: HostFactory, tmp_path: Path) -> None:
    from cityeval import save_framework

    path = tmp_path / "from-file.json"
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
    assert [e.name for e in host.commands.entries() if e.plugin == "c"] == ["hello"]
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
            registry.add_masterplan(masterplan_file, round_files[:1], id="banyuasin")

    host = host_with(
        ("banyuasin", banyuasin), ("again", MasterplanPlugin())
    )  # its plugins are called on first use
    with pytest.warns(PluginWarning, match="masterplan 'banyuasin' is already registered"):
        host.load_all()
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
    path = tmp_path / "from-file.yaml"
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

    host = host_with(
        ("cw", CrosswalkPlugin()), ("again", Again())
    )  # its plugins are called on first use
    with pytest.warns(PluginWarning, match="crosswalk 'tiny-to-other' is already registered"):
        host.load_all()
    assert [e.id for e in host.crosswalks.entries()] == ["from-file", "tiny-to-other"]
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
        host_with(("bad", BadKind())).load_all()


def test_duplicate_names_are_rejected_and_reported(host_with: HostFactory) -> None:
    class Again(FrameworkPlugin):
        pass

    host = host_with(
        ("first", FrameworkPlugin()), ("second", Again())
    )  # its plugins are called on first use
    with pytest.warns(PluginWarning) as record:
        host.load_all()
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

    host = host_with(
        ("halfway", HalfWay()), ("fw", FrameworkPlugin())
    )  # its plugins are called on first use
    with pytest.warns(
        PluginWarning,
        match="plugin 'halfway' failed in cityeval_register_frameworks: "
        "RuntimeError: database offline",
    ):
        host.load_all()
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


# -- pluggy's calling rules ----------------------------------------------------------------------


def _recorder(name: str, calls: list[str], **opts: bool) -> types.ModuleType:
    module = types.ModuleType(name)

    @hookimpl(**opts)  # type: ignore[misc]
    def cityeval_register_frameworks(registry: FrameworkRegistry) -> None:
        calls.append(name)
        registry.add_framework(tiny(name))

    module.cityeval_register_frameworks = cityeval_register_frameworks  # type: ignore[attr-defined]
    return module


def test_tryfirst_and_trylast_order_calls_as_pluggy_documents(host_with: HostFactory) -> None:
    calls: list[str] = []
    host = host_with(
        ("late", _recorder("late", calls, trylast=True)),
        ("plain-a", _recorder("plain-a", calls)),
        ("early", _recorder("early", calls, tryfirst=True)),
        ("plain-b", _recorder("plain-b", calls)),
    )
    _ = host.frameworks
    # tryfirst before plain before trylast; plain ones in the order the plugins were given
    assert calls == ["early", "plain-a", "plain-b", "late"]
    assert host.frameworks.keys() == ["early", "late", "plain-a", "plain-b"]


def test_new_style_wrapper_wraps_the_other_implementations(host_with: HostFactory) -> None:
    seen: dict[str, list[str]] = {}

    class Wrapper:
        @hookimpl(wrapper=True)
        def cityeval_register_frameworks(
            self, registry: FrameworkRegistry
        ) -> Generator[None, None, None]:
            seen["before"] = registry.keys()
            registry.add_framework(tiny("from-wrapper"))
            result = yield
            seen["after"] = registry.keys()
            return result

    host = host_with(("wrap", Wrapper()), ("fw", FrameworkPlugin()))
    _ = host.frameworks
    assert seen["before"] == []
    assert seen["after"] == ["from-wrapper", "tiny"]
    assert host.frameworks.get("from-wrapper").plugin == "wrap"
    assert host.frameworks.get("tiny").plugin == "fw"


def test_old_style_hookwrapper_sees_the_outcome(host_with: HostFactory) -> None:
    seen: list[object] = []

    class OldWrapper:
        @hookimpl(hookwrapper=True)
        def cityeval_register_frameworks(
            self, registry: FrameworkRegistry
        ) -> Generator[None, object, None]:
            outcome = yield
            seen.append(outcome.get_result())  # type: ignore[attr-defined]
            seen.append(registry.keys())

    _ = host_with(("old", OldWrapper()), ("fw", FrameworkPlugin())).frameworks
    assert seen == [[], ["tiny"]]  # pluggy keeps results that are not None: there are none


def test_a_failing_wrapper_is_reported_and_the_others_still_run(host_with: HostFactory) -> None:
    class BadWrapper:
        @hookimpl(wrapper=True)
        def cityeval_register_frameworks(
            self, registry: FrameworkRegistry
        ) -> Generator[None, None, None]:
            registry.add_framework(tiny("wrapped"))
            yield
            raise RuntimeError("teardown broke")

    host = host_with(("badwrap", BadWrapper()), ("fw", FrameworkPlugin()))
    with pytest.warns(PluginWarning, match=r"plugin 'badwrap' failed in .*teardown broke"):
        _ = host.frameworks
    assert host.frameworks.keys() == ["tiny"]  # what the failing plugin added is gone
    assert [f.name for f in host.failures] == ["badwrap"]


def test_cityeval_itself_is_called_first_so_its_names_are_reserved(
    host_with: HostFactory,
) -> None:
    class Greedy:
        @hookimpl(tryfirst=True)
        def cityeval_register_commands(self, registry: CommandRegistry) -> None:
            registry.add_command("score", hello)

    host = host_with(("greedy", Greedy()))
    with pytest.warns(PluginWarning, match="command 'score' is reserved: cityeval itself"):
        commands = host.commands
    assert commands.get("score").plugin == "cityeval.builtin"
    from cityeval.plugins.builtin import COMMANDS

    assert commands.reserved() == {name for name, *_rest in COMMANDS}


def test_reserved_commands_are_the_commands_of_the_cli(host_with: HostFactory) -> None:
    import typer.main

    from cityeval.cli.app import build_app

    host = host_with()
    group = typer.main.get_command(build_app())
    assert set(group.commands) == set(host.commands.reserved())  # type: ignore[attr-defined]


# -- registering reads nothing; first use reads once ---------------------------------------------


def test_registering_a_file_reads_nothing(host_with: HostFactory, tmp_path: Path) -> None:
    missing = tmp_path / "later.yaml"  # does not exist yet

    class Lazy:
        @hookimpl
        def cityeval_register_frameworks(self, registry: FrameworkRegistry) -> None:
            registry.add_framework(missing)

    host = host_with(("lazy", Lazy()))
    entry = host.frameworks.get("later")
    assert (entry.id, entry.plugin, entry.file, entry.loaded) == (
        "later",
        "lazy",
        "later.yaml",
        False,
    )
    from cityeval import InputError, save_framework

    with pytest.raises(InputError, match=r"later\.yaml"):
        _ = entry.framework
    save_framework(tiny("later"), missing)
    assert entry.framework == tiny("later") and entry.loaded


def test_a_file_whose_id_differs_from_its_registration_is_refused_on_use(
    host_with: HostFactory, tmp_path: Path
) -> None:
    from cityeval import save_framework

    path = tmp_path / "named.yaml"
    save_framework(tiny("inside"), path)

    class Mislabelled:
        @hookimpl
        def cityeval_register_frameworks(self, registry: FrameworkRegistry) -> None:
            registry.add_framework(path)

    host = host_with(("mis", Mislabelled()))
    with pytest.raises(
        RegistryError,
        match=r"named.yaml: the file's framework id is 'inside', but plugin 'mis' registered it "
        r"as 'named' \(pass id='inside'",
    ):
        _ = host.frameworks.get("named").framework


def test_frameworks_of_installed_plugins_are_read_only_when_used() -> None:
    host = PluginHost()
    entries = host.frameworks.entries()
    assert entries and not any(e.loaded for e in entries)
    assert host.frameworks.get("gerakan100").framework.id == "gerakan100"
    assert [e.id for e in entries if e.loaded] == ["gerakan100"]


def test_only_the_registry_asked_for_is_filled(host_with: HostFactory) -> None:
    calls: list[str] = []
    host = host_with(("rec", _recorder("rec", calls)))
    _ = host.methods
    assert calls == []
    _ = host.frameworks
    assert calls == ["rec"]


# -- threads -------------------------------------------------------------------------------------


def test_eight_threads_build_one_host_and_read_each_file_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    import cityeval
    import cityeval.io.frameworks
    from cityeval.plugins import manager, reset_host

    built: list[int] = []
    reads: list[Path] = []
    real_init = manager.PluginHost.__init__
    real_load = cityeval.io.frameworks.load_framework

    def counting_init(self: PluginHost, **kwargs: object) -> None:
        built.append(threading.get_ident())
        real_init(self, **kwargs)  # type: ignore[arg-type]

    def counting_load(path: Path) -> Framework:
        reads.append(path)
        return real_load(path)

    monkeypatch.setattr(manager.PluginHost, "__init__", counting_init)
    monkeypatch.setattr(cityeval.io.frameworks, "load_framework", counting_load)
    previous = reset_host(None)
    barrier = threading.Barrier(8)

    def ask(_: int) -> Framework:
        barrier.wait()  # all eight ask at the same moment
        return cityeval.get_framework("gerakan100")

    try:
        with ThreadPoolExecutor(8) as pool:
            found = list(pool.map(ask, range(8)))
    finally:
        reset_host(previous)
    assert len(built) == 1
    assert [p.name for p in reads] == ["gerakan100.yaml"]
    assert all(f is found[0] for f in found)


def test_a_registry_is_seen_by_other_threads_only_when_complete(host_with: HostFactory) -> None:
    import threading

    started, release = threading.Event(), threading.Event()
    seen: list[list[str]] = []

    class Slow:
        @hookimpl
        def cityeval_register_frameworks(self, registry: FrameworkRegistry) -> None:
            registry.add_framework(tiny("first"))
            started.set()
            release.wait(5)
            registry.add_framework(tiny("second"))

    host = host_with(("slow", Slow()))
    filler = threading.Thread(target=lambda: host.frameworks)
    filler.start()
    started.wait(5)
    reader = threading.Thread(target=lambda: seen.append(host.frameworks.keys()))
    reader.start()
    release.set()
    filler.join(5)
    reader.join(5)
    assert seen == [["first", "second"]]

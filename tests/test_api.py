"""The one-call API: ids, paths or objects; the README's examples; the CLI built on it;
every public name documented."""

from __future__ import annotations

import re
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest

import cityeval
from cityeval import InputError, NotFoundError, api
from cityeval.cli import main
from cityeval.data import Dataset, read_csv, to_pandas
from cityeval.engine import score as engine_score
from cityeval.io.coinr import import_coinr
from cityeval.io.pipelines import load_pipeline
from cityeval.masterplan import get_masterplan, get_round, resolve_framework
from cityeval.masterplan.evaluation import evaluate as evaluate_round
from tests.shared_data import require_asem

REPO = Path(__file__).resolve().parent.parent
API_MD = REPO / "docs" / "reference" / "api.md"
README = REPO / "README.md"
PIPELINE = REPO / "docs" / "examples" / "asem-pipeline.yaml"


@pytest.fixture(scope="module")
def asem(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = require_asem()
    return import_coinr(folder / "iData.csv", folder / "iMeta.csv", tmp_path_factory.mktemp("a"))


# -- what is public ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", cityeval.__all__)
def test_every_public_name_is_documented_in_the_api_reference(name: str) -> None:
    text = API_MD.read_text(encoding="utf-8")
    assert f"`cityeval.{name}`" in text, f"cityeval.{name} is not in {API_MD.name}"
    assert getattr(cityeval, name) is not None


@pytest.mark.parametrize("name", ["score", "evaluate", "uncertainty"])
def test_the_verbs_have_numpydoc_with_an_example(name: str) -> None:
    doc = getattr(api, name).__doc__ or ""
    for section in ("Parameters", "Returns", "Raises", "Examples"):
        assert f"\n    {section}\n    ----" in doc, f"{name}: no {section} section"


def test_nothing_else_leaks_from_the_top_level() -> None:
    leaked = [
        n
        for n in dir(cityeval)
        if not n.startswith("_")
        and n not in cityeval.__all__
        and not isinstance(getattr(cityeval, n), types.ModuleType)
    ]
    assert leaked == []


def test_the_verbs_load_nothing_heavy_on_import() -> None:
    code = (
        "import sys, cityeval; cityeval.score; cityeval.evaluate; "
        "print(sorted(m for m in ('pandas', 'scipy', 'matplotlib', 'typer', 'rich', 'openpyxl')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("verb", ["uncertainty", "audit", "explain"])
def test_verbs_that_are_subpackages_are_callable_packages(verb: str) -> None:
    # cityeval.<verb> is the subpackage itself, callable as cityeval.api.<verb>, before and
    # after the subpackage is imported, and it keeps the subpackage's other names.
    code = (
        f"import cityeval, types; f = cityeval.{verb}; import cityeval.{verb} as u; "
        f"print(f is u, callable(cityeval.{verb}), isinstance(u, types.ModuleType))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True True True"


def test_calling_a_verb_package_calls_the_api(monkeypatch: pytest.MonkeyPatch) -> None:
    import cityeval.audit
    import cityeval.explain
    import cityeval.uncertainty

    for verb in ("uncertainty", "audit", "explain"):
        monkeypatch.setattr(api, verb, lambda *a, v=verb, **k: (v, a, k))
        assert getattr(cityeval, verb)(1, x=2) == (verb, (1,), {"x": 2})


# -- score: ids, paths, objects ----------------------------------------------------------------


def test_score_takes_paths_and_gives_the_engines_result(asem: tuple[Path, Path]) -> None:
    fw_path, data_path = asem
    results = cityeval.score(fw_path, data_path, PIPELINE)
    fw = cityeval.load_framework(fw_path)
    direct = engine_score(fw, read_csv(data_path, fw), load_pipeline(PIPELINE))
    np.testing.assert_array_equal(results.aggregates, direct.aggregates)
    np.testing.assert_array_equal(results.ranks, direct.ranks)


def test_score_takes_objects_mappings_and_data_frames(asem: tuple[Path, Path]) -> None:
    fw_path, data_path = asem
    fw = cityeval.load_framework(fw_path)
    dataset = read_csv(data_path, fw)
    pipe = load_pipeline(PIPELINE)
    expected = cityeval.score(fw, dataset, pipe).aggregates
    frame = to_pandas(dataset)
    np.testing.assert_array_equal(cityeval.score(fw, frame, pipe).aggregates, expected)
    columns: dict[str, Any] = {str(k): list(v) for k, v in frame.items()}
    np.testing.assert_array_equal(cityeval.score(fw, columns, pipe).aggregates, expected)


def test_score_checks_a_dataset_against_the_framework(asem: tuple[Path, Path]) -> None:
    fw = cityeval.load_framework(asem[0])
    wrong = Dataset(("a", "b"), ("nope",), np.array([[1.0], [2.0]]))
    with pytest.raises(InputError, match="'nope'"):
        cityeval.score(fw, wrong)


def test_score_refuses_data_of_another_kind() -> None:
    with pytest.raises(InputError, match="expected a CSV file, a Dataset"):
        cityeval.score("gerakan100", 42)


def test_an_unknown_framework_id_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        cityeval.score("no-such-framework", "data.csv")


# -- evaluate ----------------------------------------------------------------------------------


def test_evaluate_by_id_gives_the_rounds_scorecard() -> None:
    card = cityeval.evaluate("banyuasin", "2019-tahap-3", compare="2018-tahap-2")
    mp = get_masterplan("banyuasin")
    direct = evaluate_round(
        mp,
        resolve_framework(mp),
        get_round(mp, "2019-tahap-3"),
        compare=get_round(mp, "2018-tahap-2"),
    )
    assert card.overall == direct.overall
    assert card.nodes == direct.nodes


def test_evaluate_takes_objects() -> None:
    mp = get_masterplan("banyuasin")
    rnd = get_round(mp, "2019-tahap-3")
    card = cityeval.evaluate(mp, rnd, cap=None)
    assert card.round.id == "2019-tahap-3" and card.compare is None and card.cap is None


def test_evaluate_refuses_a_later_comparison_round() -> None:
    with pytest.raises(InputError, match="is not earlier than round"):
        cityeval.evaluate("banyuasin", "2018-tahap-2", compare="2019-tahap-3")


# -- the command line calls exactly these ----------------------------------------------------


def test_the_cli_commands_call_the_api(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[str] = []

    def refuse(name: str) -> Any:
        def call(*args: object, **kwargs: object) -> None:
            calls.append(name)
            raise InputError("x", [])

        return call

    # `uncertainty` runs the analysis itself (a progress bar, draws.csv formatted while the
    # draws run) but reads its inputs exactly as cityeval.uncertainty does, through the API.
    for name in ("score", "evaluate", "load_data"):
        monkeypatch.setattr(api, name, refuse(name))
    data = tmp_path / "d.csv"
    data.write_text("unit\n")
    main(["score", "-f", "gerakan100", "-d", str(data), "-o", str(tmp_path / "o")])
    main(["evaluate", "banyuasin", "--round", "2019-tahap-3", "--out", str(tmp_path / "e")])
    main(["uncertainty", "-f", "gerakan100", "-d", str(data), "-s", "s.yaml", "-o", "u"])
    assert calls == ["score", "evaluate", "load_data"]
    capsys.readouterr()


# -- the README's examples -------------------------------------------------------------------


def _python_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## In Python", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_the_readme_runs_asem_and_banyuasin_in_two_lines_each(
    asem: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    block = _python_blocks()[0]
    calls = [
        line for line in block.splitlines() if "cityeval.score(" in line or "evaluate(" in line
    ]
    assert len(calls) == 2
    # Run the block as written, from a folder holding the imported ASEM files.
    (tmp_path / "asem").mkdir()
    for path in asem:
        (tmp_path / "asem" / path.name).write_bytes(path.read_bytes())
    (tmp_path / "asem" / "pipeline.yaml").write_bytes(PIPELINE.read_bytes())
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    exec(compile(block, "README.md", "exec"), namespace)
    assert namespace["results"].top_id == "Index"
    assert namespace["card"].overall.score is not None


def test_evaluate_takes_round_files(tmp_path: Path) -> None:
    from cityeval.masterplan.files import save_round

    mp = get_masterplan("banyuasin")
    rnd = get_round(mp, "2019-tahap-3")
    file = tmp_path / "r.yaml"
    save_round(attrs.evolve(rnd, id="my-round"), file)
    by_file = cityeval.evaluate("banyuasin", file)
    by_id = cityeval.evaluate("banyuasin", "my-round", rounds=[file])
    assert by_file.round.id == by_id.round.id == "my-round"
    assert by_file.overall == by_id.overall == cityeval.evaluate(mp, rnd).overall
    with pytest.raises(InputError, match="round 'my-round' is also in"):
        cityeval.evaluate("banyuasin", "my-round", rounds=[file, file])


def test_uncertainty_takes_a_spec_object(asem: tuple[Path, Path]) -> None:
    from cityeval.uncertainty import loads_spec

    spec = loads_spec(
        "draws: 8\nseed: 3\nmethod: monte-carlo\n"
        "factors:\n  w: {step: weight, level: 2, noise: 0.25}\n"
    )
    res = cityeval.uncertainty(asem[0], asem[1], spec, PIPELINE, batch_size=4, threads=1)
    assert res.n_draws == 8 and res.units == tuple(read_csv(asem[1]).units)


# -- audit and explain: the same resolution -------------------------------------------------


def test_audit_scores_a_framework_and_data_as_score_does(asem: tuple[Path, Path]) -> None:
    fw_path, data_path = asem
    results = cityeval.score(fw_path, data_path, PIPELINE)
    from_files = cityeval.audit(fw_path, data_path, PIPELINE, optimise_level=None)
    from_results = cityeval.audit(results, optimise_level=None)
    assert from_files.stats.to_frame().equals(from_results.stats.to_frame())
    with pytest.raises(InputError, match="not both"):
        cityeval.audit(results, data_path)
    with pytest.raises(InputError, match="needs data"):
        cityeval.audit(fw_path)


def test_explain_a_masterplan_round_and_its_change() -> None:
    ex = cityeval.explain("banyuasin", "2019-tahap-3", compare="2018-tahap-2")
    card = cityeval.evaluate("banyuasin", "2019-tahap-3", compare="2018-tahap-2")
    frame = ex.to_frame()
    causes = frame[frame["kind"] == "cause"]["change"].sum()
    assert causes == pytest.approx(card.overall.change, abs=1e-9)
    children = frame[frame["kind"] == "child"]["contribution"].sum()
    assert children == pytest.approx(card.overall.score, abs=1e-9)
    with pytest.raises(InputError, match="round"):
        cityeval.explain("banyuasin")

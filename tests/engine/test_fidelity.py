"""COINr fidelity details of the engine: parameter names, notes, and ranks of near-ties."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import cityeval
from cityeval import InputError, loads_framework
from cityeval.data import Dataset
from cityeval.engine import score
from cityeval.io.pipelines import loads_pipeline

FRAMEWORK = """
id: flat
name: Flat
levels: [index, indicator]
dimensions:
  - id: idx
    label: Index
    indicators:
      - {id: a, label: A}
      - {id: b, label: B}
"""


def _data(values: list[list[float]]) -> Dataset:
    units = tuple(f"u{i}" for i in range(len(values)))
    return Dataset(units, ("a", "b"), np.array(values, dtype=float))


@pytest.mark.parametrize("name", ["reference", "reference_index"])
def test_dist_to_reference_takes_reference_and_reference_index(name: str) -> None:
    fw = loads_framework(FRAMEWORK)
    data = _data([[1.0, 2.0], [3.0, 5.0], [2.0, 9.0]])
    pipe = loads_pipeline(
        f"steps:\n  - {{step: normalise, method: dist_to_reference, params: {{{name}: u1}}}}\n"
        "  - {step: aggregate, method: arithmetic}\n"
    )
    res = score(fw, data, pipe)
    normalised = res.stages["normalised"]
    # u1 is the reference: it scores 100 on both indicators; the worst unit scores 0.
    np.testing.assert_allclose(normalised[1], [100.0, 100.0])
    np.testing.assert_allclose(normalised[0], [0.0, 0.0])
    np.testing.assert_allclose(normalised[2], [50.0, 100 * (1 - (5 - 9) / (5 - 2))])


def test_dist_to_reference_refuses_both_names() -> None:
    fw = loads_framework(FRAMEWORK)
    pipe = loads_pipeline(
        "steps:\n  - {step: normalise, method: dist_to_reference, "
        "params: {reference: u1, reference_index: u1}}\n"
        "  - {step: aggregate, method: arithmetic}\n"
    )
    with pytest.raises(InputError, match="not both"):
        score(fw, _data([[1.0, 2.0], [3.0, 5.0]]), pipe)


def test_a_winsorised_indicator_that_becomes_constant_is_noted() -> None:
    fw = loads_framework(FRAMEWORK)
    # 'a' is two values, one of them an outlier: one pass makes it constant.
    a = [0.0] * 19 + [100.0]
    b = [float(i) for i in range(20)]
    data = _data([[x, y] for x, y in zip(a, b, strict=True)])
    pipe = loads_pipeline(
        "steps:\n"
        "  - {step: treat, method: coinr, params: {winmax: 5, log_transform: false}}\n"
        "  - {step: normalise, method: minmax}\n"
        "  - {step: aggregate, method: arithmetic}\n"
    )
    res = score(fw, data, pipe)
    notes = [n for n in res.notes if "constant after Winsorisation" in n]
    assert len(notes) == 1 and "'a'" in notes[0] and "(1 value(s) changed)" in notes[0]
    assert np.ptp(res.stages["treated"][:, 0]) == 0.0


def test_no_note_when_winsorisation_leaves_a_spread() -> None:
    fw = loads_framework(FRAMEWORK)
    a = [float(i) for i in range(19)] + [1000.0]
    data = _data([[x, float(i)] for i, x in enumerate(a)])
    pipe = loads_pipeline(
        "steps:\n  - {step: treat, method: coinr}\n  - {step: normalise, method: minmax}\n"
        "  - {step: aggregate, method: arithmetic}\n"
    )
    res = score(fw, data, pipe)
    assert res.treatment[0].winsorised_high > 0
    assert not [n for n in res.notes if "constant" in n]


def test_near_ties_get_different_ranks() -> None:
    """Ranks come from the unrounded scores: a difference below 1e-9 still decides."""
    fw = loads_framework(FRAMEWORK)
    pipe = loads_pipeline(
        "steps:\n  - {step: normalise, method: identity}\n"
        "  - {step: aggregate, method: arithmetic}\n"
    )
    data = _data([[50.0, 50.0], [50.0, 50.0 + 4e-10], [50.0, 50.0]])
    res = score(fw, data, pipe)
    assert res.rank("idx").tolist() == [2.0, 1.0, 2.0]  # exact ties still share a rank


def test_the_api_gives_the_engine_result(tmp_path: object) -> None:
    fw = loads_framework(FRAMEWORK)
    data = _data([[1.0, 2.0], [3.0, 5.0], [2.0, 9.0]])
    via_api = cityeval.score(fw, data)
    direct = score(fw, data)
    np.testing.assert_array_equal(via_api.aggregates, direct.aggregates)
    np.testing.assert_array_equal(via_api.ranks, direct.ranks)


def test_the_cli_shows_the_constant_indicator_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cityeval import save_framework
    from cityeval.cli import main
    from cityeval.data import write_csv

    fw = loads_framework(FRAMEWORK)
    a = [0.0] * 19 + [100.0]
    data = _data([[x, float(i)] for i, x in enumerate(a)])
    save_framework(fw, tmp_path / "fw.yaml")
    write_csv(data, tmp_path / "data.csv")
    (tmp_path / "p.yaml").write_text(
        "steps:\n"
        "  - {step: treat, method: coinr, params: {winmax: 5, log_transform: false}}\n"
        "  - {step: normalise, method: minmax}\n"
        "  - {step: aggregate, method: arithmetic}\n"
    )
    code = main(
        ["score", "-f", str(tmp_path / "fw.yaml"), "-d", str(tmp_path / "data.csv"),
         "-p", str(tmp_path / "p.yaml"), "-o", str(tmp_path / "out")]
    )  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "treat: indicator 'a' is constant after Winsorisation" in out

"""The public verbs in one place: score an index, evaluate a masterplan, analyse uncertainty.

Each function takes what the command line takes, in the same forms: a registered id, a file
path, or an object already built. The command line's ``score``, ``evaluate`` and
``uncertainty`` commands call exactly these functions, so what a user can do in a terminal a
program can do in one call::

    import cityeval

    results = cityeval.score("asem/framework.yaml", "asem/data.csv", "asem-pipeline.yaml")
    card = cityeval.evaluate("banyuasin", "2019-tahap-3", compare="2018-tahap-2")

Everything heavy (numpy kernels, the masterplan package, the uncertainty analysis) is imported
inside the function that needs it, so ``import cityeval`` stays light.

At about 520 lines this module is over the house's 500 on purpose: it is the one place for
the public verbs (``score``, ``evaluate``, ``uncertainty``, ``audit``, ``explain``) and the
resolution of ids, paths and objects they share, so that a reader finds the whole public
surface in one file; most of its length is numpydoc, and the work itself lives in the
packages each verb calls.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cityeval.errors import InputError, Problem
from cityeval.i18n import _

if TYPE_CHECKING:
    from cityeval.audit import Audit
    from cityeval.data import Dataset
    from cityeval.engine import Results
    from cityeval.explain import Explanation
    from cityeval.masterplan import EvaluationRound, Masterplan
    from cityeval.masterplan.evaluation import Scorecard
    from cityeval.model import Framework, Lang, Pipeline
    from cityeval.plugins.manager import PluginHost
    from cityeval.uncertainty import UncertaintyResults, UncertaintySpec

__all__ = [
    "audit",
    "evaluate",
    "explain",
    "load_data",
    "resolve_framework",
    "resolve_pipeline",
    "resolve_rounds",
    "score",
    "uncertainty",
]

PathLike = str | os.PathLike[str]


def resolve_framework(framework: str | os.PathLike[str] | Framework) -> Framework:
    """A framework given by registered id, by file, or as an object.

    Parameters
    ----------
    framework : str, path-like or Framework
        A registered id such as ``"gerakan100"``, a ``.yaml``/``.json``/``.toml`` file, or a
        :class:`~cityeval.model.Framework` (returned as it is).

    Raises
    ------
    NotFoundError
        No framework of that id is registered.
    InputError
        The file cannot be read or is no valid framework.
    """
    from cityeval import get_framework
    from cityeval.model import Framework

    if isinstance(framework, Framework):
        return framework
    return get_framework(framework)


def load_data(data: PathLike | Dataset | Mapping[str, Any] | Any, framework: Framework) -> Dataset:
    """A data set given as a CSV file, a :class:`~cityeval.data.Dataset`, a mapping or a
    pandas DataFrame, checked against ``framework``.

    Parameters
    ----------
    data : path-like, Dataset, mapping or DataFrame
        A CSV file in the cityeval layout (``unit``, [``time``], indicators...); a data set
        already built (checked against the framework); columns or rows as
        :func:`cityeval.data.from_mapping` takes; or a DataFrame as
        :func:`cityeval.data.from_pandas` takes.
    framework : Framework
        Every indicator must have a column, and every value is checked against its scale.

    Raises
    ------
    InputError
        With every problem of the data, each naming its row and column.
    """
    from cityeval.data import Dataset, from_mapping, from_pandas, read_csv

    if isinstance(data, str | os.PathLike):
        return read_csv(data, framework)
    if isinstance(data, Dataset):
        data.check_against(framework)
        return data
    if isinstance(data, Mapping) or (
        isinstance(data, Sequence) and not isinstance(data, str | bytes)
    ):
        rows_or_columns: Any = data
        return from_mapping(rows_or_columns, framework=framework)
    if type(data).__name__ == "DataFrame":
        return from_pandas(data, framework=framework)
    raise InputError(
        "data",
        [
            Problem(
                (),
                _(
                    "expected a CSV file, a Dataset, a mapping or a pandas DataFrame, got {kind}"
                ).format(kind=type(data).__name__),
            )
        ],
    )


def resolve_pipeline(pipeline: PathLike | Pipeline | None) -> tuple[Pipeline | None, str]:
    """The pipeline (read from a file, or as given) and the name error messages use for it.

    ``None`` stays ``None``: the framework's own pipeline, or the default, is used.
    """
    from cityeval.io.pipelines import load_pipeline

    if pipeline is None:
        return None, "pipeline"
    if isinstance(pipeline, str | os.PathLike):
        return load_pipeline(pipeline), Path(pipeline).name
    return pipeline, "pipeline"


def score(
    framework: str | os.PathLike[str] | Framework,
    data: PathLike | Dataset | Mapping[str, Any] | Any,
    pipeline: PathLike | Pipeline | None = None,
    *,
    host: PluginHost | None = None,
) -> Results:
    """Build an index: scores and ranks of every node for every unit.

    Parameters
    ----------
    framework : str, path-like or Framework
        A registered framework id, a framework file, or a framework object.
    data : path-like, Dataset, mapping or DataFrame
        The raw indicator values, one row per unit (and time); see :func:`load_data`.
    pipeline : path-like or Pipeline, optional
        The construction steps (normalisation, weighting, aggregation...) as a file or an
        object; the framework's own pipeline, or min-max and arithmetic means, by default.
    host : PluginHost, optional
        Where method names are looked up; the process-wide plugin host by default.

    Returns
    -------
    Results
        Scores and ranks of shape ``(n_units, n_nodes)`` (``(n_times, n_units, n_nodes)`` for
        panel data), with ``write(folder)``, ``to_pandas()`` and the notes of the run.

    Raises
    ------
    NotFoundError, InputError, EngineError
        An unknown id, a malformed file or value, or a pipeline that cannot be applied.

    Examples
    --------
    COINr's ASEM index, imported with ``cityeval import-coinr`` into ``asem/``:

    >>> results = cityeval.score(                                      # doctest: +SKIP
    ...     "asem/framework.yaml", "asem/data.csv", "docs/examples/asem-pipeline.yaml")
    >>> results.write("asem-scores")                                   # doctest: +SKIP
    """
    from cityeval.engine import score as run

    fw = resolve_framework(framework)
    dataset = load_data(data, fw)
    pipe, source = resolve_pipeline(pipeline)
    return run(fw, dataset, pipe, host=host, source=source)


def _as_masterplan(masterplan: PathLike | Masterplan) -> tuple[Masterplan, Path | None]:
    from cityeval.masterplan import Masterplan, get_masterplan

    if isinstance(masterplan, Masterplan):
        return masterplan, None
    base = Path(masterplan).parent if Path(masterplan).is_file() else None
    return get_masterplan(masterplan), base


def resolve_rounds(masterplan: Masterplan, files: Iterable[PathLike]) -> list[EvaluationRound]:
    """The rounds to choose from: the plugin's, and those of ``files`` (which replace a
    plugin's round of the same id), sorted by date.

    Raises
    ------
    InputError
        A round file is malformed, or two files hold the same round.
    """
    from cityeval.masterplan import load_round, plugin_rounds

    by_id = {r.id: r for r in plugin_rounds(masterplan)}
    seen: dict[str, Path] = {}
    for file in map(Path, files):
        rnd = load_round(file, masterplan=masterplan)
        if rnd.id in seen:
            raise InputError(
                file.name,
                [
                    Problem(
                        ("id",),
                        _("round {round!r} is also in {other}").format(
                            round=rnd.id, other=seen[rnd.id]
                        ),
                    )
                ],
            )
        seen[rnd.id] = file
        by_id[rnd.id] = rnd
    return sorted(by_id.values(), key=lambda r: (r.date, r.id))


def _pick(
    rounds: list[EvaluationRound], ref: PathLike | EvaluationRound, mp: Masterplan
) -> EvaluationRound:
    """A round object as given, by id among ``rounds``, or read from a file ``ref`` names."""
    from cityeval.io.documents import FORMATS
    from cityeval.masterplan import EvaluationRound, find_round, load_round

    if isinstance(ref, EvaluationRound):
        return ref
    path = Path(ref)
    known = any(r.id == str(ref) for r in rounds)
    if not isinstance(ref, str) or (
        not known and (path.suffix.lower() in FORMATS or path.is_file())
    ):
        return load_round(path, masterplan=mp)
    return find_round(rounds, ref)


def evaluate(
    masterplan: PathLike | Masterplan,
    round: PathLike | EvaluationRound,
    compare: PathLike | EvaluationRound | None = None,
    *,
    rounds: Iterable[PathLike] = (),
    cap: float | None = 100.0,
) -> Scorecard:
    """Evaluate a regency's masterplan at one evaluation round.

    Parameters
    ----------
    masterplan : str, path-like or Masterplan
        The id of a masterplan a plugin ships (``"banyuasin"``), a masterplan file, or an
        object. A file's framework reference is resolved beside the file.
    round : str, path-like or EvaluationRound
        The round to evaluate: its id among the plugin's rounds and ``rounds``, a round file,
        or an object.
    compare : str, path-like or EvaluationRound, optional
        An earlier round (same forms); every score then carries its change since.
    rounds : iterable of path-like
        Round files to choose ``round`` and ``compare`` from, besides the plugin's (a file
        replaces the plugin's round of the same id).
    cap : float or None
        The highest achievement an indicator counts, in percent; ``None`` for no cap.

    Returns
    -------
    Scorecard
        Every dimension's, element's, OPD's and programme's score, with the change since
        ``compare``; ``cityeval.report.write_report(card, folder)`` writes its files.

    Raises
    ------
    NotFoundError, InputError
        An unknown id or round, a malformed file, or ``compare`` not earlier than ``round``.

    Examples
    --------
    >>> card = cityeval.evaluate(                                      # doctest: +SKIP
    ...     "banyuasin", "2019-tahap-3", compare="2018-tahap-2")
    >>> card.overall.score, card.overall.change                         # doctest: +SKIP
    """
    from cityeval.masterplan import resolve_framework as masterplan_framework
    from cityeval.masterplan.evaluation import evaluate as run

    mp, base = _as_masterplan(masterplan)
    framework = masterplan_framework(mp, base)
    known = resolve_rounds(mp, rounds)
    rnd = _pick(known, round, mp)
    earlier = None
    if compare is not None:
        earlier = _pick(known, compare, mp)
        if earlier.date >= rnd.date:
            raise InputError(
                "--compare",
                [
                    Problem(
                        (),
                        _(
                            "round {earlier!r} ({earlier_date}) is not earlier than round "
                            "{round!r} ({round_date}); --compare takes an earlier round"
                        ).format(
                            earlier=earlier.id,
                            earlier_date=earlier.date,
                            round=rnd.id,
                            round_date=rnd.date,
                        ),
                    )
                ],
            )
    return run(mp, framework, rnd, compare=earlier, cap=cap)


def uncertainty(
    framework: str | os.PathLike[str] | Framework,
    data: PathLike | Dataset | Mapping[str, Any] | Any,
    spec: PathLike | UncertaintySpec,
    pipeline: PathLike | Pipeline | None = None,
    *,
    executor: Executor | None = None,
    batch_size: int | None = None,
    threads: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    temp_dir: PathLike | None = None,
    host: PluginHost | None = None,
) -> UncertaintyResults:
    """Re-run an index over many draws of its choices: rank intervals and Sobol' indices.

    Parameters
    ----------
    framework, data, pipeline
        As for :func:`score`.
    spec : path-like or UncertaintySpec
        The draws and the factors (weights, normalisation, aggregation, imputation,
        treatment, exclusions), as a YAML/JSON/TOML file or an object.
    executor : concurrent.futures.Executor, optional
        In-process by default; a ``ProcessPoolExecutor`` or
        ``distributed.Client.get_executor()`` spread the batches.
    batch_size : int, optional
        Rows per batch; the results do not depend on it.
    threads : int, optional
        Threads of an in-process run (one per core by default).
    progress : callable, optional
        Called as ``progress(rows_done, rows_total)`` after each batch.
    temp_dir : path-like, optional
        Where the draws' scores are spooled; the system's temporary folder by default. It is
        checked for room before any draw runs.

    Returns
    -------
    UncertaintyResults
        Each unit's rank and score intervals, shape ``(n_units, n_nodes)``, the Sobol' indices
        of a Sobol' design, and ``write(folder)``.

    Raises
    ------
    NotFoundError, InputError, EngineError
        As :func:`score`; and for a malformed specification.
    TemporarySpaceError
        The temporary folder has no room for the draws.

    Examples
    --------
    >>> res = cityeval.uncertainty(                                    # doctest: +SKIP
    ...     "asem/framework.yaml", "asem/data.csv", "docs/examples/asem-uncertainty.yaml",
    ...     "docs/examples/asem-pipeline.yaml")
    >>> res.write("asem-uncertainty")                                  # doctest: +SKIP
    """
    from concurrent.futures import ProcessPoolExecutor

    from cityeval.uncertainty import UncertaintySpec, load_spec, prepare, run_analysis
    from cityeval.uncertainty.space import check_temporary_space

    fw = resolve_framework(framework)
    dataset = load_data(data, fw)
    pipe, pipe_source = resolve_pipeline(pipeline)
    if isinstance(spec, UncertaintySpec):
        uspec, spec_source = spec, "spec"
    else:
        uspec, spec_source = load_spec(spec), Path(spec).name
    prepared = prepare(
        fw, dataset, pipe, uspec, host=host, source=spec_source, pipeline_source=pipe_source
    )
    spool_dir = None if temp_dir is None else os.fspath(temp_dir)
    local_pool = isinstance(executor, ProcessPoolExecutor)
    check_temporary_space(prepared, spool_dir, threads, local_pool=local_pool)
    return run_analysis(
        prepared,
        executor=executor,
        batch_size=batch_size,
        threads=threads,
        progress=progress,
        temp_dir=spool_dir,
    )


def audit(
    framework: PathLike | Framework | Results,
    data: PathLike | Dataset | Mapping[str, Any] | Any | None = None,
    pipeline: PathLike | Pipeline | None = None,
    **options: Any,
) -> Audit:
    """Audit an index as COINr does: statistics, screening, correlations, Cronbach's alpha,
    principal components, optimised weights and what-if comparisons.

    Parameters
    ----------
    framework : str, path-like, Framework or Results
        A framework (id, file or object) scored with ``data`` and ``pipeline`` first, or
        the results of a run already made (:func:`score`).
    data : path-like, Dataset, mapping or DataFrame, optional
        The raw indicator values (not with results).
    pipeline : path-like or Pipeline, optional
        The construction steps, as for :func:`score`.
    **options
        Passed to :func:`cityeval.audit.audit` (thresholds, ``optimise_level``,
        ``compare_with``...).

    Returns
    -------
    Audit
        Every table of the audit, each with ``to_frame()``.

    Examples
    --------
    >>> results = cityeval.score("asem/framework.yaml", "asem/data.csv")  # doctest: +SKIP
    >>> cityeval.audit(results).stats.to_frame()                          # doctest: +SKIP
    """
    from cityeval.audit import audit as run_audit
    from cityeval.engine.results import Results

    if isinstance(framework, Results):
        if data is not None or pipeline is not None:
            raise InputError(
                "audit", [Problem((), _("give results, or a framework with data; not both"))]
            )
        return run_audit(framework, **options)
    if data is None:
        raise InputError("audit", [Problem((), _("a framework needs data to be audited"))])
    return run_audit(score(framework, data, pipeline), **options)


def explain(
    subject: PathLike | Framework | Results | Scorecard,
    round: PathLike | EvaluationRound | None = None,
    *,
    compare: PathLike | EvaluationRound | Results | Scorecard | None = None,
    data: PathLike | Dataset | Mapping[str, Any] | Any | None = None,
    pipeline: PathLike | Pipeline | None = None,
    unit: str | None = None,
    node: str | None = None,
    rounds: Iterable[PathLike] = (),
    lang: Lang = "en",
) -> Explanation:
    """Why a score is what it is, and why it changed: the parts each score is made of.

    Parameters
    ----------
    subject : str, path-like, Framework, Results or Scorecard
        A masterplan (id or file; then give ``round``), a framework (id, file or object;
        then give ``data``), or results already computed (:func:`score`, :func:`evaluate`).
    round : str, path-like or EvaluationRound, optional
        The masterplan's round to explain.
    compare : optional
        An earlier round of the masterplan, or earlier results (or data, with a framework:
        an earlier data file of the same framework is scored with the same pipeline).
    data, pipeline : optional
        The data and pipeline, as for :func:`score`, when ``subject`` is a framework.
    unit, node : str, optional
        The unit (when there are several) and the aggregate (the overall index by default).
    rounds : iterable of path-like
        Round files besides the plugin's, as for :func:`evaluate`.
    lang : {"en", "id"}
        The language of labels.

    Returns
    -------
    Explanation
        The contributions of children, indicators (and programmes, OPDs and causes, for a
        masterplan), each kind summing to the score and to the change; ``to_frame()``.

    Examples
    --------
    >>> ex = cityeval.explain("banyuasin", "2019-tahap-3", compare="2018-tahap-2")
    >>> ex.to_frame()                                                     # doctest: +SKIP
    """
    from cityeval.engine.results import Results
    from cityeval.explain import explain as run_explain
    from cityeval.masterplan.evaluation import Scorecard

    if isinstance(subject, Results | Scorecard):
        earlier = compare if isinstance(compare, Results | Scorecard) or compare is None else None
        return run_explain(subject, unit, node, compare=earlier, lang=lang)
    if data is not None:
        fw = resolve_framework(subject)
        results = score(fw, data, pipeline)
        before = None
        if compare is not None and not isinstance(compare, Results | Scorecard):
            before = score(fw, compare, pipeline)
        elif isinstance(compare, Results):
            before = compare
        return run_explain(results, unit, node, compare=before, lang=lang)
    if round is None:
        raise InputError(
            "explain",
            [Problem((), _("give a masterplan and its round, or a framework and data"))],
        )
    sc = evaluate(
        subject,  # type: ignore[arg-type]
        round,
        compare=None if isinstance(compare, Results | Scorecard) else compare,
        rounds=rounds,
    )
    return run_explain(sc, unit, node, lang=lang)

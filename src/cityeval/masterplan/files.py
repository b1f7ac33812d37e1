"""Reading and writing masterplans and evaluation rounds, and finding the ones plugins ship.

Files go through cityeval's one converter, extended here with the masterplan's own types
(mappings keyed by year or id, dates), so errors read ``file: field.path: problem`` as for
frameworks; a year key shows in the path as ``targets.2019``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, get_args, get_origin

import attrs
import cattrs

from cityeval.errors import InputError, ModelError, NotFoundError, Problem
from cityeval.i18n import _
from cityeval.io.converter import (
    FieldTypeError,
    converter,
    describe,
    problems_from,
    structure,
    unstructure,
)
from cityeval.io.documents import FORMATS, Format, dump_text, format_of, load_text, read_document
from cityeval.io.documents import write_atomic as _write_atomic
from cityeval.masterplan.model import EvaluationRound, FrozenMap, Masterplan, find_round
from cityeval.model import Framework

__all__ = [
    "dumps_masterplan",
    "dumps_round",
    "get_masterplan",
    "get_round",
    "list_masterplans",
    "load_masterplan",
    "load_round",
    "loads_masterplan",
    "loads_round",
    "masterplan_from_dict",
    "masterplan_to_dict",
    "plugin_rounds",
    "realisation_problems",
    "resolve_framework",
    "round_from_dict",
    "round_to_dict",
    "save_masterplan",
    "save_round",
]

PathLike = str | os.PathLike[str]

# -- converter hooks ------------------------------------------------------------------------

_INSTALLED: list[cattrs.Converter] = []


def _year_key(key: object) -> int:
    if isinstance(key, int) and not isinstance(key, bool):
        year = key
    elif isinstance(key, str) and key.strip().isdigit():
        year = int(key)
    else:
        raise FieldTypeError(f"expected a year as the key, got {describe(key)}")
    if not 1900 <= year <= 2200:
        raise FieldTypeError(f"expected a year as the key, got {year}")
    return year


def _text_key(key: object) -> str:
    if isinstance(key, str) and key:
        return key
    raise FieldTypeError(f"expected an id as the key, got {describe(key)}")


def _frozen_map_hooks(
    conv: cattrs.Converter,
) -> tuple[Callable[[Any], Callable[[Any, Any], Any]], Callable[[Any], Callable[[Any], Any]]]:
    def structure_factory(t: Any) -> Callable[[Any, Any], Any]:
        key_type, value_type = get_args(t)
        make_key = _year_key if key_type is int else _text_key

        def hook(value: Any, _: Any) -> FrozenMap[Any, Any]:
            if not isinstance(value, Mapping):
                raise FieldTypeError(f"expected a mapping, got {describe(value)}")
            problems: list[Problem] = []
            out: dict[Any, Any] = {}
            for raw_key, raw in value.items():
                try:
                    key = make_key(raw_key)
                except FieldTypeError as exc:
                    problems.append(Problem((str(raw_key),), str(exc)))
                    continue
                if key in out:
                    problems.append(Problem((str(raw_key),), f"{key} is given twice"))
                    continue
                try:
                    out[key] = conv.structure(raw, value_type)
                except (cattrs.BaseValidationError, ModelError, FieldTypeError) as exc:
                    problems.extend(problems_from(exc, (str(key),)))
            if problems:
                raise ModelError(problems)
            return FrozenMap(out)

        return hook

    def unstructure_factory(t: Any) -> Callable[[Any], Any]:
        args = get_args(t)
        value_type = args[1] if args else Any

        def hook(value: FrozenMap[Any, Any]) -> dict[Any, Any]:
            return {k: conv.unstructure(v, value_type) for k, v in value.items()}

        return hook

    return structure_factory, unstructure_factory


def _is_frozen_map(t: Any) -> bool:
    origin: Any = get_origin(t) or t
    return origin is FrozenMap


def _structure_date(value: Any, _: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise FieldTypeError(f"expected a date (YYYY-MM-DD), got {describe(value)}")


def masterplan_converter() -> cattrs.Converter:
    """The shared converter, with the hooks of the masterplan's types installed once."""
    conv = converter()
    if not any(c is conv for c in _INSTALLED):
        structure_factory, unstructure_factory = _frozen_map_hooks(conv)
        conv.register_structure_hook_factory(_is_frozen_map, structure_factory)
        conv.register_unstructure_hook_factory(_is_frozen_map, unstructure_factory)
        conv.register_structure_hook(dt.date, _structure_date)
        # Dates stay dates: YAML and TOML write them as dates; JSON gets ISO text (_dump).
        conv.register_unstructure_hook(dt.date, lambda d: d)
        _INSTALLED.append(conv)
    return conv


def _ordered(obj: Any, data: Any) -> Any:
    """Keys in the order the classes declare their fields (the converter puts defaults last)."""
    if attrs.has(type(obj)) and isinstance(data, dict):
        names = [a.name for a in attrs.fields(type(obj)) if a.name in data]
        return {n: _ordered(getattr(obj, n), data[n]) for n in names}
    if isinstance(obj, tuple) and isinstance(data, list):
        return [_ordered(o, d) for o, d in zip(obj, data, strict=True)]
    if isinstance(obj, FrozenMap) and isinstance(data, dict):
        return {k: _ordered(obj[k], v) for k, v in data.items()}
    return data


def _tidy(data: Any) -> Any:
    """Whole floats as ints (``40`` rather than ``40.0``) and dates as ISO text, recursively."""
    if isinstance(data, dt.date):
        return data.isoformat()
    if isinstance(data, float) and data.is_integer():
        return int(data)
    if isinstance(data, dict):
        return {k: _tidy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_tidy(v) for v in data]
    return data


def _dump(data: Any, fmt: Format) -> str:
    if fmt == "toml":  # TOML keys are text
        data = _string_keys(data)
    tidy = _tidy(data)
    if fmt != "json" and isinstance(data, dict) and isinstance(data.get("date"), dt.date):
        tidy["date"] = data["date"]  # YAML and TOML have dates of their own
    return dump_text(tidy, fmt)


def _string_keys(data: Any) -> Any:
    if isinstance(data, dict):
        return {str(k): _string_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_string_keys(v) for v in data]
    return data


# -- masterplans ----------------------------------------------------------------------------


def resolve_framework(masterplan: Masterplan, base: PathLike | None = None) -> Framework:
    """The framework a masterplan names: a registered id, or a file relative to ``base``.

    Raises
    ------
    NotFoundError
        If no framework of that id is registered.
    InputError
        If the framework file cannot be read.
    """
    from cityeval import get_framework

    ref = masterplan.framework
    path = Path(ref)
    if path.suffix.lower() in FORMATS or (base is not None and _is_file(Path(base) / path)):
        if base is not None and not path.is_absolute():
            path = Path(base) / path
        return get_framework(path)
    return get_framework(ref)


def masterplan_from_dict(
    data: Any,
    source: str = "",
    *,
    framework: Framework | None = None,
    base: PathLike | None = None,
) -> Masterplan:
    """Build a :class:`Masterplan` from plain data and check it against its framework.

    Parameters
    ----------
    data : object
        Plain data in the file format.
    source : str
        The file name, prefixed to every message.
    framework : Framework, optional
        The framework to check against; by default the one the masterplan names.
    base : path, optional
        The folder a framework file path is relative to.

    Raises
    ------
    InputError
        Listing every problem as ``source: field.path: problem``.
    """
    masterplan_converter()
    mp = structure(data, Masterplan, source)
    if framework is None:
        try:
            framework = resolve_framework(mp, base)
        except (NotFoundError, InputError) as exc:
            # A framework file the masterplan names is reported under the masterplan's field.
            raise InputError(source, [Problem(("framework",), str(exc))]) from None
        except (OSError, ValueError) as exc:  # a name the system cannot look up
            message = _("cannot look up the framework {ref!r}: {reason}").format(
                ref=mp.framework[:60], reason=getattr(exc, "strerror", None) or exc
            )
            raise InputError(source, [Problem(("framework",), message)]) from None
    problems = mp.check_framework(framework)
    if problems:
        raise InputError(source, problems)
    return mp


def masterplan_to_dict(masterplan: Masterplan) -> dict[str, Any]:
    """The masterplan as plain data in the file format (defaults omitted)."""
    masterplan_converter()
    data: dict[str, Any] = unstructure(masterplan)
    data.setdefault("framework", masterplan.framework)  # explicit, though it is the default
    ordered: dict[str, Any] = _ordered(masterplan, data)
    return ordered


def load_masterplan(path: PathLike, *, framework: Framework | None = None) -> Masterplan:
    """Read a masterplan from a ``.yaml``, ``.yml``, ``.json`` or ``.toml`` file.

    A framework given as a file path in the masterplan is read relative to the file's folder.
    """
    p = Path(path)
    return masterplan_from_dict(read_document(p), p.name, framework=framework, base=p.parent)


def loads_masterplan(
    text: str,
    fmt: Format = "yaml",
    source: str = "<string>",
    *,
    framework: Framework | None = None,
) -> Masterplan:
    """Read a masterplan from text in the given format."""
    return masterplan_from_dict(load_text(text, fmt, source), source, framework=framework)


def dumps_masterplan(masterplan: Masterplan, fmt: Format = "yaml") -> str:
    """The masterplan as YAML, JSON or TOML text."""
    return _dump(masterplan_to_dict(masterplan), fmt)


def save_masterplan(masterplan: Masterplan, path: PathLike) -> None:
    """Write the masterplan to ``path`` (format from the suffix), atomically."""
    _write_atomic(path, dumps_masterplan(masterplan, format_of(path)))


# -- rounds ---------------------------------------------------------------------------------


def round_from_dict(
    data: Any, source: str = "", *, masterplan: Masterplan | None = None
) -> EvaluationRound:
    """Build an :class:`EvaluationRound`, checked against ``masterplan`` when given.

    Raises
    ------
    InputError
        Listing every problem as ``source: field.path: problem``.
    """
    masterplan_converter()
    rnd = structure(data, EvaluationRound, source)
    if masterplan is not None:
        problems = rnd.check_against(masterplan) + realisation_problems(rnd, masterplan)
        if problems:
            raise InputError(source, problems)
    return rnd


def realisation_problems(rnd: EvaluationRound, masterplan: Masterplan) -> list[Problem]:
    """Realised values that break their indicator's scale (a ``%`` outside [0, 100]).

    Each programme indicator's rule comes from its unit
    (:func:`cityeval.data.checks.rule_for_unit`); paths read ``entries[3].realised``.
    """
    from cityeval.data.checks import check_value, rule_for_unit

    units = {
        (prog.id, ind.id): ind.unit for prog in masterplan.programmes for ind in prog.indicators
    }
    problems: list[Problem] = []
    for i, entry in enumerate(rnd.entries):
        key = (entry.programme, entry.indicator)
        if entry.realised is None or key not in units:
            continue
        problem = check_value(entry.realised, rule_for_unit(units[key]))
        if problem is not None:
            problems.append(Problem(("entries", i, "realised"), problem))
    return problems


def round_to_dict(rnd: EvaluationRound) -> dict[str, Any]:
    """The round as plain data in the file format (defaults omitted)."""
    masterplan_converter()
    ordered: dict[str, Any] = _ordered(rnd, unstructure(rnd))
    return ordered


def load_round(path: PathLike, *, masterplan: Masterplan | None = None) -> EvaluationRound:
    """Read an evaluation round from a file, checked against ``masterplan`` when given."""
    p = Path(path)
    return round_from_dict(read_document(p), p.name, masterplan=masterplan)


def loads_round(
    text: str,
    fmt: Format = "yaml",
    source: str = "<string>",
    *,
    masterplan: Masterplan | None = None,
) -> EvaluationRound:
    """Read an evaluation round from text in the given format."""
    return round_from_dict(load_text(text, fmt, source), source, masterplan=masterplan)


def dumps_round(rnd: EvaluationRound, fmt: Format = "yaml") -> str:
    """The round as YAML, JSON or TOML text."""
    return _dump(round_to_dict(rnd), fmt)


def save_round(rnd: EvaluationRound, path: PathLike) -> None:
    """Write the round to ``path`` (format from the suffix), atomically."""
    _write_atomic(path, dumps_round(rnd, format_of(path)))


# -- what plugins ship ----------------------------------------------------------------------
# Plugins register masterplans and rounds through the ``cityeval_register_masterplans`` hook;
# only plugins the host loaded successfully are consulted.


def _plugin_entries() -> list[Any]:
    from cityeval.plugins.manager import get_host

    return get_host().masterplans.entries()


def _read(file: Traversable | PathLike, reader: Callable[[Path], Any]) -> Any:
    from importlib.resources import as_file

    if isinstance(file, str | os.PathLike):
        return reader(Path(file))
    with ExitStack() as stack:
        return reader(stack.enter_context(as_file(file)))


def _as_masterplan(entry: Any) -> Masterplan:
    # The registry entry reads its file once per process and keeps the masterplan.
    found: Masterplan = entry.load(load_masterplan)
    return found


def list_masterplans() -> list[Masterplan]:
    """The masterplans shipped by loaded plugins, sorted by id."""
    return [_as_masterplan(entry) for entry in _plugin_entries()]


def plugin_rounds(masterplan: Masterplan) -> list[EvaluationRound]:
    """The rounds a plugin ships for ``masterplan``, sorted by date."""
    rounds: list[EvaluationRound] = []
    for entry in _plugin_entries():
        if entry.id != masterplan.id:  # the registered id: no file is read to compare
            continue

        def read(entry: Any = entry) -> list[EvaluationRound]:
            return [
                rf
                if isinstance(rf, EvaluationRound)
                else _read(rf, lambda p: load_round(p, masterplan=masterplan))
                for rf in entry.rounds
            ]

        # read once per process when checked against the registered masterplan itself
        shipped = entry.loaded and entry.load(load_masterplan) is masterplan
        rounds.extend(entry.memo("rounds", read) if shipped else read())
    return sorted(rounds, key=lambda r: (r.date, r.id))


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; False for a name the system cannot even look up."""
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long, or with a NUL byte
        return False


def _looks_like_file(ref: str | os.PathLike[str]) -> bool:
    path = Path(ref)
    return not isinstance(ref, str) or path.suffix.lower() in FORMATS or _is_file(path)


def get_masterplan(id_or_path: PathLike) -> Masterplan:
    """A masterplan shipped by a plugin, by id, or one read from a file.

    Raises
    ------
    NotFoundError
        If no loaded plugin ships a masterplan of that id.
    InputError
        If the file cannot be read or is not a valid masterplan.
    """
    if _looks_like_file(id_or_path):
        return load_masterplan(id_or_path)
    from cityeval.plugins.manager import get_host

    return _as_masterplan(get_host().masterplans.get(str(id_or_path)))


def get_round(masterplan: Masterplan, id_or_path: PathLike) -> EvaluationRound:
    """A round of ``masterplan``: one a plugin ships, by id, or one read from a file.

    Raises
    ------
    NotFoundError
        If no round of that id is shipped for the masterplan.
    InputError
        If the file cannot be read, or the round does not fit the masterplan.
    """
    if _looks_like_file(id_or_path):
        return load_round(id_or_path, masterplan=masterplan)
    return find_round(plugin_rounds(masterplan), str(id_or_path))

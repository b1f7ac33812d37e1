"""The exceptions cityeval raises, so callers can tell a user's mistake from a bug.

Every error a user can cause derives from :class:`CityevalError`; the command line prints
its message and exits with status 2 instead of showing a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = [
    "CityevalError",
    "InputError",
    "ModelError",
    "NotFoundError",
    "OutputError",
    "PluginError",
    "Problem",
    "RegistryError",
    "format_path",
]

PathPart = str | int
Path = tuple[PathPart, ...]


def format_path(path: Sequence[PathPart]) -> str:
    """Render a field path as ``dimensions[2].children[0].weight``.

    Parameters
    ----------
    path : sequence of str or int
        Attribute names (str) and list indices (int), outermost first.

    Returns
    -------
    str
        The dotted path; ``""`` for the root.
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif out:
            out += f".{part}"
        else:
            out = part
    return out


class Problem:
    """One problem found in an input: where it is and what is wrong.

    Parameters
    ----------
    path : tuple of str or int
        The field path of the offending value, outermost first (may be empty).
    message : str
        What is wrong, phrased for the user.
    """

    __slots__ = ("message", "path")

    def __init__(self, path: Path, message: str) -> None:
        self.path = tuple(path)
        self.message = message

    def prefixed(self, prefix: Path) -> Problem:
        """Return the same problem located under ``prefix``."""
        return Problem(tuple(prefix) + self.path, self.message)

    def __str__(self) -> str:
        where = format_path(self.path)
        return f"{where}: {self.message}" if where else self.message

    def __repr__(self) -> str:
        return f"Problem({self.path!r}, {self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return (self.path, self.message) == (other.path, other.message)

    def __hash__(self) -> int:
        return hash((self.path, self.message))


class CityevalError(Exception):
    """Base class of every error caused by a user's input or request."""


class ModelError(CityevalError, ValueError):
    """A model object was built with invalid values.

    Raised by the validators of :mod:`cityeval.model`; carries one or more
    :class:`Problem` whose paths are relative to the object being built.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, path: Path, message: str) -> ModelError:
        """Build an error with a single problem at ``path``."""
        return cls([Problem(path, message)])


class InputError(CityevalError, ValueError):
    """A file or other input could not be read, with every problem located.

    The message has one line per problem, each ``SOURCE: PATH: PROBLEM``, for example
    ``gerakan100.yaml: dimensions[2].children[0].weight: must be >= 0, got -1``.
    """

    def __init__(self, source: str, problems: Iterable[Problem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = [f"{source}: {p}" if source else str(p) for p in self.problems]
        super().__init__("\n".join(lines))


class NotFoundError(CityevalError, LookupError):
    """A name (framework, method, plugin) is not registered."""


class RegistryError(CityevalError):
    """A plugin tried to register something invalid, such as a duplicate name."""


class PluginError(CityevalError):
    """A plugin failed to load or raised inside a hook."""


class OutputError(CityevalError, OSError):
    """An output could not be written: the path is a file or a folder it should not be, the
    folder cannot be written, the disk is full, or the output would replace an input.

    The message reads ``PATH: PROBLEM``.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.problem = message
        super().__init__(f"{path}: {message}")

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"

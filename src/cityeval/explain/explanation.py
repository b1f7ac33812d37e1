"""What :func:`cityeval.explain.explain` returns: one node's score (and change) by part."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from attrs import asdict, frozen

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Explanation", "Part"]

#: The kinds of part an explanation lists, in display order.
KINDS = ("child", "indicator", "programme", "opd", "cause")


@frozen
class Part:
    """One part of a node's score: a child, an indicator, a programme, an OPD or a cause.

    Attributes
    ----------
    kind : str
        One of ``child``, ``indicator``, ``programme``, ``opd``, ``cause``.
    id, label : str
    value : float or None
        The part's own score (this run); None for OPDs and causes.
    weight : float or None
        Its effective weight in the node (this run; weighted means only).
    contribution : float or None
        Its contribution to the node's score (this run); the contributions of one kind sum
        to the score. None for causes.
    previous : float or None
        Its contribution in the earlier run (with a comparison).
    change : float or None
        ``contribution - previous`` (a part absent from one run counts 0 there); the changes
        of one kind sum to the node's change.
    log_contribution : float or None
        For a child of a geometric mean: ``w ln x`` (these sum to ``ln score``).
    error : float or None
        For sampled Shapley values: the standard error of the contribution.
    """

    kind: str
    id: str
    label: str
    value: float | None = None
    weight: float | None = None
    contribution: float | None = None
    previous: float | None = None
    change: float | None = None
    log_contribution: float | None = None
    error: float | None = None


@frozen
class Explanation:
    """Why one unit's node has its score, and (with a comparison) why it changed.

    Attributes
    ----------
    unit, node, label : str
    score, previous, change : float or None
        The node's score, its earlier score and the change.
    method : str
        The node's aggregation method.
    technique : str
        How it is explained: ``additive``, ``log``, ``shapley`` or ``sampled``.
    guarantee : str
        The technique in words, with what it guarantees.
    parts : tuple of Part
    max_error : float or None
        The largest standard error of a sampled contribution.
    """

    unit: str
    node: str
    label: str
    score: float | None
    previous: float | None
    change: float | None
    method: str
    technique: str
    guarantee: str
    parts: tuple[Part, ...]
    max_error: float | None = None

    def of(self, kind: str) -> tuple[Part, ...]:
        """The parts of one kind."""
        return tuple(p for p in self.parts if p.kind == kind)

    def largest(
        self, kind: str = "indicator", k: int = 3, *, falls: bool | None = None
    ) -> list[Part]:
        """The ``k`` parts of ``kind`` that moved the score most.

        With a comparison, by change: ``falls=True`` the largest falls, ``False`` the largest
        rises, None (default) the falls when the node fell and the rises otherwise. Without
        one, the largest contributions.
        """
        parts = list(self.of(kind))
        if self.change is None:
            return sorted(parts, key=lambda p: -(p.contribution or 0.0))[:k]
        falling = (self.change < 0) if falls is None else falls
        sign = 1.0 if falling else -1.0
        moved = [p for p in parts if p.change is not None and sign * p.change < -1e-9]
        return sorted(moved, key=lambda p: sign * (p.change or 0.0))[:k]

    def to_dict(self) -> dict[str, Any]:
        """As plain data (JSON-compatible)."""
        out = asdict(self, recurse=True)
        out["parts"] = [asdict(p) for p in self.parts]
        return out

    def to_frame(self) -> pd.DataFrame:
        """The parts as a pandas DataFrame, one row per part (needs pandas).

        Columns: ``unit``, ``node``, ``kind``, ``id``, ``label``, ``value``, ``weight``,
        ``contribution``, ``previous``, ``change``, ``log_contribution``, ``error``.
        """
        import pandas as pd

        rows = [{"unit": self.unit, "node": self.node, **asdict(p)} for p in self.parts]
        columns = ["unit", "node", *[a.name for a in Part.__attrs_attrs__]]
        return pd.DataFrame(rows, columns=columns)

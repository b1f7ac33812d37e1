"""Principal components of each group of one level, or of the whole level (``get_PCA``).

As COINr: the rows with a missing value in the group are left out (``na.omit``), the
columns are centred and scaled to unit sample variance, and the components are those of
R's ``prcomp(center = TRUE, scale. = TRUE)``: the singular value decomposition
``X = U D V'`` of the scaled data (LAPACK's ``gesdd``, as R), standard deviations
``d / sqrt(n - 1)``, loadings the columns of ``V``. A component's share of variance is
``sdev^2 / sum(sdev^2)``. Loadings' signs are LAPACK's, which is why COINr's PCA weights can
come out negative. The members of a group are taken in COINr's order (its lineage sorted
by code, so alphabetically) for the same reason: on the ASEM example this gives COINr's
loadings with COINr's signs, except where R's reference LAPACK and NumPy's differ in the
arbitrary sign of a component (the ``Sust`` group at level 2, whose first component comes
out with every sign reversed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from attrs import frozen

from cityeval.audit.structure import stage_data, structure_of
from cityeval.audit.tables import Table
from cityeval.i18n import _

if TYPE_CHECKING:
    import pandas as pd

    from cityeval.engine import Results

__all__ = ["PCAGroup", "PCAResult", "pca", "principal_components"]

FloatArray = npt.NDArray[np.float64]


def principal_components(values: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Standard deviations and loadings of the principal components of complete data.

    Parameters
    ----------
    values : array of shape ``(n_units, k)``
        No missing values; every column varies.

    Returns
    -------
    sdev : array of shape ``(m,)``
        ``m = min(n_units, k)`` standard deviations, largest first.
    loadings : array of shape ``(k, m)``
        Column ``c`` holds component ``c``'s loadings.
    """
    n = values.shape[0]
    scaled = (values - values.mean(axis=0)) / values.std(axis=0, ddof=1)
    _, d, vh = np.linalg.svd(scaled, full_matrices=False)
    return d / np.sqrt(max(1, n - 1)), vh.T


@frozen
class PCAGroup:
    """The principal components of one group.

    Attributes
    ----------
    group : str
        The parent whose children were analysed, or ``"All"`` for a whole level.
    members : tuple of str
        The columns, ``k`` of them.
    n_used, n_dropped : int
        Units analysed, and units left out for a missing value.
    sdev, share, cumulative : tuple of float
        Per component: standard deviation, share of variance, cumulative share.
    loadings : tuple of tuple of float
        ``loadings[i][c]``: member ``i`` on component ``c``.
    note : str or None
        Why the group is worth a look: too few units, or PC1 explains little.
    """

    group: str
    members: tuple[str, ...]
    n_used: int
    n_dropped: int
    sdev: tuple[float, ...]
    share: tuple[float, ...]
    cumulative: tuple[float, ...]
    loadings: tuple[tuple[float, ...], ...]
    note: str | None

    @property
    def weights(self) -> dict[str, float]:
        """COINr's PCA weights: the members' loadings on the first component."""
        return {m: row[0] for m, row in zip(self.members, self.loadings, strict=True) if row}


@frozen
class PCAResult:
    """Principal components of every group of one level at one stage."""

    stage: str
    level: int
    threshold: float
    groups: tuple[PCAGroup, ...]

    def components(self) -> Table:
        """``pca``: a row per group and component (standard deviation, shares, note)."""
        rows: list[tuple[Any, ...]] = []
        for g in self.groups:
            if not g.sdev:
                rows.append(
                    (
                        self.stage,
                        self.level,
                        g.group,
                        None,
                        None,
                        None,
                        None,
                        g.n_used,
                        g.n_dropped,
                        g.note,
                    )
                )
            for c, (sd, share, cum) in enumerate(
                zip(g.sdev, g.share, g.cumulative, strict=True), start=1
            ):
                rows.append(
                    (
                        self.stage,
                        self.level,
                        g.group,
                        f"PC{c}",
                        sd,
                        share,
                        cum,
                        g.n_used,
                        g.n_dropped,
                        g.note if c == 1 else None,
                    )
                )
        return Table(
            "pca",
            (
                "stage",
                "level",
                "group",
                "component",
                "sdev",
                "variance_share",
                "cumulative_share",
                "n_used",
                "n_dropped",
                "note",
            ),
            rows,
        )

    def loadings(self) -> Table:
        """``pca_loadings``: a row per group, member and component."""
        rows = [
            (self.stage, self.level, g.group, m, f"PC{c}", value)
            for g in self.groups
            for m, row in zip(g.members, g.loadings, strict=True)
            for c, value in enumerate(row, start=1)
        ]
        return Table(
            "pca_loadings", ("stage", "level", "group", "node", "component", "loading"), rows
        )

    def to_frame(self) -> pd.DataFrame:
        """:meth:`components` as a pandas DataFrame."""
        return self.components().to_frame()


def pca(
    results: Results,
    stage: str = "aggregated",
    level: int | str = 1,
    by_groups: bool = True,
    threshold: float = 0.6,
) -> PCAResult:
    """Principal components of the nodes of one level, group by group or all together.

    Parameters
    ----------
    results : Results
    stage : str
        The data set: ``aggregated`` by default (needed for levels above the indicators),
        or an indicator stage for level 1.
    level : int or str
        COINr's level number (1 = indicators) or a level name.
    by_groups : bool
        One analysis per parent (COINr's default), or one of the whole level.
    threshold : float
        A group whose first component explains less than this share gets a note.

    Returns
    -------
    PCAResult
    """
    structure = structure_of(results)
    number = structure.level_number(level)
    ids, values = stage_data(results, stage)
    position = {c: k for k, c in enumerate(ids)}
    # COINr takes a group's columns in the order of its sorted lineage (alphabetical within
    # each group); the same column order gives LAPACK the same matrix, and so the same signs.
    nodes = sorted((n for n in structure.nodes_at(number) if n in position), key=str.casefold)
    if by_groups:
        parents = list(dict.fromkeys(structure.parent[n] for n in nodes if n in structure.parent))
        groups = [(p, [n for n in nodes if structure.parent.get(n) == p]) for p in parents]
    else:
        groups = [("All", nodes)]
    out = []
    for name, members in groups:
        block = values[:, [position[m] for m in members]]
        complete = ~np.isnan(block).any(axis=1)
        data = block[complete]
        n_used = int(complete.sum())
        note: str | None = None
        if n_used < 2 or len(members) < 2 or np.any(np.ptp(data, axis=0) == 0):
            note = _(
                "no principal components: {n} complete units, {k} members, or a constant member"
            ).format(n=n_used, k=len(members))
            out.append(
                PCAGroup(
                    name,
                    tuple(members),
                    n_used,
                    len(block) - n_used,
                    (),
                    (),
                    (),
                    tuple(() for _m in members),
                    note,
                )
            )
            continue
        sdev, loadings = principal_components(data)
        share = sdev**2 / np.sum(sdev**2)
        if share[0] < threshold:
            note = _(
                "the first component explains {share:.1%} of the variance, less than "
                "{threshold:.0%}"
            ).format(share=float(share[0]), threshold=threshold)
        out.append(
            PCAGroup(
                group=name,
                members=tuple(members),
                n_used=n_used,
                n_dropped=len(block) - n_used,
                sdev=tuple(float(v) for v in sdev),
                share=tuple(float(v) for v in share),
                cumulative=tuple(float(v) for v in np.cumsum(share)),
                loadings=tuple(tuple(float(v) for v in row) for row in loadings),
                note=note,
            )
        )
    return PCAResult(stage=stage, level=number, threshold=threshold, groups=tuple(out))

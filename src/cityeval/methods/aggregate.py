"""Aggregation kernels: combine the children of one parent node into one score per unit.

The methods are those of COINr's ``Aggregate`` (``R/aggregate.R``: ``a_amean``, ``a_gmean``,
``a_hmean``, ``a_genmean``, ``a_copeland``; the weighted median through
``matrixStats::weightedMedian``) and the minimum of ProMCDA, as pure vectorised numpy functions.

Shapes and conventions
----------------------
Every kernel has the signature ``name(values, weights, *, <params>) -> ndarray``, batched as
``(..., u, c), (..., c) -> (..., u)``: ``values`` of shape ``(..., n_units, n_children)``,
``weights`` of shape ``(..., n_children)``, whose leading (batch) axes broadcast against those
of ``values``; the result has shape ``(..., n_units)``.

* **Weights** are relative: they must be finite and non-negative, need not sum to 1, and only
  their ratios matter (multiplying them by a constant changes nothing).
* **Used children.** A child is *used* for a unit when its value is not ``NaN`` and its weight
  is positive. Unused children are dropped for that unit and the weights of the used ones are
  renormalised (COINr ``a_amean`` does the same). A unit with no used child gets ``NaN``.
* **Positivity.** The geometric and harmonic means, and the power mean with ``p <= 0``, need
  positive values (``p > 0`` needs non-negative ones). The ``nonpositive`` policy decides:
  ``"error"`` (default) raises :class:`NonPositiveValueError` naming the offending cells;
  ``"clip"`` raises every used value below ``epsilon`` (``0`` for ``p > 0``) to it. There is never
  a silent ``NaN``. Clipping is a modelling choice: a geometric mean with a clipped zero depends
  on ``log(epsilon)``, so choose ``epsilon`` on the scale of the data.
* Kernels never mutate their inputs. Shape errors are raised up front and name the axis.

Modules
-------
The kernels live in one module per family and are all importable from here:
:mod:`~cityeval.methods.aggregate_means` (arithmetic, geometric, harmonic, power mean),
:mod:`~cityeval.methods.aggregate_order` (median, minimum),
:mod:`~cityeval.methods.aggregate_copeland` (Copeland),
:mod:`~cityeval.methods.aggregate_availability` (the data-availability share) and
:mod:`~cityeval.methods.aggregate_matrix` (every parent of a level at once); their shared
checks are in ``cityeval.methods._aggregate_common``.
"""

from __future__ import annotations

from cityeval.methods._aggregate_common import MEDIAN_RTOL, NonPositiveValueError
from cityeval.methods.aggregate_availability import availability
from cityeval.methods.aggregate_copeland import copeland
from cityeval.methods.aggregate_matrix import (
    aggregate_matrix_arithmetic,
    aggregate_matrix_geometric,
    aggregate_matrix_harmonic,
    aggregate_matrix_power_mean,
    aggregate_segments_arithmetic,
)
from cityeval.methods.aggregate_means import arithmetic, geometric, harmonic, power_mean
from cityeval.methods.aggregate_order import median, minimum

__all__ = [
    "MEDIAN_RTOL",
    "NonPositiveValueError",
    "aggregate_matrix_arithmetic",
    "aggregate_matrix_geometric",
    "aggregate_matrix_harmonic",
    "aggregate_matrix_power_mean",
    "aggregate_segments_arithmetic",
    "arithmetic",
    "availability",
    "copeland",
    "geometric",
    "harmonic",
    "median",
    "minimum",
    "power_mean",
]

"""The domain model: frozen, validated value objects that know nothing of files or numpy."""

from cityeval.model.bands import Band, band_for
from cityeval.model.dimension import Dimension, Node
from cityeval.model.framework import Framework, NodeInfo, WeightSet
from cityeval.model.indicator import Bounds, Direction, Indicator, OrdinalLevel, Scale, ScaleKind
from cityeval.model.labels import Label, Lang
from cityeval.model.params import Params
from cityeval.model.pipeline import Override, Pipeline, Step, StepKind
from cityeval.model.sources import Grade, Source
from cityeval.model.weighting import EqualWeights, ExplicitWeights, WeightingScheme

__all__ = [
    "Band",
    "Bounds",
    "Dimension",
    "Direction",
    "EqualWeights",
    "ExplicitWeights",
    "Framework",
    "Grade",
    "Indicator",
    "Label",
    "Lang",
    "Node",
    "NodeInfo",
    "OrdinalLevel",
    "Override",
    "Params",
    "Pipeline",
    "Scale",
    "ScaleKind",
    "Source",
    "Step",
    "StepKind",
    "WeightSet",
    "WeightingScheme",
    "band_for",
]

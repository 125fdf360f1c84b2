"""Stages by the names ``pipeline.stages`` uses."""

from __future__ import annotations

from builder.pipeline.steps.align import Align
from builder.pipeline.steps.base import CorpusStep, Stage
from builder.pipeline.steps.dedup import Dedup
from builder.pipeline.steps.filter import Filter
from builder.pipeline.steps.leakage import Leakage
from builder.pipeline.steps.measure import Measure
from builder.pipeline.steps.neardup import NearDup
from builder.pipeline.steps.noise import Noise
from builder.pipeline.steps.normalize import Normalize
from builder.pipeline.steps.pairing import Pair
from builder.pipeline.steps.segment import Segment
from builder.pipeline.steps.split import Split
from builder.pipeline.steps.units import Units

#: Every step by its name in ``pipeline.stages``: batch stages and corpus steps.
STAGES: dict[str, type[Stage] | type[CorpusStep]] = {
    s.name: s
    for s in (
        Pair,
        NearDup,
        Split,
        Normalize,
        Segment,
        Align,
        Noise,
        Units,
        Measure,
        Filter,
        Dedup,
        Leakage,
    )
}

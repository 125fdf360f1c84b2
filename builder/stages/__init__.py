"""Stages by the names ``pipeline.stages`` uses."""

from __future__ import annotations

from builder.stages.align import Align
from builder.stages.base import Stage
from builder.stages.filter import Filter
from builder.stages.measure import Measure
from builder.stages.noise import Noise
from builder.stages.normalize import Normalize
from builder.stages.segment import Segment
from builder.stages.split import Split
from builder.stages.units import Units

STAGES: dict[str, type[Stage]] = {s.name: s for s in (Normalize, Segment, Align, Noise, Units, Measure, Filter, Split)}

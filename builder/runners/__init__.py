"""Runners by ``runner.kind``."""

from __future__ import annotations

from builder.runners.base import Runner
from builder.runners.local import LocalRunner
from builder.runners.ray import RayRunner

RUNNERS: dict[str, type[Runner]] = {r.kind: r for r in (LocalRunner, RayRunner)}

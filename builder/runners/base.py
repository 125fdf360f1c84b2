"""Runners: who executes the pipeline over the documents.

A runner takes the documents (an Arrow-backed ``datasets.Dataset``) and the fused
pipeline and returns the built rows as a memory-mapped Arrow table, in document
order. It never changes what the rows are, only where the work happens.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa

from builder.pipeline import Pipeline


class Runner:
    kind = ""

    def __init__(self, cfg: Any) -> None:
        self.cfg = cfg

    def run(self, docs, pipeline: Pipeline, workdir: Path) -> pa.Table:  # pragma: no cover
        raise NotImplementedError

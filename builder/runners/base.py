"""Runners: who executes the pipeline over the documents.

A runner takes the documents (a memory-mapped Arrow table, in document order), the
fused pipeline and a chunk store, and builds every chunk the store still lacks. It
never changes what the rows are, only where the work happens: chunks are fixed by
the store, so one worker or many give the same rows.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from builder.pipeline.chain import Pipeline
from builder.runners.chunks import ChunkStore


class Runner:
    kind = ""

    def __init__(self, section: Any) -> None:
        """``section``: the ``runner`` config section (workers, batch_size, progress, address)."""
        self.cfg = section

    def run(self, docs: pa.Table, pipeline: Pipeline, store: ChunkStore) -> None:  # pragma: no cover
        raise NotImplementedError

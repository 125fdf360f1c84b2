"""Runners: who reads the input and executes the pipeline over the documents.

A runner reads the input into the build's documents file (``read``), then takes the
documents (a memory-mapped Arrow table, in document order), the fused pipeline and a
chunk store, and builds every chunk the store still lacks (``run``). It never changes
what the documents or rows are, only where the work happens: reading is assembled in
reading order and chunks are fixed by the store, so one worker or many, here or on a
cluster, give the same rows. A runner is a context manager: what it starts (a Ray
session) lives from reading to the last chunk.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
from tqdm import tqdm

from builder.pipeline.chain import Pipeline
from builder.pipeline.readers.assemble import assemble, write_part
from builder.pipeline.readers.base import Reader
from builder.runners.chunks import ChunkStore


class Runner:
    kind = ""

    def __init__(self, section: Any) -> None:
        """``section``: the ``runner`` config section (workers, batch_size, progress, address)."""
        self.cfg = section

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def read(self, reader: Reader, out: Path) -> None:
        """The whole input into the documents file ``out``, read here in one stream."""
        part = out.with_name("read-part.arrow")
        with tqdm(unit="doc", desc="reading", disable=not self.cfg.progress) as bar:
            write_part(reader.unchecked_documents(), part, bar)
        assemble([part], out)
        part.unlink()

    def run(
        self, docs: pa.Table, pipeline: Pipeline, store: ChunkStore, meanwhile: Callable[[], None] | None = None
    ) -> None:  # pragma: no cover
        """Build the chunks ``store`` lacks. ``meanwhile``: work for this process while
        worker processes of its own build the rows (called once they are started, if
        there are any): it would otherwise only wait."""
        raise NotImplementedError

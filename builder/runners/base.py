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

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
from tqdm import tqdm

from builder.pipeline.chain import Pipeline
from builder.pipeline.readers import make_reader
from builder.pipeline.readers.assemble import assemble, write_part
from builder.pipeline.readers.base import FieldCheck, Reader
from builder.runners.chunks import ChunkStore


def read_part(source: Any, pairing: bool, path: Path, error: OSError | None, out: Path) -> FieldCheck:
    """One input file's documents to ``out`` (a task of a worker or a cluster node);
    returns what fields they had."""
    reader = make_reader(source, pairing=pairing)
    fields = reader.field_check()
    write_part(reader.part_documents(path, error, fields), out)
    return fields


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
        """The whole input into the documents file ``out``: a file a task when there are
        several files and workers to read them (``read_files``), else here in one stream.
        The same documents either way: the parts are joined in reading order, numbered
        and checked for repeated ids as one stream would be (``assemble``)."""
        parts = reader.parts() if reader.by_file and self.cfg.workers > 1 else []
        if len(parts) > 1:
            self.read_files(reader, parts, out)
            return
        part = out.with_name("read-part.arrow")
        with tqdm(unit="doc", desc="reading", disable=not self.cfg.progress) as bar:
            write_part(reader.unchecked_documents(), part, bar)
        assemble([part], out)
        part.unlink()

    def read_files(self, reader: Reader, parts: list[tuple[Path, OSError | None]], out: Path) -> None:
        """Each of ``parts`` (a file, or a folder that could not be listed) read by its own
        ``read_part`` task into ``read-parts/``, then joined into ``out``."""
        folder = out.parent / "read-parts"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        paths = [folder / f"part-{i:06d}.arrow" for i in range(len(parts))]
        tasks = [(reader.cfg, reader.pairing, path, error, at) for (path, error), at in zip(parts, paths, strict=True)]
        fields = reader.field_check()
        for part_fields in self.run_reads(tasks):
            fields.merge(part_fields)
        fields.check()
        assemble(paths, out)
        shutil.rmtree(folder, ignore_errors=True)

    def run_reads(self, tasks: list[tuple]) -> list[FieldCheck]:  # pragma: no cover
        """``read_part(*task)`` for each task, the results in the tasks' order."""
        raise NotImplementedError

    def run(
        self, docs: pa.Table, pipeline: Pipeline, store: ChunkStore, meanwhile: Callable[[], None] | None = None
    ) -> None:  # pragma: no cover
        """Build the chunks ``store`` lacks. ``meanwhile``: work for this process while
        worker processes of its own build the rows (called once they are started, if
        there are any): it would otherwise only wait."""
        raise NotImplementedError

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
from itertools import pairwise
from pathlib import Path
from typing import Any

import pyarrow as pa
from tqdm import tqdm

from builder.pipeline.chain import Pipeline
from builder.pipeline.readers import make_reader
from builder.pipeline.readers.assemble import assemble, write_part
from builder.pipeline.readers.base import FieldCheck, Reader
from builder.pipeline.readers.ranges import (
    RangeEnd,
    Span,
    cut_points,
    line_breaks,
    range_count,
    spans,
    whole_file_needed,
)
from builder.runners.chunks import ChunkStore

#: One part of the input to read: a file (or a folder that could not be listed, with its
#: error), or a byte range of a file.
Part = tuple[Path, OSError | None, Span | None]


def read_part(
    source: Any, pairing: bool, path: Path, error: OSError | None, out: Path, span: Span | None = None
) -> tuple[FieldCheck, RangeEnd | None]:
    """One part's documents to ``out`` (a task of a worker or a cluster node); returns
    what fields they had and, for a range, how it ended."""
    reader = make_reader(source, pairing=pairing)
    fields = reader.field_check()
    write_part(reader.part_documents(path, error, fields, span), out)
    return fields, (reader.range_end if span else None)


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
        """The whole input into the documents file ``out``: a part a task when there are
        workers to read them and several parts (files, or ranges of a large one: ``plan``;
        ``read_parts``), else here in one stream. The same documents either way: the parts
        are joined in reading order, numbered and checked for repeated ids as one stream
        would be (``assemble``)."""
        parts = self.plan(reader, reader.parts()) if reader.by_file and self.cfg.workers > 1 else []
        if len(parts) > 1:
            self.read_parts(reader, parts, out)
            return
        part = out.with_name("read-part.arrow")
        with tqdm(unit="doc", desc="reading", disable=not self.cfg.progress) as bar:
            write_part(reader.unchecked_documents(), part, bar)
        assemble([part], out)
        part.unlink()

    def read_workers(self) -> int:
        """How many processes read at once (the ranges a large file is cut into follow it)."""
        return int(self.cfg.workers)

    def plan(self, reader: Reader, files: list[tuple[Path, OSError | None]]) -> list[Part]:
        """The parts to read: each file, a large file that can be cut at line ends as byte
        ranges (``builder.pipeline.readers.ranges``), each range with the line it starts on
        (line breaks counted a task a range)."""
        cut: dict[int, tuple[list[int], tuple[str, str]]] = {}
        for i, (path, error) in enumerate(files):
            try:
                encodings = reader.range_encodings(path) if error is None else None
                pieces = range_count(path.stat().st_size, self.read_workers()) if encodings else 1
            except OSError:  # the file's own read reports it
                encodings, pieces = None, 1
            if encodings and pieces > 1 and len(cuts := cut_points(path, pieces)) > 2:
                cut[i] = (cuts, encodings)
        if not cut:
            return [(path, error, None) for path, error in files]
        counting = [(files[i][0], a, b) for i, (cuts, _) in cut.items() for a, b in pairwise(cuts[:-1])]
        breaks = iter(self.count_lines(counting))
        out: list[Part] = []
        for i, (path, error) in enumerate(files):
            if i not in cut:
                out.append((path, error, None))
                continue
            cuts, encodings = cut[i]
            counts = [next(breaks) for _ in range(len(cuts) - 2)]
            out.extend((path, None, span) for span in spans(cuts, counts, encodings))
        return out

    def count_lines(self, ranges: list[tuple[Path, int, int]]) -> list[int]:
        """``line_breaks`` of each range, a task each."""
        return self.run_tasks(line_breaks, ranges, "counting lines", "range")

    def read_parts(self, reader: Reader, parts: list[Part], out: Path) -> None:
        """Each part read by its own ``read_part`` task into ``read-parts/``, then joined
        into ``out``. A file read in ranges that did not all end between records is read
        again in one task (``whole_file_needed``), so the documents are one stream's."""
        folder = out.parent / "read-parts"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        paths = [folder / f"part-{i:06d}.arrow" for i in range(len(parts))]
        tasks = [(reader.cfg, reader.pairing, *part[:2], at, part[2]) for part, at in zip(parts, paths, strict=True)]
        results = self.run_tasks(read_part, tasks, "reading files", "part")
        ranges: dict[Path, list[int]] = {}
        for i, (path, _, span) in enumerate(parts):
            if span is not None:
                ranges.setdefault(path, []).append(i)
        again = [at for at in ranges.values() if whole_file_needed([results[i][1] for i in at])]
        whole = [
            (reader.cfg, reader.pairing, parts[at[0]][0], None, folder / f"whole-{at[0]:06d}.arrow") for at in again
        ]
        read = self.run_tasks(read_part, whole, "reading again", "file") if whole else []
        kept = dict(enumerate(zip(paths, results, strict=True)))
        for at, task, result in zip(again, whole, read, strict=True):
            for i in at:
                del kept[i]
            kept[at[0]] = (task[4], result)  # the file's place: its first range's
        fields = reader.field_check()
        for _, (_, result) in sorted(kept.items()):
            fields.merge(result[0])
        fields.check()
        assemble([path for _, (path, _) in sorted(kept.items())], out)
        shutil.rmtree(folder, ignore_errors=True)

    def run_tasks(self, function: Callable, tasks: list[tuple], what: str, unit: str) -> list[Any]:  # pragma: no cover
        """``function(*task)`` for each task, the results in the tasks' order."""
        raise NotImplementedError

    def run(
        self, docs: pa.Table, pipeline: Pipeline, store: ChunkStore, meanwhile: Callable[[], None] | None = None
    ) -> None:  # pragma: no cover
        """Build the chunks ``store`` lacks. ``meanwhile``: work for this process while
        worker processes of its own build the rows (called once they are started, if
        there are any): it would otherwise only wait."""
        raise NotImplementedError

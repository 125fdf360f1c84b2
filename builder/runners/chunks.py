"""Work in chunks of documents, each saved whole once it is done.

The documents are cut into chunks of a fixed number of documents (``runner.chunk_size``),
whatever the number of workers, so a chunk's rows are the same in every run. A chunk's
rows are written to a temporary file and renamed into place: a chunk file that exists
is complete. A build that dies keeps its finished chunks, and the next build with the
same config and input (see ``builder.app.workspace``) only does the rest. The rows of all
chunks, read back in chunk order, are the rows in document order.

Once every chunk is done the chunks are joined, in order, into one Arrow file of large
record batches and removed. A million documents make thousands of chunks: kept apart,
each would hold an open memory map and every column would carry thousands of pieces,
costing descriptors and memory that grow with the corpus.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pyarrow as pa

from builder.core.schema import work_schema
from builder.pipeline.chain import Pipeline
from builder.pipeline.writers.mapped import RowsAt

#: Rows per record batch of the joined file: large enough that a column of a million
#: documents is a few hundred pieces, small enough that joining holds a few megabytes.
JOIN_ROWS = 16384
#: Where a group of chunks is combined before it is written. Arrow's default allocator
#: (mimalloc) hands the freed group's pages back to the system at once, so every group
#: faulted fresh zeroed pages in again: in a process that did not build the rows itself
#: (the driver of a build with workers) the join took twice as long. The system
#: allocator keeps them for the next group (and ``give_back`` returns them after).
_JOIN_POOL = pa.system_memory_pool()


class ChunkStore:
    def __init__(self, folder: Path, n_docs: int, chunk_size: int, tidy: bool = True) -> None:
        """``tidy``: remove what a dead build was writing (the build's own store; a worker
        attaching to it must not, as other workers are writing there)."""
        self.folder, self.n_docs, self.chunk_size = folder, n_docs, chunk_size
        self.n_chunks = -(-n_docs // chunk_size) if n_docs else 0
        self.joined_bytes = 0
        folder.mkdir(parents=True, exist_ok=True)
        if tidy:
            for stale in folder.glob(".*.tmp"):  # a chunk a dead worker was writing
                stale.unlink(missing_ok=True)

    def path(self, k: int) -> Path:
        return self.folder / f"chunk-{k:06d}.arrow"

    def bounds(self, k: int) -> tuple[int, int]:
        return k * self.chunk_size, min(self.n_docs, (k + 1) * self.chunk_size)

    @property
    def joined(self) -> Path:
        return self.folder / "rows.arrow"

    def pending(self) -> list[int]:
        if self.joined.exists():
            return []
        return [k for k in range(self.n_chunks) if not self.path(k).exists()]

    def write(self, k: int, table: pa.Table) -> None:
        tmp = self.folder / f".chunk-{k:06d}.{os.getpid()}.tmp"
        with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        os.replace(tmp, self.path(k))

    def table(self) -> pa.Table:
        """All rows, in document order, memory-mapped (the corpus is never loaded whole)."""
        if not self.joined.exists():
            self._join()
        return pa.ipc.open_file(pa.memory_map(str(self.joined))).read_all()

    def batches(
        self, columns: Sequence[str], size: int, held: Mapping[str, pa.ChunkedArray] | None = None
    ) -> Iterator[tuple[RowsAt, pa.RecordBatch]]:
        """The joined rows' ``columns``, at most ``size`` rows at a time, read from the file
        one record batch at a time, each with where it lies in the file. A table of the whole
        file keeps the structures of every record batch and column on the heap (16 MB at a
        million documents, growing with the corpus); read this way only one batch's are
        alive. ``held``: columns given whole instead of read (what a rows step rewrote),
        cut to the same rows."""
        held = held or {}
        path = str(self.joined)
        # Every column is read, and the unwanted ones never touched: a reader told to read
        # only some (``included_fields``) copies them out of the map into memory.
        reader = pa.ipc.open_file(pa.memory_map(path))
        fields = [pa.field(c, held[c].type) if c in held else reader.schema.field(c) for c in columns]
        schema = pa.schema(fields)
        offset = 0
        for i in range(reader.num_record_batches):
            batch = reader.get_batch(i)
            for start in range(0, batch.num_rows, size):
                part = batch.slice(start, size)
                n = part.num_rows
                arrays = [held[c].slice(offset, n).combine_chunks() if c in held else part.column(c) for c in columns]
                yield RowsAt(path, i, start, n), pa.RecordBatch.from_arrays(arrays, schema=schema)
                offset += n

    def _join(self) -> None:
        """The chunks, in order, as one file of record batches of about ``JOIN_ROWS`` rows;
        written aside and renamed, then the chunks go (a kill before the rename leaves them)."""
        schema = work_schema()
        tmp = self.folder / f".rows.{os.getpid()}.tmp"
        parts: list[pa.Table] = []
        held = 0
        with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
            for k in range(self.n_chunks):
                part = pa.ipc.open_stream(pa.memory_map(str(self.path(k)))).read_all()
                if part.num_rows:
                    parts.append(part)
                    held += part.num_rows
                if held >= JOIN_ROWS or (k == self.n_chunks - 1 and held):
                    writer.write_table(pa.concat_tables(parts).combine_chunks(memory_pool=_JOIN_POOL))
                    parts, held = [], 0
        os.replace(tmp, self.joined)
        self.joined_bytes = self.joined.stat().st_size  # on disk beside the chunks until they go
        for k in range(self.n_chunks):
            self.path(k).unlink(missing_ok=True)


def batches(docs: pa.Table, start: int, stop: int, size: int) -> Iterator[dict[str, list]]:
    for s in range(start, stop, size):
        yield docs.slice(s, min(size, stop - s)).to_pydict()


def run_chunk(pipeline: Pipeline, docs: pa.Table, store: ChunkStore, k: int, batch_size: int) -> int:
    """Build chunk ``k`` and save it; returns how many documents it held."""
    start, stop = store.bounds(k)
    schema = work_schema()
    parts = [pa.Table.from_pydict(pipeline.safe(b), schema=schema) for b in batches(docs, start, stop, batch_size)]
    store.write(k, pa.concat_tables(parts) if parts else schema.empty_table())
    return stop - start

"""Parquet shards in the layout ``datasets`` detects on its own.

``data/<split>-00000-of-00002.parquet``: rows are streamed a record batch at a time
into the current shard of their split, with the schema declared in
``builder.core.schema`` (never inferred from the rows). The ledger pass has already
counted each split, so the shard names are known before the first row is written.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq


def shard_names(split: str, n_shards: int) -> list[str]:
    return [f"{split}-{k:05d}-of-{n_shards:05d}.parquet" for k in range(n_shards)]


ROW_GROUP = 4096


class Encoder:
    """One thread that encodes and writes the row groups handed to it, in the order they
    come: Arrow lets go of the GIL while it encodes, so a driver with worker processes
    goes on cutting the next batches meanwhile (encoding was about a quarter of its time
    in the writer). At most ``in_flight`` row groups wait; an error in the thread is
    raised by the next call."""

    def __init__(self, in_flight: int = 4) -> None:
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="parquet")
        self.pending: deque[Future] = deque()
        self.in_flight = in_flight

    def submit(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self.pending.append(self.pool.submit(call, *args, **kwargs))
        while len(self.pending) > self.in_flight:
            self.pending.popleft().result()

    def drain(self) -> None:
        """Wait for everything handed over so far."""
        while self.pending:
            self.pending.popleft().result()

    def close(self) -> None:
        """Wait for what is running, drop what has not started (after a failure)."""
        for future in self.pending:
            future.cancel()
        self.pool.shutdown(wait=True)
        self.pending.clear()


def _run(encoder: Encoder | None, call: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    if encoder is None:
        call(*args, **kwargs)
    else:
        encoder.submit(call, *args, **kwargs)


class RowGroupWriter:
    """A Parquet file written in row groups of exactly ``ROW_GROUP`` rows (the last may be
    shorter), however the rows arrive: the same rows give the same bytes whatever the
    batches and workers that produced them."""

    def __init__(self, path: Path, schema: pa.Schema, compression: str | None, encoder: Encoder | None = None):
        """``encoder``: where the row groups are encoded and written (here without one)."""
        self.writer = pq.ParquetWriter(path, schema, compression=compression)
        self.schema, self.pending, self.count = schema, [], 0
        self.encoder = encoder

    def write(self, table: pa.Table) -> None:
        self.pending.append(table)
        self.count += table.num_rows
        if self.count >= ROW_GROUP:
            whole = pa.concat_tables(self.pending)
            cut = (self.count // ROW_GROUP) * ROW_GROUP
            for start in range(0, cut, ROW_GROUP):
                _run(self.encoder, self.writer.write_table, whole.slice(start, ROW_GROUP), row_group_size=ROW_GROUP)
            rest = whole.slice(cut)
            self.pending, self.count = [rest], rest.num_rows

    def close(self) -> None:
        """Write the last row group and close the file (and wait for both)."""
        if self.count:
            _run(self.encoder, self.writer.write_table, pa.concat_tables(self.pending), row_group_size=ROW_GROUP)
        self.pending, self.count = [], 0
        _run(self.encoder, self.writer.close)
        if self.encoder is not None:
            self.encoder.drain()


class ShardWriter:
    """Writes one split's rows into shards of at most ``max_rows`` rows. A Parquet writer
    holds every row group's metadata until its file is closed (some twenty kilobytes a
    row group here), so no file grows with the corpus: a shard's memory is bounded."""

    def __init__(
        self,
        out_dir: Path,
        split: str,
        total: int,
        max_rows: int,
        schema: pa.Schema,
        compression: str,
        encoder: Encoder | None = None,
    ):
        """``encoder``: the thread that encodes the row groups (here without one)."""
        self.encoder = encoder
        self.names = shard_names(split, max(1, math.ceil(total / max_rows)))
        self.out_dir, self.max_rows, self.schema = out_dir, max_rows, schema
        self.compression = None if compression == "none" else compression
        self.shard, self.in_shard = -1, max_rows
        self.writer: RowGroupWriter | None = None
        out_dir.mkdir(parents=True, exist_ok=True)

    def write(self, table: pa.Table) -> None:
        table = table.select(self.schema.names).cast(self.schema)
        while table.num_rows:
            if self.in_shard >= self.max_rows:
                self._next()
            take = min(table.num_rows, self.max_rows - self.in_shard)
            part = table.slice(0, take)
            self.writer.write(part)
            self.in_shard += take
            table = table.slice(take)

    def _next(self) -> None:
        self.close()
        self.shard += 1
        path = self.out_dir / self.names[self.shard]
        self.writer = RowGroupWriter(path, self.schema, self.compression, self.encoder)
        self.in_shard = 0

    def close(self, keep_empty: bool = False) -> None:
        """``keep_empty``: write the first shard with no rows when none had any (a reader
        then finds the file, and the columns, there)."""
        if self.writer is None and keep_empty and self.shard < 0:
            self._next()
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    @property
    def nbytes(self) -> int:
        """The split's size uncompressed, as its Parquet files record it: a property of the
        rows alone (the in-memory size of the batches they came in depends on how they were
        cut, which no file should)."""
        total = 0
        for name in self.names[: self.shard + 1]:
            meta = pq.read_metadata(self.out_dir / name)
            total += sum(meta.row_group(k).total_byte_size for k in range(meta.num_row_groups))
        return total

"""Work a rows step keeps on disk instead of in memory.

A corpus step on the rows sees every row of the corpus: a million articles are some
twenty million rows, and one new column or one 64-bit key per row would grow the
build's memory with the corpus. Given a scratch folder (the build's work folder), these
helpers write such arrays to files and map them back, so they are page cache the kernel
can drop, not memory the build holds; without one (a step run on its own, a test) they
stay in memory and give the same values.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pyarrow as pa

#: Values handled at a time when a mapped key array is compacted or compared.
_SPAN = 1 << 20


def column(scratch: Path | None, name: str, arrays: Iterable[pa.Array], type_: pa.DataType) -> pa.ChunkedArray:
    """The pieces of a new column, as one column: written to ``<scratch>/<name>.arrow``
    and memory-mapped back when there is a scratch folder, else held."""
    schema = pa.schema([pa.field(name, type_)])
    return columns(scratch, name, (pa.record_batch([a], schema=schema) for a in arrays), schema).column(0)


def columns(scratch: Path | None, name: str, batches: Iterable[pa.RecordBatch], schema: pa.Schema) -> pa.Table:
    """Record batches of new columns as one table, written to ``<scratch>/<name>.arrow``
    as they come and memory-mapped back when there is a scratch folder, else held."""
    if scratch is None:
        return pa.Table.from_batches(list(batches), schema)
    path = scratch / f"{name}.arrow"
    tmp = scratch / f".{name}.{os.getpid()}.tmp"
    with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
        for batch in batches:
            writer.write_batch(batch)
    os.replace(tmp, path)
    return pa.ipc.open_file(pa.memory_map(str(path))).read_all()


class Keys:
    """64-bit keys gathered a batch at a time; ``finish`` gives them sorted (and distinct
    with ``distinct``), as a memory-mapped file when there is a scratch folder."""

    def __init__(self, scratch: Path | None, name: str) -> None:
        self.scratch, self.name = scratch, name
        self.parts: list[np.ndarray] = []
        self.count = 0
        self.path = scratch / f"{name}.u64" if scratch is not None else None
        self.sink = open(self.path, "wb") if self.path is not None else None  # noqa: SIM115 - closed in finish

    def add(self, keys: np.ndarray) -> None:
        keys = np.ascontiguousarray(keys, dtype=np.uint64)
        self.count += len(keys)
        if self.sink is None:
            self.parts.append(keys)
        else:
            self.sink.write(keys.tobytes())

    def finish(self, distinct: bool = True, sort: bool = True) -> np.ndarray:
        """The keys: sorted and distinct, sorted, or (``sort=False``) in the order added."""
        if self.sink is None:
            keys = np.concatenate(self.parts) if self.parts else np.empty(0, np.uint64)
            self.parts = []
            return keys if not sort else np.unique(keys) if distinct else np.sort(keys)
        self.sink.close()
        if not self.count:
            return np.empty(0, np.uint64)
        keys = np.memmap(self.path, dtype=np.uint64, mode="r+" if sort else "r", shape=(self.count,))
        if not sort:
            return keys
        keys.sort()  # in place, in the mapped file
        if not distinct:
            return keys
        kept = _compact(keys)
        keys.flush()
        return keys[:kept]


def _compact(keys: np.ndarray) -> int:
    """Moves the distinct values of sorted ``keys`` to its front, a span at a time;
    returns how many there are."""
    kept, last = 0, None
    for start in range(0, len(keys), _SPAN):
        span = np.array(keys[start : start + _SPAN])  # a copy: the front is rewritten below
        first = np.ones(len(span), dtype=bool)
        first[1:] = span[1:] != span[:-1]
        if last is not None and span[0] == last:
            first[0] = False
        distinct = span[first]
        keys[kept : kept + len(distinct)] = distinct
        kept += len(distinct)
        last = span[-1]
    return kept


def member(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """For each of ``keys``, whether ``sorted_keys`` holds it."""
    if not len(sorted_keys) or not len(keys):
        return np.zeros(len(keys), dtype=bool)
    out = np.empty(len(keys), dtype=bool)
    for start in range(0, len(keys), _SPAN):
        part = np.asarray(keys[start : start + _SPAN])
        at = np.minimum(np.searchsorted(sorted_keys, part), len(sorted_keys) - 1)
        out[start : start + len(part)] = sorted_keys[at] == part
    return out


def count_members(keys: np.ndarray, sorted_keys: np.ndarray) -> int:
    """How many of ``keys`` ``sorted_keys`` holds, a span at a time (no array as long as
    ``keys`` is made)."""
    if not len(sorted_keys) or not len(keys):
        return 0
    total = 0
    for start in range(0, len(keys), _SPAN):
        total += int(member(np.asarray(keys[start : start + _SPAN]), sorted_keys).sum())
    return total

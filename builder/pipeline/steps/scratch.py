"""Work a rows step keeps on disk instead of in memory.

A corpus step on the rows sees every row of the corpus: a million articles are some
twenty million rows, and one new column or one 64-bit key per row would grow the
build's memory with the corpus. Given a scratch folder (the build's work folder), these
helpers write such arrays to files and map them back, so they are page cache the kernel
can drop, not memory the build holds; without one (a step run on its own, a test) they
stay in memory and give the same values.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
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


#: About how many rows a bucket of ``KeyBuckets`` is made for (a corpus of news has some
#: twenty rows a document, so a bucket holds a few tens of thousands of documents)...
_ROWS_PER_BUCKET = 1 << 20
#: ... and at most this many buckets (two files each).
_MAX_BUCKETS = 64


class KeyBuckets:
    """Pairs of a 64-bit key and a 64-bit value (a document's text key and its
    ``doc_seq`` or split), gathered a batch at a time and parted by the key's top bits:
    every pair of one key is in one bucket, so what needs all the documents with a key
    (the first of them, the splits that hold it) is found a bucket at a time, with
    memory for one bucket rather than for the corpus. A bucket gives its pairs in the
    order they were added. ``rows``: the rows the keys come from, which sets how many
    buckets there are (one for a corpus of under a million rows)."""

    def __init__(self, scratch: Path | None, name: str, rows: int) -> None:
        count = 1
        while count < _MAX_BUCKETS and count * _ROWS_PER_BUCKET < rows:
            count *= 2
        self.shift = np.uint64(64 - count.bit_length() + 1)
        self.keys = [Keys(scratch, f"{name}_keys_{b}") for b in range(count)]
        self.values = [Keys(scratch, f"{name}_values_{b}") for b in range(count)]

    def add(self, keys: np.ndarray, values: np.ndarray) -> None:
        keys = np.asarray(keys, dtype=np.uint64)
        values = np.asarray(values).astype(np.uint64)
        if len(self.keys) == 1:
            self.keys[0].add(keys)
            self.values[0].add(values)
            return
        bucket = keys >> self.shift
        order = np.argsort(bucket, kind="stable")
        bounds = np.searchsorted(bucket[order], np.arange(len(self.keys) + 1, dtype=np.uint64))
        for b, (lo, hi) in enumerate(itertools.pairwise(bounds.tolist())):
            if hi > lo:
                self.keys[b].add(keys[order[lo:hi]])
                self.values[b].add(values[order[lo:hi]])

    def buckets(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Each bucket's keys and values (as uint64), in memory, a bucket at a time."""
        for keys, values in zip(self.keys, self.values, strict=True):
            yield np.array(keys.finish(sort=False)), np.array(values.finish(sort=False))

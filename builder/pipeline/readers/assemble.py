"""The documents file of a build, from documents read in parts.

A build reads its input in parts: the whole input in one stream on one machine, or one
part per file on the workers of a cluster. Each part is an Arrow file of documents in
reading order. ``assemble`` joins the parts in reading order into the build's documents
file, numbers the documents (``doc_seq``) across them, and rejects every document whose
id an earlier usable document had, as one reader reading everything in order would
(``Reader.documents``): the first occurrence of an id wins.

Repeated ids are found without holding the ids: each usable document's id becomes a
64-bit key (8 bytes a document, in NumPy), a stable sort finds the keys seen more than
once, and only the documents under such a key are compared by their actual ids, in
order, so a collision of keys never rejects a document wrongly.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from builder.core import reasons
from builder.core.schema import DOC_FEATURES
from builder.pipeline.readers.base import repeated_id_detail

#: Documents per record batch of a part file.
BATCH = 1024


def write_part(documents: Iterable[dict[str, Any]], path: Path, progress: Any = None) -> int:
    """Documents (dicts) to an Arrow file, written aside and renamed; returns how many."""
    schema = DOC_FEATURES.arrow_schema
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    count = 0
    with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
        batch: list[dict] = []
        for doc in documents:
            batch.append(doc)
            if len(batch) >= BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                if progress is not None:
                    progress.update(len(batch))
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
            if progress is not None:
                progress.update(len(batch))
    os.replace(tmp, path)
    return count


def _open(path: Path) -> pa.Table:
    return pa.ipc.open_file(pa.memory_map(str(path))).read_all()


def _id_key(doc_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(doc_id.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def _usable_ids(parts: list[Path]) -> Iterator[tuple[list[str], np.ndarray]]:
    """The usable documents' ids and positions, a batch at a time (a part may be the
    whole corpus: its ids are never Python strings all at once)."""
    offset = 0
    for path in parts:
        for batch in _open(path).select(["doc_id", "reject"]).to_reader(max_chunksize=65536):
            usable = pc.fill_null(pc.equal(batch.column("reject"), ""), False)
            at = np.flatnonzero(usable.to_numpy(zero_copy_only=False)) + offset
            yield batch.column("doc_id").filter(usable).to_pylist(), at
            offset += batch.num_rows


def repeated(parts: list[Path]) -> dict[int, str]:
    """The position (across the parts, in order) of every usable document whose id an
    earlier usable document had."""
    keys: list[np.ndarray] = []
    places: list[np.ndarray] = []
    for ids, at in _usable_ids(parts):
        keys.append(np.fromiter((_id_key(i) for i in ids), np.uint64, len(ids)))
        places.append(at)
    if not keys:
        return {}
    key, place = np.concatenate(keys), np.concatenate(places)
    if len(key) < 2:
        return {}
    order = np.argsort(key, kind="stable")  # documents of a key stay in reading order
    sorted_keys = key[order]
    shared = np.r_[False, sorted_keys[1:] == sorted_keys[:-1]]
    shared |= np.r_[shared[1:], False]  # every member of a key seen more than once
    suspects = np.sort(place[order[shared]])
    if not len(suspects):
        return {}
    return _confirmed(parts, suspects)


def _confirmed(parts: list[Path], suspects: np.ndarray) -> dict[int, str]:
    """Of documents whose keys repeat, those whose id an earlier one of them had."""
    seen: set[str] = set()
    found: dict[int, str] = {}
    offset = 0
    for path in parts:
        table = _open(path)
        lo, hi = np.searchsorted(suspects, [offset, offset + table.num_rows])
        here = suspects[lo:hi] - offset
        if len(here):
            rows = table.select(["doc_id", "origin"]).take(pa.array(here, pa.int64())).to_pylist()
            for at, row in zip(here.tolist(), rows, strict=True):
                if row["doc_id"] in seen:
                    found[offset + at] = repeated_id_detail(row)
                else:
                    seen.add(row["doc_id"])
        offset += table.num_rows
    return found


def assemble(parts: list[Path], out: Path) -> int:
    """Joins the parts into the documents file ``out`` (numbered, repeated ids rejected);
    returns how many documents it holds. Written aside and renamed."""
    rejected = repeated(parts)
    at = np.asarray(sorted(rejected), dtype=np.int64)
    schema = DOC_FEATURES.arrow_schema
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    offset = 0
    with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_stream(sink, schema) as writer:
        for path in parts:
            for batch in _open(path).to_reader(max_chunksize=BATCH):
                writer.write_batch(_placed(batch, offset, at, rejected))
                offset += batch.num_rows
    os.replace(tmp, out)
    return offset


def _placed(batch: pa.RecordBatch, offset: int, at: np.ndarray, rejected: dict[int, str]) -> pa.RecordBatch:
    """A batch numbered from ``offset``, with its repeated ids rejected."""
    n = batch.num_rows
    columns = dict(zip(batch.schema.names, batch.columns, strict=True))
    columns["doc_seq"] = pa.array(np.arange(offset, offset + n, dtype=np.int64))
    lo, hi = np.searchsorted(at, [offset, offset + n])
    if hi > lo:
        reject = columns["reject"].to_pylist()
        detail = columns["reject_detail"].to_pylist()
        for position in at[lo:hi].tolist():
            reject[position - offset] = reasons.DUPLICATE_DOC_ID
            detail[position - offset] = rejected[position]
        columns["reject"], columns["reject_detail"] = pa.array(reject, pa.string()), pa.array(detail, pa.string())
    return pa.record_batch(list(columns.values()), schema=batch.schema)

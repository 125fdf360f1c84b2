"""Corpus step: exact duplicate documents, found across the whole corpus.

The first document with a given text (case and whitespace folded) is kept; the rows of
every later one are dropped as ``duplicate_document``, so no article can reach two
splits under two ids. It runs on the rows table, after the batch stages, in two
streaming passes: the rows of a document are contiguous and in document order, so the
first pass takes one 64-bit fingerprint per document (the first occurrence of a
fingerprint is the one kept) and the second rewrites the ``drop`` column a batch at a
time, into the scratch folder when the build gives one. The fingerprints go to the
scratch folder too, parted by their top bits (``KeyBuckets``), and the first of each is
found a part at a time: memory grows by 8 bytes a duplicate document, never with the
rows, the text or the other documents.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from builder.core import reasons
from builder.pipeline.steps.base import CorpusStep
from builder.pipeline.steps.scratch import KeyBuckets, column

_SCAN = ("doc_seq", "doc_hash", "reject", "kind")
_BATCH = 65536


def doc_keys(hashes: list[str | None]) -> np.ndarray:
    """64-bit keys of documents' ``doc_hash`` strings (collisions: one in 2**64 per pair)."""
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b((h or "").encode(), digest_size=8).digest(), "little") for h in hashes),
        np.uint64,
        len(hashes),
    )


def first_rows(seq: np.ndarray, previous: int | None) -> np.ndarray:
    """Positions in a batch where a document starts (its first row), given the last
    ``doc_seq`` of the batch before."""
    first = np.ones(len(seq), dtype=bool)
    first[1:] = seq[1:] != seq[:-1]
    if len(seq) and previous is not None and seq[0] == previous:
        first[0] = False
    return np.flatnonzero(first)


def usable(batch: pa.RecordBatch | pa.Table) -> np.ndarray:
    """Rows of a document that was not rejected and gave rows of some kind."""
    ok = pc.equal(pc.fill_null(batch.column("reject"), ""), "")
    kind = pc.not_equal(pc.fill_null(batch.column("kind"), ""), "")
    return pc.and_(ok, kind).to_numpy(zero_copy_only=False)


class Dedup(CorpusStep):
    name = "dedup"
    phase = "rows"
    inputs = ("doc_seq", "doc_hash", "reject", "kind", "drop")
    outputs = ("drop",)

    def __init__(self, section: Any) -> None:
        """``section``: the ``dedup`` config section (``exact``: drop exact duplicates)."""
        super().__init__()
        self.exact = bool(section.exact)

    def duplicates(self, rows: pa.Table) -> np.ndarray:
        """The ``doc_seq`` of every document whose text an earlier document already had (sorted)."""
        documents = KeyBuckets(self.scratch, "dedup_documents", rows.num_rows)
        previous = None
        for batch in rows.select(list(_SCAN)).to_reader(max_chunksize=_BATCH):
            seq = batch.column("doc_seq").to_numpy()
            starts = first_rows(seq, previous)
            if len(seq):
                previous = int(seq[-1])
            firsts = batch.take(pa.array(starts, pa.int64()))
            starts = starts[usable(firsts)]
            hashes = batch.column("doc_hash").take(pa.array(starts, pa.int64())).to_pylist()
            documents.add(doc_keys(hashes), seq[starts])
        later: list[np.ndarray] = []
        for keys, seqs in documents.buckets():  # in document order within a bucket
            _, first = np.unique(keys, return_index=True)  # a stable sort: the earliest of each
            repeat = np.ones(len(keys), dtype=bool)
            repeat[first] = False
            later.append(seqs[repeat].astype(np.int64))
        return np.sort(np.concatenate(later)) if later else np.empty(0, np.int64)

    def run(self, rows: pa.Table) -> pa.Table:
        self.stats = {"duplicate_documents": 0}
        if not self.exact or rows.num_rows == 0:
            return rows
        dup_docs = self.duplicates(rows)
        self.stats = {"duplicate_documents": int(dup_docs.size)}
        if not dup_docs.size:
            return rows

        def dropped() -> Any:
            for batch in rows.select(["doc_seq", "drop", "reject", "kind"]).to_reader(max_chunksize=_BATCH):
                seq = batch.column("doc_seq").to_numpy()
                at = np.minimum(np.searchsorted(dup_docs, seq), len(dup_docs) - 1)
                drop = batch.column("drop")
                free = pc.fill_null(pc.equal(drop, ""), False).to_numpy(zero_copy_only=False)
                ok = pc.fill_null(pc.equal(batch.column("reject"), ""), False).to_numpy(zero_copy_only=False)
                hit = (dup_docs[at] == seq) & free & ok
                yield pc.if_else(pa.array(hit), reasons.DUPLICATE_DOCUMENT, drop) if hit.any() else drop

        index = rows.schema.get_field_index("drop")
        field = rows.schema.field(index)
        return rows.set_column(index, field, column(self.scratch, "dedup_drop", dropped(), field.type))

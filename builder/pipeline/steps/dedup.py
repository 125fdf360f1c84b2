"""Corpus step: exact duplicate documents, found across the whole corpus.

The first document with a given text (case and whitespace folded) is kept; the rows of
every later one are dropped as ``duplicate_document``, so no article can reach two
splits under two ids. It runs on the rows table, after the batch stages, in one
streaming pass: the rows of a document are contiguous and in document order, so it keeps
only the set of document fingerprints seen and the duplicates found (memory grows with
the number of documents, never with the text). Only the ``drop`` column is rewritten.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from builder.core import reasons
from builder.pipeline.steps.base import CorpusStep

_SCAN = ("doc_seq", "doc_hash", "reject", "kind")


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
        """The ``doc_seq`` of every document whose text an earlier document already had."""
        seen: set[str] = set()
        found: list[int] = []
        last = None
        for batch in rows.select(list(_SCAN)).to_batches(max_chunksize=8192):
            cols = {c: batch.column(c).to_pylist() for c in _SCAN}
            for seq, h, reject, kind in zip(*(cols[c] for c in _SCAN), strict=True):
                if seq == last:
                    continue
                last = seq
                if reject or not kind:
                    continue
                if h in seen:
                    found.append(seq)
                else:
                    seen.add(h)
        return np.asarray(found, dtype=np.int64)

    def run(self, rows: pa.Table) -> pa.Table:
        self.stats = {"duplicate_documents": 0}
        if not self.exact or rows.num_rows == 0:
            return rows
        dup_docs = self.duplicates(rows)
        self.stats = {"duplicate_documents": int(dup_docs.size)}
        if not dup_docs.size:
            return rows
        drop = np.asarray(rows.column("drop").to_pylist(), dtype=object)
        ok = np.asarray(rows.column("reject").to_pylist(), dtype=object) == ""
        hit = np.isin(rows.column("doc_seq").to_numpy(), dup_docs) & (drop == "") & ok
        drop[hit] = reasons.DUPLICATE_DOCUMENT
        index = rows.schema.get_field_index("drop")
        return rows.set_column(index, rows.schema.field(index), pa.array(drop.tolist(), pa.string()))

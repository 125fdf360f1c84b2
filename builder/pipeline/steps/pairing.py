"""Corpus step: give garbled documents that came without a reference their clean
original, found by content among the clean documents of the same input.

A paired clean document becomes the reference of its garbled partner and leaves the
corpus (it is not a reject: the ledger counts it as ``paired``); a garbled document
left unpaired is rejected with the reason pairing gave (no candidate, score too low, ...).
Off (``pairing.enabled=false``), the step passes the corpus through, and the reader
rejects a garbled record without its reference as ``no_clean_reference``.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from builder.core import reasons
from builder.pairing.documents import PairingParams, pair_documents
from builder.pipeline.steps.base import CorpusStep

_PART = 65536


class Pair(CorpusStep):
    name = "pair"
    phase = "documents"
    inputs = ("doc_id", "garbled", "clean", "meta", "reject", "reject_detail")
    outputs = ("clean", "meta", "reject", "reject_detail")

    def __init__(self, section: Any, progress: bool = False) -> None:
        """``section``: the ``pairing`` config section (enabled, min_score, candidates)."""
        super().__init__()
        self.enabled = bool(section.enabled)
        self.params = PairingParams(candidates=section.candidates, min_score=section.min_score, progress=progress)

    def run(self, docs: pa.Table) -> pa.Table:
        """The documents with pairs joined, in the same order, paired references removed."""
        self.stats = {"paired": 0}
        if not self.enabled:
            return docs
        garbled_only = _one_sided(docs, "garbled", "clean")
        if not garbled_only:
            return docs  # the usual corpus: no text was read, nothing is held
        clean_only = _one_sided(docs, "clean", "garbled")
        garbled, clean, reject = (docs.column(c).to_pylist() for c in ("garbled", "clean", "reject"))
        result = pair_documents([garbled[i] for i in garbled_only], [clean[i] for i in clean_only], self.params)
        doc_id, meta, detail = (docs.column(c).to_pylist() for c in ("doc_id", "meta", "reject_detail"))
        references = []
        for gi, ci, score in result.pairs:
            g_row, c_row = garbled_only[gi], clean_only[ci]
            extra = json.loads(meta[g_row] or "{}")
            extra.update({"paired_with": doc_id[c_row], "pairing_score": round(float(score), 4)})
            clean[g_row], meta[g_row] = clean[c_row], json.dumps(extra, sort_keys=True, ensure_ascii=False)
            references.append(c_row)
        for gi, reason in result.unmatched_garbled:
            row = garbled_only[gi]
            reject[row] = reasons.UNPAIRED_PREFIX + reason
            detail[row] = "garbled document without a matching clean document"
        for name, values in (("clean", clean), ("meta", meta), ("reject", reject), ("reject_detail", detail)):
            docs = docs.set_column(docs.schema.get_field_index(name), name, pa.array(values, pa.string()))
        if references:
            keep = [True] * docs.num_rows
            for row in references:
                keep[row] = False
            docs = docs.filter(pa.array(keep))
        self.stats = {"paired": len(references)}
        return docs


def _one_sided(docs: pa.Table, has: str, lacks: str) -> list[int]:
    """Positions of the usable documents with text in ``has`` and none in ``lacks``
    (whitespace is none), read a part at a time: Arrow rules out most documents by
    length before any text becomes a Python string."""
    found: list[int] = []
    for start in range(0, docs.num_rows, _PART):
        part = docs.slice(start, _PART)
        maybe = pc.and_(pc.equal(part.column("reject"), ""), pc.greater(pc.utf8_length(part.column(has)), 0))
        at = np.flatnonzero(pc.fill_null(maybe, False).to_numpy(zero_copy_only=False))
        if not len(at):
            continue
        picked = pa.array(at, pa.int64())
        texts = zip(part.column(has).take(picked).to_pylist(), part.column(lacks).take(picked).to_pylist(), strict=True)
        found.extend(start + int(i) for i, (h, x) in zip(at, texts, strict=True) if h.strip() and not (x or "").strip())
    return found

"""Before the pipeline: give garbled documents that came without a reference their clean
original, found by content among the clean documents of the same input.

This needs the whole corpus at once, so it runs between reading and the batch
pipeline. A paired clean document becomes the reference of its garbled partner and
is accounted for in the ledger as ``paired``; a garbled document left unpaired is
rejected with the reason pairing gave (no candidate, score too low, ...).
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from builder.pairing.documents import PairingParams, pair_documents
from builder.pipeline.writers.ledger import PAIRED


def pair_corpus(docs: pa.Table, cfg: Any) -> pa.Table:
    """``docs`` is the documents table; returns it with pairs joined (same rows, same order)."""
    garbled, clean, reject = (docs.column(c).to_pylist() for c in ("garbled", "clean", "reject"))
    garbled_only = [
        i
        for i, (g, c, r) in enumerate(zip(garbled, clean, reject, strict=True))
        if not r and g.strip() and not c.strip()
    ]
    clean_only = [
        i
        for i, (g, c, r) in enumerate(zip(garbled, clean, reject, strict=True))
        if not r and c.strip() and not g.strip()
    ]
    if not garbled_only:
        return docs
    params = PairingParams(
        candidates=cfg.source.pairing_candidates,
        min_score=cfg.source.pairing_min_score,
        progress=bool(cfg.runner.progress),
    )
    result = pair_documents([garbled[i] for i in garbled_only], [clean[i] for i in clean_only], params)
    doc_id, meta, detail = (docs.column(c).to_pylist() for c in ("doc_id", "meta", "reject_detail"))
    for gi, ci, score in result.pairs:
        g_row, c_row = garbled_only[gi], clean_only[ci]
        extra = json.loads(meta[g_row] or "{}")
        extra.update({"paired_with": doc_id[c_row], "pairing_score": round(float(score), 4)})
        clean[g_row], meta[g_row] = clean[c_row], json.dumps(extra, sort_keys=True, ensure_ascii=False)
        reject[c_row], detail[c_row] = PAIRED, f"clean reference of {doc_id[g_row]}"
    for gi, reason in result.unmatched_garbled:
        row = garbled_only[gi]
        reject[row], detail[row] = f"unpaired_{reason}", "garbled document without a matching clean document"
    for name, values in (("clean", clean), ("meta", meta), ("reject", reject), ("reject_detail", detail)):
        docs = docs.set_column(docs.schema.get_field_index(name), name, pa.array(values, pa.string()))
    return docs

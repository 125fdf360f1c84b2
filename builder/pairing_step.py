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

from builder.pairing import PairingParams, pair_documents
from builder.write.ledger import PAIRED


def pair_corpus(docs, cfg: Any):
    """``docs`` is the documents Dataset; returns it with pairs joined."""
    garbled_only = [
        i
        for i, (g, c, r) in enumerate(zip(docs["garbled"], docs["clean"], docs["reject"], strict=True))
        if not r and g.strip() and not c.strip()
    ]
    clean_only = [
        i
        for i, (g, c, r) in enumerate(zip(docs["garbled"], docs["clean"], docs["reject"], strict=True))
        if not r and c.strip() and not g.strip()
    ]
    if not garbled_only:
        return docs
    g_text = [docs[i]["garbled"] for i in garbled_only]
    c_text = [docs[i]["clean"] for i in clean_only]
    params = PairingParams(
        candidates=cfg.source.pairing_candidates,
        min_score=cfg.source.pairing_min_score,
        progress=bool(cfg.runner.progress),
    )
    result = pair_documents(g_text, c_text, params)
    updates: dict[int, dict[str, Any]] = {}
    for gi, ci, score in result.pairs:
        g_row, c_row = garbled_only[gi], clean_only[ci]
        partner = docs[c_row]
        meta = json.loads(docs[g_row]["meta"] or "{}")
        meta.update({"paired_with": partner["doc_id"], "pairing_score": round(float(score), 4)})
        updates[g_row] = {"clean": partner["clean"], "meta": json.dumps(meta, sort_keys=True, ensure_ascii=False)}
        updates[c_row] = {"reject": PAIRED, "reject_detail": f"clean reference of {docs[g_row]['doc_id']}"}
    for gi, reason in result.unmatched_garbled:
        updates[garbled_only[gi]] = {
            "reject": f"unpaired_{reason}",
            "reject_detail": "garbled document without a matching clean document",
        }

    def apply(row: dict, idx: int) -> dict:
        return {**row, **updates.get(idx, {})}

    return docs.map(apply, with_indices=True, desc="pairing", load_from_cache_file=False)

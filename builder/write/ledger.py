"""The ledger: what became of every document and row, computed from the built rows.

Documents in = documents written + filtered + rejected, each by reason. Exact
duplicate documents are found here, across the whole corpus, so no article can
appear in two splits under two ids.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

DUPLICATE = "duplicate_document"
PAIRED = "paired_as_reference"  # a clean document that became another document's reference


@dataclass
class Ledger:
    drop: np.ndarray  # final drop reason per row ("" = written)
    documents: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    rejects: pd.DataFrame = field(default_factory=pd.DataFrame)
    balanced: bool = True


def build_ledger(cols: pd.DataFrame, dedup: bool) -> Ledger:
    """``cols`` has one row per built row: doc_seq, doc_id, source, doc_hash, reject,
    reject_detail, drop, split, kind."""
    drop = cols["drop"].to_numpy(dtype=object).copy()
    rejected = cols["reject"].to_numpy(dtype=object) != ""
    if dedup and len(cols):
        docs = cols.loc[~rejected & (cols["kind"] != ""), ["doc_seq", "doc_hash"]].drop_duplicates("doc_seq")
        dup_seqs = docs.loc[docs.duplicated("doc_hash", keep="first"), "doc_seq"].to_numpy()
        is_dup = np.isin(cols["doc_seq"].to_numpy(), dup_seqs) & (drop == "") & ~rejected
        drop[is_dup] = DUPLICATE
    frame = pd.DataFrame({"doc_seq": cols["doc_seq"], "drop": drop, "reject": cols["reject"]})
    frame["kept"] = (frame["drop"] == "") & ~rejected
    per_doc = frame.groupby("doc_seq", sort=True).agg(
        kept=("kept", "any"), reject=("reject", "first"), reasons=("drop", list)
    )
    written = int(per_doc["kept"].sum())
    paired = int((per_doc["reject"] == PAIRED).sum())
    rej = per_doc.loc[(per_doc["reject"] != "") & (per_doc["reject"] != PAIRED), "reject"]
    filt = per_doc.loc[~per_doc["kept"] & (per_doc["reject"] == ""), "reasons"]
    filtered = Counter(Counter(r for r in reasons if r).most_common(1)[0][0] for reasons in filt)
    documents = {
        "in": len(per_doc),
        "written": written,
        "filtered": dict(sorted(filtered.items())),
        "rejected": dict(sorted(Counter(rej).items())),
        "paired": paired,
    }
    ok = ~rejected
    kept = ok & (drop == "")
    rows = {
        "written": {s: int(n) for s, n in Counter(cols.loc[kept, "split"]).items()},
        "filtered": dict(sorted(Counter(drop[ok & (drop != "")]).items())),
        "written_by_kind": {k: int(n) for k, n in Counter(cols.loc[kept, "kind"]).items()},
    }
    balanced = documents["in"] == written + sum(filtered.values()) + sum(documents["rejected"].values()) + paired
    rejects = (
        cols.loc[
            rejected & (cols["reject"].to_numpy(dtype=object) != PAIRED),
            ["doc_seq", "doc_id", "source", "reject", "reject_detail"],
        ]
        .drop_duplicates("doc_seq")
        .rename(columns={"reject": "reason", "reject_detail": "detail"})
    )
    return Ledger(drop=drop, documents=documents, rows=rows, rejects=rejects, balanced=balanced)

"""The ledger: what became of every document and row, counted in one streaming pass.

Documents in = documents written + filtered + rejected + paired, each by reason. Exact
duplicate documents are found here, across the whole corpus, so no article can
appear in two splits under two ids. The rows of a document are contiguous and in
document order, so the pass keeps only the current document's state, the set of
document fingerprints seen and the duplicates found: memory grows with the number of
documents, never with the text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

DUPLICATE = "duplicate_document"
PAIRED = "paired_as_reference"  # a clean document that became another document's reference
COLUMNS = ("doc_seq", "doc_id", "origin", "source", "doc_hash", "reject", "reject_detail", "drop", "split", "kind")


def final_drop(batch: pa.RecordBatch | pa.Table, duplicates: np.ndarray) -> np.ndarray:
    """Each row's drop reason once duplicate documents are known ("" = written)."""
    drop = np.asarray(batch.column("drop").to_pylist(), dtype=object)
    ok = np.asarray(batch.column("reject").to_pylist(), dtype=object) == ""
    if duplicates.size:
        dup = np.isin(batch.column("doc_seq").to_numpy(), duplicates) & (drop == "") & ok
        drop[dup] = DUPLICATE
    return drop


@dataclass
class Ledger:
    documents: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    duplicates: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    balanced: bool = True


class _Doc:
    __slots__ = ("kept", "reasons", "reject", "seq")

    def __init__(self, seq: int, reject: str) -> None:
        self.seq, self.reject, self.kept, self.reasons = seq, reject, False, Counter()


def build_ledger(batches: Iterable[pa.RecordBatch], dedup: bool, rejects: list[dict] | None = None) -> Ledger:
    """Count documents and rows from record batches holding ``COLUMNS`` (in document
    order); rejected documents are appended to ``rejects`` as they are met."""
    seen_hashes: set[str] = set()
    duplicates: list[int] = []
    docs: Counter = Counter()
    filtered: Counter = Counter()
    rejected: Counter = Counter()
    rows_written: Counter = Counter()
    rows_filtered: Counter = Counter()
    by_kind: Counter = Counter()
    current: _Doc | None = None

    def close(doc: _Doc | None) -> None:
        if doc is None:
            return
        docs["in"] += 1
        if doc.reject == PAIRED:
            docs["paired"] += 1
        elif doc.reject:
            rejected[doc.reject] += 1
        elif doc.kept:
            docs["written"] += 1
        else:
            filtered[next((r for r, _ in doc.reasons.most_common(1)), "no_units")] += 1

    for batch in batches:
        cols = {c: batch.column(c).to_pylist() for c in COLUMNS}
        for k in range(batch.num_rows):
            seq, reject = cols["doc_seq"][k], cols["reject"][k]
            if current is None or seq != current.seq:
                close(current)
                current = _Doc(seq, reject)
                if reject and rejects is not None and reject != PAIRED:
                    rejects.append(
                        {
                            "doc_seq": seq,
                            "doc_id": cols["doc_id"][k],
                            "source": cols["source"][k],
                            "reason": reject,
                            "detail": _placed(cols["origin"][k], cols["reject_detail"][k]),
                        }
                    )
                if dedup and not reject and cols["kind"][k]:
                    h = cols["doc_hash"][k]
                    if h in seen_hashes:
                        duplicates.append(seq)
                    else:
                        seen_hashes.add(h)
            if reject:
                continue
            drop = cols["drop"][k]
            if not drop and duplicates and duplicates[-1] == seq:
                drop = DUPLICATE
            if drop:
                current.reasons[drop] += 1
                rows_filtered[drop] += 1
            else:
                current.kept = True
                rows_written[cols["split"][k]] += 1
                by_kind[cols["kind"][k]] += 1
    close(current)
    documents = {
        "in": docs["in"],
        "written": docs["written"],
        "filtered": dict(sorted(filtered.items())),
        "rejected": dict(sorted(rejected.items())),
        "paired": docs["paired"],
    }
    balanced = documents["in"] == (
        documents["written"] + sum(filtered.values()) + sum(rejected.values()) + documents["paired"]
    )
    rows = {
        "written": dict(rows_written),
        "filtered": dict(sorted(rows_filtered.items())),
        "written_by_kind": dict(by_kind),
    }
    return Ledger(documents, rows, np.array(duplicates, dtype=np.int64), balanced)


def _placed(origin: str | None, detail: str) -> str:
    """A reject's detail starting with where its record was read, wherever it was rejected."""
    if origin and not (detail or "").startswith(origin):
        return f"{origin}: {detail}"
    return detail


def batches_of(table: pa.Table, columns: Iterable[str], size: int = 8192) -> Iterator[pa.RecordBatch]:
    yield from table.select(list(columns)).to_batches(max_chunksize=size)


def as_json(record: dict[str, Any]) -> dict[str, Any]:
    return {k: (int(v) if isinstance(v, np.integer) else v) for k, v in record.items()}

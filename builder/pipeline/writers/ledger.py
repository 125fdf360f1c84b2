"""The ledger: what became of every document and row, counted in one streaming pass.

Documents in = documents written + filtered + rejected + paired, each by reason (the
reasons are ``builder.core.reasons``; an unlisted one is an error of the builder). The
rows of a document are contiguous and in document order, so the pass keeps only the
current document's state: memory is that of one batch, never of the corpus.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from builder.core.reasons import known

COLUMNS = ("doc_seq", "doc_id", "origin", "source", "reject", "reject_detail", "drop", "split", "kind")


@dataclass
class Ledger:
    documents: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    balanced: bool = True


class _Doc:
    __slots__ = ("kept", "reasons", "reject", "seq")

    def __init__(self, seq: int, reject: str) -> None:
        self.seq, self.reject, self.kept, self.reasons = seq, reject, False, Counter()


class RejectLog:
    """The rejected documents, one JSON line each, written to a file as the ledger meets
    them (a corpus with many rejects would otherwise hold them all); ``copy_to`` puts
    the file where the dataset wants it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sink = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()

    def append(self, record: dict[str, Any]) -> None:
        self.sink.write(json.dumps(as_json(record), ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.sink.close()

    def copy_to(self, path: Path) -> None:
        if not self.sink.closed:
            self.sink.flush()
        shutil.copyfile(self.path, path)


def build_ledger(
    batches: Iterable[pa.RecordBatch], paired: int = 0, rejects: list[dict] | RejectLog | None = None
) -> Ledger:
    """Count documents and rows from record batches holding ``COLUMNS`` (in document
    order); rejected documents are appended to ``rejects`` as they are met. ``paired``:
    the clean documents pairing took out of the corpus as references of others."""
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
        if doc.reject:
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
                if reject and not known(reject):
                    raise ValueError(f"reject reason {reject!r} is not in builder.core.reasons")
                if reject and rejects is not None:
                    rejects.append(
                        {
                            "doc_seq": seq,
                            "doc_id": cols["doc_id"][k],
                            "source": cols["source"][k],
                            "reason": reject,
                            "detail": _placed(cols["origin"][k], cols["reject_detail"][k]),
                        }
                    )
            if reject:
                continue
            drop = cols["drop"][k]
            if drop:
                if not known(drop):
                    raise ValueError(f"drop reason {drop!r} is not in builder.core.reasons")
                current.reasons[drop] += 1
                rows_filtered[drop] += 1
            else:
                current.kept = True
                rows_written[cols["split"][k]] += 1
                by_kind[cols["kind"][k]] += 1
    close(current)
    docs["in"] += paired
    documents = {
        "in": docs["in"],
        "written": docs["written"],
        "filtered": dict(sorted(filtered.items())),
        "rejected": dict(sorted(rejected.items())),
        "paired": paired,
    }
    balanced = documents["in"] == (
        documents["written"] + sum(filtered.values()) + sum(rejected.values()) + documents["paired"]
    )
    rows = {
        "written": dict(rows_written),
        "filtered": dict(sorted(rows_filtered.items())),
        "written_by_kind": dict(by_kind),
    }
    return Ledger(documents, rows, balanced)


def _placed(origin: str | None, detail: str) -> str:
    """A reject's detail starting with where its record was read, wherever it was rejected."""
    if origin and not (detail or "").startswith(origin):
        return f"{origin}: {detail}"
    return detail


def batches_of(table: pa.Table, columns: Iterable[str], size: int = 8192) -> Iterator[pa.RecordBatch]:
    yield from table.select(list(columns)).to_reader(max_chunksize=size)


def as_json(record: dict[str, Any]) -> dict[str, Any]:
    return {k: (int(v) if isinstance(v, np.integer) else v) for k, v in record.items()}

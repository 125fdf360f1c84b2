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
import pyarrow.compute as pc

from builder.core.reasons import known

COLUMNS = ("doc_seq", "doc_id", "origin", "source", "reject", "reject_detail", "drop", "split", "kind")


@dataclass
class Ledger:
    documents: dict = field(default_factory=dict)
    rows: dict = field(default_factory=dict)
    balanced: bool = True


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
    the clean documents pairing took out of the corpus as references of others.

    A document is its run of rows with one ``doc_seq``; its first row's ``reject`` says
    whether it was rejected, and each row's own ``reject`` and ``drop`` whether that row
    is written, filtered or neither. The rows are counted a batch at a time in Arrow; only
    rejected documents and documents with no row written are looked at one by one. The
    last document of a batch may go on in the next, so its rows wait for it."""
    tally = _Tally(rejects)
    carry: pa.Table | None = None
    for batch in batches:
        if not batch.num_rows:
            continue
        table = pa.Table.from_batches([batch])
        if carry is not None:
            table = pa.concat_tables([carry, table])
        seq = table.column("doc_seq").to_numpy()
        last = int(np.flatnonzero(np.r_[True, seq[1:] != seq[:-1]])[-1])
        if last:
            tally.add(table.slice(0, last))
        carry = table.slice(last)
    if carry is not None:
        tally.add(carry)
    return tally.ledger(paired)


class _Tally:
    """The ledger's counts of whole documents, a table of their rows at a time."""

    def __init__(self, rejects: list[dict] | RejectLog | None) -> None:
        self.rejects = rejects  # where each rejected document goes as it is met
        self.docs_in = self.written_docs = 0
        self.filtered: Counter = Counter()  # documents by reason
        self.rejected: Counter = Counter()
        self.rows_written: Counter = Counter()  # by split, in the order splits first appear
        self.rows_filtered: Counter = Counter()
        self.by_kind: Counter = Counter()

    def add(self, rows: pa.Table) -> None:
        seq = rows.column("doc_seq").to_numpy()
        starts = np.flatnonzero(np.r_[True, seq[1:] != seq[:-1]])
        self.docs_in += len(starts)
        reject = pc.fill_null(rows.column("reject"), "")
        drop = pc.fill_null(rows.column("drop"), "")
        ok = pc.equal(reject, "")  # each row's own reject: a row of a rejected document is not counted
        dropped = pc.and_(ok, pc.not_equal(drop, ""))
        written = pc.and_(ok, pc.equal(drop, ""))
        row_reasons = pc.filter(drop, dropped)
        for reason in pc.unique(row_reasons).to_pylist():
            if not known(reason):
                raise ValueError(f"drop reason {reason!r} is not in builder.core.reasons")
        _count(self.rows_filtered, row_reasons)
        _count(self.rows_written, pc.filter(rows.column("split"), written))
        _count(self.by_kind, pc.filter(rows.column("kind"), written))
        first_reject = reject.take(pa.array(starts)).to_numpy(zero_copy_only=False)
        kept = np.logical_or.reduceat(written.to_numpy(zero_copy_only=False), starts)
        for i in np.flatnonzero(first_reject != "").tolist():  # rejected documents, in order
            self._rejected(rows, int(starts[i]), first_reject[i])
        fine = first_reject == ""
        self.written_docs += int(np.count_nonzero(fine & kept))
        ends = np.r_[starts[1:], rows.num_rows]
        for i in np.flatnonzero(fine & ~kept).tolist():  # documents none of whose rows is written
            lo, n = int(starts[i]), int(ends[i] - starts[i])
            reasons = pc.filter(drop.slice(lo, n), dropped.slice(lo, n)).to_pylist()
            self.filtered[next((r for r, _ in Counter(reasons).most_common(1)), "no_units")] += 1

    def _rejected(self, rows: pa.Table, at: int, reason: str) -> None:
        if not known(reason):
            raise ValueError(f"reject reason {reason!r} is not in builder.core.reasons")
        self.rejected[reason] += 1
        if self.rejects is None:
            return
        row = {c: rows.column(c)[at].as_py() for c in ("doc_seq", "doc_id", "source", "origin", "reject_detail")}
        self.rejects.append(
            {
                "doc_seq": row["doc_seq"],
                "doc_id": row["doc_id"],
                "source": row["source"],
                "reason": reason,
                "detail": _placed(row["origin"], row["reject_detail"]),
            }
        )

    def ledger(self, paired: int) -> Ledger:
        documents = {
            "in": self.docs_in + paired,
            "written": self.written_docs,
            "filtered": dict(sorted(self.filtered.items())),
            "rejected": dict(sorted(self.rejected.items())),
            "paired": paired,
        }
        balanced = documents["in"] == (
            documents["written"] + sum(self.filtered.values()) + sum(self.rejected.values()) + documents["paired"]
        )
        rows = {
            "written": dict(self.rows_written),
            "filtered": dict(sorted(self.rows_filtered.items())),
            "written_by_kind": dict(self.by_kind),
        }
        return Ledger(documents, rows, balanced)


def _count(counter: Counter, values: pa.Array | pa.ChunkedArray) -> None:
    """Add each value's count, new values in the order they first appear (Arrow's
    ``value_counts`` keeps it)."""
    for item in pc.value_counts(values).to_pylist():
        counter[item["values"]] += item["counts"]


def _placed(origin: str | None, detail: str) -> str:
    """A reject's detail starting with where its record was read, wherever it was rejected."""
    if origin and not (detail or "").startswith(origin):
        return f"{origin}: {detail}"
    return detail


def batches_of(table: pa.Table, columns: Iterable[str], size: int = 8192) -> Iterator[pa.RecordBatch]:
    yield from table.select(list(columns)).to_reader(max_chunksize=size)


def as_json(record: dict[str, Any]) -> dict[str, Any]:
    return {k: (int(v) if isinstance(v, np.integer) else v) for k, v in record.items()}

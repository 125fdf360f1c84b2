"""Corpus step and count: evaluation text that train already has.

Splitting by document keeps an article's rows together, but the same sentence can still
stand in two articles (a quote, a stock phrase, a wire story's paragraph), and a model
tested on a sentence it was trained on scores better than it is. ``Leakage`` runs on the
rows table after the batch stages and drops the validation and test rows whose clean
text, case and whitespace folded, is also the clean text of a written train row
(``dedup.eval_in_train=drop``; ``keep`` only counts them).

``measure`` then counts what is left, across each pair of splits, for ``stats.json``
and the card: documents with the same text, near-duplicate pairs (from the ``neardup``
step), and rows with the same clean text. Only 64-bit keys are kept, never the text: one
per row, one per distinct sentence of each split and one per document (with its split,
parted by the key so the documents are compared a part at a time), in files of the
build's scratch folder when it gives one (``builder.pipeline.steps.scratch``); in memory,
9 bytes a document only when there are near-duplicate pairs to place.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from builder.core import reasons
from builder.core.seeding import string_keys
from builder.pipeline.steps.base import CorpusStep
from builder.pipeline.steps.dedup import doc_keys, first_rows
from builder.pipeline.steps.scratch import KeyBuckets, Keys, column, count_members, member
from builder.text.spaces import single_spaced

SPLITS = ("train", "validation", "test")
_BATCH = 8192


def _written(batch: pa.RecordBatch) -> np.ndarray:
    """Which rows of a batch are written: not dropped, not rejected, of some kind."""
    drop = pc.equal(pc.fill_null(batch.column("drop"), ""), "")
    ok = pc.equal(pc.fill_null(batch.column("reject"), ""), "")
    kind = pc.not_equal(pc.fill_null(batch.column("kind"), ""), "")
    return pc.and_(pc.and_(drop, ok), kind).to_numpy(zero_copy_only=False)


def _split_codes(batch: pa.RecordBatch) -> np.ndarray:
    """Each row's split as its position in ``SPLITS`` (-1 for none)."""
    return pc.fill_null(pc.index_in(batch.column("split"), pa.array(SPLITS)), -1).to_numpy(zero_copy_only=False)


def _batches(rows: pa.Table, names: tuple[str, ...]) -> Iterator[pa.RecordBatch]:
    yield from rows.select(list(names)).to_reader(max_chunksize=_BATCH)


def text_keys(texts: pa.Array) -> np.ndarray:
    """A 64-bit key of each text, case and whitespace folded (an Arrow array crosses to a
    worker as its buffers, far cheaper than as Python strings): the ``string_keys`` of
    the folded texts. They only ever meet keys of the same build."""
    return string_keys([single_spaced(t.casefold()) for t in texts.to_pylist()])


class RowKeys:
    """The clean-text key of every row written when it was made (0 for the others, which
    no later step writes), and the sorted distinct keys of each split's written rows.
    The keys of a batch's texts are made on the build's workers when it has some
    (``parallel_map``), in order."""

    def __init__(self, rows: pa.Table, scratch: Path | None, parallel_map: Callable | None = None) -> None:
        self.scratch = scratch
        per_row = Keys(scratch, "row_keys")
        by_split = [Keys(scratch, f"keys_{s}") for s in SPLITS]
        waiting: deque[tuple[int, np.ndarray, np.ndarray]] = deque()  # batches whose keys are being made

        def texts() -> Iterator[pa.Array]:
            for batch in _batches(rows, ("clean", "split", "kind", "drop", "reject")):
                at = np.flatnonzero(_written(batch))
                waiting.append((batch.num_rows, _split_codes(batch), at))
                yield batch.column("clean").take(pa.array(at, pa.int64()))

        for made in (parallel_map or map)(text_keys, texts()):
            n, split, at = waiting.popleft()
            keys = np.zeros(n, np.uint64)
            keys[at] = made
            per_row.add(keys)
            for code, keys_of in enumerate(by_split):
                keys_of.add(keys[at[split[at] == code]])
        self.rows = per_row.finish(distinct=False, sort=False)
        self.splits = {s: k.finish() for s, k in zip(SPLITS, by_split, strict=True)}


class Leakage(CorpusStep):
    name = "leakage"
    phase = "rows"
    inputs = ("doc_seq", "clean", "split", "kind", "drop", "reject")
    outputs = ("drop",)

    def __init__(self, section: Any) -> None:
        """``section``: the ``dedup`` config section (``eval_in_train``: drop | keep)."""
        super().__init__()
        self.drop = section.eval_in_train == "drop"
        #: the row keys, kept for ``measure`` (the same rows: the step only drops)
        self.keys: RowKeys | None = None

    def run(self, rows: pa.Table) -> pa.Table:
        keys = self.keys = RowKeys(rows, self.scratch, self.parallel_map)
        found = {"validation_in_train": 0, "test_in_train": 0, "test_in_validation": 0}
        for _, hits in _hits(rows, keys):
            for name, at in hits.items():
                found[name] += len(at)
        total = sum(found.values())
        self.stats = {**found, "dropped": total if self.drop else 0}
        if not (self.drop and total):
            return rows
        index = rows.schema.get_field_index("drop")
        field = rows.schema.field(index)
        drops = (_with_reasons(drop, hits) for drop, hits in _hits(rows, keys))
        return rows.set_column(index, field, column(self.scratch, "leakage_drop", drops, field.type))


def _hits(rows: pa.Table, keys: RowKeys) -> Iterator[tuple[pa.Array, dict[str, np.ndarray]]]:
    """A batch at a time: its ``drop`` column, and the positions in the batch of the
    rows each reason drops. Found again on each pass rather than kept,
    so that memory does not grow with the rows an evaluation split shares with train
    (most of them, in a corpus of copies)."""
    train, validation = keys.splits["train"], keys.splits["validation"]
    offset = 0
    for batch in _batches(rows, ("split", "kind", "drop", "reject")):
        row_keys = np.asarray(keys.rows[offset : offset + batch.num_rows])
        offset += batch.num_rows
        split, written = _split_codes(batch), _written(batch)
        hits = {}
        for code, name in ((1, "validation"), (2, "test")):
            at = np.flatnonzero(written & (split == code))
            in_train = member(row_keys[at], train)
            hits[f"{name}_in_train"] = at[in_train]
            if name == "test":
                hits["test_in_validation"] = at[member(row_keys[at], validation) & ~in_train]
        yield batch.column("drop"), hits


_REASONS = {
    "validation_in_train": reasons.SEEN_IN_TRAIN,
    "test_in_train": reasons.SEEN_IN_TRAIN,
    "test_in_validation": reasons.SEEN_IN_VALIDATION,
}


def _with_reasons(drop: pa.Array, hits: dict[str, np.ndarray]) -> pa.Array:
    """A batch's ``drop`` column with each hit row's reason set."""
    if not any(len(at) for at in hits.values()):
        return drop
    values = np.full(len(drop), None, dtype=object)
    for name, at in hits.items():
        values[at] = _REASONS[name]
    return pc.coalesce(pa.array(values, pa.string()), drop)


def measure(
    rows: pa.Table, near_pairs: np.ndarray | None, threshold: float | None, keys: RowKeys | None = None
) -> dict[str, Any]:
    """What the written dataset shares across each pair of splits (earlier/later):

    - ``documents.exact``: later-split documents whose text (folded) an earlier split has;
    - ``documents.near``: near-duplicate pairs with one document in each split (None when
      the ``neardup`` step did not run);
    - ``sentences.exact``: later-split rows whose clean text (folded) an earlier split has.

    ``keys``: the row keys the ``leakage`` step took of these rows (taken again when None).
    """
    keys = keys or RowKeys(rows, None)
    row_keys = keys.rows
    split_keys = [Keys(keys.scratch, f"written_{s}") for s in SPLITS]
    documents = KeyBuckets(keys.scratch, "written_documents", rows.num_rows)
    doc_seq, doc_split = [], []  # for the near-duplicate pairs only
    previous, offset = None, 0
    for batch in _batches(rows, ("doc_seq", "doc_hash", "split", "kind", "drop", "reject")):
        here = np.asarray(row_keys[offset : offset + batch.num_rows])
        offset += batch.num_rows
        split = _split_codes(batch)
        at = np.flatnonzero(_written(batch) & (split >= 0))
        for code, keys_of in enumerate(split_keys):
            keys_of.add(here[at[split[at] == code]])
        seq = batch.column("doc_seq").to_numpy()[at]
        starts = at[first_rows(seq, previous)]
        if len(seq):
            previous = int(seq[-1])
        hashes = batch.column("doc_hash").take(pa.array(starts, pa.int64())).to_pylist()
        documents.add(doc_keys(hashes), split[starts])
        if near_pairs is not None:
            doc_seq.append(batch.column("doc_seq").to_numpy()[starts])
            doc_split.append(split[starts].astype(np.int8))
    distinct = [k.finish() for k in split_keys]
    counts: dict[str, Any] = {"documents": {"exact": {}, "near": {} if near_pairs is not None else None}}
    counts["sentences"] = {"exact": {}}
    pairs = [(a, b, f"{SPLITS[a]}/{SPLITS[b]}") for a, b in combinations(range(len(SPLITS)), 2)]
    exact = counts["documents"]["exact"]
    for a, b, name in pairs:
        exact[name] = 0
        counts["sentences"]["exact"][name] = count_members(distinct[b], distinct[a])
    for hashes, codes in documents.buckets():  # a document's copies are all in one bucket
        for a, b, name in pairs:
            exact[name] += int(member(hashes[codes == b], np.unique(hashes[codes == a])).sum())
    if near_pairs is not None:
        seqs = np.concatenate(doc_seq) if doc_seq else np.empty(0, np.int64)
        codes = np.concatenate(doc_split) if doc_split else np.empty(0, np.int8)
        ci, cj = _codes_of(near_pairs, seqs, codes)
        for a, b, name in pairs:
            counts["documents"]["near"][name] = int((((ci == a) & (cj == b)) | ((ci == b) & (cj == a))).sum())
    counts["near_threshold"] = threshold
    counts["total"] = sum(
        sum(v.values()) for part in (counts["documents"], counts["sentences"]) for v in part.values() if v
    )
    return counts


def _codes_of(pairs: np.ndarray, seqs: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The split code of both documents of each pair (-1 for a document not written)."""
    out = []
    for column_ in (pairs[:, 0], pairs[:, 1]) if len(pairs) else (np.empty(0, np.int64),) * 2:
        if not len(seqs):
            out.append(np.full(len(column_), -1))
            continue
        at = np.minimum(np.searchsorted(seqs, column_), len(seqs) - 1)
        out.append(np.where(seqs[at] == column_, codes[at], -1))
    return out[0], out[1]

"""Corpus step and count: evaluation text that train already has.

Splitting by document keeps an article's rows together, but the same sentence can still
stand in two articles (a quote, a stock phrase, a wire story's paragraph), and a model
tested on a sentence it was trained on scores better than it is. ``Leakage`` runs on the
rows table after the batch stages and drops the validation and test rows whose clean
text, case and whitespace folded, is also the clean text of a written train row
(``dedup.eval_in_train=drop``; ``keep`` only counts them).

``measure`` then counts what is left, across each pair of splits, for ``stats.json``
and the card: documents with the same text, near-duplicate pairs (from the ``neardup``
step), and rows with the same clean text. Only 64-bit hashes are held, never the text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from itertools import combinations
from typing import Any

import numpy as np
import pyarrow as pa

from builder.core import reasons
from builder.pipeline.steps.base import CorpusStep

SPLITS = ("train", "validation", "test")
_SCAN = ("doc_seq", "doc_hash", "clean", "split", "kind", "drop", "reject")
_BATCH = 8192


def text_key(text: str) -> int:
    """A 64-bit key of the case and whitespace folded text."""
    folded = " ".join(text.casefold().split()).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(folded, digest_size=8).digest(), "little")


def _written(rows: pa.Table) -> Iterator[dict[str, list]]:
    """Batches of the columns the counts need, rows that are written only."""
    names = [c for c in _SCAN if c in rows.schema.names]
    for batch in rows.select(names).to_batches(max_chunksize=_BATCH):
        cols = {c: batch.column(c).to_pylist() for c in names}
        keep = [i for i in range(batch.num_rows) if not cols["drop"][i] and not cols["reject"][i] and cols["kind"][i]]
        yield {c: [v[i] for i in keep] for c, v in cols.items()}


def _keys(rows: pa.Table) -> dict[str, np.ndarray]:
    """The sorted, distinct clean-text keys of the written rows of each split."""
    parts: dict[str, list[int]] = {s: [] for s in SPLITS}
    for cols in _written(rows):
        for clean, split in zip(cols["clean"], cols["split"], strict=True):
            if split in parts:
                parts[split].append(text_key(clean))
    return {s: np.unique(np.asarray(v, dtype=np.uint64)) for s, v in parts.items()}


def _member(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    if not len(sorted_keys) or not len(keys):
        return np.zeros(len(keys), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    return sorted_keys[at] == keys


class Leakage(CorpusStep):
    name = "leakage"
    phase = "rows"
    inputs = ("doc_seq", "clean", "split", "kind", "drop", "reject")
    outputs = ("drop",)

    def __init__(self, section: Any) -> None:
        """``section``: the ``dedup`` config section (``eval_in_train``: drop | keep)."""
        super().__init__()
        self.drop = section.eval_in_train == "drop"

    def run(self, rows: pa.Table) -> pa.Table:
        keys = _keys(rows) if rows.num_rows else {s: np.empty(0, dtype=np.uint64) for s in SPLITS}
        earlier = {"validation": keys["train"], "test": np.union1d(keys["train"], keys["validation"])}
        why = {"validation": reasons.SEEN_IN_TRAIN, "test": reasons.SEEN_IN_TRAIN}
        drop_col: list[str] = []
        found = {"validation_in_train": 0, "test_in_train": 0, "test_in_validation": 0}
        names = ["clean", "split", "kind", "drop", "reject"]
        for batch in rows.select(names).to_batches(max_chunksize=_BATCH):
            cols = {c: batch.column(c).to_pylist() for c in names}
            drop = cols["drop"]
            for split in ("validation", "test"):
                rows_here = [
                    i
                    for i in range(batch.num_rows)
                    if cols["split"][i] == split and not drop[i] and not cols["reject"][i] and cols["kind"][i]
                ]
                row_keys = np.asarray([text_key(cols["clean"][i]) for i in rows_here], dtype=np.uint64)
                in_train = _member(row_keys, keys["train"])
                hits = _member(row_keys, earlier[split])
                for i, hit, train_hit in zip(rows_here, hits, in_train, strict=True):
                    if not hit:
                        continue
                    found[f"{split}_in_train" if train_hit else "test_in_validation"] += 1
                    if self.drop:
                        drop[i] = why[split] if train_hit else reasons.SEEN_IN_VALIDATION
            drop_col.extend(drop)
        total = sum(found.values())
        self.stats = {**found, "dropped": total if self.drop else 0}
        if not (self.drop and total):
            return rows
        index = rows.schema.get_field_index("drop")
        return rows.set_column(index, rows.schema.field(index), pa.array(drop_col, pa.string()))


def measure(rows: pa.Table, near_pairs: np.ndarray | None, threshold: float | None) -> dict[str, Any]:
    """What the written dataset shares across each pair of splits (earlier/later):

    - ``documents.exact``: later-split documents whose text (folded) an earlier split has;
    - ``documents.near``: near-duplicate pairs with one document in each split (None when
      the ``neardup`` step did not run);
    - ``sentences.exact``: later-split rows whose clean text (folded) an earlier split has.
    """
    doc_split: dict[int, str] = {}
    doc_hashes: dict[str, dict[str, int]] = {s: {} for s in SPLITS}
    for cols in _written(rows):
        for seq, h, split in zip(cols["doc_seq"], cols["doc_hash"], cols["split"], strict=True):
            if split in doc_hashes and seq not in doc_split:
                doc_split[seq] = split
                doc_hashes[split][seq] = h
    hash_sets = {s: set(v.values()) for s, v in doc_hashes.items()}
    keys = _keys(rows)
    counts: dict[str, Any] = {"documents": {"exact": {}, "near": {} if near_pairs is not None else None}}
    counts["sentences"] = {"exact": {}}
    for a, b in combinations(SPLITS, 2):
        name = f"{a}/{b}"
        counts["documents"]["exact"][name] = sum(1 for h in doc_hashes[b].values() if h in hash_sets[a])
        counts["sentences"]["exact"][name] = int(_member(keys[b], keys[a]).sum())
        if near_pairs is not None:
            counts["documents"]["near"][name] = sum(
                1 for i, j in near_pairs.tolist() if {doc_split.get(i), doc_split.get(j)} == {a, b}
            )
    counts["near_threshold"] = threshold
    counts["total"] = sum(
        sum(v.values()) for part in (counts["documents"], counts["sentences"]) for v in part.values() if v
    )
    return counts

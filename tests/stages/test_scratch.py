"""Per-row work kept on disk gives exactly what it gives in memory."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from builder.pipeline.steps import scratch
from builder.pipeline.steps.leakage import Leakage, measure


def test_keys_on_disk_are_the_sorted_distinct_keys_in_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(scratch, "_SPAN", 7)  # runs of equal keys straddle the spans
    rng = np.random.default_rng(3)
    parts = [rng.integers(0, 40, size=n, dtype=np.uint64) for n in (0, 13, 50, 1, 29)]
    for distinct in (True, False):
        held, mapped = scratch.Keys(None, "k"), scratch.Keys(tmp_path, f"k{distinct}")
        for part in parts:
            held.add(part)
            mapped.add(part)
        expected = np.unique(np.concatenate(parts)) if distinct else np.sort(np.concatenate(parts))
        assert np.array_equal(held.finish(distinct), expected)
        assert np.array_equal(np.asarray(mapped.finish(distinct)), expected)
    assert scratch.count_members(np.arange(0, 50, dtype=np.uint64), np.unique(np.concatenate(parts))) == len(
        np.unique(np.concatenate(parts))
    )


def test_a_new_column_on_disk_reads_back_as_written(tmp_path):
    pieces = [pa.array(["a", None, ""]), pa.array([], pa.string()), pa.array(["b"])]
    on_disk = scratch.column(tmp_path, "drop", iter(pieces), pa.string())
    assert on_disk.to_pylist() == scratch.column(None, "drop", iter(pieces), pa.string()).to_pylist()
    assert (tmp_path / "drop.arrow").exists()


class _Section:
    eval_in_train = "drop"


def _rows() -> pa.Table:
    clean = ["The vote.", "A bridge.", "the  VOTE.", "A bridge.", "New text.", "a bridge."]
    split = ["train", "train", "validation", "test", "test", "test"]
    n = len(clean)
    return pa.table(
        {
            "doc_seq": list(range(n)),
            "doc_hash": [f"h{i % 4}" for i in range(n)],
            "clean": clean,
            "split": split,
            "kind": ["synthetic"] * n,
            "drop": [""] * (n - 1) + ["too_short"],
            "reject": [""] * n,
        }
    )


def test_leakage_with_a_scratch_folder_drops_and_counts_as_in_memory(tmp_path):
    held, mapped = Leakage(_Section()), Leakage(_Section())
    mapped.scratch = tmp_path
    a, b = held.run(_rows()), mapped.run(_rows())
    assert (
        a.column("drop").to_pylist()
        == b.column("drop").to_pylist()
        == [
            "",
            "",
            "seen_in_train",
            "seen_in_train",
            "",
            "too_short",
        ]
    )
    assert (
        held.stats
        == mapped.stats
        == {
            "validation_in_train": 1,
            "test_in_train": 1,
            "test_in_validation": 0,
            "dropped": 2,
        }
    )
    assert measure(a, None, None, held.keys) == measure(b, None, None, mapped.keys) == measure(a, None, None)


def test_key_buckets_hold_every_pair_once_in_the_order_added(tmp_path, monkeypatch):
    """Parted by the keys' top bits: each key's pairs all in one bucket, in the order
    they were added, the same on disk as in memory."""
    monkeypatch.setattr(scratch, "_ROWS_PER_BUCKET", 1)
    rng = np.random.default_rng(5)
    keys = rng.integers(0, 2**64 - 1, size=400, dtype=np.uint64)
    keys = np.concatenate([keys, keys[::7]])  # repeats, added later
    values = np.arange(len(keys), dtype=np.uint64)
    for folder in (None, tmp_path):
        buckets = scratch.KeyBuckets(folder, "docs", rows=1000)
        assert len(buckets.keys) == 64
        for lo in range(0, len(keys), 37):
            buckets.add(keys[lo : lo + 37], values[lo : lo + 37])
        seen = [(k, v) for ks, vs in buckets.buckets() for k, v in zip(ks.tolist(), vs.tolist(), strict=True)]
        assert sorted(seen) == sorted(zip(keys.tolist(), values.tolist(), strict=True))
        where = {}
        for b, (ks, vs) in enumerate(buckets.buckets()):
            assert vs.tolist() == sorted(vs.tolist())  # the order added
            for k in ks.tolist():
                assert where.setdefault(k, b) == b
    one = scratch.KeyBuckets(None, "one", rows=1)
    assert len(one.keys) == 1


def test_exact_duplicates_found_bucket_by_bucket_are_those_of_one_bucket(tmp_path, monkeypatch):
    from builder.core import reasons
    from builder.pipeline.steps.dedup import Dedup

    class _Section:
        exact = True

    rng = np.random.default_rng(9)
    docs = rng.integers(0, 60, size=300)  # doc i has text h<docs[i]>: many repeats
    rows_per_doc = rng.integers(1, 4, size=300)
    seq = np.repeat(np.arange(300), rows_per_doc)
    n = len(seq)
    table = pa.table(
        {
            "doc_seq": seq,
            "doc_hash": [f"h{docs[s]}" for s in seq],
            "reject": ["bad" if s % 50 == 3 else "" for s in seq],
            "kind": ["synthetic"] * n,
            "drop": ["too_short" if i % 11 == 0 else "" for i in range(n)],
        }
    )
    alone = Dedup(_Section())
    expected = alone.run(table).column("drop").to_pylist()
    monkeypatch.setattr(scratch, "_ROWS_PER_BUCKET", 8)
    parted = Dedup(_Section())
    parted.scratch = tmp_path
    assert parted.run(table).column("drop").to_pylist() == expected
    assert parted.stats == alone.stats and alone.stats["duplicate_documents"] > 100
    first = {}
    for s in range(300):
        if s % 50 != 3:
            first.setdefault(docs[s], s)
    assert set(parted.duplicates(table).tolist()) == {s for s in range(300) if s % 50 != 3 and first[docs[s]] != s}
    assert reasons.DUPLICATE_DOCUMENT in expected


def test_document_counts_made_bucket_by_bucket_are_those_of_one_bucket(tmp_path, monkeypatch):
    """``measure`` compares the splits' documents a bucket of text keys at a time."""
    rng = np.random.default_rng(11)
    n_docs = 240
    text_of = rng.integers(0, 50, size=n_docs)
    split_of = rng.choice(["train", "validation", "test"], size=n_docs, p=[0.6, 0.2, 0.2])
    seq = np.repeat(np.arange(n_docs), 2)
    rows = pa.table(
        {
            "doc_seq": seq,
            "doc_hash": [f"h{text_of[s]}" for s in seq],
            "clean": [f"Sentence {text_of[s]} {k}." for s, k in zip(seq, np.tile([0, 1], n_docs), strict=True)],
            "split": [split_of[s] for s in seq],
            "kind": ["synthetic"] * len(seq),
            "drop": [""] * len(seq),
            "reject": [""] * len(seq),
        }
    )
    pairs = np.array([[0, 5], [7, 9], [3, 200]], dtype=np.int64)
    expected = measure(rows, pairs, 0.6)
    monkeypatch.setattr(scratch, "_ROWS_PER_BUCKET", 4)
    step = Leakage(_Section())
    step.scratch = tmp_path
    step.run(rows)
    parted = measure(rows, pairs, 0.6, step.keys)
    assert parted == expected
    assert sum(expected["documents"]["exact"].values()) > 20

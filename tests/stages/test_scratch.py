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

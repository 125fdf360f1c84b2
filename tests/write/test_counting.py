"""The writer's counts of each batch, made here or on worker processes, are those of
counting the batches in turn: the card's tables keep their order, and the real rows put
into edit categories are the first ones, whatever the workers."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from builder.app.build import build
from builder.pipeline.writers import counting
from builder.pipeline.writers.baselines import IdentityBaselines
from builder.pipeline.writers.counting import BatchCounts
from builder.pipeline.writers.rowstats import RowStats
from builder.runners.workers import process_pool
from tests.conftest import compose_cfg

SPLITS = ["train", "validation", "test"]


@pytest.fixture(scope="module")
def kept_rows(tmp_path_factory) -> pa.Table:
    """The sample's written rows (real and synthetic) with their split, in a mixed order."""
    folder = build(compose_cfg(tmp_path_factory.mktemp("sample"))).path
    parts = []
    for split in SPLITS:
        table = pq.read_table(sorted((folder / "data").glob(f"{split}-*.parquet")))
        parts.append(table.append_column("split", pa.array([split] * table.num_rows, pa.string())))
    rows = pa.concat_tables(parts)
    order = np.random.default_rng(0).permutation(rows.num_rows)  # splits interleaved, as the writer sees them
    return rows.take(pa.array(order))


def _in_turn(rows: pa.Table, batch: int, real_limit: int) -> RowStats:
    """The same batches counted one after the other by one ``RowStats``."""
    stats = RowStats(real_limit=real_limit)
    for start in range(0, rows.num_rows, batch):
        stats.add(rows.slice(start, batch))
    return stats


def _counted(rows: pa.Table, batch: int, submit=None) -> tuple[RowStats, dict]:
    stats = RowStats()
    baselines = IdentityBaselines(submit, 3, sample=100, split_rows={"train": 1500, "validation": 150, "test": 150})
    counts = BatchCounts(stats, baselines, SPLITS, submit, in_flight=3)
    for start in range(0, rows.num_rows, batch):
        counts.add(rows.slice(start, batch))
    counts.finish()
    return stats, baselines.result(tuple(SPLITS))


def _same(a: RowStats, b: RowStats) -> None:
    assert list(a.rows.items()) == list(b.rows.items())  # the same counts, first seen in the same order
    assert list(a.sources.items()) == list(b.sources.items())
    assert list(a.categories) == list(b.categories)
    for kind in a.categories:
        assert list(a.categories[kind].items()) == list(b.categories[kind].items())
    assert a.categorized_real == b.categorized_real
    assert list(a.hist) == list(b.hist)
    for key in a.hist:
        assert a.hist[key].tolist() == b.hist[key].tolist(), key


def test_batches_counted_here_or_on_workers_give_the_counts_of_every_row_in_turn(kept_rows, monkeypatch):
    real = int(np.sum(np.asarray(kept_rows.column("kind").to_pylist()) == "real"))
    assert real > 20  # the sample has real rows to put into categories
    limit = real // 3  # reached in the middle of a batch
    monkeypatch.setattr(counting, "MAX_CATEGORIZED_REAL", limit)
    want = _in_turn(kept_rows, 97, limit)
    assert want.categorized_real == limit
    here, scores = _counted(kept_rows, 97)
    _same(here, want)
    with process_pool(2) as pool:
        there, scores_there = _counted(kept_rows, 97, pool.submit)
    _same(there, want)
    assert scores_there == scores
    assert set(scores) == set(SPLITS) and sum(s["rows"] for s in scores.values()) == kept_rows.num_rows


def test_a_batch_without_rows_of_a_split_adds_nothing_to_it(kept_rows):
    train = kept_rows.filter(pa.compute.equal(kept_rows.column("split"), "train")).slice(0, 50)
    stats, parts = counting.count_batch(train.select(list(counting.COUNTED)), {s: 1.0 for s in SPLITS}, 10)
    assert [s for s, _ in parts] == ["train"]
    assert parts[0][1][0][0] == 50  # its rows
    assert {s for s, _, _ in stats.rows} == {"train"}


def test_workers_that_read_the_kept_rows_from_the_mapped_file_count_what_they_would_be_sent(kept_rows, tmp_path):
    from builder.pipeline.writers.mapped import RowsAt

    path = tmp_path / "rows.arrow"
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, kept_rows.schema) as writer:
        writer.write_table(kept_rows, max_chunksize=97)
    keep = pa.array(np.arange(kept_rows.num_rows) % 5 != 0)  # some rows of every batch are not kept

    def counted(submit):
        stats = RowStats()
        baselines = IdentityBaselines(submit, 3, sample=100, split_rows={"train": 1500, "validation": 150, "test": 150})
        counts = BatchCounts(stats, baselines, SPLITS, submit, in_flight=3)
        for i, start in enumerate(range(0, kept_rows.num_rows, 97)):
            n = min(97, kept_rows.num_rows - start)
            mask = keep.slice(start, n)
            counts.add(kept_rows.slice(start, n), mask, RowsAt(str(path), i, 0, n))
        counts.finish()
        return stats, baselines.result(tuple(SPLITS))

    here, scores = counted(None)
    with process_pool(2) as pool:
        there, scores_there = counted(pool.submit)
    _same(there, here)
    assert scores_there == scores
    assert sum(s["rows"] for s in scores.values()) == int(np.sum(keep.to_numpy(zero_copy_only=False)))

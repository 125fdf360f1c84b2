"""Shards: the same rows give the same files and the same recorded size, however the
batches that carried them were cut."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from builder.pipeline.writers.shards import Encoder, ShardWriter


def _rows(n: int) -> pa.Table:
    return pa.table({"id": [f"r{i}" for i in range(n)], "text": [("word " * (i % 7)) or None for i in range(n)]})


def _write(folder, table: pa.Table, cuts: list[int], encoder: Encoder | None = None) -> ShardWriter:
    writer = ShardWriter(folder, "train", table.num_rows, 5000, table.schema, "zstd", encoder)
    start = 0
    for stop in [*cuts, table.num_rows]:
        writer.write(table.slice(start, stop - start))
        start = stop
    writer.close()
    return writer


def test_split_size_and_files_do_not_depend_on_the_batches(tmp_path):
    rows = _rows(12000)
    one = _write(tmp_path / "one", rows, [])
    # batches of another layout: a copy of part of the rows, with and without null masks
    pieces = pa.concat_tables(
        [rows.slice(0, 7), pa.Table.from_pylist(rows.slice(7, 4000).to_pylist()), rows.slice(4007)]
    )
    many = _write(tmp_path / "many", pieces, [3, 5000, 5001, 9999])
    assert one.names == many.names == [f"train-0000{k}-of-00003.parquet" for k in range(3)]
    for name in one.names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "many" / name).read_bytes()
    assert one.nbytes == many.nbytes > 0


def test_a_writer_with_no_rows_keeps_one_empty_shard_when_asked(tmp_path):
    schema = _rows(1).schema
    nothing = ShardWriter(tmp_path / "none", "filtered", 0, 100, schema, "zstd")
    nothing.close()
    assert not (tmp_path / "none").exists() or not list((tmp_path / "none").iterdir())
    empty = ShardWriter(tmp_path / "empty", "filtered", 0, 100, schema, "zstd")
    empty.close(keep_empty=True)
    table = pq.read_table(tmp_path / "empty" / "filtered-00000-of-00001.parquet")
    assert table.num_rows == 0 and table.schema.equals(schema)


def test_row_groups_encoded_on_a_thread_give_the_same_files(tmp_path):
    """Two splits sharing one encoder thread, with few row groups allowed to wait."""
    rows = _rows(12000)
    alone = _write(tmp_path / "alone", rows, [2500, 9000])
    encoder = Encoder(in_flight=1)
    try:
        threaded = _write(tmp_path / "thread", rows, [2500, 9000], encoder)
        other = _write(tmp_path / "other", rows.slice(0, 5001), [17], encoder)
    finally:
        encoder.close()
    for name in alone.names:
        assert (tmp_path / "alone" / name).read_bytes() == (tmp_path / "thread" / name).read_bytes()
    assert alone.nbytes == threaded.nbytes and other.names == [
        "train-00000-of-00002.parquet",
        "train-00001-of-00002.parquet",
    ]
    assert pq.read_table(tmp_path / "other" / other.names[1]).num_rows == 1


def test_an_error_on_the_encoder_thread_reaches_the_writer():
    """A row group that fails (a full disk) raises in the driver, at the next hand-over
    or at the wait for the file, and what had not started is not run."""

    def full_disk():
        raise OSError(28, "No space left on device")

    ran = []
    encoder = Encoder(in_flight=1)
    try:
        encoder.submit(full_disk)
        with pytest.raises(OSError, match="No space"):
            encoder.submit(ran.append, 1)
            encoder.submit(ran.append, 2)
            encoder.drain()
    finally:
        encoder.close()
    assert 2 not in ran

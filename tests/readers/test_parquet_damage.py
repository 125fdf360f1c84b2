"""A damaged Parquet file costs only the rows past the damage in their row group; values
Python cannot hold do not stop the batch; a file that is not Parquet is one reject."""

import pyarrow as pa
import pyarrow.parquet as pq

from tests.readers.support import good, read, rejects

ROWS, GROUP = 300, 100


def _table(n: int = ROWS) -> pa.Table:
    return pa.table(
        {
            "id": [f"p{i}" for i in range(n)],
            "text": [f"Article {i} reports that the council met on Monday. " * 3 for i in range(n)],
        }
    )


def _damage_a_page(path, group: int) -> None:
    """Overwrite bytes in the middle of the text column's pages in one row group; the
    footer (and so every other row group) stays valid."""
    column = pq.ParquetFile(path).metadata.row_group(group).column(1)
    data = bytearray(path.read_bytes())
    start = column.dictionary_page_offset if column.has_dictionary_page else column.data_page_offset
    middle = start + column.total_compressed_size // 2
    data[middle : middle + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))


def test_a_corrupt_page_costs_only_the_rows_past_it_in_its_row_group(tmp_path, monkeypatch):
    import builder.pipeline.readers.parquet as parquet

    monkeypatch.setattr(parquet, "BATCH_ROWS", 10)  # several batches per row group
    path = tmp_path / "a.parquet"
    table = _table()
    pq.write_table(table, path, row_group_size=GROUP, compression="none", use_dictionary=False, data_page_size=2000)
    _damage_a_page(path, group=1)
    docs = read("parquet", path)
    assert len(docs) == ROWS  # every row is a document or a reject
    ids = [i for i, _ in good(docs)]
    kept = len(ids) - 2 * GROUP  # rows of the damaged group read before the damage
    assert 0 < kept < GROUP and kept % 10 == 0
    assert ids == [f"p{i}" for i in range(GROUP + kept)] + [f"p{i}" for i in range(2 * GROUP, ROWS)]
    assert good(docs)[5] == ("p5", table.column("text")[5].as_py())
    lost = rejects(docs)
    first, last = GROUP + kept + 1, 2 * GROUP
    assert [d["doc_id"] for d in docs if d["reject"]] == [f"test:a.parquet:row{r}" for r in range(first, last + 1)]
    assert {reason for reason, _ in lost} == {"unreadable_rows"}
    assert lost[0][1].startswith(
        f"a.parquet:row{first}: row group 1 (rows {first}-{last}) could not be read past a damaged part (ArrowInvalid"
    )


def test_a_corrupt_row_group_of_a_compressed_file_is_lost_alone(tmp_path):
    path = tmp_path / "a.parquet"
    pq.write_table(_table(), path, row_group_size=GROUP, compression="snappy")
    _damage_a_page(path, group=0)
    docs = read("parquet", path)
    assert [i for i, _ in good(docs)] == [f"p{i}" for i in range(GROUP, ROWS)]
    assert [r for r, _ in rejects(docs)] == ["unreadable_rows"] * GROUP


def test_a_file_that_is_not_parquet_is_one_reject_and_the_next_file_is_read(tmp_path):
    (tmp_path / "a.parquet").write_text("id,text\n1,this is a CSV file\n")
    pq.write_table(_table(3), tmp_path / "b.parquet")
    docs = read("parquet", tmp_path)
    assert [i for i, _ in good(docs)] == ["p0", "p1", "p2"]
    [(reason, detail)] = rejects(docs)
    assert reason == "unreadable_file" and detail.startswith(
        "a.parquet:row1: not a readable Parquet file (ArrowInvalid"
    )


def test_timestamps_out_of_pythons_range_do_not_stop_the_batch(tmp_path):
    far = 2**62
    columns = {"id": ["t0", "t1"], "text": ["A dated story.", "Another story."]}
    for unit in ("ms", "us", "ns"):
        columns[f"date_{unit}"] = pa.array([far, 1_700_000_000 * {"ms": 10**3, "us": 10**6, "ns": 10**9}[unit]]).cast(
            pa.timestamp(unit)
        )
    columns["day"] = pa.array([2**31 - 1, 19_000], pa.int32()).cast(pa.date32())
    columns["span"] = pa.array([far, 5], pa.int64()).cast(pa.duration("s"))
    pq.write_table(pa.table(columns), tmp_path / "a.parquet")
    by_date = {}
    for field in ("date_ms", "date_us", "date_ns", "day"):
        docs = read("parquet", tmp_path / "a.parquet", **{"fields.date": field})
        assert not rejects(docs), field
        by_date[field] = [d["date"] for d in docs]
    assert by_date["date_ms"] == [str(far), "2023-11-14"]
    assert by_date["date_us"] == [str(far), "2023-11-14"]
    assert by_date["date_ns"] == ["2116-02-20", "2023-11-14"]  # 2**62 ns is a real date
    assert by_date["day"] == [str(2**31 - 1), "2022-01-08"]


def test_a_value_that_cannot_be_converted_any_way_is_a_reject_for_its_row_only(tmp_path):
    far = pa.array([2**62, 1_700_000_000_000], pa.int64()).cast(pa.timestamp("ms"))
    nested = pa.StructArray.from_arrays([far], names=["at"])
    table = pa.table({"id": ["n0", "n1"], "text": ["First story.", "Second story."], "event": nested})
    pq.write_table(table, tmp_path / "a.parquet")
    docs = read("parquet", tmp_path / "a.parquet")
    assert [i for i, _ in good(docs)] == ["n1"]
    [(reason, detail)] = rejects(docs)
    assert reason == "unreadable_rows" and detail.startswith(
        "a.parquet:row1: column 'event': struct<at: timestamp[ms]>"
    )


def test_a_seconds_timestamp_beyond_year_9999_converts_to_its_number():
    """Parquet files cannot hold seconds (pyarrow writes them as ms); an Arrow batch can."""
    from builder.pipeline.readers.parquet import batch_rows

    stamps = pa.array([2**62, 1_700_000_000], pa.int64()).cast(pa.timestamp("s"))
    batch = pa.RecordBatch.from_pydict({"id": ["s0", "s1"], "date": stamps})
    rows = batch_rows(batch)
    assert [r["date"] for r in rows] == [str(2**62), "2023-11-14 22:13:20"]

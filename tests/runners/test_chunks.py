"""Chunks: fixed by document count, saved whole, resumed by what exists."""

import pyarrow as pa

from builder.core.schema import work_schema
from builder.runners.chunks import ChunkStore


def _rows(seqs):
    schema = work_schema()
    cols = {f.name: [None] * len(seqs) for f in schema}
    cols["doc_seq"] = list(seqs)
    for name in ("reject", "drop", "split", "doc_id", "id"):
        cols[name] = [""] * len(seqs)
    return pa.Table.from_pydict(cols, schema=schema)


def test_a_store_knows_its_chunks_and_what_is_pending(tmp_path):
    store = ChunkStore(tmp_path / "rows", n_docs=10, chunk_size=4)
    assert store.n_chunks == 3 and [store.bounds(k) for k in range(3)] == [(0, 4), (4, 8), (8, 10)]
    store.write(1, _rows([4, 5, 5, 6, 7]))
    (tmp_path / "rows" / ".chunk-000002.999.tmp").write_bytes(b"half a chunk from a dead worker")
    again = ChunkStore(tmp_path / "rows", n_docs=10, chunk_size=4)
    assert again.pending() == [0, 2]
    assert not list((tmp_path / "rows").glob(".*.tmp"))


def test_rows_come_back_in_chunk_order(tmp_path):
    store = ChunkStore(tmp_path, n_docs=6, chunk_size=2)
    for k in (2, 0, 1):
        start, stop = store.bounds(k)
        store.write(k, _rows(range(start, stop)))
    assert store.table().column("doc_seq").to_pylist() == [0, 1, 2, 3, 4, 5]


def test_finished_chunks_are_joined_once_in_large_batches_and_a_killed_join_is_redone(tmp_path, monkeypatch):
    from builder.runners import chunks

    monkeypatch.setattr(chunks, "JOIN_ROWS", 5)
    folder = tmp_path / "rows"
    store = ChunkStore(folder, n_docs=12, chunk_size=2)
    for k in range(store.n_chunks):
        start, stop = store.bounds(k)
        store.write(k, _rows([s for s in range(start, stop) for _ in range(2)]))  # two rows a document
    (folder / ".rows.4242.tmp").write_bytes(b"a join killed half-way")
    again = ChunkStore(folder, n_docs=12, chunk_size=2)  # the next build of the same work
    assert again.pending() == []
    rows = again.table()
    assert rows.column("doc_seq").to_pylist() == [s for s in range(12) for _ in range(2)]
    assert [b.num_rows for b in rows.to_batches()] == [8, 8, 8]  # whole chunks of 4 rows, at least JOIN_ROWS
    assert sorted(p.name for p in folder.iterdir()) == ["rows.arrow"]  # chunks and the stale join gone
    assert ChunkStore(folder, n_docs=12, chunk_size=2).pending() == []  # the join stands for them
    assert again.table().column("doc_seq").to_pylist() == rows.column("doc_seq").to_pylist()


def test_the_writer_reads_the_joined_rows_a_batch_at_a_time_with_rewritten_columns_cut_to_match(tmp_path, monkeypatch):
    from builder.runners import chunks

    monkeypatch.setattr(chunks, "JOIN_ROWS", 5)
    store = ChunkStore(tmp_path, n_docs=12, chunk_size=2)
    for k in range(store.n_chunks):
        start, stop = store.bounds(k)
        store.write(k, _rows([s for s in range(start, stop) for _ in range(2)]))
    rows = store.table()
    # a rows step's rewritten column, cut in other places than the file's batches
    drops = [f"d{i}" for i in range(rows.num_rows)]
    held = {"drop": pa.chunked_array([drops[:7], drops[7:9], drops[9:]], pa.string())}
    columns = list(work_schema().names)
    got = list(store.batches(columns, 3, held))
    assert [b.num_rows for _, b in got] == [3, 3, 2] * 3  # never more than asked, never across the file's batches
    assert all(b.schema.names == columns for _, b in got)
    whole = pa.Table.from_batches([b for _, b in got])
    assert whole.column("drop").to_pylist() == drops
    assert whole.drop_columns(["drop"]).equals(rows.drop_columns(["drop"]))
    # where each batch lies: a worker reading it there gets the same rows
    for where, batch in got:
        assert where.read(["doc_seq", "id"]).equals(pa.Table.from_batches([batch]).select(["doc_seq", "id"]))
    picked = pa.Table.from_batches([b for _, b in store.batches(["doc_seq", "drop"], 100, held)])
    assert picked.column_names == ["doc_seq", "drop"] and picked.column("drop").to_pylist() == drops


def test_the_batches_the_writer_reads_are_views_of_the_mapped_file_not_copies(tmp_path):
    store = ChunkStore(tmp_path, n_docs=4, chunk_size=2)
    for k in range(store.n_chunks):
        start, stop = store.bounds(k)
        rows = _rows([s for s in range(start, stop) for _ in range(500)])
        store.write(k, rows.set_column(rows.schema.get_field_index("clean"), "clean", pa.array(["x" * 1000] * 1000)))
    store.table()  # joined
    before = pa.total_allocated_bytes()
    kept = list(store.batches(list(work_schema().names), 256))  # all alive at once
    assert sum(b.num_rows for _, b in kept) == 2000 and kept[-1][1].column("clean")[0].as_py() == "x" * 1000
    read = [where.read(["clean", "edits"]) for where, _ in kept]  # as a worker reads them
    assert sum(t.num_rows for t in read) == 2000
    assert pa.total_allocated_bytes() - before < 100_000  # 2 MB of text mapped, not read into memory

import pyarrow as pa

from builder.pipeline.writers.ledger import COLUMNS, DUPLICATE, PAIRED, batches_of, build_ledger, final_drop


def _table(rows):
    """Rows as (doc_seq, doc_id, source, doc_hash, reject, reject_detail, drop, split, kind);
    ``origin`` is the doc_id's file:line."""
    rows = [(r[0], r[1], f"x.jsonl:{r[0] + 1}", *r[2:]) for r in rows]
    return pa.table({c: [r[k] for r in rows] for k, c in enumerate(COLUMNS)})


ROWS = [
    (0, "a", "s", "h1", "", "", "", "train", "synthetic"),
    (0, "a", "s", "h1", "", "", "identical", "train", "synthetic"),
    (1, "b", "s", "h1", "", "", "", "test", "synthetic"),  # same text as a: a duplicate
    (2, "c", "s", "h2", "", "", "too_short", "train", "real"),
    (2, "c", "s", "h2", "", "", "too_short", "train", "real"),
    (3, "d", "s", "", "invalid_json", "x.jsonl:4: ...", "", "", ""),
    (4, "e", "s", "h3", "", "", "no_units", "train", ""),
    (5, "f", "s", "h4", PAIRED, "clean reference of z", "", "", ""),
]


def test_ledger_accounts_for_every_document_and_dedups_across_the_corpus():
    rejects = []
    ledger = build_ledger(batches_of(_table(ROWS), COLUMNS, size=3), dedup=True, rejects=rejects)
    assert ledger.documents == {
        "in": 6,
        "written": 1,
        "filtered": {DUPLICATE: 1, "no_units": 1, "too_short": 1},
        "rejected": {"invalid_json": 1},
        "paired": 1,
    }
    assert ledger.balanced
    assert ledger.rows["written"] == {"train": 1}
    assert ledger.rows["filtered"] == {DUPLICATE: 1, "identical": 1, "no_units": 1, "too_short": 2}
    assert [r["doc_id"] for r in rejects] == ["d"]
    assert list(final_drop(_table(ROWS), ledger.duplicates)) == [
        "",
        "identical",
        DUPLICATE,
        "too_short",
        "too_short",
        "",
        "no_units",
        "",
    ]


def test_the_result_does_not_depend_on_batch_boundaries():
    one = build_ledger(batches_of(_table(ROWS), COLUMNS, size=100), dedup=True)
    for size in (1, 2, 5):
        other = build_ledger(batches_of(_table(ROWS), COLUMNS, size=size), dedup=True)
        assert (other.documents, other.rows) == (one.documents, one.rows)


def test_without_dedup_duplicates_are_kept():
    rows = [(0, "a", "s", "h", "", "", "", "train", "synthetic"), (1, "b", "s", "h", "", "", "", "train", "synthetic")]
    assert build_ledger(batches_of(_table(rows), COLUMNS), dedup=False).documents["written"] == 2

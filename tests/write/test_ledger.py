import pandas as pd

from builder.write.ledger import DUPLICATE, build_ledger


def _rows(rows):
    cols = ["doc_seq", "doc_id", "source", "doc_hash", "reject", "reject_detail", "drop", "split", "kind"]
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows])


def test_ledger_accounts_for_every_document_and_dedups_across_the_corpus():
    cols = _rows(
        [
            (0, "a", "s", "h1", "", "", "", "train", "synthetic"),
            (0, "a", "s", "h1", "", "", "identical", "train", "synthetic"),
            (1, "b", "s", "h1", "", "", "", "test", "synthetic"),  # same text as a: a duplicate
            (2, "c", "s", "h2", "", "", "too_short", "train", "real"),
            (2, "c", "s", "h2", "", "", "too_short", "train", "real"),
            (3, "d", "s", "", "invalid_json", "x.jsonl:4: ...", "", "", ""),
            (4, "e", "s", "h3", "", "", "no_units", "train", ""),
        ]
    )
    ledger = build_ledger(cols, dedup=True)
    assert ledger.documents == {
        "in": 5,
        "written": 1,
        "filtered": {DUPLICATE: 1, "no_units": 1, "too_short": 1},
        "rejected": {"invalid_json": 1},
        "paired": 0,
    }
    assert ledger.balanced
    assert list(ledger.drop) == ["", "identical", DUPLICATE, "too_short", "too_short", "", "no_units"]
    assert ledger.rows["written"] == {"train": 1}
    assert ledger.rejects["doc_id"].tolist() == ["d"]


def test_without_dedup_duplicates_are_kept():
    cols = _rows(
        [(0, "a", "s", "h", "", "", "", "train", "synthetic"), (1, "b", "s", "h", "", "", "", "train", "synthetic")]
    )
    assert build_ledger(cols, dedup=False).documents["written"] == 2

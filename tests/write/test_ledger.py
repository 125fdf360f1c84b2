import json
from collections import Counter

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.core import reasons
from builder.pipeline.steps.dedup import Dedup
from builder.pipeline.writers.ledger import COLUMNS, RejectLog, batches_of, build_ledger

DEDUP_COLUMNS = ("doc_seq", "doc_hash", "reject", "kind", "drop")


def _table(rows):
    """Rows as (doc_seq, doc_id, source, doc_hash, reject, reject_detail, drop, split, kind);
    ``origin`` is the doc_id's file:line."""
    names = ("doc_seq", "doc_id", "source", "doc_hash", "reject", "reject_detail", "drop", "split", "kind")
    table = pa.table({c: [r[k] for r in rows] for k, c in enumerate(names)})
    return table.append_column("origin", pa.array([f"x.jsonl:{r[0] + 1}" for r in rows], pa.string()))


ROWS = [
    (0, "a", "s", "h1", "", "", "", "train", "synthetic"),
    (0, "a", "s", "h1", "", "", "identical", "train", "synthetic"),
    (1, "b", "s", "h1", "", "", "", "test", "synthetic"),  # same text as a: a duplicate
    (2, "c", "s", "h2", "", "", "too_short", "train", "real"),
    (2, "c", "s", "h2", "", "", "too_short", "train", "real"),
    (3, "d", "s", "", "invalid_json", "x.jsonl:4: ...", "", "", ""),
    (4, "e", "s", "h3", "", "", "no_units", "train", ""),
]


class _Dedup:
    exact = True


def test_dedup_drops_later_copies_and_the_ledger_accounts_for_every_document():
    dedup = Dedup(_Dedup())
    rows = dedup.run(_table(ROWS))
    assert rows.column("drop").to_pylist() == [
        "",
        "identical",
        reasons.DUPLICATE_DOCUMENT,
        "too_short",
        "too_short",
        "",
        "no_units",
    ]
    assert dedup.stats == {"duplicate_documents": 1}
    rejects = []
    ledger = build_ledger(batches_of(rows, COLUMNS, size=3), paired=1, rejects=rejects)
    assert ledger.documents == {
        "in": 6,  # five documents with rows and one that became another's reference
        "written": 1,
        "filtered": {reasons.DUPLICATE_DOCUMENT: 1, "no_units": 1, "too_short": 1},
        "rejected": {"invalid_json": 1},
        "paired": 1,
    }
    assert ledger.balanced
    assert ledger.rows["written"] == {"train": 1}
    assert ledger.rows["filtered"] == {reasons.DUPLICATE_DOCUMENT: 1, "identical": 1, "no_units": 1, "too_short": 2}
    assert [r["doc_id"] for r in rejects] == ["d"]


def test_the_result_does_not_depend_on_batch_boundaries():
    rows = Dedup(_Dedup()).run(_table(ROWS))
    one = build_ledger(batches_of(rows, COLUMNS, size=100))
    for size in (1, 2, 5):
        other = build_ledger(batches_of(rows, COLUMNS, size=size))
        assert (other.documents, other.rows) == (one.documents, one.rows)


def test_without_dedup_duplicates_are_kept():
    rows = [(0, "a", "s", "h", "", "", "", "train", "synthetic"), (1, "b", "s", "h", "", "", "", "train", "synthetic")]

    class Off:
        exact = False

    kept = Dedup(Off()).run(_table(rows))
    assert build_ledger(batches_of(kept, COLUMNS)).documents["written"] == 2


def test_a_reason_not_in_the_one_list_is_refused():
    rows = [(0, "a", "s", "h", "", "", "made_up_reason", "train", "synthetic")]
    with pytest.raises(ValueError, match="made_up_reason"):
        build_ledger(batches_of(_table(rows), COLUMNS))
    rows = [(0, "a", "s", "h", "made_up_reject", "x", "", "", "")]
    with pytest.raises(ValueError, match="made_up_reject"):
        build_ledger(batches_of(_table(rows), COLUMNS))


def test_dedup_with_a_scratch_folder_gives_the_same_drops_from_a_mapped_file(tmp_path):
    """A build gives its steps the work folder: the rewritten column is a file there."""
    in_memory = Dedup(_Dedup()).run(_table(ROWS))
    dedup = Dedup(_Dedup())
    dedup.scratch = tmp_path
    on_disk = dedup.run(_table(ROWS))
    assert on_disk.column("drop").to_pylist() == in_memory.column("drop").to_pylist()
    assert (tmp_path / "dedup_drop.arrow").exists()


def test_the_reject_log_writes_each_rejected_document_as_it_is_met(tmp_path):
    rows = Dedup(_Dedup()).run(_table(ROWS))
    listed: list = []
    build_ledger(batches_of(rows, COLUMNS), rejects=listed)
    log = RejectLog(tmp_path / "rejects.jsonl")
    build_ledger(batches_of(rows, COLUMNS), rejects=log)
    log.close()
    log.copy_to(tmp_path / "copy.jsonl")
    lines = (tmp_path / "copy.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == listed
    assert listed[0]["detail"] == "x.jsonl:4: ..."


def _ledger_row_by_row(rows: pa.Table, paired: int = 0):
    """The ledger's rules, one row at a time: a document is a run of rows with one
    ``doc_seq``, rejected by its first row's reason; each row is counted by its own."""
    cols = {c: rows.column(c).to_pylist() for c in COLUMNS}
    docs, filtered, rejected, written, rows_filtered, by_kind, listed = (
        0,
        Counter(),
        Counter(),
        0,
        Counter(),
        Counter(),
        [],
    )
    rows_written = Counter()
    k, n = 0, rows.num_rows
    while k < n:
        end = k
        while end < n and cols["doc_seq"][end] == cols["doc_seq"][k]:
            end += 1
        docs += 1
        reasons, kept = Counter(), False
        for r in range(k, end):
            if cols["reject"][r]:
                continue
            if cols["drop"][r]:
                reasons[cols["drop"][r]] += 1
                rows_filtered[cols["drop"][r]] += 1
            else:
                kept = True
                rows_written[cols["split"][r]] += 1
                by_kind[cols["kind"][r]] += 1
        if cols["reject"][k]:
            rejected[cols["reject"][k]] += 1
            listed.append((cols["doc_seq"][k], cols["doc_id"][k], cols["reject"][k]))
        elif kept:
            written += 1
        else:
            filtered[next((r for r, _ in reasons.most_common(1)), "no_units")] += 1
        k = end
    return (
        docs + paired,
        written,
        dict(filtered),
        dict(rejected),
        list(rows_written.items()),
        dict(rows_filtered),
        list(by_kind.items()),
        listed,
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "", "", None, "invalid_json", "no_text"]),  # the document's first row's reject
            st.lists(
                st.tuples(
                    st.sampled_from(["", "", None, "invalid_json"]),  # a later row's own reject
                    st.sampled_from(["", "", None, "too_short", "identical", "no_units"]),
                    st.sampled_from(["train", "test", "validation", None]),
                    st.sampled_from(["real", "synthetic", None]),
                ),
                min_size=1,
                max_size=4,
            ),
        ),
        max_size=12,
    ),
    st.integers(1, 9),
    st.integers(0, 3),
)
def test_counted_a_batch_at_a_time_the_ledger_is_the_row_by_row_one(docs, batch, paired):
    rows = []
    for seq, (first_reject, parts) in enumerate(docs):
        for j, (reject, drop, split, kind) in enumerate(parts):
            reject = first_reject if j == 0 else reject
            rows.append((seq, f"d{seq}", "s", "h", reject, "detail", drop, split, kind))
    table = _table(rows or [(0, "a", "s", "h", "", "", "", "train", "real")]).slice(0, len(rows))
    table = table.cast(pa.schema([(f.name, pa.int64() if f.name == "doc_seq" else pa.string()) for f in table.schema]))
    listed = []
    got = build_ledger(batches_of(table, COLUMNS, size=batch), paired, rejects=listed)
    want = _ledger_row_by_row(table, paired)
    d, r = got.documents, got.rows
    assert (d["in"], d["written"], d["filtered"], d["rejected"]) == want[:4]
    assert list(r["written"].items()) == want[4]  # splits in the order they first appear
    assert r["filtered"] == want[5]
    assert list(r["written_by_kind"].items()) == want[6]
    assert [(x["doc_seq"], x["doc_id"], x["reason"]) for x in listed] == want[7]
    assert all(x["detail"] == f"x.jsonl:{x['doc_seq'] + 1}: detail" for x in listed)
    assert got.balanced

"""The one declaration of every table the builder reads or writes.

Rows written to the dataset follow ``ROW_FEATURES``; the Arrow schemas used by the
writers are derived from it, so a late or missing column can never change a type.
"""

from __future__ import annotations

import pyarrow as pa
from datasets import Features, List, Value

EDIT_FEATURES = {
    "op": Value("string"),
    "start": Value("int32"),
    "end": Value("int32"),
    "before": Value("string"),
    "after": Value("string"),
}

#: One garbled/clean pair, the same for real and synthetic rows.
ROW_FEATURES = Features(
    {
        "id": Value("string"),
        "doc_id": Value("string"),
        "source": Value("string"),
        "kind": Value("string"),  # "real" | "synthetic"
        "garbled": Value("string"),
        "clean": Value("string"),
        "align": Value("string"),  # "1-1", "2-1", ... ; "doc" for document units
        "align_score": Value("float32"),
        "edits": List(EDIT_FEATURES),
        "cer": Value("float32"),
        "wer": Value("float32"),
        "recipe": Value("string"),
        "lang": Value("string"),
        "date": Value("string"),
    }
)
ROW_COLUMNS: tuple[str, ...] = tuple(ROW_FEATURES)

#: A document as the readers yield it. ``reject`` is set when it could not be read;
#: such a document travels through the pipeline untouched and ends in the ledger.
DOC_FEATURES = Features(
    {
        "doc_seq": Value("int64"),
        "doc_id": Value("string"),
        "origin": Value("string"),  # where the record was read (file:line), for messages
        "source": Value("string"),
        "title": Value("string"),
        "date": Value("string"),
        "url": Value("string"),
        "clean": Value("string"),
        "garbled": Value("string"),
        "lang": Value("string"),
        "meta": Value("string"),  # JSON object of the fields the reader did not map
        "reject": Value("string"),  # reason category, "" when the document is fine
        "reject_detail": Value("string"),
    }
)
DOC_COLUMNS: tuple[str, ...] = tuple(DOC_FEATURES)

#: Bookkeeping columns carried next to each row until the writer splits them off.
WORK_EXTRA_FEATURES = {
    "doc_seq": Value("int64"),
    "origin": Value("string"),
    "unit_idx": Value("int32"),
    "split": Value("string"),
    "drop": Value("string"),  # why the row is not written ("" = keep)
    "reject": Value("string"),  # the document could not be read or processed
    "reject_detail": Value("string"),
    "doc_hash": Value("string"),  # fingerprint of the document text, for dedup
    "boilerplate": Value("string"),  # boilerplate category of the unit ("" = story text)
}
WORK_FEATURES = Features({**ROW_FEATURES, **WORK_EXTRA_FEATURES})
WORK_COLUMNS: tuple[str, ...] = tuple(WORK_FEATURES)

#: What ``rejects.jsonl`` holds for each document that could not be used.
REJECT_FIELDS: tuple[str, ...] = ("doc_seq", "doc_id", "source", "reason", "detail")


def row_features(kept: Features | None = None) -> Features:
    """The features of the written rows: ``ROW_FEATURES``, then the input columns kept
    with ``source.keep`` (their types read from the corpus)."""
    return Features({**ROW_FEATURES, **kept}) if kept else ROW_FEATURES


def row_schema(kept: Features | None = None) -> pa.Schema:
    """Arrow schema of the written rows, with the ``datasets`` feature metadata."""
    return row_features(kept).arrow_schema


def work_schema() -> pa.Schema:
    return WORK_FEATURES.arrow_schema

"""Every reason a document is rejected or a row is dropped, in one list.

A *reject* is a document the build could not use (it leaves one line in
``rejects.jsonl``); a *drop* is a row that was built but not written (it goes to
``filtered/``). Code names a reason only through these constants, and the
ledger refuses a reason that is not listed here, so the list is always complete.
"""

from __future__ import annotations

# -- rejects: the record could not be read ------------------------------------------------------
UNREADABLE_FILE = "unreadable_file"
UNREADABLE_ROWS = "unreadable_rows"
BAD_ENCODING = "bad_encoding"
INVALID_JSON = "invalid_json"
NOT_AN_OBJECT = "not_an_object"
MALFORMED_ROW = "malformed_row"
BAD_FIELD_TYPE = "bad_field_type"
TOO_LARGE = "too_large"
DUPLICATE_DOC_ID = "duplicate_doc_id"
NO_TEXT = "no_text"
NO_CLEAN_REFERENCE = "no_clean_reference"
# -- rejects: the document could not be used ----------------------------------------------------
STAGE_ERROR = "stage_error"
UNRELATED_PAIR = "unrelated_pair"
UNDATED = "undated"
BAD_SPLIT_VALUE = "bad_split_value"
NEAR_DUPLICATE = "near_duplicate"
UNPAIRED_PREFIX = "unpaired_"  # + the pairing reason below
UNPAIRED_EMPTY = "unpaired_empty"
UNPAIRED_NO_CANDIDATE = "unpaired_no_candidate"
UNPAIRED_BELOW_MIN_SCORE = "unpaired_below_min_score"
UNPAIRED_LOST_TO_BETTER_MATCH = "unpaired_lost_to_better_match"
# -- drops: a row that was built and not written ------------------------------------------------
NO_UNITS = "no_units"
UNALIGNED = "unaligned"
BOILERPLATE = "boilerplate"
TOO_SHORT = "too_short"
TOO_LONG = "too_long"
LENGTH_RATIO = "length_ratio"
IDENTICAL = "identical"
LOW_ALIGN_SCORE = "low_align_score"
DUPLICATE_DOCUMENT = "duplicate_document"
SEEN_IN_TRAIN = "seen_in_train"
SEEN_IN_VALIDATION = "seen_in_validation"

#: reason -> what it means, as the README's table of bad input says it.
REJECTS: dict[str, str] = {
    UNREADABLE_FILE: "a file (or folder) could not be opened, listed or decompressed",
    UNREADABLE_ROWS: "a Parquet row group could not be read",
    BAD_ENCODING: "bytes that are not text in source.encoding",
    INVALID_JSON: "a JSON value that does not parse",
    NOT_AN_OBJECT: "a JSON value that is not an object",
    MALFORMED_ROW: "a CSV row with the wrong number of fields",
    BAD_FIELD_TYPE: "a field that cannot be read as text",
    TOO_LARGE: "a record or text over source.max_chars",
    DUPLICATE_DOC_ID: "a doc_id already used by an earlier record",
    NO_TEXT: "neither clean nor garbled text",
    NO_CLEAN_REFERENCE: "garbled text without its clean reference (and pairing is off)",
    STAGE_ERROR: "a step failed on this document alone",
    UNRELATED_PAIR: "the two sides do not belong together",
    UNDATED: "no readable date for a temporal split (split.undated=reject)",
    BAD_SPLIT_VALUE: "split.method=column: the split field is missing or names no split",
    NEAR_DUPLICATE: "a near-copy of a document in an earlier split (temporal or column split)",
    UNPAIRED_EMPTY: "pairing: the garbled text has no letters or digits",
    UNPAIRED_NO_CANDIDATE: "pairing: no clean document looks like it",
    UNPAIRED_BELOW_MIN_SCORE: "pairing: every candidate scored below pairing.min_score",
    UNPAIRED_LOST_TO_BETTER_MATCH: "pairing: its candidates were paired with better matches",
}
DROPS: dict[str, str] = {
    NO_UNITS: "the document gave no unit",
    UNALIGNED: "a 1-0 or 0-1 group (filter.drop_unaligned)",
    BOILERPLATE: "a boilerplate line (normalize.boilerplate=drop)",
    TOO_SHORT: "a side shorter than filter.min_chars",
    TOO_LONG: "a side longer than filter.max_chars",
    LENGTH_RATIO: "one side over filter.max_length_ratio times the other",
    IDENTICAL: "garbled equals clean, beyond the share filter.keep_identical keeps",
    LOW_ALIGN_SCORE: "alignment score under filter.min_align_score",
    DUPLICATE_DOCUMENT: "the document repeats an earlier one (dedup.exact)",
    SEEN_IN_TRAIN: "an evaluation row whose clean text a train row has (dedup.eval_in_train=drop)",
    SEEN_IN_VALIDATION: "a test row whose clean text a validation row has (dedup.eval_in_train=drop)",
}


def known(reason: str) -> bool:
    return reason in REJECTS or reason in DROPS

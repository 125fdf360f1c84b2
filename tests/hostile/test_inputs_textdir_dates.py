"""Hostile text folders and hostile dates (with the temporal split), built end to end."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from builder.core.errors import ConfigError
from tests.hostile.support import Built, Case, Fails, Reject, article, jsonl, run

CLEAN = (
    "The city council met on Monday to discuss the budget for schools. "
    "Members voted to approve funding after a long debate about the roads.\n\n"
    "The mayor said the new plan would start in the spring."
)
GARBLED = (
    "Teh city concil met on Mnoday to discus the budjet for schools. "
    "Members votted to aprove funding after a long debait about the roads.\n\n"
    "The mayr said the new plan wuold start in the sprng."
)


def clean_story(n: int) -> str:
    return f"Story {n}: " + CLEAN


def _real_and_synthetic(real: str, synthetic: str):
    def check(out) -> None:
        kinds = {r["doc_id"]: r["kind"] for r in out.rows.to_pylist()}
        assert kinds[real] == "real" and kinds[synthetic] == "synthetic", kinds

    return check


def link_to(target: str):
    return lambda path: path.symlink_to(target)


TEXTDIR = [
    Case(
        "textdir-upper-case-suffix",
        "textdir",
        {"garbled/A.TXT": GARBLED, "clean/A.TXT": CLEAN, "clean/B.txt": clean_story(2)},
        Built(("A", "B"), 2, check=_real_and_synthetic("A", "B")),
    ),
    Case(
        "textdir-pairs-in-sub-folders",
        "textdir",
        {
            "garbled/2024/03/x.txt": GARBLED,
            "clean/2024/03/x.txt": CLEAN,
            "clean/2023/y.txt": clean_story(3),
        },
        Built(("2024/03/x", "2023/y"), 2, check=_real_and_synthetic("2024/03/x", "2023/y")),
    ),
    Case(
        "textdir-garbled-file-without-its-clean-file",
        "textdir",
        {"garbled/lonely.txt": GARBLED, "clean/ok.txt": clean_story(1)},
        Built(("ok",), 2, (Reject("no_clean_reference", "garbled/lonely.txt", "without its clean reference"),)),
    ),
    Case(
        "textdir-file-not-valid-utf8",
        "textdir",
        {"clean/bad.txt": "Le café a fermé hier soir.".encode("latin-1"), "clean/ok.txt": clean_story(1)},
        Built(("ok",), 2, (Reject("bad_encoding", "clean/bad.txt", r"^byte 0xe9 is not valid utf-8"),)),
    ),
    Case(
        "textdir-empty-file",
        "textdir",
        {"clean/empty.txt": "", "clean/blank.txt": "\n \n\t\n", "clean/ok.txt": clean_story(1)},
        Built(
            ("ok",),
            3,
            (
                Reject("no_text", "clean/blank.txt", "^no clean or garbled text"),
                Reject("no_text", "clean/empty.txt", "^no clean or garbled text"),
            ),
        ),
    ),
    Case(
        "textdir-names-with-spaces-and-unicode",
        "textdir",
        {
            "garbled/my story – Zürich 東京.txt": GARBLED,
            "clean/my story – Zürich 東京.txt": CLEAN,
            "clean/ünïcödé name.txt": clean_story(5),
        },
        Built(("my story – Zürich 東京", "ünïcödé name"), 2),
    ),
    Case(
        "textdir-two-files-for-one-name",
        "textdir",
        {"clean/a.TXT": clean_story(1), "clean/a.txt": clean_story(2), "clean/ok.txt": clean_story(3)},
        Built(("a", "ok"), 3, (Reject("duplicate_doc_id", "clean/a.txt", "^clean/a.TXT holds the same document"),)),
    ),
    Case(
        "textdir-link-to-nowhere",
        "textdir",
        {"clean/gone.txt": link_to("/nonexistent/gone.txt"), "clean/ok.txt": clean_story(1)},
        Built(("ok",), 2, (Reject("unreadable_file", "clean/gone.txt", r"FileNotFoundError"),)),
    ),
]


# -- dates ---------------------------------------------------------------------------------------------------------

#: (doc_id, the date as it appears in the JSON line)
DATES = [
    ("iso", '"2024-03-01"'),
    ("seconds", "1700000000"),  # 2023-11-14
    ("millis", "1709251200000"),  # 2024-03-01
    ("zoned", '"2024-06-30T23:30:00-05:00"'),  # its own calendar day: the newest
    ("huge", "99999999999999999999"),
    ("tiny", "-1e30"),
    ("nan", "NaN"),
    ("infinity", "Infinity"),
    ("inf-text", '"inf"'),
    ("nan-text", '"NaN"'),
    ("no-such-day", '"2024-13-45"'),
    ("season", '"Spring 2004"'),
]
READABLE = ("iso", "seconds", "millis", "zoned")
UNREADABLE = tuple(d for d, _ in DATES if d not in READABLE)


def dated_file() -> str:
    lines = []
    for doc_id, date in DATES:
        record = json.dumps(article(doc_id))
        lines.append(record[:-1] + f', "date": {date}}}')
    return jsonl(*lines)


def _temporal_train(out) -> None:
    split = {r["doc_id"]: r["split"] for r in _split_rows(out)}
    assert split["zoned"] == "test"
    assert all(split[d] == "train" for d in ("iso", "seconds", "millis", *UNREADABLE)), split
    dates = {r["doc_id"]: r["date"] for r in out.rows.to_pylist()}
    assert [dates[d] for d in READABLE] == ["2024-03-01", "2023-11-14", "2024-03-01", "2024-06-30"]
    assert dates["huge"] == "99999999999999999999" and dates["no-such-day"] == "2024-13-45"
    assert {k: out.stats["dates"][k] for k in ("readable", "unreadable", "missing")} == {
        "readable": 4,
        "unreadable": 8,
        "missing": 0,
    }
    assert out.stats["undated"] == {"documents": 8, "to": "train"}


def _split_rows(out):
    """Each written row with the split its shard file names."""
    rows = []
    for f in sorted((out.result.path / "data").glob("*.parquet")):
        split = f.name.split("-")[0]
        rows += [{**r, "split": split} for r in pq.read_table(f).to_pylist()]
    return rows


def _temporal_reject(out) -> None:
    split = {r["doc_id"]: r["split"] for r in _split_rows(out)}
    assert split == {"iso": "train", "seconds": "train", "millis": "train", "zoned": "test"}


# The records are one template with their ids filled in: near-copies, which the temporal
# split would reject from test (tested in tests/stages/test_leakage.py); here only dates count.
TEMPORAL = ("split.method=temporal", "split.test=0.25", "dedup.near=false")

DATE_CASES = [
    Case(
        "dates-hostile-values-temporal-undated-to-train",
        "jsonl",
        {"a.jsonl": dated_file()},
        Built(tuple(d for d, _ in DATES), len(DATES), check=_temporal_train),
        TEMPORAL,
    ),
    Case(
        "dates-hostile-values-temporal-undated-rejected",
        "jsonl",
        {"a.jsonl": dated_file()},
        Built(
            READABLE,
            len(DATES),
            tuple(
                Reject("undated", f"a.jsonl:{i + 1}", "no readable date .* for the temporal split")
                for i, (d, _) in enumerate(DATES)
                if d in UNREADABLE
            ),
            check=_temporal_reject,
        ),
        (*TEMPORAL, "split.undated=reject"),
    ),
    Case(
        "dates-temporal-split-without-one-readable-date",
        "jsonl",
        {"a.jsonl": jsonl(article("g1", date="Spring 2004"), article("g2"))},
        Fails(ConfigError, r"^split\.method=temporal: no document has a readable date \(YYYY-MM-DD\)$"),
        TEMPORAL,
    ),
]

CASES = TEXTDIR + DATE_CASES


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_text_folder_and_dates(case, tmp_path):
    run(case, tmp_path)

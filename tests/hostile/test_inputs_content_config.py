"""Hostile text content, config mistakes and builds where nothing survives, end to end."""

from __future__ import annotations

import pytest

from builder.core.errors import ConfigError, NothingToWrite
from tests.hostile.support import Built, Case, Fails, Reject, article, clean_text_has, good_file, jsonl, run

A1, A2 = article("g1"), article("g2")

# -- text content --------------------------------------------------------------------------------------------------

EMOJI = "👩\u200d👩\u200d👧\u200d👦 👨🏽\u200d💻 🏳\ufe0f\u200d🌈 ❤\ufe0f\u200d🔥 🧑\u200d🤝\u200d🧑"
PERSIAN = "من می\u200cخواهم به خانه بروم. این کتاب\u200cها را دیروز خواندم و بسیار لذت بردم."
CJK = "东京电视台报道，日本首相今天访问了大阪。他在那里会见了地方官员并讨论了经济问题。"
CLEAN = (
    "The city council met on Monday to discuss the budget for schools. "
    "Members voted to approve funding after a long debate about the roads. "
    "The mayor said the new plan would start in the spring."
)
OTHER = (
    "A storm hit the northern coast overnight. Fishing boats stayed in port. "
    "The ferry to the islands was cancelled until Thursday."
)


def _sentences(doc_id: str, expected: list[str]):
    def check(out) -> None:
        assert out.clean_texts(doc_id) == expected

    return check


def _many_rows(doc_id: str, n: int):
    def check(out) -> None:
        assert len(out.clean_texts(doc_id)) == n
        assert out.rows_of(doc_id), "some of its sentences were garbled and written"

    return check


def content(doc_id: str, text: str) -> dict[str, str]:
    return {"a.jsonl": jsonl(A1, {"id": doc_id, "text": text}, A2)}


CONTENT = [
    Case(
        "text-only-punctuation",
        "jsonl",
        content("punct", "?!... --- ,,, ;; ... !!! «» “” ..."),
        Built(("g1", "g2"), 3, filtered={"identical": 1}),
        ("filter.keep_identical=0",),
    ),
    Case(
        "text-only-emoji-with-zwj-sequences",
        "jsonl",
        content("emoji", EMOJI),
        Built(("g1", "g2"), 3, filtered={"identical": 1}, check=clean_text_has("emoji", EMOJI)),
        ("filter.keep_identical=0",),
    ),
    Case(
        "text-rtl-with-zwnj",
        "jsonl",
        content("fa", PERSIAN),
        Built(("g1", "fa", "g2"), 3, check=clean_text_has("fa", "می\u200cخواهم", "کتاب\u200cها")),
    ),
    Case(
        "text-cjk-without-spaces",
        "jsonl",
        content("zh", CJK),
        Built(
            ("g1", "g2"),
            3,
            either=("zh",),
            check=_sentences(
                "zh", ["东京电视台报道，日本首相今天访问了大阪。", "他在那里会见了地方官员并讨论了经济问题。"]
            ),
        ),
    ),
    Case(
        "text-200000-characters-without-a-sentence-end",
        "jsonl",
        content("long", "word " * 40_000),
        Built(("g1", "g2"), 3, filtered={"too_long": 1}),
    ),
    Case(
        "text-3000-one-word-sentences",
        "jsonl",
        content("yes", "Yes. " * 3000),
        Built(("g1", "yes", "g2"), 3, check=_many_rows("yes", 3000)),
    ),
    Case(
        "text-10000-newlines",
        "jsonl",
        content("nl", "First sentence here about the council.\n" + "\n" * 10_000 + "Second sentence about the roads."),
        Built(
            ("g1", "nl", "g2"),
            3,
            check=_sentences("nl", ["First sentence here about the council.", "Second sentence about the roads."]),
        ),
    ),
    Case(
        "text-only-invisible-characters",
        "jsonl",
        content("zw", "\u200b\u200b\u2060\u00ad\ufeff"),
        Built(("g1", "g2"), 3, filtered={"no_units": 1}),
    ),
    Case(
        "text-stacked-combining-marks",
        "jsonl",
        content(
            "zalgo", "T\u0334\u0328\u031bh\u0337e\u0335 council met on Monday. Z\u0338a\u0335lgo text is here today."
        ),
        Built(("g1", "zalgo", "g2"), 3),
    ),
    Case(
        "text-garbled-side-of-another-story",
        "jsonl",
        {"a.jsonl": jsonl(A1, {"id": "un", "garbled": OTHER, "text": CLEAN}, A2)},
        Built(("g1", "g2"), 3, (Reject("unrelated_pair", "a.jsonl:2", "explain"),)),
    ),
]

# -- config mistakes -----------------------------------------------------------------------------------------------

CONFIG = [
    Case(
        "config-mapped-field-no-record-has",
        "jsonl",
        {"a.jsonl": good_file("g1", "g2")},
        Fails(ConfigError, r"^source\.fields\.garbled='nosuch': no record has this field \(fields seen: id, text\)$"),
        ("source.fields.garbled=nosuch",),
    ),
    Case(
        "config-clean-mapped-to-a-field-of-the-wrong-type",
        "jsonl",
        {"a.jsonl": jsonl({"id": "v1", "body": 17}, {"id": "v2", "body": ["x"]}, {"id": "v3", "body": A1["text"]})},
        Built(
            ("v3",),
            3,
            (
                Reject("bad_field_type", "a.jsonl:1", "^field 'body' is int, not text"),
                Reject("bad_field_type", "a.jsonl:2", "^field 'body' is list, not text"),
            ),
        ),
        ("source.fields.clean=body",),
    ),
    Case(
        "config-clean-mapped-to-a-number-in-every-record",
        "jsonl",
        {"a.jsonl": jsonl({**A1, "views": 10}, {**A2, "views": 20})},
        Fails(NothingToWrite, r"none of the 2 documents gave a row \(rejected bad_field_type 2\)", n_in=2, report=True),
        ("source.fields.clean=views",),
    ),
    Case(
        "config-limit-0",
        "jsonl",
        {"a.jsonl": good_file("g1", "g2")},
        Fails(ConfigError, r"source\.limit"),
        ("source.limit=0",),
    ),
    Case(
        "config-limit-1",
        "jsonl",
        {"a.jsonl": jsonl(A1, "{broken", A2)},
        Built(("g1",), 1),
        ("source.limit=1",),
    ),
    Case(
        "config-source-path-does-not-exist",
        "jsonl",
        {"a.jsonl": good_file("g1")},
        Fails(ConfigError, r"^source\.path='.*/nowhere/news\.jsonl': no \.jsonl/.* files found there$"),
        path="nowhere/news.jsonl",
    ),
    Case(
        "config-folder-without-matching-files",
        "jsonl",
        {"notes.txt": "not news", "data.csv": "id,text\n1,x\n", "sub/readme.md": "# no"},
        Fails(ConfigError, r"^source\.path='.*/in': no \.jsonl/.* files found there$"),
    ),
    Case(
        "config-unknown-encoding",
        "jsonl",
        {"a.jsonl": good_file("g1")},
        Fails(ConfigError, r"^source\.encoding='klingon' is not an encoding Python knows$"),
        ("source.encoding=klingon",),
    ),
    Case(
        "config-text-folder-without-garbled-or-clean",
        "textdir",
        {"stories/a.txt": A1["text"]},
        Fails(ConfigError, r"no \*\.txt files under garbled/ or clean/"),
    ),
    Case(
        "config-headerless-csv-with-two-article-columns",
        "csv",
        {"a.csv": "".join(f"r{i},{A1['text']} {i},{A2['text']} {i}\n" for i in range(3))},
        Fails(ConfigError, r"a\.csv has no header row and columns 2, 3 all look like the article text"),
    ),
]

# -- whole builds where nothing survives -----------------------------------------------------------------------------

NOTHING = [
    Case(
        "build-every-record-bad",
        "jsonl",
        {"a.jsonl": jsonl('"text"', "{bad", '["x"]', {"id": "e", "text": ""})},
        Fails(
            NothingToWrite,
            r"^nothing to write: none of the 4 documents gave a row "
            r"\(rejected not_an_object 2, rejected invalid_json 1, rejected no_text 1\); "
            r"stats\.json and rejects\.jsonl are in .*/case\.failed$",
            n_in=4,
            report=True,
        ),
    ),
    Case(
        "build-no-records-at-all",
        "jsonl",
        {"a.jsonl": "", "b.jsonl": "\n\n", "c.json": "[]"},
        Fails(
            NothingToWrite, r"^nothing to write: no documents were read from source\.path='.*/in'", n_in=0, report=True
        ),
    ),
    Case(
        "build-noise-none-on-clean-only-text",
        "jsonl",
        {"a.jsonl": good_file("g1", "g2")},
        Fails(NothingToWrite, r"none of the 2 documents gave a row \(filtered identical 2\)", n_in=2, report=True),
        ("noise=none", "filter.keep_identical=0"),
    ),
]

CASES = CONTENT + CONFIG + NOTHING


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_content_and_config(case, tmp_path):
    run(case, tmp_path)

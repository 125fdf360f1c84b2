"""Hostile JSON and JSON Lines input, built end to end: each bad record is one reject with
its reason and place, and the good records beside it are built."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import re
from pathlib import Path

import pytest

from tests.hostile.support import Built, Case, Reject, article, clean_text_has, good_file, jsonl, line, run

A1, A2, A3 = article("g1"), article("g2"), article("g3")


def pretty(*items) -> str:
    return "\n".join(json.dumps(i, indent=2) for i in items) + "\n"


def link_to(target: str):
    return lambda path: path.symlink_to(target)


def folder_with(files: dict[str, str]):
    def make(path: Path) -> None:
        path.mkdir()
        for name, text in files.items():
            (path / name).write_text(text, encoding="utf-8")

    return make


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def stored_gzip(text: str) -> bytes:
    """gzip without compression (stored blocks), so a cut falls at a known byte of text."""
    return gzip.compress(text.encode(), compresslevel=0, mtime=0)


def cut_inside(data: bytes, needle: bytes) -> bytes:
    return data[: data.index(needle) + len(needle)]


_LATIN1 = {"id": "lat", "text": "Le café de la gare a fermé. Les habitués sont déçus."}
_CP1252 = {"id": "win", "text": "\u201cThe café closed,\u201d she said. Regulars were upset \u2013 very upset."}


def _latin1_file(encoding: str, record: dict) -> bytes:
    return (jsonl(A1, record, A2)).encode(encoding)


def _no_control_characters(out) -> None:
    texts = out.clean_texts("ctl") + [r["garbled"] for r in out.rows_of("ctl")]
    for text in texts:
        assert not any((ord(c) < 32 and c != "\n") or ord(c) == 0x7F for c in text), text
    assert "Officials in Kyiv said" in " ".join(out.clean_texts("ctl"))


def _hash_ids(out) -> None:
    ids = set(out.rows.column("doc_id").to_pylist()) - {"g1"}
    assert len(ids) == 2 and all(re.fullmatch("h[0-9a-f]{16}", i) for i in ids), ids


def _other_ids_are_text(out) -> None:
    ids = set(out.rows.column("doc_id").to_pylist()) - {"42", "4.5"}
    assert len(ids) == 2 and all(isinstance(i, str) and i.strip() for i in ids), ids


def _weird_titles(out) -> None:
    dates = {r["doc_id"]: r["date"] for r in out.rows.to_pylist()}
    assert dates["td"] == "2024-03-01" and dates["tb"] == "2023-11-14"  # tb: seconds since 1970
    assert (dates["tl"], dates["tn"]) == ("['2024-01-01']", "False")  # kept as given, and unreadable
    assert {k: out.stats["dates"][k] for k in ("readable", "unreadable", "missing")} == {
        "readable": 2,
        "unreadable": 2,
        "missing": 0,
    }


LONG_TEXT = "The committee met again. " * 200  # 5,000 characters

CASES = [
    Case(
        "jsonl-broken-line",
        "jsonl",
        {"a.jsonl": jsonl(A1, "{broken", A2)},
        Built(("g1", "g2"), 3, (Reject("invalid_json", "a.jsonl:2", "^Expecting property name"),)),
    ),
    Case(
        "jsonl-lines-after-a-broken-line-are-records",
        "jsonl",
        {"a.jsonl": jsonl(A1, "{bad", " " + line(A2), '{"id": "x", "text": tru}', '"a string"', "\t" + line(A3))},
        Built(
            ("g1", "g2", "g3"),
            6,
            (
                Reject(
                    "invalid_json",
                    "a.jsonl:2",
                    "^Expecting property name enclosed in double quotes at line 2 column 2$",
                ),
                Reject("invalid_json", "a.jsonl:4", r"^Expecting value at line 4 column \d+$"),
                Reject("not_an_object", "a.jsonl:5", "^a JSON string, not an object$"),
            ),
        ),
    ),
    Case(
        "jsonl-file-ends-inside-a-value",
        "jsonl",
        {"a.jsonl": jsonl(A1) + '{"id": "cut", "text": "The council', "b.jsonl": good_file("g2")},
        Built(("g1", "g2"), 3, (Reject("invalid_json", "a.jsonl:2", "the file ends inside this JSON value"),)),
    ),
    Case(
        "json-array-on-one-line",
        "jsonl",
        {"a.json": json.dumps([A1, A2]), "b.jsonl": good_file("g3")},
        Built(("g1", "g2", "g3"), 3),
    ),
    Case(
        "json-array-pretty-printed",
        "jsonl",
        {"a.json": json.dumps([A1, A2, A3], indent=2) + "\n"},
        Built(("g1", "g2", "g3"), 3),
    ),
    Case(
        "json-one-pretty-object",
        "jsonl",
        {"a.json": pretty(A1), "b.jsonl": good_file("g2")},
        Built(("g1", "g2"), 2),
    ),
    Case(
        "json-several-pretty-objects",
        "jsonl",
        {"a.json": pretty(A1, A2, A3)},
        Built(("g1", "g2", "g3"), 3),
    ),
    Case(
        "json-array-with-a-broken-element",
        "jsonl",
        {
            "a.json": "[\n"
            + json.dumps(A1, indent=2)
            + ',\n{\n  "id": "bad",\n  "text": oops\n},\n'
            + json.dumps(A2, indent=2)
            + "\n]\n"
        },
        # A1 takes lines 2-5; the broken element starts on line 6 and ends on line 9
        Built(("g1", "g2"), 3, (Reject("invalid_json", "a.json:6", r"^Expecting value at line 8 column 11"),)),
    ),
    Case(
        "jsonl-values-that-are-not-objects",
        "jsonl",
        {"a.jsonl": jsonl(A1, '"a string"', "42", "-1.5e3", "[1, 2]", "null", "true", A2)},
        Built(
            ("g1", "g2"),
            8,
            (
                Reject("not_an_object", "a.jsonl:2", "^a JSON string, not an object$"),
                Reject("not_an_object", "a.jsonl:3", "^a JSON number, not an object$"),
                Reject("not_an_object", "a.jsonl:4", "^a JSON number, not an object$"),
                Reject("not_an_object", "a.jsonl:5", "^a JSON array, not an object$"),
                Reject("not_an_object", "a.jsonl:6", "^a JSON null, not an object$"),
                Reject("not_an_object", "a.jsonl:7", "^a JSON boolean, not an object$"),
            ),
        ),
    ),
    Case(
        "jsonl-empty-file-beside-a-good-one",
        "jsonl",
        {"a.jsonl": "", "b.jsonl": good_file("g1", "g2")},
        Built(("g1", "g2"), 2),
    ),
    Case(
        "jsonl-file-of-blank-lines",
        "jsonl",
        {"a.jsonl": "\n" * 50, "b.jsonl": good_file("g1")},
        Built(("g1",), 1),
    ),
    Case(
        "jsonl-whitespace-only",
        "jsonl",
        {"a.jsonl": " \t \r\n   \n\t\t\n  ", "b.jsonl": good_file("g1")},
        Built(("g1",), 1),
    ),
    Case(
        "jsonl-blank-lines-between-records",
        "jsonl",
        {"a.jsonl": "\n\n" + jsonl(A1) + "\n\n   \n" + jsonl("{nope", A2)},
        Built(("g1", "g2"), 3, (Reject("invalid_json", "a.jsonl:7", "^Expecting property name"),)),
    ),
    Case(
        "jsonl-utf8-bom",
        "jsonl",
        {"a.jsonl": b"\xef\xbb\xbf" + jsonl(A1, A2).encode()},
        Built(("g1", "g2"), 2),
    ),
    Case(
        "jsonl-bom-at-the-start-of-a-later-line",  # files with a BOM each, concatenated
        "jsonl",
        {"a.jsonl": b"\xef\xbb\xbf" + jsonl(A1).encode() + b"\xef\xbb\xbf" + jsonl(A2).encode()},
        Built(("g1", "g2"), 2),
    ),
    Case(
        "jsonl-utf16-with-bom",
        "jsonl",
        {"a.jsonl": jsonl(A1, _LATIN1).encode("utf-16"), "b.jsonl": good_file("g2")},
        Built(("g1", "lat", "g2"), 3, check=clean_text_has("lat", "café", "déçus")),
    ),
    Case(
        "jsonl-latin1-bytes-as-utf8",
        "jsonl",
        {"a.jsonl": _latin1_file("latin-1", _LATIN1)},
        Built(
            ("g1", "g2"),
            3,
            (Reject("bad_encoding", "a.jsonl:2", r"^byte 0xe9 is not valid utf-8.*source\.encoding=cp1252"),),
        ),
    ),
    Case(
        "jsonl-latin1-with-source-encoding-latin1",
        "jsonl",
        {"a.jsonl": _latin1_file("latin-1", _LATIN1)},
        Built(("g1", "lat", "g2"), 3, check=clean_text_has("lat", "café", "habitués")),
        ("source.encoding=latin-1",),
    ),
    Case(
        "jsonl-cp1252-with-source-encoding-cp1252",
        "jsonl",
        {"a.jsonl": _latin1_file("cp1252", _CP1252)},
        Built(("g1", "win", "g2"), 3, check=clean_text_has("win", "\u201cThe café closed,\u201d", "\u2013")),
        ("source.encoding=cp1252",),
    ),
    Case(
        "jsonl-lone-surrogate-escape",
        "jsonl",
        {"a.jsonl": jsonl(A1, '{"id": "sur", "text": "A broken \\ud800 character. Then more."}', A2)},
        Built(
            ("g1", "g2"), 3, (Reject("bad_encoding", "a.jsonl:2", r"^field 'text' holds a lone surrogate \(U\+D800"),)
        ),
    ),
    Case(
        "jsonl-nested-100000-deep",
        "jsonl",
        {"a.jsonl": jsonl(A1, '{"id": "deep", "text": "Deep.", "x": ' + nested(100_000) + "}", A2)},
        Built(("g1", "g2"), 3, (Reject("invalid_json", "a.jsonl:2", "^nested too deeply to read"),)),
    ),
    Case(
        "jsonl-top-level-value-nested-100000-deep",
        "jsonl",
        {"a.jsonl": jsonl(A1, nested(100_000), A2)},
        Built(("g1", "g2"), 3, (Reject("invalid_json", "a.jsonl:2", "^nested too deeply to read"),)),
    ),
    Case(
        "jsonl-5000-digit-integer",
        "jsonl",
        {"a.jsonl": jsonl(A1, '{"id": "big", "text": "Big.", "views": ' + "7" * 5000 + "}", A2)},
        Built(("g1", "g2"), 3, (Reject("invalid_json", "a.jsonl:2", r"^Exceeds the limit \(4300 digits\)"),)),
    ),
    Case(
        "jsonl-nul-and-control-characters-escaped",
        "jsonl",
        {
            "a.jsonl": jsonl(
                A1,
                {
                    "id": "ctl",
                    "text": "Officials\x00 in Kyiv\x07 said\x1b[31m three\x0b people were hurt. Teams\x7f came.",
                },
            )
        },
        Built(("g1", "ctl"), 2, check=_no_control_characters),
    ),
    Case(
        "jsonl-raw-control-bytes-inside-a-string",
        "jsonl",
        {"a.jsonl": jsonl(A1, '{"id": "raw", "text": "A raw \x00 byte. And a bell \x07."}', A2)},
        Built(("g1", "g2"), 3, (Reject("invalid_json", "a.jsonl:2", "^Invalid control character"),)),
    ),
    Case(
        "jsonl-crlf-line-endings",
        "jsonl",
        {"a.jsonl": jsonl(A1, "{bad", A2, A3, end="\r\n")},
        Built(("g1", "g2", "g3"), 4, (Reject("invalid_json", "a.jsonl:2", "^Expecting property name"),)),
    ),
    Case(
        "jsonl-record-over-source-max-chars",
        "jsonl",
        {"a.jsonl": jsonl(A1, {"id": "huge", "text": LONG_TEXT}, A2)},
        Built(
            ("g1", "g2"),
            3,
            (Reject("too_large", "a.jsonl:2", r"^clean has 5,000 characters \(source\.max_chars=3,000\)"),),
        ),
        ("source.max_chars=3000",),
    ),
    Case(
        "jsonl-value-over-the-read-bound",
        "jsonl",
        {"a.jsonl": jsonl(A1, {"id": "vast", "text": "x" * 2_500_000}, A2)},
        Built(("g1", "g2"), 3, (Reject("too_large", "a.jsonl:2", r"^a JSON value longer than 1,054,976 characters"),)),
        ("source.max_chars=400",),
    ),
    Case(
        "jsonl-duplicate-doc-ids",
        "jsonl",
        {"a.jsonl": jsonl(A1, A2, {"id": "g1", "text": "Another story. It reuses the id."}), "b.jsonl": jsonl(A2)},
        Built(
            ("g1", "g2"),
            4,
            (
                Reject("duplicate_doc_id", "a.jsonl:3", "^doc_id 'g1' was already used"),
                Reject("duplicate_doc_id", "b.jsonl:1", "^doc_id 'g2' was already used"),
            ),
        ),
    ),
    Case(
        "jsonl-same-text-under-two-ids",
        "jsonl",
        {"a.jsonl": jsonl(A1, {**A1, "id": "copy"}, A2)},
        Built(("g1", "g2"), 3, filtered={"duplicate_document": 1}),
    ),
    Case(
        "jsonl-ids-with-a-slash-a-newline-or-nothing",
        "jsonl",
        {"a.jsonl": jsonl({**A1, "id": "2024/a"}, {**A2, "id": "line\nbreak"}, {**A3, "id": ""})},
        Built(("2024/a", "line\nbreak"), 3, written=3),
    ),
    Case(
        "jsonl-missing-id-gets-a-content-id",
        "jsonl",
        {"a.jsonl": jsonl(A1, {"text": A2["text"]}, {"text": A3["text"]})},
        Built(("g1",), 3, written=3, check=_hash_ids),
    ),
    Case(
        "jsonl-id-of-other-types",
        "jsonl",
        {"a.jsonl": jsonl({**A1, "id": 42}, {**A2, "id": 4.5}, {**A3, "id": {"k": 1}}, {**article("g4"), "id": True})},
        Built(("42", "4.5"), 4, written=4, check=_other_ids_are_text),
    ),
    Case(
        "jsonl-text-of-wrong-types-or-empty",
        "jsonl",
        {
            "a.jsonl": jsonl(
                A1,
                {"id": "num", "text": 7},
                {"id": "list", "text": ["One.", "Two."]},
                {"id": "obj", "text": {"p": "One."}},
                {"id": "null", "text": None},
                {"id": "empty", "text": ""},
                {"id": "blank", "text": " \n\t "},
                {"id": "notext"},
                A2,
            )
        },
        Built(
            ("g1", "g2"),
            9,
            (
                Reject("bad_field_type", "a.jsonl:2", "^field 'text' is int, not text"),
                Reject("bad_field_type", "a.jsonl:3", "^field 'text' is list, not text"),
                Reject("bad_field_type", "a.jsonl:4", "^field 'text' is dict, not text"),
                Reject("no_text", "a.jsonl:5", "^no clean or garbled text"),
                Reject("no_text", "a.jsonl:6", "^no clean or garbled text"),
                Reject("no_text", "a.jsonl:7", "^no clean or garbled text"),
                Reject("no_text", "a.jsonl:8", "^no clean or garbled text"),
            ),
        ),
    ),
    Case(
        "jsonl-garbled-only-record",
        "jsonl",
        {"a.jsonl": jsonl(A1, {"id": "gar", "garbled": "Teh concil met on Mnoday."}, A2)},
        Built(("g1", "g2"), 3, (Reject("no_clean_reference", "a.jsonl:2", "without its clean reference"),)),
    ),
    Case(
        "jsonl-title-date-url-of-weird-types",
        "jsonl",
        {
            "a.jsonl": jsonl(
                article("tl", title=["a", "list"], date=["2024-01-01"], url=7),
                article("td", title={"nested": {"x": 1}}, date="2024-03-01", url=None),
                article("tb", title=True, date=1_700_000_000, url=["http://x"]),
                article("tn", title=None, date=False, url={"href": "x"}),
            )
        },
        Built(("tl", "td", "tb", "tn"), 4, check=_weird_titles),
    ),
    Case(
        "jsonl-gzip-cut-inside-a-record",
        "jsonl",
        {
            "a.jsonl.gz": cut_inside(stored_gzip(jsonl(A1, A2, A3)), b'"id": "g3", "te'),
            "b.jsonl": good_file("g4"),
        },
        Built(
            ("g1", "g2", "g4"),
            4,
            (Reject("unreadable_file", "a.jsonl.gz:3", r"^truncated gzip stream after 2 records \(EOFError"),),
        ),
    ),
    Case(
        "jsonl-gzip-without-its-trailer",
        "jsonl",
        {"a.jsonl.gz": gzip.compress(jsonl(A1, A2).encode(), mtime=0)[:-8]},
        Built(
            ("g1", "g2"),
            3,
            (Reject("unreadable_file", "a.jsonl.gz:3", r"^truncated gzip stream after 2 records"),),
        ),
    ),
    Case(
        "jsonl-gzip-named-jsonl-and-text-named-gz",
        "jsonl",
        {"a.jsonl": gzip.compress(good_file("g1", "g2").encode(), mtime=0), "b.jsonl.gz": good_file("g3")},
        Built(("g1", "g2", "g3"), 3),
    ),
    Case(
        "jsonl-bz2-and-xz",
        "jsonl",
        {
            "a.jsonl.bz2": bz2.compress(jsonl(A1, "{bad").encode()),
            "b.ndjson.xz": lzma.compress(good_file("g2").encode()),
        },
        Built(("g1", "g2"), 3, (Reject("invalid_json", "a.jsonl.bz2:2", "^Expecting property name"),)),
    ),
    Case(
        "jsonl-unreadable-file-eio",
        "jsonl",
        {"a.jsonl": good_file("g1"), "bad.jsonl": link_to("/proc/self/mem"), "c.jsonl": good_file("g2")},
        Built(
            ("g1", "g2"),
            3,
            (
                Reject(
                    "unreadable_file", "bad.jsonl:1", r"^read error after 0 records \(OSError: \[Errno 5\] Input/output"
                ),
            ),
        ),
    ),
    Case(
        "jsonl-broken-symlink",
        "jsonl",
        {"a.jsonl": good_file("g1"), "gone.jsonl": link_to("/nonexistent/moved-away.jsonl")},
        Built(("g1",), 2, (Reject("unreadable_file", "gone.jsonl:1", r"FileNotFoundError"),)),
    ),
    Case(
        "jsonl-folder-named-like-a-file",
        "jsonl",
        {
            "a.jsonl": good_file("g1"),
            "x.jsonl": folder_with({"inner.jsonl": jsonl(A2, "{bad")}),
            "y.jsonl": folder_with({}),
        },
        Built(("g1", "g2"), 3, (Reject("invalid_json", "x.jsonl/inner.jsonl:2", "^Expecting property name"),)),
    ),
    Case(
        "jsonl-nested-sub-folders",
        "jsonl",
        {
            "2024/03/a.jsonl": jsonl(A1, "[oops"),
            "2024/b.JSONL": good_file("g2"),
            "c.jsonl": good_file("g3"),
            "notes.txt": "not read",
        },
        Built(("g1", "g2", "g3"), 4, (Reject("invalid_json", "2024/03/a.jsonl:2", "^Expecting value"),)),
    ),
    Case(
        "jsonl-good-and-bad-across-three-files",
        "jsonl",
        {
            "a.jsonl": jsonl(A1, '"text only"'),
            "b.json": json.dumps([A2, {"id": "n", "text": None}]),
            "c.jsonl.gz": gzip.compress(jsonl(A3, '{"id": "g1", "text": "Reused id. Again."}').encode(), mtime=0),
        },
        Built(
            ("g1", "g2", "g3"),
            6,
            (
                Reject("not_an_object", "a.jsonl:2", "^a JSON string"),
                Reject("no_text", "b.json:1", "^no clean or garbled text"),
                Reject("duplicate_doc_id", "c.jsonl.gz:2", "^doc_id 'g1' was already used"),
            ),
        ),
    ),
    Case(
        "jsonl-source-path-is-one-file",
        "jsonl",
        {"news.jsonl": jsonl(A1, "{x", A2)},
        Built(("g1", "g2"), 3, (Reject("invalid_json", "news.jsonl:2", "^Expecting property name"),)),
        path="in/news.jsonl",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_json_input(case, tmp_path):
    run(case, tmp_path)

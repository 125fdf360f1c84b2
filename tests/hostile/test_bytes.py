"""Arbitrary bytes in an input file give documents or rejects, never a traceback, and the
good record in the file beside them is still read and built."""

from __future__ import annotations

import bz2
import gzip
import json
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from builder.app.build import build
from builder.core.errors import NothingToWrite
from builder.core.schema import DOC_FEATURES
from builder.pipeline.readers import make_reader
from tests.conftest import compose_cfg
from tests.hostile.support import DEFAULTS, NAME, check_ledger, read_rejects
from tests.readers.support import source_cfg

GOOD_ID = "the-good-record"
GOOD_TEXT = (
    "The city council met on Monday to discuss the budget for schools. "
    "Members voted to approve funding after a long debate about the roads."
)

#: Pieces that make the parsers work: structure, escapes, marks, magic numbers, long runs.
PIECES = [
    b"{",
    b"}",
    b"[",
    b"]",
    b'"',
    b",",
    b":",
    b"\n",
    b"\r\n",
    b"\r",
    b"\t",
    b" ",
    b"\\",
    b'"text": ',
    b'"id": ',
    b'"date": ',
    b'"garbled": ',
    b"null",
    b"true",
    b"1e999",
    b"-0",
    b"9" * 60,
    b"\\u0000",
    b"\\ud800",
    b"\\udfff\\ud800",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"\x00",
    b"\x80",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\xe2\x80\x8d",
    "caf\u00e9 \u6771\u4eac \u202e".encode(),
    b"Some words of an article. ",
    b"[" * 40,
    b"{" * 40,
    b'"' * 7,
]
pieces = st.lists(st.one_of(st.sampled_from(PIECES), st.binary(max_size=6)), max_size=120).map(b"".join)
compressed = st.tuples(pieces, st.sampled_from([gzip.compress, bz2.compress]), st.integers(0, 400)).map(
    lambda t: t[1](t[0])[: max(2, t[2])] if t[2] else t[1](t[0])
)
hostile_bytes = st.one_of(st.binary(max_size=2000), pieces, compressed)

READS = settings(  # the hostile tables (test_inputs_*.py) hold the known cases; these look further
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
BUILDS = settings(
    max_examples=5, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def _layout(kind: str, data: bytes) -> dict[str, bytes]:
    """The files of one corpus: the bytes beside a good record."""
    if kind == "jsonl":
        good = json.dumps({"id": GOOD_ID, "text": GOOD_TEXT}).encode() + b"\n"
        return {"bytes.jsonl": data, "good.jsonl": good}
    if kind == "csv":
        good = b"id,text\n" + f'{GOOD_ID},"{GOOD_TEXT}"\n'.encode()
        return {"bytes.csv": data, "good.csv": good}
    return {"clean/bytes.txt": data, "garbled/odd.txt": data, "clean/good.txt": GOOD_TEXT.encode()}


def good_id(kind: str) -> str:
    return "good" if kind == "textdir" else GOOD_ID  # a text file's document is named by its file


#: What a reject's detail starts with: the file of the bytes (the text folder's
#: documents are named by their file, with or without its folder and suffix).
PLACES = {"jsonl": ("bytes.jsonl:",), "csv": ("bytes.csv:",), "textdir": ("clean/bytes", "garbled/odd", "bytes", "odd")}


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)


def _check_documents(docs: list[dict[str, Any]], kind: str) -> None:
    """Every document is a reject with its reason and place, or one a build can use; and
    the documents can be stored as the build stores them."""
    pa.Table.from_pylist(docs, schema=DOC_FEATURES.arrow_schema)
    for doc in docs:
        for value in doc.values():
            if isinstance(value, str):
                value.encode("utf-8")  # no lone surrogate: Arrow could not store it
        if doc["reject"]:
            assert doc["reject_detail"].startswith(PLACES[kind]), doc
        else:
            assert doc["doc_id"] and (doc["clean"].strip() or doc["garbled"].strip()), doc
    good = [(d["clean"], d["reject"]) for d in docs if d["doc_id"] == good_id(kind)]
    assert good == [(GOOD_TEXT, "")], good


def _read(kind: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _write(Path(tmp), _layout(kind, data))
        docs = list(make_reader(source_cfg(kind, tmp)).documents())
        _check_documents(docs, kind)


@READS
@given(hostile_bytes)
def test_bytes_in_a_jsonl_file_are_read_as_documents_or_rejects(data):
    _read("jsonl", data)


@READS
@given(hostile_bytes)
@example(b"\t")  # a row that is neither a header nor an article: its file's rows are rejects, the build goes on
@example(b"x\n1\n")
def test_bytes_in_a_csv_file_are_read_as_documents_or_rejects(data):
    _read("csv", data)


@READS
@given(hostile_bytes)
def test_bytes_in_text_files_are_read_as_documents_or_rejects(data):
    _read("textdir", data)


def _build(kind: str, files: dict[str, bytes]) -> set[str] | None:
    """The doc_ids a build of ``files`` wrote, or None when it ended in NothingToWrite;
    the ledger adds up either way."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _write(root / "in", files)
        cfg = compose_cfg(root, f"source={kind}", f"source.path={root / 'in'}", *DEFAULTS)
        try:
            result = build(cfg)
        except NothingToWrite:
            report = root / "out" / f"{NAME}.failed"
            stats = json.loads((report / "stats.json").read_text())
            check_ledger(stats, stats["documents"]["in"])
            assert len(read_rejects(report)) == sum(stats["documents"]["rejected"].values())
            return None
        check_ledger(result.stats, result.stats["documents"]["in"])
        assert len(read_rejects(result.path)) == sum(result.stats["documents"]["rejected"].values())
        tables = [pq.read_table(f) for f in sorted((result.path / "data").glob("*.parquet"))]
        return set(pa.concat_tables(tables).column("doc_id").to_pylist())


@BUILDS
@given(st.sampled_from(["jsonl", "csv", "textdir"]), hostile_bytes)
def test_a_build_with_bytes_beside_a_good_record_writes_the_good_record(kind, data):
    ids = _build(kind, _layout(kind, data))
    assert ids is not None and good_id(kind) in ids


@BUILDS
@given(st.sampled_from(["jsonl", "textdir"]), hostile_bytes)
def test_a_build_of_bytes_alone_ends_in_a_dataset_or_nothing_to_write(kind, data):
    files = {"bytes.jsonl": data} if kind == "jsonl" else {"clean/bytes.txt": data}
    _build(kind, files)

"""Compression is read from the bytes, and a file that breaks off or cannot be read costs
only what could not be read: the records before the break and the other files stay."""

import bz2
import gzip
import io
import json
import lzma
import os
from pathlib import Path

import pytest

from tests.readers.support import articles, expected, good, read, rejects

ARTICLES = articles(3)


def _jsonl(items) -> bytes:
    return ("\n".join(json.dumps(a) for a in items) + "\n").encode()


@pytest.mark.parametrize(
    ("name", "pack"),
    [
        ("gzip-named-plain.jsonl", gzip.compress),
        ("plain-named-gzip.jsonl.gz", lambda b: b),
        ("bz2-named-plain.jsonl", bz2.compress),
        ("xz.json.xz", lzma.compress),
        ("xz-named-gzip.ndjson.gz", lzma.compress),
    ],
)
def test_compression_is_read_from_the_magic_bytes_not_the_name(tmp_path, name, pack):
    (tmp_path / name).write_bytes(pack(_jsonl(ARTICLES)))
    docs = read("jsonl", tmp_path / name)
    assert good(docs) == expected(ARTICLES) and not rejects(docs)


def _varied(n: int) -> list[dict[str, str]]:
    """Articles that do not compress to nothing, so half a gzip file holds many of them."""
    return [
        {"id": f"v{i}", "text": f"Story {i}: " + " ".join(str(i * 7919 % 10007 + j) for j in range(40))}
        for i in range(n)
    ]


def test_a_truncated_gzip_keeps_the_records_before_the_cut_and_says_where(tmp_path):
    items = _varied(400)
    data = gzip.compress(_jsonl(items))
    (tmp_path / "a.jsonl.gz").write_bytes(data[: len(data) // 2])
    docs = read("jsonl", tmp_path / "a.jsonl.gz")
    read_ok = good(docs)
    assert 50 < len(read_ok) < 400 and read_ok == expected(items[: len(read_ok)])
    [(reason, detail)] = rejects(docs)
    n = len(read_ok)
    assert reason == "unreadable_file"
    assert detail.startswith(f"a.jsonl.gz:{n + 1}: truncated gzip stream after {n} records (EOFError: Compressed file")


def test_a_damaged_gzip_is_one_reject_after_the_records_read(tmp_path):
    items = _varied(400)
    data = bytearray(gzip.compress(_jsonl(items)))
    middle = len(data) // 2
    data[middle : middle + 200] = bytes(200)
    (tmp_path / "a.jsonl").write_bytes(bytes(data))
    (tmp_path / "b.jsonl").write_bytes(_jsonl(ARTICLES))
    docs = read("jsonl", tmp_path)
    failures = [d for d in docs if d["reject"] == "unreadable_file"]
    assert len(failures) == 1 and "a.jsonl:" in failures[0]["reject_detail"]
    assert "damaged gzip stream after" in failures[0]["reject_detail"]
    assert good(docs)[-3:] == expected(ARTICLES)  # the next file is read


def _eio_file(tmp_path: Path) -> Path | None:
    """bad.jsonl -> /proc/self/mem: reading it at offset 0 fails with EIO on Linux."""
    link = tmp_path / "bad.jsonl"
    try:
        link.symlink_to("/proc/self/mem")
        with open(link, "rb") as fh:
            fh.read(1)
    except OSError as e:
        return link if e.errno == 5 else None
    return None


def test_a_file_that_fails_with_eio_is_a_reject_and_the_other_files_are_read(tmp_path):
    (tmp_path / "a.jsonl").write_bytes(_jsonl(ARTICLES[:2]))
    if _eio_file(tmp_path) is None:
        pytest.skip("/proc/self/mem does not give EIO here")
    (tmp_path / "c.jsonl").write_bytes(_jsonl(ARTICLES[2:]))
    docs = read("jsonl", tmp_path)
    assert good(docs) == expected(ARTICLES)
    assert rejects(docs) == [
        ("unreadable_file", "bad.jsonl:1: read error after 0 records (OSError: [Errno 5] Input/output error)")
    ]


class _FailingRead(io.RawIOBase):
    """A file whose bytes run out with an OSError after ``good`` bytes."""

    def __init__(self, data: bytes, good: int) -> None:
        self.data, self.good, self.pos = data, good, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.pos >= self.good:
            raise OSError(5, "Input/output error")
        n = min(len(buffer), self.good - self.pos, 64)
        buffer[:n] = self.data[self.pos : self.pos + n]
        self.pos += n
        return n


def test_records_read_before_an_os_error_stay(tmp_path, monkeypatch):
    import builder.pipeline.readers.text as text

    data = _jsonl(articles(50))
    (tmp_path / "a.jsonl").write_bytes(data)
    (tmp_path / "b.jsonl").write_bytes(_jsonl(articles(2, prefix="b")))
    failing_at = data.index(b'{"id": "a30"')
    real_open = open

    def fake_open(path, mode="r", *args, **kwargs):
        if Path(path).name == "a.jsonl":
            return io.BufferedReader(_FailingRead(data, failing_at), buffer_size=64)
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(text, "open", fake_open, raising=False)
    docs = read("jsonl", tmp_path)
    assert good(docs) == expected(articles(30)) + expected(articles(2, prefix="b"))
    assert rejects(docs) == [
        ("unreadable_file", "a.jsonl:31: read error after 30 records (OSError: [Errno 5] Input/output error)")
    ]


def test_a_folder_reads_every_json_suffix_in_any_case_and_names_files_by_relative_path(tmp_path):
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "A.JSONL").write_bytes(_jsonl(ARTICLES[:1]))
    (tmp_path / "b.Json").write_text(json.dumps(ARTICLES[1:2]))
    (tmp_path / "c.ndjson.gz").write_bytes(gzip.compress(_jsonl(ARTICLES[2:]) + b"{broken\n"))
    (tmp_path / "notes.txt").write_text("not read")
    docs = read("jsonl", tmp_path)
    assert good(docs) == expected(ARTICLES)
    assert rejects(docs) == [
        ("invalid_json", "c.ndjson.gz:2: Expecting property name enclosed in double quotes at line 2 column 2")
    ]


def test_a_link_to_nowhere_in_the_folder_is_a_reject_not_skipped(tmp_path):
    (tmp_path / "a.jsonl").write_bytes(_jsonl(ARTICLES))
    (tmp_path / "gone.jsonl").symlink_to(tmp_path / "moved-away.jsonl")
    docs = read("jsonl", tmp_path)
    assert good(docs) == expected(ARTICLES)
    [(reason, detail)] = rejects(docs)
    assert reason == "unreadable_file" and detail.startswith(
        "gone.jsonl:1: read error after 0 records (FileNotFoundError"
    )


def test_a_folder_that_cannot_be_listed_is_a_reject(tmp_path, monkeypatch):
    (tmp_path / "a.jsonl").write_bytes(_jsonl(ARTICLES))
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.jsonl").write_bytes(_jsonl(articles(1, prefix="h")))
    real_scandir = os.scandir

    def scandir(path="."):  # what os.walk meets in a folder without read permission
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    docs = read("jsonl", tmp_path)
    assert good(docs) == expected(ARTICLES)
    assert rejects(docs) == [
        (
            "unreadable_file",
            f"locked: cannot list this folder (PermissionError: [Errno 13] Permission denied: '{locked}')",
        )
    ]

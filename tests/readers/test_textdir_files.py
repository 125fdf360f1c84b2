"""textdir: every text file is read whatever the case of its suffix and its encoding,
pairs match across sub-folders, and a file that cannot be read is a reject."""

import os

import pytest

from tests.readers.support import read, rejects


def _put(root, rel: str, data: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def _pairs(docs):
    return {d["doc_id"]: (d["garbled"], d["clean"]) for d in docs if not d["reject"]}


def test_upper_case_suffixes_are_read_and_sub_folders_pair(tmp_path):
    _put(tmp_path, "garbled/A.TXT", "Teh first.")
    _put(tmp_path, "clean/A.TXT", "The first.")
    _put(tmp_path, "garbled/2024/jan/b.Txt", "Teh second.")
    _put(tmp_path, "clean/2024/jan/b.txt", "The second.")
    _put(tmp_path, "clean/notes.md", "not a text file")
    docs = read("textdir", tmp_path)
    assert _pairs(docs) == {"A": ("Teh first.", "The first."), "2024/jan/b": ("Teh second.", "The second.")}
    assert not rejects(docs)


def test_two_files_for_one_name_are_a_reject_not_a_silent_pick(tmp_path):
    _put(tmp_path, "clean/a.txt", "One.")
    _put(tmp_path, "clean/a.TXT", "Other.")
    docs = read("textdir", tmp_path)
    assert _pairs(docs) == {"a": ("", "Other.")}  # sorted: a.TXT comes first
    assert rejects(docs) == [("duplicate_doc_id", "clean/a.txt: clean/a.TXT holds the same document")]


def test_source_encoding_and_a_bom_are_honoured(tmp_path):
    _put(tmp_path, "clean/latin.txt", "Le café a fermé.".encode("cp1252"))
    _put(tmp_path, "clean/bom.txt", "With a BOM.".encode("utf-16"))  # the codec writes the BOM
    assert _pairs(read("textdir", tmp_path, encoding="cp1252")) == {
        "bom": ("", "With a BOM."),
        "latin": ("", "Le café a fermé."),
    }
    docs = read("textdir", tmp_path)
    assert _pairs(docs) == {"bom": ("", "With a BOM.")}
    assert rejects(docs) == [
        (
            "bad_encoding",
            "clean/latin.txt: byte 0xe9 is not valid utf-8; if the corpus is in another encoding, "
            "set source.encoding=cp1252",
        )
    ]


def test_a_file_that_cannot_be_read_is_a_reject_and_the_rest_is_read(tmp_path):
    _put(tmp_path, "clean/a.txt", "Readable.")
    (tmp_path / "clean" / "b.txt").symlink_to("/proc/self/mem")
    try:
        (tmp_path / "clean" / "b.txt").read_bytes()
        pytest.skip("/proc/self/mem does not give EIO here")
    except OSError as e:
        if e.errno != 5:
            pytest.skip("/proc/self/mem does not give EIO here")
    _put(tmp_path, "clean/c.txt", "Also readable.")
    docs = read("textdir", tmp_path)
    assert _pairs(docs) == {"a": ("", "Readable."), "c": ("", "Also readable.")}
    assert rejects(docs) == [
        ("unreadable_file", "clean/b.txt: cannot read this file (OSError: [Errno 5] Input/output error)")
    ]


def test_a_read_error_is_a_reject_when_monkeypatched_at_open(tmp_path, monkeypatch):
    import builder.pipeline.readers.textdir as textdir

    _put(tmp_path, "garbled/a.txt", "Teh text.")
    _put(tmp_path, "clean/a.txt", "The text.")
    _put(tmp_path, "clean/b.txt", "Other text.")
    real_open = open

    def failing_open(path, *args, **kwargs):
        if os.fspath(path).endswith(os.path.join("garbled", "a.txt")):
            raise OSError(5, "Input/output error")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(textdir, "open", failing_open, raising=False)
    docs = read("textdir", tmp_path)
    assert _pairs(docs) == {"b": ("", "Other text.")}
    assert rejects(docs) == [
        ("unreadable_file", "garbled/a.txt: cannot read this file (OSError: [Errno 5] Input/output error)")
    ]


def test_a_file_far_over_max_chars_is_too_large_without_being_read_whole(tmp_path):
    _put(tmp_path, "clean/big.txt", "x" * 1000)
    _put(tmp_path, "clean/small.txt", "Small.")
    docs = read("textdir", tmp_path, max_chars=100)
    assert _pairs(docs) == {"small": ("", "Small.")}
    assert rejects(docs) == [("too_large", "clean/big.txt: over 404 bytes (source.max_chars=100)")]

"""What every reader gets from the base class: files in a fixed order, a file that fails
part-way turned into one reject while the next file is read, fields that cannot be
stored rejected with their name, and a misspelt ``source.fields`` name caught."""

import json
from pathlib import Path

import pytest

from builder.core.errors import ConfigError
from builder.pipeline.readers.base import Reader, Record
from tests.readers.support import read, rejects, source_cfg


class _Scripted(Reader):
    """Reads ``*.x`` files: each line is ``id|text``, ``!`` raises, ``!config`` is a config error."""

    kind = "scripted"
    suffixes = (".x",)

    def file_records(self, path: Path):
        for i, line in enumerate(path.read_text().splitlines(), 1):
            if line == "!config":
                raise ConfigError("source.columns=[...] is needed")
            if line == "!":
                raise RuntimeError("the parser lost its place")
            doc_id, text = line.split("|")
            yield Record(f"{path.name}:{i}", {"id": doc_id, "text": text})


def _scripted(tmp_path, files: dict[str, str], **overrides):
    for name, content in files.items():
        (tmp_path / name).write_text(content)
    return list(_Scripted(source_cfg("jsonl", tmp_path, **overrides)).documents())


def test_an_unexpected_error_ends_only_that_file_with_one_reject(tmp_path):
    docs = _scripted(
        tmp_path, {"b.x": "b1|Bee one.\nb2|Bee two.\n!\nb3|never read\n", "a.x": "a1|Ay.\n", "c.x": "c1|Sea."}
    )
    assert [(d["doc_id"], d["reject"]) for d in docs] == [
        ("a1", ""),
        ("b1", ""),
        ("b2", ""),
        ("test:b.x:3", "unreadable_file"),
        ("c1", ""),
    ]
    assert (
        docs[3]["reject_detail"] == "b.x:3: reading stopped after 2 records (RuntimeError: the parser lost its place)"
    )


def test_a_failure_before_the_first_record_points_at_the_start_of_the_file(tmp_path):
    docs = _scripted(tmp_path, {"a.x": "!\n", "b.x": "b1|Bee."})
    assert rejects(docs) == [
        ("unreadable_file", "a.x:1: reading stopped after 0 records (RuntimeError: the parser lost its place)")
    ]
    assert docs[1]["doc_id"] == "b1"


def test_a_config_error_from_a_file_stops_the_build(tmp_path):
    with pytest.raises(ConfigError, match=r"source.columns"):
        _scripted(tmp_path, {"a.x": "a1|Ay.\n!config\n"})


def test_a_mapped_field_no_record_has_is_one_config_error_at_the_end(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        "\n".join(json.dumps({"id": f"i{i}", "text": "Some text.", "date": "2024-01-01"}) for i in range(3))
    )
    reader_docs = []
    with pytest.raises(ConfigError) as err:
        from builder.pipeline.readers import make_reader

        for doc in make_reader(source_cfg("jsonl", tmp_path / "a.jsonl", **{"fields.garbled": "nosuch"})).documents():
            reader_docs.append(doc)
    assert str(err.value) == "source.fields.garbled='nosuch': no record has this field (fields seen: id, text, date)"
    assert len(reader_docs) == 3  # every record was read first


def test_a_mapped_field_some_record_has_is_fine_and_no_records_is_no_error(tmp_path):
    lines = [json.dumps({"id": "a", "text": "One."}), json.dumps({"id": "b", "text": "Two.", "ocr": "Tw0."})]
    (tmp_path / "a.jsonl").write_text("\n".join(lines))
    docs = read("jsonl", tmp_path / "a.jsonl", **{"fields.garbled": "ocr"})
    assert [d["garbled"] for d in docs] == ["", "Tw0."]
    (tmp_path / "empty.jsonl").write_text("")
    assert read("jsonl", tmp_path / "empty.jsonl", **{"fields.garbled": "nosuch"}) == []
    lines.insert(0, json.dumps({"id": "c", "text": "Three."}))
    (tmp_path / "b.jsonl").write_text("\n".join(lines))
    assert len(read("jsonl", tmp_path / "b.jsonl", limit=1, **{"fields.garbled": "ocr"})) == 1  # may come later
    (tmp_path / "broken.jsonl").write_text("{oops\n")
    assert [d["reject"] for d in read("jsonl", tmp_path / "broken.jsonl", **{"fields.clean": "body"})] == [
        "invalid_json"
    ]


def _nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


class _Given(Reader):
    kind = "given"
    suffixes = (".x",)

    def __init__(self, cfg, records):
        super().__init__(cfg)
        self.given = records

    def file_records(self, path):
        yield from self.given


def test_fields_that_cannot_become_text_are_rejected_with_their_name(tmp_path):
    (tmp_path / "a.x").write_text("")
    records = [
        Record("a.x:1", {"id": "t", "text": "Fine.", "title": _nested(100_000)}),
        Record("a.x:2", {"id": "m", "text": "Fine.", "raw": _nested(100_000)}),
        Record("a.x:3", {"id": "k", "text": "Fine.", 7: "int key", "b": b"bytes"}),
    ]
    docs = list(_Given(source_cfg("jsonl", tmp_path), records).documents())
    assert [(d["doc_id"], d["reject"]) for d in docs] == [("t", "bad_field_type"), ("m", "bad_field_type"), ("k", "")]
    assert docs[0]["reject_detail"].startswith("a.x:1: field 'title' cannot be read as text (RecursionError")
    assert docs[1]["reject_detail"].startswith("a.x:2: field 'raw' cannot be kept in meta (RecursionError")
    assert json.loads(docs[2]["meta"]) == {"7": "int key", "b": "b'bytes'"}


def test_a_file_name_that_is_not_utf8_is_escaped_in_messages(tmp_path):
    (tmp_path / "a.x").write_text("")
    records = [Record("caf\udce9.jsonl:1", error="invalid_json", detail="Expecting value")]
    [doc] = _Given(source_cfg("jsonl", tmp_path), records).documents()
    assert doc["reject_detail"] == "caf\\udce9.jsonl:1: Expecting value"
    doc["doc_id"].encode("utf-8")

"""Reading in parts (one per file, as the Ray runner does) and assembling them gives the
documents one reader reading everything in order gives: the same numbering, the same
rejects, the first occurrence of an id kept."""

from __future__ import annotations

import gzip
import json

import pyarrow as pa
import pytest

from builder.core.errors import ConfigError
from builder.pipeline.readers import assemble as assembly
from builder.pipeline.readers import make_reader
from builder.pipeline.readers.assemble import assemble, write_part
from tests.readers.support import source_cfg


def _corpus(folder):
    folder.mkdir()
    lines = {
        "a.jsonl": [{"id": "g1", "text": "One."}, {"id": "g2", "text": "Two."}, {"id": "g1", "text": "Again."}],
        "b.jsonl": [{"id": "g2", "text": "Copy."}, {"id": "g3", "text": "Three."}],
        "c.jsonl": [],  # an empty file
    }
    for name, records in lines.items():
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with open(folder / "d.jsonl", "wb") as fh:  # bad bytes, a broken line, and an id a reject had
        fh.write(b'{"id": "g4", "text": "caf\xe9 latin-1"}\n{"id": "g5", "text": \n{"id": "g5", "text": "Five."}\n')
    with gzip.open(folder / "e.jsonl.gz", "wt", encoding="utf-8") as fh:
        for record in ({"id": "g3", "text": "Late copy."}, {"id": "g6", "text": "Six."}):
            fh.write(json.dumps(record) + "\n")
    return folder


def _in_parts(reader, tmp_path):
    paths, fields = [], reader.field_check()
    for i, (path, error) in enumerate(reader.parts()):
        part_fields = reader.field_check()
        paths.append(tmp_path / f"part-{i}.arrow")
        write_part(reader.part_documents(path, error, part_fields), paths[-1])
        fields.merge(part_fields)
    fields.check()
    out = tmp_path / "docs.arrow"
    assemble(paths, out)
    return pa.ipc.open_stream(pa.memory_map(str(out))).read_all().to_pylist()


def test_parts_assemble_into_the_documents_one_reader_gives(tmp_path):
    reader = make_reader(source_cfg("jsonl", _corpus(tmp_path / "in")))
    assert reader.by_file
    whole = list(reader.documents())
    parted = _in_parts(reader, tmp_path)
    assert parted == whole
    rejected = [(d["doc_seq"], d["reject"], d["origin"]) for d in parted if d["reject"]]
    assert [r[1] for r in rejected].count("duplicate_doc_id") == 3  # a.jsonl:3, b.jsonl:1, e.jsonl.gz:1
    assert ("duplicate_doc_id", "b.jsonl:1") in {(r[1], r[2]) for r in rejected}
    assert [d["doc_seq"] for d in parted] == list(range(len(parted)))


def test_colliding_keys_never_reject_a_new_id(tmp_path, monkeypatch):
    """With every id under one key, only real repeats are rejected."""
    monkeypatch.setattr(assembly, "_id_key", lambda doc_id: 7)
    reader = make_reader(source_cfg("jsonl", _corpus(tmp_path / "in")))
    assert _in_parts(reader, tmp_path) == list(reader.documents())


def test_a_field_no_part_has_is_a_config_error_and_one_part_having_it_is_enough(tmp_path):
    folder = _corpus(tmp_path / "in")
    with pytest.raises(ConfigError, match=r"source\.fields\.title='headline'"):
        _in_parts(make_reader(source_cfg("jsonl", folder, **{"fields.title": "headline"})), tmp_path)
    (folder / "f.jsonl").write_text(json.dumps({"id": "h", "text": "T.", "headline": "H"}) + "\n", encoding="utf-8")
    reader = make_reader(source_cfg("jsonl", folder, **{"fields.title": "headline"}))
    assert _in_parts(reader, tmp_path) == list(reader.documents())


def test_a_limit_or_a_reader_of_its_own_reads_in_one_stream(tmp_path):
    folder = _corpus(tmp_path / "in")
    assert not make_reader(source_cfg("jsonl", folder, limit=3)).by_file
    assert not make_reader(source_cfg("sample", "")).by_file

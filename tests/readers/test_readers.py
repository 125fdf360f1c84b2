"""Every reader yields the same documents from the same articles, and rejects what it
cannot read with a reason instead of dropping it."""

import gzip
import json

import pandas as pd
import pytest
from omegaconf import OmegaConf

from builder.app.config import ConfigError, SourceConfig
from builder.pipeline.readers import make_reader

ARTICLES = [
    {"id": "a1", "text": "The first article. It has two sentences.", "date": "2024-03-01", "title": "One"},
    {"id": "a2", "text": "The second article is here.", "date": "March 2, 2024", "title": "Two"},
]


def _cfg(kind, path, **kw):
    cfg = OmegaConf.structured(SourceConfig)
    cfg.kind, cfg.name, cfg.path = kind, "test", str(path)
    for k, v in kw.items():
        OmegaConf.update(cfg, k, v)
    return cfg


def _docs(kind, path, **kw):
    return list(make_reader(_cfg(kind, path, **kw)).documents())


def _good(docs):
    return [(d["doc_id"], d["clean"], d["date"]) for d in docs if not d["reject"]]


EXPECTED = [("a1", ARTICLES[0]["text"], "2024-03-01"), ("a2", ARTICLES[1]["text"], "2024-03-02")]


def test_jsonl_and_gzip(tmp_path):
    lines = "\n".join(json.dumps(a) for a in ARTICLES) + "\n"
    (tmp_path / "a.jsonl").write_text(lines)
    with gzip.open(tmp_path / "b.jsonl.gz", "wt") as fh:
        fh.write(lines)
    assert _good(_docs("jsonl", tmp_path / "a.jsonl")) == EXPECTED
    assert _good(_docs("jsonl", tmp_path / "b.jsonl.gz")) == EXPECTED


def test_parquet(tmp_path):
    pd.DataFrame(ARTICLES).to_parquet(tmp_path / "a.parquet")
    assert _good(_docs("parquet", tmp_path / "a.parquet")) == EXPECTED


def test_csv(tmp_path):
    pd.DataFrame(ARTICLES).to_csv(tmp_path / "a.csv", index=False)
    assert _good(_docs("csv", tmp_path / "a.csv")) == EXPECTED


def test_textdir_pairs_by_file_name(tmp_path):
    for sub, text in (("garbled", "Teh first artcle."), ("clean", "The first article.")):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "doc1.txt").write_text(text)
    (tmp_path / "clean" / "doc2.txt").write_text("Only clean.")
    (tmp_path / "garbled" / "doc3.txt").write_text("Only garbled.")
    docs = {d["doc_id"]: d for d in _docs("textdir", tmp_path)}
    assert docs["doc1"]["garbled"] == "Teh first artcle." and docs["doc1"]["clean"] == "The first article."
    assert docs["doc2"]["garbled"] == "" and not docs["doc2"]["reject"]
    assert docs["doc3"]["reject"] == "no_clean_reference"


def test_hf_local_dataset_folder_and_saved_copy(tmp_path):
    import datasets

    ds = datasets.Dataset.from_list(ARTICLES)
    ds.save_to_disk(str(tmp_path / "saved"))
    (tmp_path / "files").mkdir()
    ds.to_json(str(tmp_path / "files" / "train.jsonl"))
    assert _good(_docs("hf", tmp_path / "saved")) == EXPECTED
    assert _good(_docs("hf", tmp_path / "files")) == EXPECTED


def test_field_mapping(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"key": "k1", "body": "Mapped body text.", "ocr": "Mapped b0dy text."})
    )
    [doc] = _docs("jsonl", tmp_path / "a.jsonl", **{"fields.doc_id": "key", "fields.clean": "body"})
    assert (doc["doc_id"], doc["clean"], doc["garbled"]) == ("k1", "Mapped body text.", "Mapped b0dy text.")


def test_bad_records_become_rejects_with_reasons(tmp_path):
    rows = [
        json.dumps(ARTICLES[0]),
        "{not json",
        json.dumps([1, 2]),
        json.dumps({"id": "x", "text": 42}),
        json.dumps({"id": "y", "title": "no body"}),
        json.dumps({"id": "a1", "text": "Same id again."}),
        json.dumps({"id": "z", "noisy": "Only garbled."}),
        json.dumps({"id": "big", "text": "x" * 50}),
    ]
    path = tmp_path / "bad.jsonl"
    path.write_bytes(("\n".join(rows) + "\n").encode() + b'{"id": "enc", "text": "caf\xe9"}\n')
    docs = _docs("jsonl", path, max_chars=40)
    reasons = [d["reject"] for d in docs]
    assert reasons == [
        "",
        "invalid_json",
        "not_an_object",
        "bad_field_type",
        "no_text",
        "duplicate_doc_id",
        "no_clean_reference",
        "too_large",
        "bad_encoding",
    ]
    assert all(d["reject_detail"].startswith("bad.jsonl:") for d in docs[1:])
    assert [d["doc_seq"] for d in docs] == list(range(len(docs)))


def test_malformed_csv_row_is_a_reject(tmp_path):
    (tmp_path / "a.csv").write_text("id,text\nr1,Fine text here.\nr2,too,many,fields\nr3,Also fine.\n")
    docs = _docs("csv", tmp_path / "a.csv")
    assert [d["reject"] for d in docs] == ["", "malformed_row", ""]


def test_missing_input_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match=r"no .* files found"):
        make_reader(_cfg("jsonl", tmp_path / "missing.jsonl")).check()


def test_ids_are_derived_from_content_when_absent(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "No id here."}) + "\n")
    (tmp_path / "b.jsonl").write_text("\n" + json.dumps({"text": "No id here."}) + "\n")
    [a], [b] = _docs("jsonl", tmp_path / "a.jsonl"), _docs("jsonl", tmp_path / "b.jsonl")
    assert a["doc_id"] == b["doc_id"] and a["doc_id"].startswith("h")


def test_sample_reader_yields_the_seed_pair_and_lee_news():
    docs = _docs("sample", "")
    assert docs[0]["garbled"] and docs[0]["clean"]
    assert len(docs) == 301 and all(d["clean"] and not d["garbled"] for d in docs[1:])
    assert not any(d["reject"] for d in docs)

"""Input columns a user names (``source.keep``) and an existing split column (``split=column``)."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest
from datasets import Value, load_dataset

from builder.app.build import build
from builder.core import reasons
from builder.core.errors import ConfigError
from builder.core.schema import DOC_FEATURES, ROW_COLUMNS, ROW_FEATURES
from builder.pipeline.writers.keep import KeptColumns
from tests.conftest import compose_cfg
from tests.news import NEWS


def _records():
    """MT-like records: a source sentence, an HTER, a count, a split, and one field whose
    records disagree on its type."""
    out = []
    for i, text in enumerate(NEWS * 3):
        out.append(
            {
                "id": f"n{i:03d}",
                "noisy": text.replace("the", "teh"),
                "clean": text,
                "src": f"Quelle {i}",
                "hter": i / 10,
                "words": len(text.split()),
                "split": ("train", "dev", "test")[i % 3],
                "mixed": i if i % 2 else f"v{i}",
            }
        )
    return out


@pytest.fixture(scope="module")
def kept_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("keep")
    src = tmp / "mt.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in _records()))
    cfg = compose_cfg(
        tmp,
        "source=jsonl",
        f"source.path={src}",
        "noise=none",
        "split=column",
        "source.keep=[src,hter,words,mixed,title]",
        "dedup.near=false",
    )
    return build(cfg)


def test_kept_columns_are_written_with_their_types(kept_build):
    ds = load_dataset(str(kept_build.path))
    features = ds["train"].features
    assert {k: features[k] for k in ROW_FEATURES} == dict(ROW_FEATURES)
    assert features["src"] == Value("string")
    assert features["hter"] == Value("float64")
    assert features["words"] == Value("int64")
    assert features["mixed"] == Value("string")  # numbers and words: written as text
    by_doc = {r["id"]: r for r in _records()}
    for split in ds.values():
        for row in split:
            record = by_doc[row["doc_id"]]
            assert row["src"] == record["src"] and row["hter"] == pytest.approx(record["hter"])
            assert row["words"] == record["words"] and row["mixed"] == str(record["mixed"])


def test_the_split_column_places_every_document(kept_build):
    ds = load_dataset(str(kept_build.path))
    expected = {"train": "train", "dev": "validation", "test": "test"}
    by_doc = {r["id"]: expected[r["split"]] for r in _records()}
    for name, split in ds.items():
        assert {by_doc[d] for d in split["doc_id"]} == {name}


def test_the_card_pins_the_kept_features(kept_build):
    import yaml

    text = (kept_build.path / "README.md").read_text()
    meta = yaml.safe_load(text.split("---")[1])
    names = [f["name"] for f in meta["dataset_info"]["features"]]
    assert names == [*ROW_COLUMNS, "src", "hter", "words", "mixed", "title"]


def _docs(metas):
    rows = [
        {c: "" for c in DOC_FEATURES} | {"doc_seq": i, "doc_id": f"d{i}", "meta": json.dumps(m)}
        for i, m in enumerate(metas)
    ]
    return pa.Table.from_pylist(rows, schema=DOC_FEATURES.arrow_schema)


def test_a_field_no_record_has_is_a_config_error_naming_the_fields_seen():
    with pytest.raises(ConfigError, match=r"no record has a field 'htr' \(fields seen: hter, src\)"):
        KeptColumns.from_documents(_docs([{"hter": 0.1, "src": "a"}]), ["htr"], ROW_COLUMNS)


def test_a_field_that_shadows_a_row_column_is_refused():
    with pytest.raises(ConfigError, match="'clean' is already a column"):
        KeptColumns.from_documents(_docs([{}]), ["clean"], ROW_COLUMNS)


def test_missing_values_are_null_and_ints_with_decimals_are_float():
    kept = KeptColumns.from_documents(_docs([{"x": 1}, {}, {"x": 2.5}]), ["x"], ROW_COLUMNS)
    assert kept.features()["x"] == Value("float64")
    assert kept.take(pa.array([2, 1, 0]))["x"].to_pylist() == [2.5, None, 1.0]


def test_bad_split_values_are_rejected_with_their_reason(tmp_path):
    records = [
        {"id": f"n{i}", "text": t, "split": s}
        for i, (t, s) in enumerate(
            zip(NEWS, ["train", "TEST", "later", None, "dev", "valid", "train", "train", "train"], strict=False)
        )
    ]
    src = tmp_path / "c.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records))
    result = build(compose_cfg(tmp_path, "source=jsonl", f"source.path={src}", "split=column", "noise=typo"))
    rejects = [json.loads(line) for line in (result.path / "rejects.jsonl").read_text().splitlines()]
    assert {(r["doc_id"], r["reason"]) for r in rejects} == {
        ("n2", reasons.BAD_SPLIT_VALUE),
        ("n3", reasons.BAD_SPLIT_VALUE),
    }
    assert "'later' names no split" in next(r["detail"] for r in rejects if r["doc_id"] == "n2")

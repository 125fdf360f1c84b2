"""End to end: build into tmp_path, load it back with `datasets`, check what users rely on."""

import gc
import json

import pyarrow.parquet as pq
import pytest
from datasets import load_dataset

from builder.app.build import build
from builder.core.edits import replay
from builder.core.schema import ROW_FEATURES
from tests.conftest import compose_cfg


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    """The default build (``make data``), read by the tests that check what users rely on."""
    tmp = tmp_path_factory.mktemp("sample")
    return build(compose_cfg(tmp)), tmp


def _files(path):
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_sample_loads_with_three_nonempty_typed_splits(sample_build):
    result, _ = sample_build
    ds = load_dataset(str(result.path))
    assert set(ds) == {"train", "validation", "test"}
    for split in ds.values():
        assert len(split) > 0
        assert split.features == ROW_FEATURES
    kinds = set(ds["train"]["kind"]) | set(ds["test"]["kind"]) | set(ds["validation"]["kind"])
    assert kinds == {"real", "synthetic"}


def test_ledger_adds_up(sample_build):
    result, _ = sample_build
    stats = json.loads((result.path / "stats.json").read_text())
    d = stats["documents"]
    assert d["in"] == 301
    assert d["in"] == d["written"] + sum(d["filtered"].values()) + sum(d["rejected"].values())
    assert sum(stats["rows"]["written"].values()) == sum(stats["splits"].values())


def test_no_document_in_two_splits(sample_build):
    result, _ = sample_build
    ds = load_dataset(str(result.path))
    docs = {s: set(ds[s]["doc_id"]) for s in ds}
    assert not docs["train"] & docs["validation"]
    assert not docs["train"] & docs["test"]
    assert not docs["validation"] & docs["test"]


def test_every_row_replays_and_ids_are_unique(sample_build):
    result, _ = sample_build
    ds = load_dataset(str(result.path))
    ids = []
    for split in ds.values():
        for row in split:
            assert replay(row["clean"], row["edits"]) == row["garbled"]
            if row["garbled"] == row["clean"]:  # an identical pair kept by filter.keep_identical
                assert not row["edits"]
            ids.append(row["id"])
    assert len(ids) == len(set(ids))


def test_the_dataset_card_and_side_files(sample_build):
    result, _ = sample_build
    card = (result.path / "README.md").read_text()
    assert card.startswith("---\n") and "\nconfigs:" in card
    assert "dataset_info:" in card and "num_examples" in card
    assert (result.path / "config.yaml").read_text().startswith("source:")
    assert (result.path / "rejects.jsonl").exists()
    assert [p.name for p in (result.path / "filtered").iterdir()] == ["filtered-00000-of-00001.parquet"]
    assert pq.read_table(result.path / "filtered").num_rows > 0
    assert not list(result.path.parent.glob(".*"))  # no staging folders left


def test_two_builds_and_two_workers_give_the_same_bytes(sample_build, tmp_path):
    result, _ = sample_build
    again = build(compose_cfg(tmp_path / "a", "runner.workers=2", "runner.batch_size=5"))
    first, second = _files(result.path / "data"), _files(again.path / "data")
    assert first == second
    assert _files(result.path / "filtered") == _files(again.path / "filtered")


def test_null_reasons_count_as_none_in_the_files_as_in_the_ledger(sample_build, tmp_path, monkeypatch):
    """A rows step may leave a reason null: the writer reads it as the ledger does (no
    reason), so every row the ledger counts is in the files and none is lost."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from builder.pipeline.steps.leakage import Leakage

    result, _ = sample_build
    run = Leakage.run

    def nulls_for_empty(self, rows):
        rows = run(self, rows)
        for name in ("drop", "reject"):
            column = rows.column(name)
            nulled = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)
            rows = rows.set_column(rows.schema.get_field_index(name), name, nulled)
        return rows

    monkeypatch.setattr(Leakage, "run", nulls_for_empty)
    again = build(compose_cfg(tmp_path / "n"))
    assert again.stats["rows"] == result.stats["rows"]
    assert _files(again.path / "data") == _files(result.path / "data")
    filtered = pq.read_table(again.path / "filtered")  # its rows keep their own (null) reject
    at = filtered.schema.get_field_index("reject")
    filtered = filtered.set_column(at, "reject", pc.fill_null(filtered["reject"], ""))
    assert filtered.equals(pq.read_table(result.path / "filtered"))


def test_another_seed_changes_synthetic_rows_but_not_splits(sample_build, tmp_path):
    result, _ = sample_build
    other = build(compose_cfg(tmp_path, "seed=1"))
    a, b = load_dataset(str(result.path)), load_dataset(str(other.path))
    assert set(a["test"]["doc_id"]) == set(b["test"]["doc_id"])
    assert a["train"]["garbled"] != b["train"]["garbled"]


def test_bad_records_become_rejects_not_crashes(tmp_path, cfg_factory):
    path = tmp_path / "mixed.jsonl"
    good = [
        json.dumps(
            {
                "id": f"d{i}",
                "text": f"Article {i} says the council met on Monday. It approved a new budget for roads number {i}.",
            }
        )
        for i in range(20)
    ]
    path.write_text("\n".join([*good[:10], "{broken", json.dumps({"id": "e", "text": ""}), *good[10:]]) + "\n")
    result = build(
        cfg_factory(
            "source=jsonl",
            f"source.path={path}",
            "noise=typo",
            "noise.level=0.3",
            "split.test=0.2",
            "split.validation=0.2",
        )
    )
    stats = result.stats["documents"]
    assert stats["in"] == 22 and stats["rejected"] == {"invalid_json": 1, "no_text": 1}
    rejects = [json.loads(line) for line in (result.path / "rejects.jsonl").read_text().splitlines()]
    assert [r["reason"] for r in rejects] == ["invalid_json", "no_text"]
    assert "mixed.jsonl:11" in rejects[0]["detail"]


def test_a_failing_build_leaves_the_previous_dataset_untouched(tmp_path, cfg_factory, monkeypatch):
    import builder.app.build as build_module

    cfg = cfg_factory("source.include_lee=false", "noise=typo", "split.test=0", "split.validation=0")
    first = build(cfg)
    before = _files(first.path)

    def explode(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module.ShardWriter, "write", explode)
    with pytest.raises(KeyboardInterrupt):
        build(cfg)
    assert gc.get_freeze_count() == 0  # the objects the build set aside are the collector's again
    assert _files(first.path) == before
    # only the finished work is left beside it, for the next run to resume from
    assert sorted(p.name for p in first.path.parent.iterdir()) == [".sample.work", "sample"]
    monkeypatch.undo()
    again = build(cfg)
    assert again.resumed_chunks > 0 and again.replaced
    assert _files(again.path) == before
    assert [p.name for p in first.path.parent.iterdir()] == ["sample"]


def test_units_windows_and_documents(cfg_factory):
    for level in ("window", "document"):
        result = build(cfg_factory(f"units={level}", "write.name=" + level, "source.limit=60"))
        ds = load_dataset(str(result.path))
        rows = [r for s in ds.values() for r in s]
        assert rows and all(replay(r["clean"], r["edits"]) == r["garbled"] for r in rows)
        if level == "document":
            assert len({r["doc_id"] for r in rows}) == len(rows)
        else:
            assert max(len(r["clean"]) for r in rows if r["kind"] == "synthetic") <= 1000 + 400


def test_temporal_split_puts_the_newest_news_in_test(news_jsonl, cfg_factory):
    result = build(
        cfg_factory(
            "source=jsonl",
            f"source.path={news_jsonl}",
            "split=temporal",
            "split.test=0.2",
            "split.validation=0.2",
            "noise=typo",
            "noise.level=0.5",
            "filter.min_chars=5",
        )
    )
    ds = load_dataset(str(result.path))
    newest = max(ds["train"]["date"])
    assert all(d > newest for d in ds["test"]["date"])


def test_pairing_joins_garbled_documents_to_their_clean_originals(tmp_path, cfg_factory, seed_pair):
    """Garbled and clean files with unrelated names: pairing finds which belongs to which;
    the ledger counts the clean partner as paired and the lone garbled file as rejected."""
    (tmp_path / "pairs" / "garbled").mkdir(parents=True)
    (tmp_path / "pairs" / "clean").mkdir(parents=True)
    (tmp_path / "pairs" / "garbled" / "scan-0042.txt").write_text(seed_pair[0])
    (tmp_path / "pairs" / "clean" / "kursk-article.txt").write_text(seed_pair[1])
    (tmp_path / "pairs" / "garbled" / "scan-0043.txt").write_text(
        "Teh council met on Mondey and aproved the budjet for new roads. Residents welcomed the decison."
    )
    (tmp_path / "pairs" / "clean" / "weather.txt").write_text(
        "Heavy rain flooded roads across Queensland on Tuesday. Emergency services rescued dozens of drivers."
    )
    result = build(
        cfg_factory(
            "source=textdir",
            f"source.path={tmp_path / 'pairs'}",
            "pairing.enabled=true",
            "noise=typo",
            "noise.level=0.5",
            "split.test=0",
            "split.validation=0",
        )
    )
    docs = result.stats["documents"]
    assert docs["in"] == 4 and docs["paired"] == 1
    assert result.stats["steps"]["pair"] == {"paired": 1}  # counted by the step, not stored as a reject
    assert list(docs["rejected"]) in (["unpaired_below_min_score"], ["unpaired_no_candidate"])
    rejects = [json.loads(line) for line in (result.path / "rejects.jsonl").read_text().splitlines()]
    assert [r["doc_id"] for r in rejects] == ["scan-0043"]
    assert docs["in"] == docs["written"] + sum(docs["filtered"].values()) + sum(docs["rejected"].values()) + 1
    ds = load_dataset(str(result.path))
    real = [r for r in ds["train"] if r["kind"] == "real"]
    assert {r["doc_id"] for r in real} == {"scan-0042"} and len(real) > 25
    assert any("Witkoff" in r["clean"] and "Witkov" in r["garbled"] for r in real)


def test_large_splits_are_sharded_and_still_load(cfg_factory):
    result = build(cfg_factory("write.max_rows_per_shard=40", "write.name=sharded", "source.limit=60"))
    files = sorted(p.name for p in (result.path / "data").iterdir())
    train = [f for f in files if f.startswith("train-")]
    assert len(train) == -(-result.stats["splits"]["train"] // 40) > 1
    assert train[0] == f"train-00000-of-{len(train):05d}.parquet"
    ds = load_dataset(str(result.path))
    assert len(ds["train"]) == result.stats["splits"]["train"]
    assert all(pq.ParquetFile(result.path / "data" / f).metadata.num_rows <= 40 for f in files)
    # the filtered rows too: no Parquet file (and no writer's metadata) grows with the corpus
    filtered = sorted((result.path / "filtered").iterdir())
    n_filtered = sum(result.stats["rows"]["filtered"].values())
    assert len(filtered) == -(-n_filtered // 40) > 1
    n = len(filtered)
    assert [p.name for p in filtered] == [f"filtered-{k:05d}-of-{n:05d}.parquet" for k in range(n)]
    assert all(pq.ParquetFile(p).metadata.num_rows <= 40 for p in filtered)
    assert pq.read_table(result.path / "filtered").num_rows == n_filtered


def test_the_work_folder_is_reported_and_removed(sample_build):
    result, _ = sample_build
    work = [p for p in result.path.parent.iterdir() if p.name.endswith(".work")]
    assert work == []
    # the documents and rows of 301 articles went through it: some megabytes, not nothing
    assert 1 < result.timing["work_folder_mb"] < 200

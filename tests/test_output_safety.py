"""The builder only ever replaces a folder it built, under a name it checked."""

from __future__ import annotations

import errno
import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from builder.app.build import build, dataset_name
from builder.core.errors import BuildError, ConfigError
from builder.pipeline.writers.lock import BuildLock
from tests.news import NEWS
from tests.paths import PROJECT_DIR


def _corpus(path, n=12, prefix="n"):
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            text = f"{NEWS[i % len(NEWS)]} The report, number {i}, was filed on Friday."
            fh.write(json.dumps({"id": f"{prefix}{i}", "text": text}) + "\n")
    return path


def _tree(path):
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


JSONL = ("source=jsonl", "noise=typo", "noise.level=0.4", "split.test=0", "split.validation=0")


@pytest.fixture
def root_with_neighbours(tmp_path):
    """A write.root that already holds things the builder did not make."""
    root = tmp_path / "out"
    (root / "other_dataset" / "data").mkdir(parents=True)
    (root / "other_dataset" / "data" / "train-00000-of-00001.parquet").write_bytes(b"not ours")
    (root / "notes.txt").write_text("keep me")
    return root


@pytest.mark.parametrize(
    "override", ["source.name=.", "source.name=..", "write.name=.", "write.name=..", "write.name=.x"]
)
def test_a_name_that_is_not_a_plain_folder_is_refused_and_nothing_is_touched(
    override, tmp_path, cfg_factory, root_with_neighbours
):
    before = _tree(root_with_neighbours)
    corpus = _corpus(tmp_path / "news.jsonl")
    with pytest.raises(ConfigError, match=r"usable folder name|plain folder name"):
        build(cfg_factory(*JSONL, f"source.path={corpus}", f"write.root={root_with_neighbours}", override))
    assert _tree(root_with_neighbours) == before


def test_a_folder_the_builder_did_not_make_is_never_replaced(tmp_path, cfg_factory, root_with_neighbours):
    corpus = _corpus(tmp_path / "news.jsonl")
    before = _tree(root_with_neighbours)
    cfg = cfg_factory(*JSONL, f"source.path={corpus}", f"write.root={root_with_neighbours}", "write.name=other_dataset")
    with pytest.raises(BuildError, match="not built by garble-builder"):
        build(cfg)
    assert _tree(root_with_neighbours) == before
    assert sorted(p.name for p in root_with_neighbours.iterdir()) == ["notes.txt", "other_dataset"]


def test_a_dataset_of_an_earlier_version_counts_as_the_builders_own(tmp_path, cfg_factory):
    corpus = _corpus(tmp_path / "news.jsonl")
    old = tmp_path / "out" / "news"
    old.mkdir(parents=True)
    (old / "README.md").write_text("# news\n\nGarbled/clean pairs ...,\nbuilt by garble-builder. Real rows ...\n")
    (old / "stats.json").write_text(json.dumps({"ledger_balanced": True, "documents": {}}))
    result = build(cfg_factory(*JSONL, f"source.path={corpus}"))
    assert result.replaced and result.path == old
    assert (old / ".garble-builder.json").exists()


def test_overwrite_false_keeps_the_earlier_build(tmp_path, cfg_factory):
    corpus = _corpus(tmp_path / "news.jsonl")
    first = build(cfg_factory(*JSONL, f"source.path={corpus}"))
    before = _tree(first.path)
    with pytest.raises(BuildError, match=r"write\.overwrite=false"):
        build(cfg_factory(*JSONL, f"source.path={corpus}", "write.overwrite=false", "seed=3"))
    assert _tree(first.path) == before


def test_the_default_name_comes_from_the_input_so_two_corpora_do_not_collide(tmp_path, cfg_factory):
    a = _corpus(tmp_path / "agency.jsonl", prefix="a")
    b = _corpus(tmp_path / "wire.jsonl.gz".replace(".gz", ""), prefix="b")
    first = build(cfg_factory(*JSONL, f"source.path={a}"))
    second = build(cfg_factory(*JSONL, f"source.path={b}"))
    assert (first.path.name, second.path.name) == ("agency", "wire")
    assert first.path.exists() and second.path.exists()
    # the source column keeps the source's name, as before
    assert set(pq.read_table(first.path / "data").column("source").to_pylist()) == {"jsonl"}


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (("source=jsonl", "source.path=/data/news.jsonl.gz"), "news"),
        (("source=jsonl", "source.path=/data/dump/"), "dump"),
        (("source=parquet", "source.path=/data/shards/*.parquet"), "shards"),
        (("source=jsonl", "source.path=/data/news.jsonl", "source.name=wire"), "wire"),
        (("source=hf", "source.path=someone/news_corpus"), "someone_news_corpus"),
        (("source=sample",), "sample"),
        (("source=jsonl", "source.path=/data/news.jsonl", "write.name=mine"), "mine"),
    ],
)
def test_dataset_names(overrides, expected, cfg_factory):
    assert dataset_name(cfg_factory(*overrides)) == expected


def test_a_sweep_point_gets_its_own_folder_even_with_a_fixed_name(cfg_factory):
    cfg = cfg_factory("write.name=mine")
    assert dataset_name(cfg, "noise.level=0.1") == "mine__noise.level=0.1"


def test_write_root_that_is_a_file_is_one_line(tmp_path, cfg_factory):
    corpus = _corpus(tmp_path / "news.jsonl")
    (tmp_path / "afile").write_text("x")
    with pytest.raises(BuildError, match="is a file"):
        build(cfg_factory(*JSONL, f"source.path={corpus}", f"write.root={tmp_path / 'afile'}"))
    assert (tmp_path / "afile").read_text() == "x"


def test_write_root_that_is_not_writable_is_one_line(tmp_path, cfg_factory, monkeypatch):
    import builder.pipeline.writers.target as target

    corpus = _corpus(tmp_path / "news.jsonl")
    # tests run as root, where permissions are not enforced: the OS call answers as for a read-only folder
    monkeypatch.setattr(target.os, "access", lambda path, mode: False)
    with pytest.raises(BuildError, match="is not writable"):
        build(cfg_factory(*JSONL, f"source.path={corpus}"))


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EROFS, errno.EIO])
def test_a_disk_fault_while_writing_is_one_line_and_leaves_the_earlier_dataset(tmp_path, cfg_factory, monkeypatch, err):
    import pyarrow.parquet

    corpus = _corpus(tmp_path / "news.jsonl")
    first = build(cfg_factory(*JSONL, f"source.path={corpus}"))
    before = _tree(first.path)

    def fail(self, *args, **kwargs):
        raise OSError(err, __import__("os").strerror(err), str(first.path.parent / ".news.tmp" / "data"))

    monkeypatch.setattr(pyarrow.parquet.ParquetWriter, "write_table", fail)
    with pytest.raises(BuildError, match=__import__("os").strerror(err)) as info:
        build(cfg_factory(*JSONL, f"source.path={corpus}", "seed=5"))
    assert "\n" not in str(info.value)
    assert _tree(first.path) == before
    assert not (first.path.parent / ".news.tmp").exists()


def test_a_second_build_of_the_same_name_refuses_at_once_and_names_the_first(tmp_path, cfg_factory):
    corpus = _corpus(tmp_path / "news.jsonl")
    root = tmp_path / "out"
    root.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from builder.pipeline.writers.lock import BuildLock; "
            f"lock = BuildLock(Path({str(root / '.news.lock')!r}), 'x'); lock.acquire(); print('held', flush=True); "
            "time.sleep(120)",
        ],
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(BuildError, match=f"another build is writing .*pid {holder.pid}"):
            build(cfg_factory(*JSONL, f"source.path={corpus}"))
        assert not (root / "news").exists()
    finally:
        holder.kill()
        holder.wait()
    # the kernel dropped the dead holder's lock: no stale lock stops the next build
    assert build(cfg_factory(*JSONL, f"source.path={corpus}")).path.exists()
    assert sorted(p.name for p in root.iterdir()) == ["news"]


def test_the_lock_is_released_when_the_build_ends(tmp_path):
    lock_path = tmp_path / ".x.lock"
    with BuildLock(lock_path, "x"), pytest.raises(BuildError, match="another build"):
        BuildLock(lock_path, "x").acquire()
    assert not lock_path.exists()
    with BuildLock(lock_path, "x"):
        pass

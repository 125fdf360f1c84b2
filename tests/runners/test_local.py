"""The local runner hands its process work to do while its workers build the rows."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from builder.app import build as build_module


@pytest.mark.parametrize("workers", [1, 2])
def test_the_driver_prepares_the_writers_imports_while_its_workers_build_rows(
    cfg_factory, news_jsonl, monkeypatch, workers
):
    calls = []

    def meanwhile() -> None:
        calls.append((os.getpid(), len(multiprocessing.active_children())))

    monkeypatch.setattr(build_module, "load_matplotlib", meanwhile)
    cfg = cfg_factory(
        "source=jsonl", f"source.path={news_jsonl}", "noise=typo", f"runner.workers={workers}", "runner.chunk_size=2"
    )
    build_module.build(cfg)
    if workers == 1:
        assert calls == []  # no worker to hand the imports on to: the plots import them when drawn
    else:
        assert calls == [(os.getpid(), 2)]  # once, here, with the row workers already started


def _files(folder):
    """JSONL files with an id repeated across files, a broken line, a file of bad bytes,
    an empty file, a field set in one file only, and a gzip file."""
    import gzip
    import json

    from tests.news import NEWS

    folder.mkdir()
    for f in range(3):
        lines = [json.dumps({"id": f"s{f}-{i}", "text": f"{story} Note {f}.{i}."}) for i, story in enumerate(NEWS)]
        lines += [json.dumps({"id": "s0-1", "text": "A later record with an id already used."}), '{"id": "bro']
        (folder / f"part-{f}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "part-3.jsonl").write_bytes(b'{"id": "latin", "text": "caf\xe9 au lait, a story of its own."}\n')
    (folder / "part-4.jsonl").write_bytes(b"")
    (folder / "sub").mkdir()
    record = {"id": "z", "text": f"{NEWS[0]} Gzipped.", "title": "only here"}
    (folder / "sub" / "part-5.jsonl.gz").write_bytes(gzip.compress(json.dumps(record).encode() + b"\n"))
    return folder


def test_several_files_are_read_on_the_workers_with_the_bytes_of_one_stream(cfg_factory, tmp_path, monkeypatch):
    """At two workers the files are read a file a task; the dataset, its rejects and its
    ledger are those of reading them in one stream at one worker."""
    from builder.runners.local import LocalRunner

    corpus = _files(tmp_path / "in")
    reads = []
    original = LocalRunner.run_tasks

    def run_tasks(self, function, tasks, *args):
        reads.append((function.__name__, len(tasks)))
        return original(self, function, tasks, *args)

    monkeypatch.setattr(LocalRunner, "run_tasks", run_tasks)
    common = ("source=jsonl", f"source.path={corpus}", "noise=typo", "runner.chunk_size=4")
    one = build_module.build(cfg_factory(*common, "write.name=one"))
    assert reads == []  # one worker: one stream
    two = build_module.build(cfg_factory(*common, "runner.workers=2", "write.name=two"))
    assert reads == [("read_part", 6)]  # five files and a gzip file in a subfolder
    for name in ("data", "filtered"):
        files = sorted(p.name for p in (one.path / name).iterdir())
        assert files == sorted(p.name for p in (two.path / name).iterdir())
        for file in files:
            assert (one.path / name / file).read_bytes() == (two.path / name / file).read_bytes()
    assert (one.path / "rejects.jsonl").read_bytes() == (two.path / "rejects.jsonl").read_bytes()
    assert two.stats["documents"] == one.stats["documents"]
    assert one.stats["documents"]["rejected"] == {"bad_encoding": 1, "duplicate_doc_id": 3, "invalid_json": 3}
    assert not (two.path.parent / ".two.work").exists() and not list(tmp_path.rglob("read-parts"))


def test_one_large_file_is_read_in_ranges_on_the_workers(cfg_factory, news_jsonl, monkeypatch):
    """A file large enough to cut (here: anything, the minimum range lowered) is read a
    byte range a task at two workers, with the bytes of one stream at one worker."""
    from builder.pipeline.readers import ranges
    from builder.runners.local import LocalRunner

    monkeypatch.setattr(ranges, "RANGE_MIN_BYTES", 256)
    tasks = []
    original = LocalRunner.run_tasks

    def run_tasks(self, function, work, *args):
        tasks.append((function.__name__, [t[5] is not None for t in work]))
        return original(self, function, work, *args)

    monkeypatch.setattr(LocalRunner, "run_tasks", run_tasks)
    common = ("source=jsonl", f"source.path={news_jsonl}", "noise=typo", "runner.chunk_size=4")
    one = build_module.build(cfg_factory(*common, "write.name=one"))
    two = build_module.build(cfg_factory(*common, "runner.workers=2", "write.name=two"))
    assert [name for name, _ in tasks] == ["read_part"] and len(tasks[0][1]) > 1 and all(tasks[0][1])
    for name in ("data", "filtered"):
        for file in sorted((one.path / name).iterdir()):
            assert file.read_bytes() == (two.path / name / file.name).read_bytes()
    assert (one.path / "rejects.jsonl").read_bytes() == (two.path / "rejects.jsonl").read_bytes()
    assert two.stats["documents"] == one.stats["documents"]

"""The Ray runner on a real cluster of two nodes (a head and a worker node, each a set of
Ray processes of its own, started by Ray's multi-node test cluster): the input is read a
byte range of a file per task and the chunks are built and saved by tasks, and the
dataset is the local runner's, byte for byte."""

from __future__ import annotations

import json

import pytest

from builder.app.build import build
from tests.news import ARTICLES, NEWS

ray = pytest.importorskip("ray", reason="the Ray runner needs the ray extra (installed by make test)")


def _corpus(folder):
    """A few JSONL files of news, with an id repeated across files and a broken line."""
    folder.mkdir()
    for f in range(4):
        with open(folder / f"part-{f}.jsonl", "w", encoding="utf-8") as fh:
            for i, story in enumerate([*NEWS, *ARTICLES.values()]):
                fh.write(json.dumps({"id": f"s{f}-{i}", "text": f"{story} Report {f}.{i}."}) + "\n")
            fh.write(json.dumps({"id": "s0-0", "text": "A later record with an id already used."}) + "\n")
            fh.write('{"id": "broken", "text": \n')
    return folder


@pytest.mark.ray
@pytest.mark.slow
def test_a_two_node_cluster_builds_the_local_runners_bytes(cfg_factory, tmp_path, monkeypatch):
    from ray.cluster_utils import Cluster

    from builder.pipeline.readers import ranges

    # the driver plans each file as byte ranges (their tasks run on either node), the
    # minimum range lowered so that these small files are cut too
    monkeypatch.setattr(ranges, "RANGE_MIN_BYTES", 512)
    from builder.runners.ray import RayRunner

    reads = []
    original = RayRunner.run_tasks

    def run_tasks(self, function, tasks, *args):
        reads.append((function.__name__, len(tasks), sum(t[-1] is not None for t in tasks)))
        return original(self, function, tasks, *args)

    monkeypatch.setattr(RayRunner, "run_tasks", run_tasks)
    corpus = _corpus(tmp_path / "in")
    common = ("source=jsonl", f"source.path={corpus}", "runner.chunk_size=8", "runner.batch_size=4", "noise=typo")
    local = build(cfg_factory(*common, "write.name=local"))
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    try:
        cluster.add_node(num_cpus=1)
        cluster.wait_for_nodes()
        assert len(cluster.list_all_nodes()) == 2  # a head and a worker node, each its own raylet
        on_ray = build(cfg_factory(*common, "runner=ray", f"runner.address={cluster.address}", "write.name=ray"))
    finally:
        ray.shutdown()
        cluster.shutdown()
    names = sorted(p.name for p in (local.path / "data").iterdir())
    assert names == sorted(p.name for p in (on_ray.path / "data").iterdir())
    for name in names:
        assert (local.path / "data" / name).read_bytes() == (on_ray.path / "data" / name).read_bytes()
    for path in sorted((local.path / "filtered").iterdir()):
        assert path.read_bytes() == (on_ray.path / "filtered" / path.name).read_bytes()
    assert (local.path / "rejects.jsonl").read_bytes() == (on_ray.path / "rejects.jsonl").read_bytes()
    assert on_ray.stats["documents"]["rejected"] == {"duplicate_doc_id": 4, "invalid_json": 4}
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".work")]
    counting, reading = reads[:2]
    assert counting[0] == "line_breaks" and reading[0] == "read_part" and reading[1] == reading[2] > 4

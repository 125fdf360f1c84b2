"""The Ray runner, on a real local Ray instance, gives the local runner's bytes."""

import pytest

from builder.app.build import build

pytest.importorskip("ray", reason="the Ray runner needs the ray extra (installed by make test)")


@pytest.mark.ray
@pytest.mark.slow
def test_ray_runner_matches_local_runner(cfg_factory, tmp_path):
    common = ("source.limit=40", "runner.batch_size=16")
    local = build(cfg_factory(*common, "write.name=local"))
    on_ray = build(cfg_factory(*common, "runner=ray", "runner.workers=2", "write.name=ray"))
    for path in sorted((local.path / "data").iterdir()):
        assert path.read_bytes() == (on_ray.path / "data" / path.name).read_bytes()
    for path in sorted((local.path / "filtered").iterdir()):
        assert path.read_bytes() == (on_ray.path / "filtered" / path.name).read_bytes()
    assert on_ray.stats["documents"] == local.stats["documents"]

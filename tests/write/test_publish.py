from builder.pipeline.writers.publish import publish


def test_publish_replaces_the_old_dataset_in_one_rename(tmp_path):
    final = tmp_path / "ds"
    final.mkdir()
    (final / "old.txt").write_text("old")
    staging = tmp_path / ".ds.tmp"
    staging.mkdir()
    (staging / "new.txt").write_text("new")
    publish(staging, final, tmp_path / ".ds.old")
    assert [p.name for p in final.iterdir()] == ["new.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["ds"]

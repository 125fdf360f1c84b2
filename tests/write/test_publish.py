from builder.write.publish import publish, staging_dir


def test_publish_replaces_the_old_dataset_in_one_rename(tmp_path):
    final = tmp_path / "ds"
    final.mkdir()
    (final / "old.txt").write_text("old")
    staging = staging_dir(final, "tmp")
    staging.mkdir()
    (staging / "new.txt").write_text("new")
    publish(staging, final)
    assert [p.name for p in final.iterdir()] == ["new.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["ds"]

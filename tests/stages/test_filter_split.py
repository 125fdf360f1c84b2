from builder.pipeline.steps.filter import Filter
from builder.pipeline.steps.split import Split


def _row(garbled, clean, **kw):
    row = {
        "kind": "synthetic",
        "garbled": garbled,
        "clean": clean,
        "align": "1-1",
        "align_score": 1.0,
        "boilerplate": "",
        "drop": "",
        "reject": "",
    }
    row.update(kw)
    return row


def test_filter_reasons(cfg_factory):
    f = Filter(cfg_factory("filter.min_align_score=0.5").filter, drop_boilerplate=True)
    ok = "A perfectly ordinary sentence."
    assert f.reason(_row(ok.replace("ordinary", "ordnary"), ok)) == ""
    assert f.reason(_row(ok, ok)) == "identical"
    assert f.reason(_row("short", "shorts")) == "too_short"
    assert f.reason(_row("x" * 6000, "y" * 6000)) == "too_long"
    assert f.reason(_row(ok * 4, ok)) == "length_ratio"
    assert f.reason(_row(ok, "", align="1-0")) == "unaligned"
    assert f.reason(_row(ok + "!", ok, boilerplate="credit")) == "boilerplate"
    assert f.reason(_row(ok + "!", ok, kind="real", align_score=0.4)) == "low_align_score"


def test_hash_split_is_stable_and_follows_ratios(cfg_factory):
    s = Split(cfg_factory("split.test=0.2", "split.validation=0.1").split)
    ids = [f"doc-{i}" for i in range(4000)]
    first = [s.assign(i, "src", "") for i in ids]
    assert first == [s.assign(i, "src", "") for i in ids]
    share = {k: first.count(k) / len(ids) for k in ("train", "validation", "test")}
    assert abs(share["test"] - 0.2) < 0.03 and abs(share["validation"] - 0.1) < 0.03


def test_split_by_group_key_keeps_a_source_together(cfg_factory):
    s = Split(cfg_factory("split.key=source").split)
    assert len({s.assign(f"d{i}", "bbc", "") for i in range(100)}) == 1


def test_temporal_split_with_fixed_dates(cfg_factory):
    s = Split(cfg_factory("split=temporal", "split.validation_from=2024-06-01", "split.test_from=2024-09-01").split)
    assert [s.assign("d", "s", d) for d in ("2024-01-01", "2024-07-01", "2024-09-01", "")] == [
        "train",
        "validation",
        "test",
        "train",
    ]

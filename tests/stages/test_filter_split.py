import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
        "doc_hash": "h0",
        "unit_idx": 0,
        "drop": "",
        "reject": "",
    }
    row.update(kw)
    return row


def test_filter_reasons(cfg_factory):
    f = Filter(cfg_factory("filter.min_align_score=0.5", "filter.keep_identical=0").filter, drop_boilerplate=True)
    ok = "A perfectly ordinary sentence."
    assert f.reason(_row(ok.replace("ordinary", "ordnary"), ok)) == ""
    assert f.reason(_row(ok, ok)) == "identical"
    assert f.reason(_row("short", "shorts")) == "too_short"
    assert f.reason(_row("x" * 6000, "y" * 6000)) == "too_long"
    assert f.reason(_row(ok * 4, ok)) == "length_ratio"
    assert f.reason(_row(ok, "", align="1-0")) == "unaligned"
    assert f.reason(_row(ok + "!", ok, boilerplate="credit")) == "boilerplate"
    assert f.reason(_row(ok + "!", ok, kind="real", align_score=0.4)) == "low_align_score"


def test_keep_identical_keeps_its_share_the_same_way_every_time(cfg_factory):
    ok = "A perfectly ordinary sentence."
    rows = [_row(ok, ok, doc_hash=f"h{d}", unit_idx=u) for d in range(200) for u in range(10)]
    for share in (0.0, 0.15, 0.5, 1.0):
        f = Filter(cfg_factory(f"filter.keep_identical={share}").filter, seed=3)
        kept = [f.reason(r) == "" for r in rows]
        assert abs(sum(kept) / len(rows) - share) < 0.03
        assert kept == [f.reason(r) == "" for r in rows]
    other_seed = Filter(cfg_factory("filter.keep_identical=0.5").filter, seed=4)
    assert [other_seed.reason(r) for r in rows] != [f.reason(r) for r in rows]


def test_keep_identical_never_keeps_a_row_another_filter_drops(cfg_factory):
    f = Filter(cfg_factory("filter.keep_identical=1").filter)
    assert f.reason(_row("short", "short")) == "too_short"


def test_the_old_drop_identical_key_says_what_replaced_it():
    from builder.app.cli import check_command_line
    from builder.core.errors import ConfigError

    with pytest.raises(ConfigError, match=r"replaced by filter\.keep_identical"):
        check_command_line(["filter.drop_identical=false"])


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


def _first_broken_rule(f: Filter, row: dict) -> str:
    """The rules one row at a time, in their order: what the stage must give every row."""
    g, c = row["garbled"], row["clean"]
    shorter, longer = sorted((len(g), len(c)))
    if row["drop"] or row["reject"]:
        return row["drop"]
    if f.drop_unaligned and row["align"] in ("1-0", "0-1"):
        return "unaligned"
    if f.drop_boilerplate and row["boilerplate"]:
        return "boilerplate"
    if shorter < f.min_chars:
        return "too_short"
    if longer > f.max_chars:
        return "too_long"
    if longer > f.max_length_ratio * max(1, shorter):
        return "length_ratio"
    if g == c and not f.keeps_identical(row["doc_hash"], row["unit_idx"]):
        return "identical"
    if row["kind"] == "real" and row["align_score"] < f.min_align_score:
        return "low_align_score"
    return ""


_TEXTS = st.sampled_from(["", "short", "a plain sentence of words.", "x" * 60, "y" * 200, "z" * 6000])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "kind": st.sampled_from(["synthetic", "real", ""]),
                "garbled": _TEXTS,
                "clean": _TEXTS,
                "align": st.sampled_from(["1-1", "1-0", "0-1", "2-1"]),
                "align_score": st.floats(0, 1),
                "boilerplate": st.sampled_from(["", "credit"]),
                "doc_hash": st.sampled_from(["h0", "h1", "h2"]),
                "unit_idx": st.integers(0, 40),
                "drop": st.sampled_from(["", "", "no_units"]),
                "reject": st.sampled_from(["", "", "", "unreadable"]),
            }
        ),
        max_size=30,
    ),
    st.booleans(),
    st.sampled_from(["0", "0.5", "1"]),
)
def test_the_batch_gives_each_row_the_first_rule_it_breaks(rows, boilerplate, keep):
    from omegaconf import OmegaConf

    section = OmegaConf.create(
        {
            "min_chars": 10,
            "max_chars": 5000,
            "max_length_ratio": 3.0,
            "keep_identical": float(keep),
            "drop_unaligned": True,
            "min_align_score": 0.5,
        }
    )
    f = Filter(section, drop_boilerplate=boilerplate, seed=3)
    batch = {c: [r[c] for r in rows] for c in ("kind", "garbled", "clean", "align", "align_score", "boilerplate")}
    batch.update({c: [r[c] for r in rows] for c in ("doc_hash", "unit_idx", "drop", "reject")})
    assert f(batch)["drop"] == [_first_broken_rule(f, r) for r in rows]

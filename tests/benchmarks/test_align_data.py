"""The alignment benchmark's sets: gold that covers both sides once, in order, reproducibly.

Nothing here reads ../shared: the builders run on the project's sample article, on
small files written into tmp_path and on hand-made sentences.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from benchmarks import align_data as ad
from builder.core.resources import SAMPLE_DIR
from builder.noise.structure import CAPTIONS, StructureRates, clean_text, garbled_text
from builder.text.normalize import normalize_text
from builder.text.segment import Segmenter

#: High enough that a few short documents meet every kind of group.
HIGH = StructureRates(split=0.3, merge=0.3, drop=0.15, insert=0.3)
ALL_KINDS = {"1-1", "1-2", "2-1", "1-0", "0-1"}


def _sample_docs() -> list[tuple[str, str]]:
    text = (SAMPLE_DIR / "restored.txt").read_text(encoding="utf-8")
    reordered = "\n\n".join(reversed(text.split("\n\n")))
    return [("sample-a", text), ("sample-b", reordered), ("sample-c", text)]


def _assert_covers(case: ad.AlignCase) -> None:
    """Independent of ``ad.validate``: each side's indices once, in order; no empty group."""
    assert [i for g, _ in case.gold for i in g] == list(range(len(case.garbled)))
    assert [j for _, c in case.gold for j in c] == list(range(len(case.clean)))
    assert all(g or c for g, c in case.gold)


def _kinds(cases: list[ad.AlignCase]) -> Counter:
    return Counter(ad.group_type(g) for case in cases for g in case.gold)


# -- seed ---------------------------------------------------------------------------


def test_seed_set_groups_are_the_fixture_groups(seed_gold):
    (case,) = ad.seed_set()
    _assert_covers(case)
    got = [([case.garbled[i] for i in g], [case.clean[j] for j in c]) for g, c in case.gold]
    assert got == [(row["noisy"], row["clean"]) for row in seed_gold]
    assert _kinds([case]) == Counter({"1-1": 33, "2-1": 1, "1-2": 1})


def test_seed_set_rejects_a_gold_that_is_not_the_segmentation(tmp_path, seed_gold):
    rows = [dict(row) for row in seed_gold]
    rows[3]["clean"] = ["A sentence the segmenter never produced."]
    bad = tmp_path / "gold.jsonl"
    bad.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(ValueError, match="group 3"):
        ad.seed_set(gold_path=bad)


# -- synthetic ------------------------------------------------------------------------


@pytest.mark.parametrize("rates", [ad.RATES, HIGH], ids=["bench-rates", "high-rates"])
def test_synthetic_gold_covers_both_sides_and_replays_the_pieces(rates):
    recipe = ad.bench_recipe(rates)
    for doc_id, text in _sample_docs():
        case, pieces = ad.garble_case(doc_id, text, recipe)
        _assert_covers(case)
        normalized = normalize_text(text)
        assert case.clean == Segmenter().sentences(normalized)
        assert clean_text(pieces) == normalized
        groups = [p for p in pieces if p.is_group]
        assert case.garbled == [s for p in groups for s in p.garbled_sentences()]
        assert [c for _, c in case.gold] == [p.clean_idx for p in groups]
        # the garbled sentences are the garbled document's text, in order
        document, pos = garbled_text(pieces), 0
        for sentence in case.garbled:
            pos = document.index(sentence, pos) + len(sentence)


def test_synthetic_cases_meet_every_kind_of_group():
    assert set(_kinds(ad.synthetic_cases(_sample_docs(), rates=HIGH))) >= ALL_KINDS


def test_synthetic_cases_are_deterministic_and_seeded_per_document():
    first = ad.synthetic_cases(_sample_docs())
    assert first == ad.synthetic_cases(_sample_docs())
    a, _, c = first  # same text, different doc_id: garbled differently
    assert a.clean == c.clean and a.garbled != c.garbled


def test_spread_picks_evenly_from_first_to_last():
    assert ad.spread(list(range(101)), 5) == [0, 25, 50, 75, 100]
    assert ad.spread([1, 2], 5) == [1, 2]


# -- restructured real pairs ----------------------------------------------------------

_SUBJECTS = ["council", "minister", "union", "court", "company", "police", "school", "army", "bank", "city"]


def _hand_made_pairs(n: int = 40) -> tuple[list[str], list[str]]:
    """Garbled sentences with clause boundaries (for splits) and final stops (for merges)."""
    garbled = [
        f"The {_SUBJECTS[i % 10]} said on day {i} that prices rose again, "
        f"and local traders expected more changes next week number {i}."
        for i in range(n)
    ]
    clean = [f"Clean sentence {i}." for i in range(n)]
    return garbled, clean


def test_restructured_case_keeps_the_true_mapping():
    garbled, clean = _hand_made_pairs()
    case = ad.restructured_case("hand", "doc-1", garbled, clean, rates=HIGH)
    _assert_covers(case)
    assert case.clean == clean
    for g, c in case.gold:
        parts = [case.garbled[i] for i in g]
        kind = ad.group_type((g, c))
        if kind == "1-1":
            assert parts == [garbled[c[0]]]
        elif kind == "1-0":
            assert parts[0] in CAPTIONS
        elif kind == "2-1":  # one sentence cut at its clause boundary
            assert garbled[c[0]].startswith(parts[0][:-1]) and garbled[c[0]].endswith(parts[1].split(" ", 2)[-1])
        elif kind == "1-2":  # two neighbours joined
            assert parts[0].startswith(garbled[c[0]][:-1].split(",")[0])
            assert parts[0].endswith(garbled[c[1]].split(" ", 1)[1])
        else:
            assert kind == "0-1"
    assert set(_kinds([case])) >= ALL_KINDS


def test_restructured_case_is_deterministic_and_checks_lengths():
    garbled, clean = _hand_made_pairs()
    assert ad.restructured_case("hand", "d", garbled, clean) == ad.restructured_case("hand", "d", garbled, clean)
    with pytest.raises(ValueError, match="39 garbled vs 40 clean"):
        ad.restructured_case("hand", "d", garbled[:-1], clean)


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_icdar_set_reads_segments_as_sentences(tmp_path):
    garbled, clean = _hand_made_pairs(12)
    rows = [
        {"id": "long", "noisy": "\n".join([*garbled, "  "]), "clean": "\n".join([*clean, "lost line"])},
        {"id": "short", "noisy": "\n".join(garbled[:4]), "clean": "\n".join(clean[:4])},
        {"id": "gappy", "noisy": "\n".join(["", *garbled[:5]]), "clean": "\n".join(["x", *clean[:5]])},
    ]
    cases = ad.icdar_set(path=_write_jsonl(tmp_path / "icdar.jsonl", rows))
    assert [c.name for c in cases] == ["long", "gappy"]  # 4 segments is too few; empty pairs dropped
    assert [c.clean for c in cases] == [clean, clean[:5]]
    for case in cases:
        _assert_covers(case)


def test_mlqe_set_builds_detokenised_single_language_documents(tmp_path):
    pytest.importorskip("sacremoses")
    rows = [
        {
            "id": f"{lang}-{i}",
            "src_lang": lang,
            "split": "dev",
            "noisy": f'The {lang} text , number {i} , was " translated " .',
            "clean": f'The {lang} text , number {i} , was " post-edited " .',
        }
        for lang in ("ro", "et")
        for i in range(100)
    ]
    path = _write_jsonl(tmp_path / "mlqe.jsonl", rows)
    cases = ad.mlqe_set(n_docs=4, min_sentences=20, max_sentences=30, path=path)
    assert cases == ad.mlqe_set(n_docs=4, min_sentences=20, max_sentences=30, path=path)
    assert [c.name.split("-")[0] for c in cases] == ["ro", "ro", "et", "et"]
    for case in cases:
        _assert_covers(case)
        assert 20 <= len(case.clean) <= 30
        assert case.clean[0].startswith(f"The {case.name.split('-')[0]} text, number ")
        assert case.clean[0].endswith('was "post-edited".')


# -- long -----------------------------------------------------------------------------


def test_long_set_concatenates_documents_up_to_each_size(monkeypatch):
    monkeypatch.setattr(ad, "_long_articles", lambda: ("sample", _sample_docs()))
    sizes = (10, 40, 250)  # 250 is more than the three documents hold: they are garbled again
    cases = ad.long_set(sizes)
    assert [c.name for c in cases] == ["sample-10", "sample-40", "sample-250"]
    all_clean = [s for _, text in _sample_docs() for s in Segmenter().sentences(normalize_text(text))]
    for case, size in zip(cases, sizes, strict=True):
        _assert_covers(case)
        assert size <= len(case.clean) <= size + 1  # cut after the group that reaches the size
        assert case.clean == (all_clean * 3)[: len(case.clean)]
    small, medium, _ = cases
    assert medium.gold[: len(small.gold)] == small.gold  # one stream, cut at each size


def test_long_set_falls_back_to_the_lee_corpus(monkeypatch, tmp_path):
    pytest.importorskip("gensim")
    monkeypatch.setattr(ad, "SHARED", tmp_path)
    (case,) = ad.long_set((30,))
    assert case.name == "lee-30"
    _assert_covers(case)


# -- checks, summary, all_sets ----------------------------------------------------


@pytest.mark.parametrize(
    ("gold", "message"),
    [
        ([((0, 1), (0,))], "clean indices"),
        ([((1,), (0,)), ((0,), (1,))], "garbled indices"),
        ([((0,), (0,)), ((), ()), ((1,), (1,))], "empty group"),
    ],
)
def test_validate_rejects_broken_gold(gold, message):
    with pytest.raises(ValueError, match=message):
        ad.validate(ad.AlignCase("t", "d", ["g0", "g1"], ["c0", "c1"], gold))


def test_summary_counts_documents_sentences_and_group_kinds():
    cases = [
        ad.AlignCase("t", "a", ["g0", "g1", "g2"], ["c0", "c1"], [((0, 1), (0,)), ((2,), ()), ((), (1,))]),
        ad.AlignCase("t", "b", ["g0"], ["c0", "c1", "c2"], [((0,), (0, 1)), ((), (2,))]),
    ]
    assert ad.summary(cases) == {
        "documents": 2,
        "garbled_sentences": 4,
        "clean_sentences": 5,
        "clean_sentences_per_document": {"min": 2, "median": 2.5, "max": 3},
        "groups": {"0-1": 2, "1-0": 1, "1-2": 1, "2-1": 1},
    }
    assert ad.summary([])["documents"] == 0


def test_all_sets_skips_sets_whose_input_is_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(ad, "SHARED", tmp_path)
    skipped: dict[str, str] = {}
    seconds: dict[str, float] = {}
    sets = {name: ad.SETS[name] for name in ("seed", "synthetic", "mlqe", "icdar")}
    built = ad.all_sets(sets, on_skip=skipped.__setitem__, seconds=seconds)
    assert list(built) == ["seed"] and list(seconds) == ["seed"]
    assert list(skipped) == ["synthetic", "mlqe", "icdar"]
    assert "bbc_news_greene2006.jsonl not found" in skipped["synthetic"]
    assert "icdar_postocr_en.jsonl not found" in skipped["icdar"]

"""The document-check benchmark's own parts, on hand-made inputs (nothing from ../shared):
mismatched sets with valid gold, partners that are never the same story, the default
chosen from the scores, and the configured default inside the range the last run measured."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from benchmarks import align_mismatch as am
from benchmarks import align_relatedness as ar
from benchmarks.align_data import AlignCase, bench_recipe, garble_case, validate
from builder.core.resources import CONF_DIR
from builder.text.normalize import normalize_text
from builder.text.segment import Segmenter
from tests.news import ARTICLES
from tests.paths import PROJECT_DIR

NAMES = list(ARTICLES)


def _bbc_file(tmp_path: Path) -> Path:
    """A tiny BBC-like corpus: two categories, the news articles as bodies, one near-duplicate."""
    rows = []
    for k, name in enumerate(NAMES):
        category = "business" if k % 2 else "world"
        rows.append({"id": f"bbc-{category}-{k:03d}", "text": ARTICLES[name], "source": f"BBC, category={category}"})
    rows.append({"id": "bbc-world-099", "text": ARTICLES[NAMES[0]] + " More soon.", "source": "BBC, category=world"})
    path = tmp_path / "bbc.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_categories_come_from_the_end_of_source(tmp_path):
    by_category = am.bbc_by_category(_bbc_file(tmp_path), min_sentences=3)
    assert set(by_category) == {"business", "world"}
    assert all(doc_id.startswith(f"bbc-{cat}-") for cat, docs in by_category.items() for doc_id, _ in docs)


@pytest.mark.parametrize("same_topic", [True, False])
def test_an_article_is_never_paired_with_itself_or_a_version_of_its_story(tmp_path, same_topic):
    by_category = am.bbc_by_category(_bbc_file(tmp_path), min_sentences=3)
    for part in (0, 1):
        pairs = am.article_pairs(by_category, 4, same_topic, part)
        for (a_id, a_text), (b_id, b_text) in pairs:
            assert a_id != b_id and am._jaccard(a_text, b_text) < am.SAME_STORY
            cat = lambda doc_id: doc_id.split("-")[1]  # noqa: E731
            assert (cat(a_id) == cat(b_id)) == same_topic


def test_the_two_parts_never_share_an_article(tmp_path):
    by_category = am.bbc_by_category(_bbc_file(tmp_path), min_sentences=3)
    ids = [{d for pair in am.article_pairs(by_category, 4, True, part) for d, _ in pair} for part in (0, 1)]
    assert not ids[0] & ids[1]


def test_an_unrelated_case_has_nothing_aligned_in_its_gold():
    garbled = garble_case("flood", ARTICLES["flood"], bench_recipe())[0]
    case = am.unrelated_case("unrelated_same_topic", garbled, ARTICLES["rates"])
    validate(case)
    assert all(not g or not c for g, c in case.gold)


def test_a_partly_related_case_replaces_a_stretch_and_keeps_the_rest_aligned():
    text = "\n".join(ARTICLES[n] for n in NAMES[:3])
    garbled = garble_case("three", text, bench_recipe())[0]
    case = am.partly_related_case(garbled, ARTICLES["museum"], share=0.5)
    validate(case)
    aligned = [(g, c) for g, c in case.gold if g and c]
    assert 0 < len(aligned) < len(garbled.gold)
    original = [([garbled.garbled[i] for i in g], [garbled.clean[j] for j in c]) for g, c in garbled.gold]
    for g, c in aligned:  # a kept group still pairs the garbled sentences with their own clean ones
        assert ([case.garbled[i] for i in g], [case.clean[j] for j in c]) in original
    other = set(Segmenter().sentences(normalize_text(ARTICLES["museum"])))
    unaligned = {j for g, c in case.gold if not g for j in c}
    from_other = {j for j, s in enumerate(case.clean) if s in other}
    assert from_other and from_other <= unaligned  # another story's sentences are never aligned
    assert all(case.clean[j] in garbled.clean for j in set(range(len(case.clean))) - from_other)
    assert am.partly_related_case(garbled, ARTICLES["museum"]) == case  # seeded per document


def test_measure_counts_rejections_and_wrong_groups():
    true = garble_case("rates", ARTICLES["rates"], bench_recipe())[0]
    stray = am.unrelated_case("u", garble_case("flood", ARTICLES["flood"], bench_recipe())[0], ARTICLES["chip"])
    report = ar.measure([true, stray], min_document_score=0.1)
    assert report["documents"] == 2 and report["rejected"] == 1
    assert report["document_score"]["max"] > 0.8 > 0.1 > report["document_score"]["min"]
    assert report["wrong_groups_kept_by_min_align_score"]["0.5"] == 0


def _reports(**scores: list[float]) -> dict[str, dict]:
    return {name: {"_scores": s} for name, s in scores.items()}


def test_the_default_sits_between_unrelated_pairs_and_the_weakest_true_set():
    reports = _reports(
        unrelated_same_topic=[0.0, 0.02],
        unrelated_other_topic=[0.01],
        synthetic=[0.9] * 50,
        mlqe_sentences=[0.05, *([0.3] * 199)],  # one document in 200 may be lost
        partly_related=[0.4, 0.5],
    )
    choice = ar.choose_default(reports)
    assert choice["lower_unrelated_max"] == 0.02
    assert choice["upper"] == 0.3 and choice["upper_by_set"]["partly_related"] == 0.4
    assert choice["admissible"] and 0.02 < choice["chosen"] <= 0.3
    assert choice["chosen"] == 0.15


def test_no_range_is_reported_as_such():
    choice = ar.choose_default(_reports(unrelated_same_topic=[0.6], synthetic=[0.5] * 10))
    assert not choice["admissible"]


def test_the_configured_default_is_inside_the_range_the_last_benchmark_measured():
    """benchmarks/align.py chooses align.min_document_score; the config must follow it."""
    results = json.loads((PROJECT_DIR / "benchmarks" / "results" / "align.json").read_text())
    assert "relatedness" in results, "rerun the alignment benchmark: its last results predate the document check"
    choice = results["relatedness"]["choice"]
    configured = OmegaConf.load(CONF_DIR / "align" / "coverage.yaml").min_document_score
    assert choice["lower_unrelated_max"] < configured <= choice["upper"]
    assert configured == choice["chosen"]


def test_witness_is_a_true_pair():
    case = AlignCase("w", "w", [ar.WITNESS["garbled"]], [ar.WITNESS["clean"]], [((0,), (0,))])
    assert ar.measure([case], 0.1)["rejected"] == 0

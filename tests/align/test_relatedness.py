"""A record whose two sides do not belong together yields no rows; every true pair does.

What users rely on: the align stage rejects an unrelated record whole as
``unrelated_pair`` with the share explained in its detail, keeps a true garbled pair (the
seed, or an article garbled by the project's recipes, one sentence or many), keeps a
partly related document while scoring its unrelated groups low, and pairing judges
candidates with the very same score.
"""

from __future__ import annotations

import json

import pytest
from datasets import load_dataset

import builder.pairing.verify
from builder.align import Aligner, Group
from builder.align.relatedness import document_score, relatedness, unrelated
from builder.app.build import build
from builder.core.reasons import UNRELATED_PAIR
from builder.pairing.documents import PairingParams, pair_documents
from builder.pipeline.steps.align import Align
from builder.pipeline.steps.segment import Segment
from builder.text.normalize import normalize_text
from builder.text.segment import Segmenter
from tests.news import ARTICLES, garble

NAMES = list(ARTICLES)


def _stories(names: list[str]) -> str:
    return "\n".join(ARTICLES[n] for n in names)


def _run_align(cfg, pairs: list[tuple[str, str]]) -> dict[str, list]:
    """The segment and align stages on (garbled, clean) records, as the pipeline runs them."""
    batch = {
        "garbled": [normalize_text(g) for g, _ in pairs],
        "clean": [normalize_text(c) for _, c in pairs],
        "reject": [""] * len(pairs),
        "reject_detail": [""] * len(pairs),
    }
    return Align(cfg.align)(Segment(cfg.segment)(batch))


def _sentences(text: str) -> list[str]:
    return Segmenter().sentences(normalize_text(text))


# -- the score ----------------------------------------------------------------------------


def test_document_score_is_the_score_weighted_share_of_both_sides():
    groups = [
        Group((0,), (0,), 1.0),
        Group((1, 2), (1,), 0.5),  # three sentences at half confidence
        Group((3,), (), 0.0),
        Group((), (2,), 0.0),
    ]
    assert document_score(groups, 4, 3) == pytest.approx((2 * 1.0 + 3 * 0.5) / 7)
    assert document_score([], 0, 0) == 0.0
    r = relatedness(groups, 4, 3)
    assert (r.garbled_confident, r.clean_confident) == (3, 2)  # groups scored >= 0.5


def test_the_detail_says_the_share_the_counts_and_the_bar():
    groups = [Group((0,), (0,), 0.9), Group((1,), (), 0.0), Group((), (1,), 0.0), Group((2,), (2,), 0.1)]
    detail = unrelated(groups, 3, 3, 0.5)
    assert detail == (
        "confident groups explain 33% of the sentences of both sides (garbled 1/3, clean 1/3);"
        " align.min_document_score=0.5"
    )
    assert unrelated(groups, 3, 3, 0.3) is None


def test_a_side_without_sentences_is_not_called_unrelated():
    assert unrelated([Group((0,), (), 0.0)], 1, 0, 0.5) is None


# -- the align stage -------------------------------------------------------------------------


def test_unrelated_articles_are_rejected_whole_as_unrelated_pair(cfg_factory):
    cfg = cfg_factory()
    pairs = [(garble(ARTICLES[a], a), ARTICLES[b]) for a, b in zip(NAMES, NAMES[1:] + NAMES[:1], strict=True)]
    pairs.append((garble(_stories(NAMES[:3]), "three"), _stories(NAMES[3:6])))  # longer, same kind of news
    out = _run_align(cfg, pairs)
    assert out["reject"] == [UNRELATED_PAIR] * len(pairs)
    assert all(g is None for g in out["groups"])
    detail = out["reject_detail"][-1]
    assert detail.startswith("confident groups explain ") and "of the sentences of both sides (garbled " in detail
    assert detail.endswith(f"align.min_document_score={cfg.align.min_document_score:g}")


def test_true_pairs_are_kept_the_seed_and_garbled_articles(cfg_factory, seed_pair):
    pairs = [seed_pair] + [(garble(ARTICLES[n], n, level=0.5), ARTICLES[n]) for n in NAMES]
    pairs.append((garble(_stories(NAMES), "all", recipe="ocr", level=0.3), _stories(NAMES)))
    out = _run_align(cfg_factory(), pairs)
    assert out["reject"] == [""] * len(pairs)
    assert all(len(g) > 0 for g in out["groups"])


def test_short_true_pairs_are_kept(cfg_factory):
    """One sentence a side (machine translation) and one short OCR line: little evidence,
    but a true pair must still pass."""
    pairs = [
        (
            "The minister of health said that vaccination will begin from schools in next week.",
            "The health minister said vaccinations would start in schools next week.",
        ),
        ("Tlie Britisli Museum said 2,000 itcms were missing", "The British Museum said 2,000 items were missing"),
        (garble(ARTICLES["chip"].split("\n")[0], "one", level=0.5), ARTICLES["chip"].split("\n")[0]),
    ]
    out = _run_align(cfg_factory(), pairs)
    assert out["reject"] == ["", "", ""]


def test_a_partly_related_document_is_kept_and_its_unrelated_groups_score_low(cfg_factory):
    kept, replaced = NAMES[:2], NAMES[2:4]
    garbled = garble(_stories(kept + replaced), "partly")
    clean = _stories(kept + NAMES[5:7])  # the second half is another story
    out = _run_align(cfg_factory(), [(garbled, clean)])
    assert out["reject"] == [""]
    n_kept = len(_sentences(_stories(kept)))
    groups = [g for g in out["groups"][0] if g.garbled and g.clean]
    related = [g for g in groups if max(g.clean) < n_kept]
    stray = [g for g in groups if min(g.clean) >= n_kept]
    assert len(related) >= n_kept - 1 and all(g.score >= 0.9 for g in related)
    assert all(g.score < 0.5 for g in stray)


def test_groups_of_unrelated_documents_never_look_confident():
    aligner = Aligner()
    for a, b in zip(NAMES, NAMES[2:] + NAMES[:2], strict=True):
        groups = aligner.align(_sentences(garble(ARTICLES[a], a)), _sentences(ARTICLES[b]))
        assert all(g.score < 0.5 for g in groups), (a, b)


# -- pairing uses the same rule -----------------------------------------------------------------


def test_pairing_scores_candidates_with_the_same_function():
    assert builder.pairing.verify.document_score is document_score


def test_pairing_score_equals_the_document_score_of_the_pair():
    garbled = [garble(ARTICLES["flood"], "flood"), garble(ARTICLES["rates"], "rates")]
    clean = [ARTICLES["rates"], ARTICLES["flood"], ARTICLES["museum"]]
    p = PairingParams()
    result = pair_documents(garbled, clean, p)
    assert sorted((i, j) for i, j, _ in result.pairs) == [(0, 1), (1, 0)]
    aligner = Aligner(p.aligner)
    for i, j, score in result.pairs:
        g, c = Segmenter().sentences(garbled[i]), Segmenter().sentences(clean[j])
        assert score == pytest.approx(document_score(aligner.align(g, c), len(g), len(c)))


# -- end to end -----------------------------------------------------------------------------------


def test_a_build_writes_no_row_of_an_unrelated_record(tmp_path, cfg_factory, seed_pair):
    path = tmp_path / "records.jsonl"
    records = [{"id": "seed", "garbled": seed_pair[0], "clean": seed_pair[1]}]
    for k, (a, b) in enumerate(zip(NAMES, NAMES[3:] + NAMES[:3], strict=True)):
        records.append({"id": f"mixup-{k}", "garbled": garble(ARTICLES[a], a), "clean": ARTICLES[b]})
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = build(cfg_factory("source=jsonl", f"source.path={path}", "split.test=0", "split.validation=0"))
    docs = result.stats["documents"]
    assert docs["rejected"] == {UNRELATED_PAIR: len(records) - 1}
    assert docs["written"] == 1
    rejects = [json.loads(line) for line in (result.path / "rejects.jsonl").read_text().splitlines()]
    assert {r["doc_id"] for r in rejects} == {f"mixup-{k}" for k in range(len(records) - 1)}
    assert all(r["reason"] == UNRELATED_PAIR and "confident groups explain" in r["detail"] for r in rejects)
    written = {doc_id for split in load_dataset(str(result.path)).values() for doc_id in split["doc_id"]}
    assert written == {"seed"}

import random

from builder.align import Aligner
from builder.normalize import normalize_text
from builder.segment import Segmenter
from tests.conftest import NEWS


def _gold_groups(seed_gold):
    groups, gi, ci = [], 0, 0
    for g in seed_gold:
        a, b = len(g["noisy"]), len(g["clean"])
        groups.append((tuple(range(gi, gi + a)), tuple(range(ci, ci + b))))
        gi, ci = gi + a, ci + b
    return groups


def test_seed_alignment_recovers_every_gold_group(seed_pair, seed_gold):
    seg = Segmenter()
    garbled, clean = (seg.sentences(normalize_text(t)) for t in seed_pair)
    got = [(g.garbled, g.clean) for g in Aligner().align(garbled, clean)]
    assert got == _gold_groups(seed_gold)


def test_scores_are_in_unit_interval_and_unaligned_groups_score_zero(seed_pair):
    seg = Segmenter()
    garbled, clean = (seg.sentences(normalize_text(t)) for t in seed_pair)
    groups = Aligner().align([*garbled, "Photo: an unrelated caption about the weather"], clean)
    assert all(0 <= g.score <= 1 for g in groups)
    assert groups[-1].kind == "1-0" and groups[-1].score == 0


def _sentences():
    return [s for text in NEWS for s in Segmenter().sentences(text)]


def test_insertions_deletions_splits_and_merges_are_found():
    clean = _sentences()
    # garbled side: sentence 2 dropped, a caption inserted after 4, sentences 6+7 merged,
    # sentence 9 split in two at its comma
    garbled = clean[:2] + clean[3:5] + ["Photo by Reuters staff at the scene yesterday"]
    garbled += [clean[5], clean[6] + " " + clean[7], clean[8]]
    head, tail = clean[9].split(" ", 4)[:4], clean[9].split(" ", 4)[4]
    garbled += [" ".join(head) + ".", tail, *clean[10:]]
    kinds = [g.kind for g in Aligner().align(garbled, clean)]
    assert kinds.count("0-1") == 1  # the dropped sentence
    assert kinds.count("1-0") == 1  # the caption
    assert kinds.count("1-2") == 1  # the merge
    assert kinds.count("2-1") == 1  # the split


def test_every_sentence_appears_once_in_order():
    rng = random.Random(3)
    clean = _sentences()
    garbled = [s for s in clean if rng.random() > 0.2]
    groups = Aligner().align(garbled, clean)
    assert [i for g in groups for i in g.garbled] == list(range(len(garbled)))
    assert [j for g in groups for j in g.clean] == list(range(len(clean)))


def test_empty_sides():
    assert [g.kind for g in Aligner().align([], ["a b c."])] == ["0-1"]
    assert [g.kind for g in Aligner().align(["a b c."], [])] == ["1-0"]
    assert Aligner().align([], []) == []

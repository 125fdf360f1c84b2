import random

from builder.align import Aligner
from builder.text.normalize import normalize_text
from builder.text.segment import Segmenter
from tests.news import NEWS


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


def _long_case(n_docs: int):
    """Lee corpus articles garbled with structure changes, concatenated, with gold."""
    from dataclasses import replace

    from builder.noise import load_recipe
    from builder.noise.document import garble_document
    from builder.noise.structure import StructureRates
    from builder.pipeline.readers.sample import lee_corpus_path

    recipe = replace(load_recipe("mixed"), structure=StructureRates(split=0.1, merge=0.1, drop=0.05, insert=0.1))
    seg = Segmenter()
    garbled, clean, gold = [], [], []
    with open(lee_corpus_path(), encoding="utf-8", errors="replace") as fh:
        texts = [normalize_text(line) for line, _ in zip(fh, range(n_docs), strict=False)]
    for d, text in enumerate(texts):
        sents = seg.split(text)
        base = len(clean)
        for p in garble_document(recipe, text, [(s.start, s.end) for s in sents], 0, f"lee{d}"):
            if p.is_group:
                gs = p.garbled_sentences()
                gold.append((tuple(range(len(garbled), len(garbled) + len(gs))), tuple(base + k for k in p.clean_idx)))
                garbled += gs
        clean += [text[s.start : s.end] for s in sents]
    return garbled, clean, gold


def test_long_documents_are_aligned_in_a_band_as_well_as_exactly():
    from builder.align import AlignerParams

    garbled, clean, gold = _long_case(60)
    assert len(clean) > 500
    exact = Aligner(AlignerParams(max_exact_cells=10**9)).align(garbled, clean)
    banded = Aligner(AlignerParams(max_exact_cells=10_000)).align(garbled, clean)
    assert [(g.garbled, g.clean) for g in banded] == [(g.garbled, g.clean) for g in exact]
    hits = len({(g.garbled, g.clean) for g in banded} & set(gold))
    assert hits / len(gold) > 0.97


def test_an_embedding_feature_can_steer_the_alignment():
    """With paraphrases that share no n-grams, only the embedding can pair them."""
    import numpy as np

    from builder.align import AlignerParams

    meaning = {
        "The vote was postponed.": 0,
        "Lawmakers delayed the ballot.": 0,
        "Prices rose sharply.": 1,
        "Costs jumped a lot.": 1,
        "Rain is expected tomorrow.": 2,
        "Showers are forecast for Friday.": 2,
    }

    def encode(sentences):
        out = np.zeros((len(sentences), 3))
        out[np.arange(len(sentences)), [meaning[s] for s in sentences]] = 1.0
        return out

    garbled = ["Lawmakers delayed the ballot.", "Costs jumped a lot.", "Showers are forecast for Friday."]
    clean = ["The vote was postponed.", "Prices rose sharply.", "Rain is expected tomorrow."]
    plain = Aligner().align(garbled, clean)
    assert [g.kind for g in plain].count("1-1") < 3
    steered = Aligner(AlignerParams(embedding_weight=1.0), encoder=encode).align(garbled, clean)
    assert [(g.garbled, g.clean) for g in steered] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


def test_three_way_groups_when_allowed():
    from builder.align import AlignerParams

    clean = _sentences()
    garbled = [*clean[:3], " ".join(clean[3:6]), *clean[6:]]
    default = [g.kind for g in Aligner().align(garbled, clean)]
    wide = [g.kind for g in Aligner(AlignerParams(max_group=3)).align(garbled, clean)]
    assert "1-3" in wide and "1-3" not in default

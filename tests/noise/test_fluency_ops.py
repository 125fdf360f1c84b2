"""Fluent garbling: the bigram table, the word operations keeping to it, and the
per-sentence intensity."""

from __future__ import annotations

import gzip
import itertools

import numpy as np
import pytest

from builder.core.edits import replay
from builder.noise import bigrams as bigram_tables
from builder.noise.bigrams import END, START, Bigrams
from builder.noise.intensity import check_quantiles, draw, quantiles, sentence_weights
from builder.noise.ops import fluent
from builder.noise.ops.context import Context
from builder.noise.recipe import Recipe, load_recipe

NEWS = (
    "The minister said on Monday that the talks in the capital would go on. "
    "Officials in the region said the army had taken the town. "
    "The president of the country met the leaders of the two parties in the city."
)


def _spans(text: str) -> list[tuple[int, int]]:
    import re

    return [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.", text)]


def test_table_counts_pairs_within_sentences_with_start_and_end():
    table = Bigrams.from_texts(["The cat sat. The dog sat!"])
    assert table.count(START, "the") == 2
    assert table.count("cat", "sat") == 1
    assert table.count("sat", END) == 2
    assert table.count("sat", "the") == 0  # no pair across a sentence end
    assert table.words["the"] == 2


def test_pair_fits_rules():
    table = Bigrams({("in", "the"): 5, ("the", "city"): 1, ("the", "the"): 9, ("of", "x"): 1, ("city", END): 1})
    assert table.pair_fits("in", "the")
    assert not table.pair_fits("the", "the")  # a repeat is an echo, whatever the count
    assert table.pair_fits("the", "unheardof")  # a word the table never saw cannot be judged
    assert not table.pair_fits("city", "in")  # both known, never seen together
    # a pair of two common words seen once is taken for a slip of the source
    common = bigram_tables.COMMON
    big = Bigrams({("the", "city"): 1, ("the", "end"): common, ("city", "hall"): common, ("a", "city"): 1})
    assert not big.pair_fits("the", "city")
    assert big.pair_fits("a", "city")  # "a" is rare here: once is enough


def test_save_and_read_round_trip(tmp_path):
    table = Bigrams.from_texts([NEWS])
    path = tmp_path / "t.tsv.gz"
    table.save(path, ["a header"])
    again = Bigrams.read(path)
    assert again.pairs == table.pairs
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        assert fh.readline() == "# a header\n"


def test_bad_table_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.tsv.gz"
    with gzip.open(bad, "wt") as fh:
        fh.write("a\tb\n")
    with pytest.raises(ValueError, match=r"bad\.tsv\.gz:1"):
        Recipe.from_config({"name": "x", "level": 0.5, "ops": [{"op": "word_drop"}], "bigrams": str(bad)})
    with pytest.raises(ValueError, match="cannot read a bigram table"):
        Recipe.from_config({"name": "x", "ops": [{"op": "word_drop"}], "bigrams": str(tmp_path / "missing.gz")})


def test_shipped_table_loads_and_knows_common_english():
    table = bigram_tables.load("en")
    assert table is not None and len(table) > 50_000
    assert table.count("of", "the") > 100
    assert bigram_tables.load("none") is None


def _ctx(text: str, table: Bigrams | None) -> Context:
    ctx = Context(text, [(0, len(text))])
    ctx.bigrams = table
    return ctx


def test_choose_keeps_to_the_table_and_prefers_the_likelier():
    table = Bigrams({("in", "the"): 40, ("the", "city"): 30, ("in", "a"): 2, ("a", "city"): 2, ("x", "y"): 1})
    ctx = _ctx("in the city", table)
    options, counts = ["a", "this", "the"], [1.0, 100.0, 1.0]
    picks = {fluent.choose(ctx, "in", "city", options, counts, u) for u in np.linspace(0, 0.999, 50)}
    assert picks == {0, 2}  # "this" is unknown to the table: never chosen, however common
    # "the" fits far better than "a" between "in" and "city": most draws go to it
    chosen = [fluent.choose(ctx, "in", "city", options, counts, u) for u in np.linspace(0, 0.999, 100)]
    assert chosen.count(2) > 80
    assert fluent.choose(ctx, "in", "city", ["this"], [1.0], 0.5) == -1
    no_table = _ctx("in the city", None)
    assert fluent.choose(no_table, "in", "city", ["this"], [1.0], 0.5) == 0


def test_neighbours_stop_at_the_sentence():
    ctx = _ctx("Hello there", Bigrams({}))
    assert fluent.before(ctx, 0) == START
    assert fluent.after(ctx, 0) == "there"
    assert fluent.after(ctx, 1) == END


def test_fluent_recipe_edits_replay_and_read_as_the_table_allows():
    recipe = Recipe.from_config(
        {
            "name": "t",
            "level": 3.0,
            "ops": [
                {"op": "word_substitute"},
                {"op": "word_insert"},
                {"op": "word_drop"},
                {"op": "function_word_insert"},
            ],
        }
    )
    table = bigram_tables.load("en")
    text = NEWS * 3
    garbled, edits = recipe.garble(text, _spans(text), 7, "doc")
    assert edits and replay(text, edits) == garbled
    from builder.text.wordpairs import sentence_words

    bad = 0
    for words in sentence_words(garbled):
        seq = [START, *words, END]
        bad += sum(not table.pair_fits(a, b) for a, b in itertools.pairwise(seq))
    clean_bad = sum(
        not table.pair_fits(a, b)
        for words in sentence_words(text)
        for a, b in zip([START, *words, END], [*words, END][0:], strict=False)
    )
    assert bad <= clean_bad  # every pair the edits made is one the table has


def test_without_the_table_the_same_recipe_writes_word_salad_more_often():
    spec = {"name": "t", "level": 3.0, "ops": [{"op": "word_insert"}]}
    fluent_recipe = Recipe.from_config(spec)
    free = Recipe.from_config({**spec, "bigrams": "none"})
    text = NEWS * 5
    table = bigram_tables.load("en")

    def misfits(recipe: Recipe) -> int:
        edits = recipe.apply(text, _spans(text), 3, "doc")
        out = 0
        for e in edits:
            left = text[: e.start].split()[-1].casefold().strip(".,")
            right = text[e.end :].split()[0].casefold().strip(".,")
            new = e.after.strip().casefold()
            out += not (table.pair_fits(left, new) and table.pair_fits(new, right))
        return out

    assert misfits(fluent_recipe) == 0
    assert misfits(free) > 0


def test_quantiles_and_draw():
    assert check_quantiles([]) == ""
    assert "two" in check_quantiles([1.0])
    assert "decrease" in check_quantiles([1.0, 0.5])
    assert ">= 0" in check_quantiles([-1.0, 1.0])
    q = quantiles([0, 0, 1, 1, 2, 2, 4, 4])
    assert len(q) == 21 and q[0] == 0.0 and q[-1] == round(4 / 1.75, 4)  # rates over their mean (1.75)
    assert draw([0.0, 2.0], np.array([0.0, 0.5, 1.0])).tolist() == [0.0, 1.0, 2.0]
    assert quantiles([0, 0]) == []


def test_intensity_is_per_sentence_and_batch_independent():
    text = NEWS
    ctx = Context(text, _spans(text), doc_keys=[11])
    weights = sentence_weights(ctx, [0.0, 1.0, 3.0])
    for s in range(len(_spans(text))):
        assert len(set(weights[ctx.sentence == s].tolist())) == 1
    joined = "other words here.\n\n" + text
    offset = len("other words here.\n\n")
    ctx2 = Context(
        joined,
        [(0, 17)] + [(a + offset, b + offset) for a, b in _spans(text)],
        doc_starts=[0, offset],
        doc_keys=[5, 11],
    )
    assert sentence_weights(ctx2, [0.0, 1.0, 3.0])[ctx2.doc == 1].tolist() == weights.tolist()


def test_intensity_zero_leaves_sentences_untouched_and_spreads_the_rates():
    base = {"name": "t", "level": 0.5, "ops": [{"op": "case_slip"}], "bigrams": "none"}
    flat = Recipe.from_config(base)
    uneven = Recipe.from_config({**base, "intensity": [0.0, 0.0, 1.0, 3.0]})
    texts = [f"Sentence number {k} has a few words in it for the test." for k in range(400)]
    spans = [[(0, len(t))] for t in texts]
    ids = [str(k) for k in range(len(texts))]

    def per_doc(recipe: Recipe) -> np.ndarray:
        return np.array([len(e) for e in recipe.apply_batch(texts, spans, 1, ids)])

    a, b = per_doc(flat), per_doc(uneven)
    assert (b == 0).mean() > (a == 0).mean() + 0.2  # a third of sentences drew 0
    assert b.var() > a.var()
    assert abs(b.mean() - a.mean()) < 0.35 * a.mean()  # the mean rate stays about the same


def test_level_above_one_is_heavier():
    text = NEWS * 4
    light = load_recipe("typo").with_level(0.5)
    heavy = load_recipe("typo").with_level(2.0)
    assert len(heavy.apply(text, _spans(text), 0, "d")) > len(light.apply(text, _spans(text), 0, "d"))
    with pytest.raises(ValueError, match="level"):
        load_recipe("typo").with_level(25.0)


def test_a_saved_table_is_the_same_bytes_every_time(tmp_path):
    table = Bigrams.from_texts([NEWS])
    table.save(tmp_path / "a.tsv.gz")
    import time

    time.sleep(1.1)  # a gzip header would record the second it was written
    table.save(tmp_path / "b.tsv.gz")
    assert (tmp_path / "a.tsv.gz").read_bytes() == (tmp_path / "b.tsv.gz").read_bytes()


def test_a_plain_text_table_reads_too(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text("# mine\nin\tthe\t3\nthe\tcity\t2\n", encoding="utf-8")
    table = Bigrams.read(path)
    assert table.count("in", "the") == 3 and len(table) == 2
    recipe = Recipe.from_config({"name": "x", "ops": [{"op": "word_drop"}], "bigrams": str(path)})
    assert recipe.bigrams == str(path)

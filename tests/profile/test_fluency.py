"""Fluency: word bigrams a clean reference never has, and the measure in the realism report."""

from __future__ import annotations

import numpy as np
import pytest

from builder.noise.recipe import load_recipe
from builder.profile.fluency import Reference, bigram_keys, gap, pair_counts
from builder.profile.pairs import PairMeasurer
from builder.profile.realism import markdown, report
from tests.news import NEWS
from tests.profile.corpus import SENTENCES, garble

CLEAN = [s for s in SENTENCES for _ in range(8)]


def test_bigrams_fold_case_and_stop_at_sentence_ends():
    assert len(bigram_keys("The Council met. It voted")) == 3  # the council, council met, it voted
    assert bigram_keys("The council")[0] == bigram_keys("the COUNCIL")[0]
    assert len(bigram_keys("one")) == 0 and len(bigram_keys("")) == 0


def test_word_salad_has_more_unseen_bigrams_than_fluent_text():
    reference = Reference.from_texts(NEWS)
    fluent = "Officials said the talks would resume."
    salad = "Officials the said would talks resume."
    assert reference.unseen(salad)[0] > reference.unseen(fluent)[0]
    counts = pair_counts(reference, [salad, fluent], [fluent, fluent])
    assert gap(counts, np.array([0])) > 0 and gap(counts, np.array([1])) == 0


def test_an_empty_reference_sees_nothing():
    assert Reference.from_texts([]).unseen("a b c") == (2, 2)


@pytest.fixture(scope="module")
def reference() -> Reference:
    return Reference.from_texts(NEWS + SENTENCES)


def test_the_report_gives_fluency_with_its_yardstick(reference):
    recipe = load_recipe("typo").with_level(0.2)
    real = [(c, garble(c, recipe, 1, f"real-{k}")) for k, c in enumerate(CLEAN)]
    measurer = PairMeasurer()
    same = report(real, recipe, name="typo vs typo", measurer=measurer, reference=reference)["fluency"]
    assert same["within"] and same["real"] > 0
    swaps = load_recipe("rtt").with_level(1.0)
    other = report(real, swaps, name="typo vs rtt", measurer=measurer, reference=reference)
    assert not other["fluency"]["within"]
    assert "Fluency (garbled bigrams unseen" in markdown(other)
    assert report(real, recipe, name="no reference", measurer=measurer)["fluency"] is None

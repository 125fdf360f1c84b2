"""The identity baselines' statistics equal sacrebleu's, row for row summed, whether a
prediction differs from its reference or is it (counted without n-gram lookups)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import BLEU, CHRF

from builder.pipeline.writers.baselines import identity_counts

TEXT = st.text(alphabet=list("ab c.,'\"é\t\n-"), max_size=40)


def _sacrebleu(garbled: list[str], clean: list[str]) -> tuple[np.ndarray, np.ndarray]:
    return tuple(
        np.asarray(m._extract_corpus_statistics(garbled, [clean]), dtype=np.float64).sum(axis=0)
        for m in (BLEU(), CHRF())
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT, st.booleans()), min_size=1, max_size=8))
def test_statistics_equal_sacrebleus_with_unchanged_rows_among_them(rows):
    garbled = [g for g, _, _ in rows]
    clean = [g if same else c for g, c, same in rows]
    _, bleu, chrf = identity_counts(garbled, clean)
    want_bleu, want_chrf = _sacrebleu(garbled, clean)
    assert np.array_equal(bleu, want_bleu)
    assert np.array_equal(chrf, want_chrf)


def test_every_row_unchanged():
    texts = ["The cat sat.", "", "   ", "A dog ran home .", "one"]
    _, bleu, chrf = identity_counts(texts, list(texts))
    want_bleu, want_chrf = _sacrebleu(texts, list(texts))
    assert np.array_equal(bleu, want_bleu) and np.array_equal(chrf, want_chrf)

"""The identity baselines' statistics, counted for a batch at once in NumPy, equal
sacrebleu's summed row by row: rows that differ, rows unchanged, empty rows, and
batches too large for exact keys."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import BLEU, CHRF

from builder.pipeline.writers import ngrams
from builder.pipeline.writers.baselines import identity_counts

TEXT = st.text(alphabet=[*"ab c.,'\"é\t\n-$%", "\u00a0", "ß", "中"], max_size=40)


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


def test_batches_too_large_for_exact_keys_are_halved_down_to_one_row(monkeypatch):
    """With keys limited to a few bits, every batch is split and single rows are counted
    n-gram by n-gram: the statistics do not change."""
    garbled = ["The council met on Monday.", "Prices rose 5% in May, said Ms Lee.", "", "Same.", "x y z x y z"]
    clean = ["The council met on Monday!", "Prices rose 3% in May, said Mrs Lee.", "Not empty.", "Same.", "x y z"]
    _, bleu, chrf = identity_counts(garbled, clean)
    monkeypatch.setattr(ngrams, "_KEY_LIMIT", 2.0**12)
    _, small_bleu, small_chrf = identity_counts(garbled, clean)
    want_bleu, want_chrf = _sacrebleu(garbled, clean)
    assert np.array_equal(bleu, want_bleu) and np.array_equal(small_bleu, want_bleu)
    assert np.array_equal(chrf, want_chrf) and np.array_equal(small_chrf, want_chrf)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT, st.booleans()), min_size=1, max_size=12))
def test_rows_own_rates_give_the_same_counts_as_measuring_again(rows):
    """The rows' stored cer/wer (None where a row has none) stand in for measuring."""
    from builder.core.metrics import char_errors, row_rate, word_errors

    garbled, clean = [g for g, _, _ in rows], [c for _, c, _ in rows]
    cer = [row_rate(char_errors(g, c)) if has else None for g, c, has in rows]
    wer = [row_rate(word_errors(g, c)) if has else None for g, c, has in rows]
    measured = identity_counts(garbled, clean)
    given_rates = identity_counts(garbled, clean, cer=cer, wer=wer)
    for a, b in zip(measured, given_rates, strict=True):
        assert np.array_equal(a, b)


def test_a_rate_that_does_not_match_its_row_is_what_the_counts_follow():
    """Proof that the stored rate is used, not recomputed: a wrong one shows."""
    plain, _, _ = identity_counts(["abcd"], ["abce"], cer=[0.5], wer=[0.0])
    assert plain[1:5].tolist() == [2, 4, 0, 1]

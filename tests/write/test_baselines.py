"""The identity baselines' statistics, counted for a batch at once in NumPy, equal
sacrebleu's summed row by row: rows that differ, rows unchanged, empty rows, and
batches too large for exact keys."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import BLEU, CHRF

from builder.pipeline.writers import ngrams
from builder.pipeline.writers.baselines import identity_counts, plain_counts

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


#: A text and a few edits of it (position, characters removed, text put in): most of a
#: row's two sides shared at the start and the end, as the garbling leaves them.
NEAR_COPY = st.tuples(
    st.text(alphabet=[*"ab c.,'ab ab é", "ß", "中"], max_size=60),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 3), st.text(alphabet=[*"ab c.é"], max_size=3)), max_size=3),
)


def _edited(text: str, edits: list[tuple[int, int, str]]) -> str:
    for at, removed, put in edits:
        at = min(at, len(text))
        text = text[:at] + put + text[at + removed :]
    return text


@settings(max_examples=300, deadline=None)
@given(st.lists(NEAR_COPY, min_size=1, max_size=8))
def test_statistics_of_near_copies_equal_sacrebleus(rows):
    """Only the n-grams reaching past what a row's sides share are counted as keys: the
    statistics are still sacrebleu's (edits at either end, runs of one symbol, inserts)."""
    clean = [text for text, _ in rows]
    garbled = [_edited(text, edits) for text, edits in rows]
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
    # as the writer gives them: Arrow columns (rates as float32, as stored), in two chunks
    half = len(rows) // 2
    columns = [
        pa.chunked_array([values[:half], values[half:]], kind)
        for values, kind in ((garbled, pa.string()), (clean, pa.string()), (cer, pa.float32()), (wer, pa.float32()))
    ]
    plain, scored_garbled, scored_clean = plain_counts(columns[0], columns[1], cer=columns[2], wer=columns[3])
    assert np.array_equal(plain, measured[0])
    assert (scored_garbled, scored_clean) == (garbled, clean)


def test_a_rate_that_does_not_match_its_row_is_what_the_counts_follow():
    """Proof that the stored rate is used, not recomputed: a wrong one shows."""
    plain, _, _ = identity_counts(["abcd"], ["abce"], cer=[0.5], wer=[0.0])
    assert plain[1:5].tolist() == [2, 4, 0, 1]


def test_the_scores_do_not_depend_on_batches_workers_or_how_scored_rows_are_grouped(monkeypatch):
    from builder.pipeline.writers import baselines
    from builder.pipeline.writers.baselines import IdentityBaselines
    from builder.runners.workers import process_pool

    clean = [f"The council met on day {i} to discuss the {'budget' if i % 4 else 'roads'}." for i in range(1500)]
    garbled = [c.replace("council", "councel") if i % 3 else c for i, c in enumerate(clean)]
    ids = [f"d{i}" for i in range(1500)]
    rows = {"train": 1200, "test": 300}

    def scores(size: int, submit=None) -> dict:
        b = IdentityBaselines(submit, 3, sample=100, split_rows=rows)
        for split, (lo, hi) in (("train", (0, 1200)), ("test", (1200, 1500))):
            for start in range(lo, hi, size):
                stop = min(start + size, hi)
                b.add(split, garbled[start:stop], clean[start:stop], ids[start:stop])
        return b.result(("train", "validation", "test"))

    whole = scores(1200)
    monkeypatch.setattr(baselines, "NGRAM_ROWS", 7)  # many small groups of scored rows
    assert scores(37) == whole
    with process_pool(2) as pool:
        assert scores(300, pool.submit) == whole
    assert set(whole) == {"train", "test"} and 50 <= whole["train"]["scored_rows"] <= 150


#: Text rich in what the 13a tokeniser's rules look at: punctuation next to digits,
#: periods and commas in runs, dashes, line breaks, entities and "<skipped>".
TOKENISER_TEXT = st.lists(
    st.sampled_from(
        [*"ab 09.,-'\"\n\t$%&()*+/:;<=>?@[\\]^_`{|}~é中\u00a0", "&quot;", "&amp;", "&lt;", "&gt;", "<skipped>", "-\n"]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=600, deadline=None)
@given(TOKENISER_TEXT)
def test_13a_tokens_are_sacrebleus(text):
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

    assert ngrams.tokenize_13a(text) == Tokenizer13a()(text)


def test_13a_punctuation_is_sacrebleus_first_rule():
    """The characters spaced by ``str.replace`` are those of sacrebleu's pattern, over
    all of Unicode, less the space; the other rules are sacrebleu's, in its order."""
    from sacrebleu.tokenizers.tokenizer_re import TokenizerRegexp

    first = TokenizerRegexp()._re[0][0]
    found = "".join(chr(c) for c in range(0x110000) if first.match(chr(c)))
    assert found.replace(" ", "") == ngrams._PUNCTUATION_13A
    rules = [(p.pattern, r) for p, r in TokenizerRegexp()._re[1:]]
    assert rules == [(p.pattern, r) for p, r in ngrams._RULES_13A]

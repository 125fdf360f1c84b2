"""Stored rates: rounded, yet they give back the whole number of errors. Lengths and
word counts of Arrow columns: what ``len`` and ``str.split`` give."""

import itertools
import sys

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.core import metrics
from builder.core.metrics import EXACT_LENGTH, RATE_DECIMALS, char_counts, errors_from_rates, row_rate, word_counts

ROW = st.integers(1, EXACT_LENGTH - 1).flatmap(lambda n: st.tuples(st.integers(0, 3 * n), st.just(n)))


@given(st.lists(ROW, min_size=1, max_size=20))
def test_stored_rates_give_back_their_errors(rows):
    errors, known = errors_from_rates([row_rate(r) for r in rows], np.array([n for _, n in rows]))
    assert known.all()
    assert errors.tolist() == [e for e, _ in rows]


def test_rows_without_a_rate_or_too_long_are_not_known():
    n = 10**RATE_DECIMALS  # two error counts one apart round to the same rate here
    assert row_rate((1, 10 * n)) == row_rate((2, 10 * n))
    _, known = errors_from_rates([row_rate((1, 10 * n)), None, 0.5], np.array([10 * n, 10, 10]))
    assert known.tolist() == [False, False, True]


#: Every character str.split() splits at, and others near them in the UTF-8 tables
#: (same lead bytes, neighbouring code points), with ASCII and wider letters.
SPACES = [chr(c) for c in range(0x3001) if chr(c).isspace()]
NEAR = [*"\x00\x08\x0e\x1b\x21~\x7f", "\x84", "\x86", "\x9f", "\xa1", "\u167f", "\u1681", "\u200b", "\u2027", "\u202a"]
NEAR += ["\u202e", "\u2030", "\u205e", "\u2060", "\u2fff", "\u3001", "é", "中", "\U0001f600", "a", "b"]
TEXT = st.text(alphabet=st.sampled_from(SPACES + NEAR), max_size=25)


def test_no_character_str_split_splits_at_lies_above_the_table():
    """The word counter looks for the characters that are not ASCII only below U+3001."""
    wide = [c for c in range(0x80, sys.maxunicode + 1) if chr(c).isspace()]
    assert max(wide) < metrics._SPACES_BELOW


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(TEXT, st.none()), max_size=30), st.integers(0, 5), st.integers(0, 5))
def test_word_and_char_counts_are_str_split_and_len(texts, cut, chunks):
    """Nulls count 0; a sliced, chunked or large column counts the same."""
    want_words = [len(t.split()) if t else 0 for t in texts]
    want_chars = [len(t) if t else 0 for t in texts]
    column = pa.array(texts, pa.string())
    assert word_counts(column).tolist() == want_words
    assert char_counts(column).tolist() == want_chars
    assert word_counts(column.slice(cut)).tolist() == want_words[cut:]
    assert word_counts(pa.array(texts, pa.large_string())).tolist() == want_words
    assert word_counts(column.dictionary_encode()).tolist() == want_words
    bounds = sorted({0, len(texts), *(min(len(texts), cut * (k + 1)) for k in range(chunks))})
    chunked = pa.chunked_array([column.slice(a, b - a) for a, b in itertools.pairwise(bounds)], pa.string())
    assert word_counts(chunked).tolist() == want_words

"""Measuring one pair: long documents stay linear and come out as short ones do."""

from __future__ import annotations

import random

import pytest

from builder.align import Aligner
from builder.core.metrics import cer, wer
from builder.profile import pairs
from builder.profile.estimate import excerpt
from builder.profile.pairs import PairMeasurer, error_rates
from tests.profile.corpus import SENTENCES


def _typos(text: str, seed: int) -> str:
    rnd = random.Random(seed)
    return "".join(c + c if c.isalpha() and rnd.random() < 0.03 else c for c in text)


def _document(n: int) -> tuple[str, str]:
    """A clean document of ``n`` sentences (numbered, so none repeats) and its garbling."""
    clean = " ".join(f"{SENTENCES[k % len(SENTENCES)][:-1]}, report {k} said." for k in range(n))
    return clean, _typos(clean, n)


class SpyAligner(Aligner):
    def __init__(self) -> None:
        super().__init__()
        self.largest = 0

    def align(self, garbled, clean):
        self.largest = max(self.largest, sum(map(len, garbled)), sum(map(len, clean)))
        return super().align(garbled, clean)


def test_a_long_pair_is_aligned_in_bounded_windows_with_the_same_result():
    clean, garbled = _document(120)
    spy = SpyAligner()
    windowed = PairMeasurer(aligner=spy, window_chars=2_000).measure(clean, garbled)
    whole = PairMeasurer().measure(clean, garbled)
    assert spy.largest <= 4 * 2_000 < len(clean)
    assert windowed.groups == whole.groups == {"1-1": 120}
    assert windowed.counts == whole.counts and windowed.counts["char_insert"] > 0
    assert (windowed.cer, windowed.wer) == (whole.cer, whole.wer)


def test_error_rates_of_a_long_pair_are_summed_over_stretches_of_groups(monkeypatch: pytest.MonkeyPatch):
    clean, garbled = _document(40)
    sentences = garbled.split(" report ")
    garbled = " report ".join(sentences[:10] + sentences[11:])  # a sentence dropped, two run together
    groups, _ = PairMeasurer().groups(clean, garbled)
    assert any(not g for g, _ in groups)
    monkeypatch.setattr(pairs, "EXACT_DISTANCE_CHARS", 100)
    monkeypatch.setattr(pairs, "_DISTANCE_CHUNK_CHARS", 500)
    assert len(list(pairs._stretches(groups))) > 5
    assert error_rates(clean, garbled, groups) == (cer(garbled, clean), wer(garbled, clean))


def test_a_book_length_text_is_sampled_by_an_excerpt():
    text = " ".join(f"Sentence number {k} is here." for k in range(10_000))
    cut = excerpt(text, 1_000)
    assert text.startswith(cut) and cut.endswith("is here.")
    assert 1_000 <= len(cut.split()) < 1_010
    short = "A short text. Of two sentences."
    assert excerpt(short, 1_000) == short

"""Which clean words real garbling changed, by word feature: the data ``noise.conditioning``
learns its factors from.

A pair's clean and garbled words (``builder.text.wordpairs.WORD``, case kept) are aligned
with a word-level Levenshtein alignment; a clean word replaced or deleted counts as
edited. Each clean word's buckets (``builder.noise.conditioning.buckets``) are kept as
small integers, so 10,000 sentence pairs cost a few megabytes.
"""

from __future__ import annotations

import numpy as np
from rapidfuzz.distance import Levenshtein

from builder.noise import bigrams as bigram_tables
from builder.noise.conditioning import FEATURES, buckets, learn
from builder.text.wordpairs import SENTENCE_END, WORD


def edited_words(clean: str, garbled: str) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """The clean words, whether each was edited, and each one's index in its sentence and
    its sentence's length."""
    words = WORD.findall(clean)
    other = WORD.findall(garbled)
    edited = np.zeros(len(words), dtype=bool)
    if words:
        for tag, a0, a1, _, _ in Levenshtein.opcodes([w.casefold() for w in words], [w.casefold() for w in other]):
            if tag in ("replace", "delete"):
                edited[a0:a1] = True
    index: list[int] = []
    sizes: list[int] = []
    for sentence in SENTENCE_END.split(clean):
        n = len(WORD.findall(sentence))
        index += range(n)
        sizes += [n] * n
    if len(index) != len(words):  # a word cut by a sentence end: count the pair as one sentence
        index, sizes = list(range(len(words))), [len(words)] * len(words)
    return words, edited, np.asarray(index, dtype=np.int64), np.asarray(sizes, dtype=np.int64)


class ConditioningData:
    """Buckets and edited flags of the clean words of many pairs."""

    def __init__(self) -> None:
        self.parts: dict[str, list[np.ndarray]] = {name: [] for name in FEATURES}
        self.edited: list[np.ndarray] = []
        self.table = bigram_tables.load(bigram_tables.SHIPPED)

    def add(self, clean: str, garbled: str) -> None:
        words, edited, index, sizes = edited_words(clean, garbled)
        if not words:
            return
        for name, values in buckets(words, index, sizes, self.table).items():
            self.parts[name].append(values.astype(np.int8))
        self.edited.append(edited)

    def factors(self) -> dict[str, list[float]]:
        if not self.edited:
            return {}
        found = {name: np.concatenate(parts).astype(np.int64) for name, parts in self.parts.items()}
        return learn(found, np.concatenate(self.edited))

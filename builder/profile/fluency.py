"""Fluency: how many word bigrams of a text a clean reference corpus never has.

Real machine translation is fluent and wrong; word salad ("made a the of unforced
error") is neither. A bigram that a large clean corpus never contains is a cheap sign of
disfluency, so the measure of a set of pairs is the share of garbled-side bigrams unseen
in the reference, minus that share on their clean side: what the garbling added, with
the clean text's own rare phrases (names, numbers, topic words) subtracted. The
reference must be disjoint from any table the garbling learned from, or the measure
flatters it.

Words are case-folded ``\\w+`` runs (apostrophes inside a word kept), and bigrams do not
cross a sentence end (. ! ? ;), so a sentence drop or merge is not counted as a
disfluency. The reference is held as sorted 64-bit hashes, 8 bytes a distinct bigram.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise

import numpy as np

from builder.core.seeding import digest
from builder.text.wordpairs import sentence_words


def bigram_keys(text: str) -> np.ndarray:
    """64-bit keys of the text's word bigrams, sentence by sentence."""
    keys: list[int] = []
    for words in sentence_words(text):
        keys += [int.from_bytes(digest(a, b, size=8), "little") for a, b in pairwise(words)]
    return np.asarray(keys, dtype=np.uint64)


class Reference:
    """The distinct word bigrams of a clean corpus."""

    def __init__(self, keys: np.ndarray) -> None:
        self.keys = np.unique(keys.astype(np.uint64))

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Reference:
        parts = [bigram_keys(t) for t in texts]
        return cls(np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64))

    def __len__(self) -> int:
        return len(self.keys)

    def unseen(self, text: str) -> tuple[int, int]:
        """(bigrams the reference never has, bigrams) of ``text``."""
        keys = bigram_keys(text)
        if not len(keys):
            return 0, 0
        if not len(self.keys):
            return len(keys), len(keys)
        at = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return int((self.keys[at] != keys).sum()), len(keys)


def pair_counts(reference: Reference, garbled: Sequence[str], clean: Sequence[str]) -> np.ndarray:
    """Per pair: unseen and total bigrams of the garbled side, then of the clean side."""
    rows = [(*reference.unseen(g), *reference.unseen(c)) for g, c in zip(garbled, clean, strict=True)]
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), 4)


def gap(counts: np.ndarray, idx: np.ndarray | None = None) -> float:
    """Unseen share of the garbled bigrams minus that of the clean ones, over the pairs
    ``idx`` (all by default); 0 when a side has no bigram."""
    c = counts if idx is None else counts[idx]
    totals = c.sum(axis=0)
    if totals[1] == 0 or totals[3] == 0:
        return 0.0
    return float(totals[0] / totals[1] - totals[2] / totals[3])

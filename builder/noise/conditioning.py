"""Which words garbling touches: odds that depend on the word, as they do in real pairs.

Real garbling does not pick words uniformly. Machine translation changes common function
words and long content words more than short names; OCR hits long words more than short
ones; the first word of a sentence is changed in its own ways. A recipe's
``conditioning`` holds, for each of a few word features, a factor per bucket; a word's
odds of being picked by any operation are multiplied by the product of its factors
(``weights``), on top of its sentence's intensity. The factors are learned from real
pairs (``learn``: a multiplicative model fitted to which clean words the garbled side
changed), so a profile picks words as its pairs did.

Features and buckets (``FEATURES``):

- ``frequency``: how often the bigram table's clean English has the word (under 10,
  unknown words included; under 100; under 1,000; more);
- ``length``: characters (1-3, 4-6, 7-9, 10 or more);
- ``position``: in its sentence (first word, first third, middle third, last third);
- ``case``: lower case, capitalised, other (all capitals, digits).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from builder.noise.bigrams import Bigrams
from builder.noise.ops.context import Context

FEATURES: dict[str, int] = {"frequency": 4, "length": 4, "position": 4, "case": 3}
_FREQUENCY_EDGES = np.array([10, 100, 1000])
_LENGTH_EDGES = np.array([4, 7, 10])


def check(factors: Mapping[str, Sequence[float]]) -> str:
    """What is wrong with ``factors`` as a recipe's conditioning ("" when nothing is)."""
    for name, values in factors.items():
        if name not in FEATURES:
            return f"unknown feature {name!r} (known: {', '.join(FEATURES)})"
        if len(values) != FEATURES[name]:
            return f"{name} needs {FEATURES[name]} factors, one per bucket, not {len(values)}"
        if any(not np.isfinite(v) or v < 0 for v in values):
            return f"{name}: factors must be finite and >= 0"
    return ""


def buckets(
    words: Sequence[str], sentence_index: np.ndarray, sentence_length: np.ndarray, table: Bigrams | None
) -> dict[str, np.ndarray]:
    """Per word, its bucket of each feature; ``sentence_index`` and ``sentence_length``
    give each word's place in its sentence."""
    n = len(words)
    counts = np.fromiter(
        (table.words.get(w.casefold(), 0) if table is not None else 0 for w in words), dtype=np.int64, count=n
    )
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=n)
    first = np.fromiter((w[:1].isupper() for w in words), dtype=bool, count=n)
    lower = np.fromiter((w.islower() for w in words), dtype=bool, count=n)
    rest_lower = np.fromiter((w[1:] == w[1:].lower() and w[:1].isalpha() for w in words), dtype=bool, count=n)
    relative = sentence_index / np.maximum(sentence_length - 1, 1)
    position = np.where(sentence_index == 0, 0, 1 + np.minimum((relative * 3).astype(np.int64), 2))
    return {
        "frequency": np.searchsorted(_FREQUENCY_EDGES, counts, side="right"),
        "length": np.searchsorted(_LENGTH_EDGES, lengths, side="right"),
        "position": position,
        "case": np.where(lower, 0, np.where(first & rest_lower, 1, 2)),
    }


def weights(ctx: Context, factors: Mapping[str, Sequence[float]]) -> np.ndarray:
    """Per word of ``ctx``, the product of its features' factors."""
    if ctx.n == 0 or not factors:
        return np.ones(ctx.n)
    first = np.flatnonzero(ctx.first)
    sizes = np.diff(np.r_[first, ctx.n])
    index = np.arange(ctx.n) - np.repeat(first, sizes)
    words = [ctx.word(i) for i in range(ctx.n)]
    found = buckets(words, index, np.repeat(sizes, sizes), ctx.bigrams)
    out = np.ones(ctx.n)
    for name, values in factors.items():
        out *= np.asarray(values, dtype=np.float64)[found[name]]
    return out


def learn(
    found: Mapping[str, np.ndarray], edited: np.ndarray, rounds: int = 8, prior: float = 50.0
) -> dict[str, list[float]]:
    """Factors for each feature such that, word by word, odds of ``base * product of
    factors`` reproduce how many words of each bucket were ``edited`` (iterative
    proportional fitting of a multiplicative model). A bucket with few words is pulled
    towards 1 (``prior`` words at the mean rate). Factors are scaled so their product
    averages 1 over the words seen."""
    edited = np.asarray(edited, dtype=np.float64)
    if not edited.size or edited.sum() == 0:
        return {}
    base = edited.mean()
    factors = {name: np.ones(size) for name, size in FEATURES.items()}
    for _ in range(rounds):
        for name, size in FEATURES.items():
            product = np.ones(edited.size)
            for other, values in factors.items():
                if other != name:
                    product *= values[found[other]]
            predicted = np.bincount(found[name], weights=base * product, minlength=size)
            observed = np.bincount(found[name], weights=edited, minlength=size)
            factors[name] = (observed + prior * base) / (predicted + prior * base)
    product = np.ones(edited.size)
    for name, values in factors.items():
        product *= values[found[name]]
    scale = product.mean() ** (1.0 / len(FEATURES))
    return {name: [round(float(v / scale), 4) for v in values] for name, values in factors.items()}

"""Character and word error rates of a garbled text against its clean reference."""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein


def cer(garbled: str, clean: str) -> float:
    return Levenshtein.distance(clean, garbled) / max(1, len(clean))


def wer(garbled: str, clean: str) -> float:
    ref = clean.split()
    return Levenshtein.distance(ref, garbled.split()) / max(1, len(ref))

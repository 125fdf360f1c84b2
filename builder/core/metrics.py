"""Character and word error rates of a garbled text against its clean reference."""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein


def char_errors(garbled: str, clean: str) -> tuple[int, int]:
    """Character edits (substitutions, deletions, insertions) and the reference length
    (at least 1): summed over rows, they give a corpus CER."""
    return Levenshtein.distance(clean, garbled), max(1, len(clean))


def word_errors(garbled: str, clean: str) -> tuple[int, int]:
    """Word edits (words split at whitespace) and the reference's word count (at least 1)."""
    ref = clean.split()
    return Levenshtein.distance(ref, garbled.split()), max(1, len(ref))


def cer(garbled: str, clean: str) -> float:
    errors, length = char_errors(garbled, clean)
    return errors / length


def wer(garbled: str, clean: str) -> float:
    errors, length = word_errors(garbled, clean)
    return errors / length

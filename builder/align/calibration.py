"""From raw group Dice to a calibrated score: about the probability the group is right.

Raw Dice means different things on different text: MT paraphrase keeps a quarter of
the n-grams of a correct pair, an OCR page shares headers between unrelated lines,
short sentences share few n-grams even when right. A logistic model over (Dice, its
margin above the document's own chance level, log length, merged) maps it to the
probability that the group is exactly right, so ``filter.min_align_score=0.5`` means
the same on every corpus. ``benchmarks/calibrate_align.py`` fits the coefficients on
synthetic and machine-translation documents with gold and checks them on OCR.
"""

from __future__ import annotations

import math

#: intercept, Dice, Dice - document threshold, log(mean chars + 1), merged (a + b > 2)
COEFFICIENTS = (-1.6011, 2.3446, 2.3656, 0.6987, 0.314)


def features(dice: float, threshold: float, a: int, b: int, garbled_chars: float, clean_chars: float):
    return (1.0, dice, dice - threshold, math.log1p((garbled_chars + clean_chars) / 2), 1.0 if a + b > 2 else 0.0)


def calibrated(
    dice: float,
    threshold: float,
    a: int,
    b: int,
    garbled_chars: float,
    clean_chars: float,
    coefficients: tuple[float, ...] = COEFFICIENTS,
) -> float:
    if not (a and b):
        return 0.0
    x = features(dice, threshold, a, b, garbled_chars, clean_chars)
    z = sum(w * v for w, v in zip(coefficients, x, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

"""From raw group Dice to a calibrated score: about the probability the group is right.

Raw Dice means different things on different text: MT paraphrase keeps a quarter of
the n-grams of a correct pair, an OCR page shares headers between unrelated lines,
short sentences share few n-grams even when right, and two unrelated articles always
hold a few sentence pairs that share more than chance. So a group is judged against
the document's own chance level (the 95th percentile of the Dice of its unrelated
sentence pairs) and against its surroundings:

- its Dice, its margin over the chance level, the log of its length, and both together
  (a long sentence's chance Dice varies less, so the same margin means more);
- whether it merges sentences;
- whether the document was too short to measure its chance level (then a prior level
  stands in, and a one-sentence document gets its own intercept and slope);
- its neighbours: the best Dice of the two groups on each side, the weaker side taken
  (a true group sits among true groups; a chance match among leftovers);
- the document: the share of its sentences in groups whose Dice is over twice the
  chance level (a garbled version of the clean side has most; an unrelated one none).

A logistic model over these maps a group to the probability that it is exactly right,
so ``filter.min_align_score=0.5`` means the same on every corpus and a spurious group
in an unrelated document scores low. ``benchmarks/calibrate_align.py`` fits the
coefficients on true, unrelated, partly related and one-sentence documents and checks
them on sets it did not see.
"""

from __future__ import annotations

import numpy as np

#: The chance level the coefficients were fitted with: this quantile of the Dice of a
#: document's unrelated sentence pairs, never below CHANCE_FLOOR, or UNMEASURED_CHANCE
#: when the document is too short to measure it.
CHANCE_QUANTILE = 0.95
CHANCE_FLOOR = 0.1
UNMEASURED_CHANCE = 0.25
NEIGHBOURS = 2  # groups looked at on each side

FEATURES = (
    "intercept",
    "dice",
    "margin",  # dice - chance
    "log_chars",  # log(1 + mean characters of the two sides)
    "merged",  # a + b > 2
    "margin_x_log_chars",
    "unmeasured",  # the chance level is the prior, not measured
    "unmeasured_x_dice",
    "neighbours",  # min over sides of the best neighbouring Dice, minus chance (0 without neighbours)
    "has_neighbours",
    "document_strong",  # share of the document's sentences in groups with Dice > 2 x chance
)
#: Fitted by benchmarks/calibrate_align.py (results/calibration.json), in FEATURES order.
COEFFICIENTS = (1.0145, 1.4167, 1.1889, -0.8713, 0.1349, 3.8569, 2.3131, 3.0235, 2.3353, -2.3226, 4.6337)


def chance_level(measured: float | None) -> float:
    """The chance level the calibration uses, from the measured quantile (None: too short)."""
    return UNMEASURED_CHANCE if measured is None else max(CHANCE_FLOOR, measured)


def path_features(
    dice: np.ndarray, a: np.ndarray, b: np.ndarray, chars: np.ndarray, chance: float, measured: bool
) -> np.ndarray:
    """One row of FEATURES per group of a document's path (all its groups, in order).

    ``dice`` is each group's coverage (ignored for 1-0 and 0-1 groups, which count as 0
    for their neighbours), ``a``/``b`` its sentences per side, ``chars`` the mean of its
    two sides' characters.
    """
    a, b = np.asarray(a), np.asarray(b)
    matched = (a > 0) & (b > 0)
    d = np.where(matched, np.asarray(dice, dtype=np.float64), 0.0)
    k = len(d)
    margin = d - chance
    log_chars = np.log1p(np.asarray(chars, dtype=np.float64))
    unmeasured = 0.0 if measured else 1.0
    padded = np.concatenate([np.full(NEIGHBOURS, -np.inf), d, np.full(NEIGHBOURS, -np.inf)])
    left = np.max([padded[NEIGHBOURS - s : NEIGHBOURS - s + k] for s in range(1, NEIGHBOURS + 1)], axis=0)
    right = np.max([padded[NEIGHBOURS + s : NEIGHBOURS + s + k] for s in range(1, NEIGHBOURS + 1)], axis=0)
    weaker = np.minimum(left, right)
    weaker = np.where(np.isinf(weaker), np.maximum(left, right), weaker)  # at an edge: the one side there is
    has = ~np.isinf(weaker)
    neighbours = np.where(has, weaker - chance, 0.0)
    sizes = a + b
    strong = float(sizes[matched & (d > 2 * chance)].sum() / max(1, sizes.sum()))
    return np.column_stack(
        [
            np.ones(k),
            d,
            margin,
            log_chars,
            (sizes > 2).astype(np.float64),
            margin * log_chars,
            np.full(k, unmeasured),
            unmeasured * d,
            neighbours,
            has.astype(np.float64),
            np.full(k, strong),
        ]
    )


def probabilities(x: np.ndarray, coefficients: tuple[float, ...] = COEFFICIENTS) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x @ np.asarray(coefficients), -50.0, 50.0)))


def calibrated_scores(
    dice: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    chars: np.ndarray,
    chance: float,
    measured: bool,
    coefficients: tuple[float, ...] = COEFFICIENTS,
) -> np.ndarray:
    """The calibrated score of every group of a path; 0 for 1-0 and 0-1 groups."""
    if not len(dice):
        return np.zeros(0)
    p = probabilities(path_features(dice, a, b, chars, chance, measured), coefficients)
    return np.where((np.asarray(a) > 0) & (np.asarray(b) > 0), p, 0.0)

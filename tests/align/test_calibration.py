"""The score calibration: features as documented, and scores that move the right way."""

from __future__ import annotations

import numpy as np
import pytest

from builder.align.calibration import (
    CHANCE_FLOOR,
    COEFFICIENTS,
    FEATURES,
    UNMEASURED_CHANCE,
    calibrated_scores,
    chance_level,
    path_features,
)


def _col(name: str) -> int:
    return FEATURES.index(name)


def test_one_coefficient_per_feature():
    assert len(COEFFICIENTS) == len(FEATURES)


def test_chance_level_has_a_floor_and_a_prior_for_short_documents():
    assert chance_level(0.03) == CHANCE_FLOOR
    assert chance_level(0.2) == 0.2
    assert chance_level(None) == UNMEASURED_CHANCE


def test_neighbours_are_the_weaker_side_and_unaligned_groups_count_zero():
    dice = np.array([0.9, 0.8, 0.3, 0.0, 0.7])
    a = np.array([1, 1, 1, 1, 1])
    b = np.array([1, 1, 1, 0, 1])  # group 3 is a 1-0
    x = path_features(dice, a, b, np.full(5, 80.0), chance=0.1, measured=True)
    nb = x[:, _col("neighbours")]
    # group 2: best left 0.9, best right max(0.0, 0.7) = 0.7 -> the weaker side, minus chance
    assert nb[2] == pytest.approx(0.7 - 0.1)
    # group 0 has no left side: its right side stands alone
    assert nb[0] == pytest.approx(0.8 - 0.1)
    assert x[:, _col("has_neighbours")].tolist() == [1.0] * 5


def test_a_lone_group_has_no_neighbours_and_an_unmeasured_chance_is_flagged():
    x = path_features(np.array([0.6]), np.array([1]), np.array([1]), np.array([50.0]), UNMEASURED_CHANCE, False)
    assert x[0, _col("has_neighbours")] == 0.0 and x[0, _col("neighbours")] == 0.0
    assert x[0, _col("unmeasured")] == 1.0 and x[0, _col("unmeasured_x_dice")] == pytest.approx(0.6)


def test_document_strong_is_the_share_of_sentences_well_above_chance():
    dice = np.array([0.9, 0.15, 0.0])
    a, b = np.array([2, 1, 0]), np.array([1, 1, 1])
    x = path_features(dice, a, b, np.full(3, 60.0), chance=0.1, measured=True)
    # only the 2-1 group is over twice the chance level (0.15 is not); every sentence counts in the total
    assert x[0, _col("document_strong")] == pytest.approx(3 / 6)


def test_unaligned_groups_score_zero_and_scores_rise_with_dice():
    dice = np.linspace(0.1, 1.0, 10)
    ones = np.ones(10, dtype=int)
    scores = [
        calibrated_scores(np.array([0.9, d, 0.9]), np.ones(3, int), np.ones(3, int), np.full(3, 80.0), 0.12, True)[1]
        for d in dice
    ]
    assert np.all(np.diff(scores) > 0)
    s = calibrated_scores(dice, ones, np.zeros(10, dtype=int), np.full(10, 80.0), 0.12, True)
    assert s.tolist() == [0.0] * 10


def test_a_chance_match_among_leftovers_scores_low_and_a_weak_match_among_strong_ones_high():
    """The same Dice means different things: a paraphrased sentence in a translated article
    (neighbours aligned) against the best leftover pair of two unrelated articles."""
    a = b = np.ones(5, dtype=int)
    chars = np.full(5, 90.0)
    among_strong = calibrated_scores(np.array([0.7, 0.6, 0.25, 0.65, 0.8]), a, b, chars, 0.12, True)[2]
    among_chance = calibrated_scores(np.array([0.14, 0.13, 0.25, 0.15, 0.13]), a, b, chars, 0.12, True)[2]
    assert among_strong > 0.5 > among_chance

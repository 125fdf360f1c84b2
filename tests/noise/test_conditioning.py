"""Word-feature conditioning: which words a recipe's operations pick."""

from __future__ import annotations

import numpy as np
import pytest

from builder.noise.conditioning import FEATURES, buckets, check, learn, weights
from builder.noise.ops.context import Context
from builder.noise.recipe import Recipe
from builder.profile.conditioning import ConditioningData, edited_words


def test_check_names_what_is_wrong():
    assert check({}) == ""
    assert "unknown feature" in check({"colour": [1.0]})
    assert "needs 3 factors" in check({"case": [1.0, 1.0]})
    assert ">= 0" in check({"case": [1.0, -1.0, 1.0]})
    with pytest.raises(ValueError, match="conditioning"):
        Recipe.from_config({"name": "x", "ops": [{"op": "keyboard"}], "conditioning": {"case": [1.0]}})


def test_buckets_of_words():
    found = buckets(["The", "NATO", "summit", "extraordinarily", "in"], np.arange(5), np.full(5, 5), None)
    assert found["case"].tolist() == [1, 2, 0, 0, 0]
    assert found["length"].tolist() == [0, 1, 1, 3, 0]
    assert found["position"].tolist() == [0, 1, 2, 3, 3]
    assert found["frequency"].tolist() == [0] * 5  # no table: every word counts as rare


def test_learn_recovers_a_feature_effect():
    rng = np.random.default_rng(0)
    n = 40_000
    found = {name: rng.integers(0, size, n) for name, size in FEATURES.items()}
    odds = np.where(found["case"] == 2, 0.1, 0.3)  # capitals edited a third as often
    edited = rng.random(n) < odds
    factors = learn(found, edited)
    assert factors["case"][2] / factors["case"][0] == pytest.approx(1 / 3, rel=0.15)
    assert factors["length"][0] == pytest.approx(factors["length"][3], rel=0.1)  # no effect: flat
    assert learn(found, np.zeros(n, dtype=bool)) == {}


def test_a_recipe_follows_its_factors():
    text = "NATO and the EU met in Brussels on Monday, and NATO said the talks went well. " * 20
    spans = [(0, len(text))]
    base = {"name": "x", "level": 0.5, "ops": [{"op": "keyboard"}], "bigrams": "none"}
    spared = Recipe.from_config({**base, "conditioning": {"case": [1.0, 1.0, 0.0]}})
    import re

    caps = [(m.start(), m.end()) for m in re.finditer(r"\b[A-Z]{2,}\b", text)]

    def in_caps(edits) -> int:
        return sum(any(a <= e.start < b for a, b in caps) for e in edits)

    edits = spared.apply(text, spans, 0, "d")
    assert edits and in_caps(edits) == 0
    assert in_caps(Recipe.from_config(base).apply(text, spans, 0, "d")) > 0
    ctx = Context(text[:80], [(0, 80)])
    w = weights(ctx, {"case": [1.0, 2.0, 0.5]})
    assert w[0] == 0.5 and w[1] == 1.0  # "NATO", "and"


def test_edited_words_of_a_pair():
    words, edited, index, sizes = edited_words("The cat sat on the mat. It slept.", "The dog sat the mat. It slept.")
    assert [w for w, e in zip(words, edited, strict=True) if e] == ["cat", "on"]
    assert index.tolist() == [0, 1, 2, 3, 4, 5, 0, 1] and sizes.tolist()[-1] == 2
    data = ConditioningData()
    data.add("The cat sat on the mat.", "The dog sat the mat.")
    data.add("", "")
    factors = data.factors()
    assert set(factors) == set(FEATURES)

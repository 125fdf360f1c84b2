"""Profile -> recipe -> garble gives the profile's rates; the learned operations; config."""

from __future__ import annotations

import dataclasses

import pytest

from builder.app.config import ConfigError, NoiseConfig, validate
from builder.app.recipes import recipe_for, resolve_recipe
from builder.noise.recipe import Recipe, WeightedOp, make_op
from builder.noise.registry import OPERATIONS
from builder.profile.estimate import Profile, ProfileBuilder, estimate
from builder.profile.pairs import PairMeasurer
from builder.profile.to_recipe import ProfiledRecipe, profile_ops, recipe_from_profile
from tests.profile.corpus import SENTENCES, documents, garble, garbled_pairs

MIX = Recipe(
    "mix",
    0.2,
    tuple(
        WeightedOp(make_op(op), w)
        for op, w in (
            ("keyboard", 1.0),
            ("char_delete", 1.0),
            ("word_swap", 0.5),
            ("function_word_drop", 1.0),
            ("word_substitute", 1.0),
            ("word_insert", 0.5),
        )
    ),
)


@pytest.fixture(scope="module")
def mix_profile() -> Profile:
    pairs = [p for seed in range(8) for p in garbled_pairs(MIX, seed)]
    return estimate(pairs, "mix")


def _rates_of(recipe: Recipe, seeds: range, measurer: PairMeasurer | None = None) -> dict[str, float]:
    """The rates ``estimate`` would give the pairs ``recipe`` makes (without the calibration
    a whole profile also runs, which nothing here reads)."""
    pairs = [p for seed in seeds for p in garbled_pairs(recipe, seed)]
    return ProfileBuilder(measurer).add_all(pairs).rates()


@pytest.mark.slow
def test_round_trip_rates_are_close_to_the_profile(mix_profile: Profile) -> None:
    made = recipe_from_profile(mix_profile)
    assert isinstance(made.recipe, ProfiledRecipe) and not made.missing
    again = _rates_of(made.recipe, range(10, 18))
    # about 4,000 words each way: a rate of 0.01 is some 40 edits, known to within a third
    for category in ("keyboard", "char_delete", "word_swap", "function_word_drop", "word_substitute", "word_insert"):
        want = mix_profile.rates[category]
        assert again[category] == pytest.approx(want, rel=0.35, abs=0.005), (category, again[category], want)


def test_the_recipe_uses_the_operations_of_the_categories_and_their_tables(mix_profile: Profile) -> None:
    made = recipe_from_profile(mix_profile)
    names = {op.name for op, _ in made.recipe.ops}
    assert {"keyboard", "word_insert"} <= names <= set(OPERATIONS)
    # the mix's "substitutions" are mostly typos of function words ("the" -> "he"), which
    # no longer read as a word chosen: fluent word_substitute may be given no odds at all
    (sub,) = [op for category, op in profile_ops(mix_profile) if op.name == "word_substitute"]
    assert sub.table and sub.table[0][3] > 0  # rows carry how often the word was seen
    assert made.probabilities["keyboard"] > 0


def test_level_scales_a_profile_recipe(mix_profile: Profile) -> None:
    full = recipe_from_profile(mix_profile).recipe
    half = recipe_from_profile(mix_profile, scale=0.5).recipe
    assert half.level < full.level
    assert full.with_level(0).apply(SENTENCES[0], [(0, len(SENTENCES[0]))], 0, "x") == []
    scaled = full.with_level(full.level / 2)
    assert scaled.probabilities() == pytest.approx([p / 2 for p in full.probabilities()], rel=1e-6)
    with pytest.raises(ValueError, match="scale"):
        recipe_from_profile(mix_profile, scale=25.0)


def test_profile_recipes_garble_deterministically_and_replay(mix_profile: Profile) -> None:
    recipe = recipe_from_profile(mix_profile).recipe
    text = " ".join(SENTENCES[:8])
    spans = [(0, len(text))]
    assert recipe.garble(text, spans, 3, "d") == recipe.garble(text, spans, 3, "d")
    garbled, edits = recipe.garble(text, spans, 3, "d")
    assert garbled != text and all(text[e.start : e.end] == e.before for e in edits)


def test_uneven_noise_spreads_wer_without_moving_the_mean(mix_profile: Profile) -> None:
    from builder.core.metrics import wer

    even = dataclasses.replace(recipe_from_profile(mix_profile).recipe, dispersion=0.0)
    uneven = dataclasses.replace(even, dispersion=2.0)

    def wers(recipe: Recipe) -> list[float]:
        return [wer(g, c) for seed in range(6) for c, g in garbled_pairs(recipe, seed)]

    a, b = wers(even), wers(uneven)
    spread = (max(b) - min(b)) / max(1e-9, max(a) - min(a))
    assert spread > 1.2
    assert sum(b) / len(b) == pytest.approx(sum(a) / len(a), rel=0.35)


def test_sentence_categories_become_structure_rates() -> None:
    from builder.noise.structure import StructureRates

    recipe = Recipe("s", 0.0, (), structure=StructureRates(merge=0.3))
    docs = documents(n=10, size=6)
    profile = estimate([(d, garble(d, recipe, 0, f"d{k}")) for k, d in enumerate(docs)], "s")
    made = recipe_from_profile(profile).recipe
    assert made.structure.merge > 0.05 and made.structure.drop == 0


def test_word_substitute_op_draws_from_its_table_and_keeps_case() -> None:
    op = make_op("word_substitute", {"table": [["floppy", "floor", 3], ["floppy", "flop", 1], ["disk", "disc"]]})
    recipe = Recipe("t", 1.0, (WeightedOp(op, 1.0),), bigrams="none")
    text = "Floppy disk and floppy DISK."
    garbled, edits = recipe.garble(text, [(0, len(text))], 0, "x")
    assert {e.before for e in edits} == {"Floppy", "disk", "floppy", "DISK"}
    assert garbled.split()[0] in ("Floor", "Flop") and "DISC" in garbled
    with pytest.raises(ValueError, match="table row 0"):
        make_op("word_substitute", {"table": [["only one"]]})
    assert hash(op) == hash(
        make_op("word_substitute", {"table": [["floppy", "floor", 3], ["floppy", "flop", 1], ["disk", "disc"]]})
    )


def test_word_substitute_odds_follow_how_often_a_word_was_really_replaced() -> None:
    # "the" replaced 2 times in 1000, "floppy" 5 times in 6: floppy is picked far more often
    op = make_op("word_substitute", {"table": [["the", "a", 2, 1000], ["floppy", "floor", 5, 6]]})
    recipe = Recipe("t", 0.2, (WeightedOp(op, 1.0),), bigrams="none")
    text = " ".join(["the floppy disk"] * 200)
    _, edits = recipe.garble(text, [(0, len(text))], 0, "x")
    changed = {b: sum(e.before == b for e in edits) for b in ("the", "floppy")}
    assert changed["floppy"] > 10 * max(1, changed["the"])


def test_word_insert_op_adds_words_inside_sentences() -> None:
    op = make_op("word_insert", {"table": [["", "really", 2], ["", "indeed", 1]]})
    recipe = Recipe("t", 0.5, (WeightedOp(op, 1.0),), bigrams="none")
    text = "The council voted on Tuesday. It closed two libraries."
    spans = [(0, 29), (30, len(text))]
    garbled, edits = recipe.garble(text, spans, 1, "x")
    assert edits and all(e.before == "" and e.after.strip() in ("really", "indeed") for e in edits)
    assert garbled.endswith(".") and not garbled.endswith(" really.")


def test_noise_config_path_builds_the_profile_recipe(tmp_path, mix_profile: Profile) -> None:
    path = mix_profile.save(tmp_path / "mix.json")
    recipe = recipe_for(NoiseConfig(name="profile", path=str(path), level=1.0))
    assert recipe == recipe_from_profile(mix_profile).recipe
    assert recipe_for({"name": "profile", "path": "seed", "level": 1.0}).ops
    with pytest.raises(ConfigError, match=r"replaces noise\.ops"):
        recipe_for({"name": "x", "path": str(path), "ops": [{"op": "keyboard"}]})
    with pytest.raises(ValueError, match="noise profile"):
        Recipe.from_config({"name": "profile", "path": "seed"})  # the noise layer knows no profiles


def test_validate_checks_the_profile_path(cfg_factory, tmp_path) -> None:
    validate(cfg_factory("noise=profile"))
    with pytest.raises(ConfigError, match=r"noise\.path"):
        validate(cfg_factory("noise=profile", f"noise.path={tmp_path / 'none.json'}"))
    with pytest.raises(ConfigError, match=r"replaces noise\.ops"):
        validate(cfg_factory("noise=mixed", "noise.path=seed"))


def test_profile_yaml_is_the_bundled_seed_profile(cfg_factory) -> None:
    cfg = cfg_factory("noise=profile")
    # profile.yaml keeps numbers (protect_numbers: true, measured in benchmarks/numbers.py)
    assert recipe_for(cfg.noise) == recipe_from_profile(Profile.load("seed"), protect_numbers=True).recipe
    assert resolve_recipe("profile").ops


def test_the_seed_profile_garbles_news_at_its_rates() -> None:
    profile = Profile.load("seed")
    recipe = recipe_from_profile(profile).recipe
    rates = _rates_of(recipe, range(3), PairMeasurer())
    for category in ("word_drop", "function_word_drop", "inflection", "calque"):
        assert rates[category] == pytest.approx(profile.rates[category], rel=0.5), category
    # One article's substitutions and insertions are mostly words seen once, and a new word must read
    # naturally in its new place (builder.noise.bigrams): on other news, fewer of them fit.
    assert 0.15 * profile.rates["word_substitute"] < rates["word_substitute"] < profile.rates["word_substitute"]

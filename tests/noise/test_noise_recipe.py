"""Recipes: loading, validation, Hydra composition, and how much they garble."""

from __future__ import annotations

import pytest
from omegaconf import OmegaConf

from builder.core.resources import CONF_DIR
from builder.noise import OPERATIONS, Recipe, UnknownRecipeError, load_recipe
from builder.noise.recipe import MAX_LEVEL, OpSpec, RecipeSpec, WeightedOp, make_op
from tests.news import NEWS
from tests.noise.noise_samples import check_edits, long_text, mean_touched_share, simple_spans, touched_words

RECIPES = ["none", "typo", "ocr", "names", "mixed", "rtt"]


@pytest.mark.parametrize("name", RECIPES)
def test_recipe_files_load_and_say_what_level_means(name: str) -> None:
    path = CONF_DIR / "noise" / f"{name}.yaml"
    recipe = load_recipe(name)
    assert recipe.name == name
    assert all(op.name in OPERATIONS for op, _ in recipe.ops)
    assert 0 <= recipe.level <= MAX_LEVEL
    lines = path.read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("#") and "level" in line for line in lines), "say what level means"


@pytest.mark.parametrize("name", RECIPES)
def test_recipe_files_compose_with_hydra(name: str) -> None:
    from hydra import compose, initialize_config_dir

    from builder.app.config import register

    register()
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        cfg = compose(config_name="config", overrides=[f"noise={name}"])
    recipe = Recipe.from_config(cfg.noise)
    assert recipe == load_recipe(name)


def test_from_config_accepts_dataclass_dict_and_node() -> None:
    nc = RecipeSpec(
        name="t",
        level=0.2,
        ops=[
            OpSpec(op="keyboard", weight=2.0),
            OpSpec(op="char_insert", params={"repeat": 0.5}),
        ],
    )
    as_dict = {
        "name": "t",
        "level": 0.2,
        "ops": [
            {"op": "keyboard", "weight": 2.0},
            {"op": "char_insert", "params": {"repeat": 0.5}},
        ],
    }
    recipes = [
        Recipe.from_config(nc),
        Recipe.from_config(as_dict),
        Recipe.from_config(OmegaConf.create(as_dict)),
    ]
    assert recipes[0] == recipes[1] == recipes[2]
    assert recipes[0].ops[1].op.repeat == 0.5
    text, spans = NEWS[0], simple_spans(NEWS[0])
    assert len({tuple(r.apply(text, spans, 1, "a")) for r in recipes}) == 1


def test_unknown_op_names_the_op_and_the_known_ones() -> None:
    with pytest.raises(ValueError) as err:
        Recipe.from_config({"name": "bad", "ops": [{"op": "telepathy"}]})
    msg = str(err.value)
    assert "telepathy" in msg and "keyboard" in msg and "name_mangle" in msg
    assert "\n" not in msg


@pytest.mark.parametrize(
    "cfg",
    [
        {"name": "x", "levle": 0.1},  # unknown key
        {"name": "x", "ops": [{"op": "keyboard", "wieght": 1}]},  # unknown key in an op
        {"name": "x", "level": "lots"},  # wrong type
        {"name": "x", "level": 25.0},  # out of range
        {"name": "x", "intensity": [1.0, 0.5]},  # quantiles that decrease
        {"name": "x", "bigrams": "/no/such/table.tsv.gz"},  # a table that cannot be read
        {"name": "x", "ops": [{"op": "keyboard", "weight": -1}]},
        {"name": "x", "ops": [{"op": "keyboard", "params": {"speed": 2}}]},
        {"name": "x", "ops": [{"op": "char_insert", "params": {"repeat": "often"}}]},
        {"name": "x", "ops": [{"op": "name_mangle", "params": {"consistent": 1}}]},
    ],
)
def test_bad_configs_fail_with_one_line(cfg: dict) -> None:
    with pytest.raises(ValueError) as err:
        Recipe.from_config(cfg)
    assert "\n" not in str(err.value)


def test_unknown_recipe() -> None:
    with pytest.raises(UnknownRecipeError, match=r"'nope'.*typo"):
        load_recipe("nope")
    with pytest.raises(UnknownRecipeError):
        load_recipe("../noise/typo")


def test_probability_is_level_times_share_of_weight() -> None:
    recipe = Recipe("p", 0.2, (WeightedOp(make_op("keyboard"), 3.0), WeightedOp(make_op("char_delete"), 1.0)))
    assert recipe.probabilities() == pytest.approx([0.15, 0.05])
    # with one op that applies to almost every word, the share of words edited is the level
    text, spans = long_text()
    kb = Recipe("k", 0.3, (WeightedOp(make_op("keyboard"), 5.0),))
    assert 0.27 < mean_touched_share(kb, text, spans) < 0.33


def test_typo_at_level_point_one_edits_five_to_fifteen_percent_of_words() -> None:
    text, spans = long_text()
    recipe = load_recipe("typo").with_level(0.1)
    for seed in range(3):
        edits = recipe.apply(text, spans, seed, "long")
        check_edits(text, spans, edits)
        touched, total = touched_words(text, spans, edits)
        assert total > 3000
        assert 0.05 <= touched / total <= 0.15, touched / total


def test_recipe_level_scales_the_amount_of_noise() -> None:
    text, spans = long_text(100)
    counts = [len(load_recipe("mixed").with_level(lv).apply(text, spans, 0, "x")) for lv in (0.05, 0.1, 0.2, 0.4)]
    assert counts == sorted(counts) and counts[0] > 0


def test_seed_and_doc_id_change_the_noise() -> None:
    text, spans = long_text(20)
    recipe = load_recipe("mixed")
    a = recipe.apply(text, spans, 0, "a")
    assert a == recipe.apply(text, spans, 0, "a")
    assert a != recipe.apply(text, spans, 1, "a")
    assert a != recipe.apply(text, spans, 0, "b")


def test_recipes_pickle_for_worker_processes() -> None:
    import pickle

    text, spans = long_text(10)
    for name in RECIPES:
        recipe = load_recipe(name)
        clone = pickle.loads(pickle.dumps(recipe))
        assert clone == recipe
        assert clone.apply(text, spans, 4, "p") == recipe.apply(text, spans, 4, "p")


def _ops(name: str) -> dict[str, object]:
    return {op.name: op for op, _ in load_recipe(name).ops}


def test_typo_and_ocr_recipes_hold_their_operations() -> None:
    assert set(_ops("typo")) == {
        "keyboard",
        "shift_slip",
        "char_insert",
        "char_delete",
        "char_transpose",
        "case_slip",
        "space_drop",
        "space_insert",
    }
    assert set(_ops("ocr")) == {"ocr", "space_drop", "space_insert", "char_delete"}
    assert not load_recipe("ocr").structure.active
    assert not load_recipe("typo").structure.active


def test_rtt_recipe_models_round_trip_translation() -> None:
    recipe = load_recipe("rtt")
    ops = _ops("rtt")
    assert set(ops) == {
        "word_substitute",
        "word_drop",
        "word_insert",
        "wrong_sense",
        "calque",
        "inflection",
        "function_word_drop",
        "function_word_insert",
        "word_swap",
        "phrase_duplicate",
        "name_mangle",
        "punctuation",
        "case_slip",
        "ocr",
        "place_variant",
        "pronoun_name",
        "connective_swap",
        "possessive_of",
        "clause_move",
    }
    # MT adds function words anywhere: word_insert draws mostly from them
    inserts = {after: count for _, after, count, _ in ops["word_insert"].table}  # type: ignore[attr-defined]
    assert max(inserts, key=inserts.__getitem__) == "the"
    assert ops["name_mangle"].consistent is False  # type: ignore[attr-defined]
    assert 0 < recipe.structure.split <= 0.1 and 0 < recipe.structure.merge <= 0.1
    assert 0 < recipe.structure.drop <= 0.01 and 0 < recipe.structure.insert <= 0.01  # MLQE-PE's rates
    assert {"place_variant", "pronoun_name", "connective_swap", "possessive_of", "clause_move"} <= set(ops)
    # per-sentence intensity: a tenth of sentences come back untouched, the noisiest near 3x the mean
    assert recipe.intensity[0] == 0 and recipe.intensity[2] == 0 and 2 < recipe.intensity[-1] < 4


def test_rtt_garbles_like_a_translation() -> None:
    text, spans = long_text(200)
    recipe = load_recipe("rtt")
    edits = recipe.apply(text, spans, 0, "rtt")
    check_edits(text, spans, edits)
    seen = {e.op for e in edits}
    assert {"word_substitute", "function_word_drop", "punctuation", "name_mangle", "place_variant"} <= seen
    touched, total = touched_words(text, spans, edits)
    assert 0.1 < touched / total < 0.45  # the seed article: WER 0.42
    subs = [e for e in edits if e.op == "word_substitute"]
    assert any(e.before.lower() in {"a", "the", "of", "in", "to", "on"} for e in subs)  # function-word confusions


def test_mixed_recipe_has_a_bit_of_everything() -> None:
    ops = set(_ops("mixed"))
    assert {"keyboard", "ocr", "word_drop", "wrong_sense", "calque", "punctuation", "name_mangle"} <= ops
    assert load_recipe("mixed").structure.active

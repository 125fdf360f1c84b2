"""``noise.protect_numbers``: no operation changes a number as written."""

from __future__ import annotations

import pytest

from builder.core.edits import replay
from builder.noise import OPERATIONS, Recipe, load_recipe
from builder.noise.document import garble_document
from builder.noise.recipe import WeightedOp, make_op
from builder.noise.structure import StructureRates, document_edits, garbled_text
from builder.text.numbers import kept_numbers, number_spans, number_tokens
from tests.noise.noise_samples import check_edits, simple_spans

NUMBERS = (
    "Shares of the carmaker fell 16% to $18.90 on Monday, the lowest since 2019. "
    "The company said 140,000 cars were recalled in 2024, and 3.5 million more may follow. "
    "It was the 1st recall of the year, after 12 months of talks with 27 EU states and the G7. "
    "Officials counted 1,204 cases of COVID-19 by 12:30 on 3/4, up from 980 in the 1990s. "
    "On 17 June, 2 ministers said 45 villages and 10 towns had lost 0.5% of their homes. "
    "The £250m plan, backed by 31 of 50 members, will cost €1.2bn over 5 years, or 40 a head. "
    "In 2010-2014 the 2nd and 3rd largest banks (with 8% and 11% of deposits) lost 101 branches."
)
TEXTS = [NUMBERS, *(" ".join(NUMBERS.split(". ")[k:] + NUMBERS.split(". ")[:k]) for k in (2, 4))]
ALL_OPS = Recipe("all", 1.0, tuple(WeightedOp(make_op(name), 1.0) for name in sorted(OPERATIONS)))


def _with(recipe: Recipe, protect: bool) -> Recipe:
    return Recipe(recipe.name, recipe.level, recipe.ops, recipe.protect_names, recipe.structure, protect)


def test_the_number_tokens_are_numbers_as_written() -> None:
    assert number_tokens(NUMBERS.split(". ")[0]) == ["16%", "$18.90", "2019"]
    assert number_tokens("the 1st of 140,000 in 2024. COVID-19 G7 1990s 12:30 1/2 2010-2014") == [
        "1st",
        "140,000",
        "2024",
        "19",
        "G7",
        "1990s",
        "12:30",
        "1/2",
        "2010",
        "2014",
    ]
    assert kept_numbers("fell 16% to $18.90", "fell 16 % to $18.9O") == (2, 0)
    assert kept_numbers("in 2024 and 2024", "in 2024 and 2O24") == (2, 1)


@pytest.mark.parametrize("level", [0.5, 1.0])
def test_with_protect_numbers_every_number_survives_and_edits_replay(level: float) -> None:
    recipe = _with(ALL_OPS.with_level(level), True)
    total = 0
    for d, text in enumerate(TEXTS):
        spans = simple_spans(text)
        numbers = list(number_spans(text))
        for seed in range(40):
            garbled, edits = recipe.garble(text, spans, seed, f"n{d}")
            check_edits(text, spans, edits)
            assert replay(text, edits) == garbled
            n, kept = kept_numbers(text, garbled)
            assert kept == n == len(numbers), (seed, number_tokens(text), number_tokens(garbled))
            for e in edits:
                for s, t in numbers:
                    if e.start == e.end:
                        assert not s < e.start < t, f"{e} inserts into {text[s:t]!r}"
                    else:
                        assert e.end <= s or e.start >= t, f"{e} touches {text[s:t]!r}"
            total += len(edits)
    assert total > 500  # the rest of the text was garbled heavily


def test_without_protect_numbers_numbers_change() -> None:
    recipe = _with(ALL_OPS, False)
    changed = 0
    for seed in range(10):
        garbled, _ = recipe.garble(NUMBERS, simple_spans(NUMBERS), seed, "n")
        n, kept = kept_numbers(NUMBERS, garbled)
        changed += n - kept
    assert changed > 50


@pytest.mark.parametrize("name", ["typo", "ocr", "mixed", "rtt"])
def test_a_recipe_with_structure_keeps_numbers_in_every_group(name: str) -> None:
    base = load_recipe(name).with_level(1.0)
    recipe = Recipe(base.name, 1.0, base.ops, False, StructureRates(split=0.3, merge=0.3, insert=0.2), True)
    for seed in range(20):
        pieces = garble_document(recipe, NUMBERS, simple_spans(NUMBERS), seed, "s")
        assert replay(NUMBERS, document_edits(pieces)) == garbled_text(pieces)
        for p in pieces:
            assert replay(p.clean, p.edits or []) == p.garbled
            if p.is_group and p.clean:
                n, kept = kept_numbers(p.clean, p.garbled)
                assert kept == n, (p.clean, p.garbled)


def test_protect_numbers_is_read_from_recipes_and_profiles() -> None:
    from builder.app.recipes import recipe_for

    assert Recipe.from_config({"name": "x", "protect_numbers": True}).protect_numbers
    assert not Recipe.from_config({"name": "x"}).protect_numbers
    with pytest.raises(ValueError, match="often"):
        Recipe.from_config({"name": "x", "protect_numbers": "often"})
    made = recipe_for({"name": "p", "path": "seed", "level": 1.0, "protect_numbers": True})
    assert made.protect_numbers
    text = "The 2 ministers met 3 times in 2024 and agreed on 140,000 tonnes, or 16% of the $18.90 total. " * 6
    for seed in range(10):
        garbled, _ = made.garble(text, simple_spans(text), seed, "p")
        assert kept_numbers(text, garbled)[1] == len(number_tokens(text))


def test_the_shipped_recipes_protect_numbers_except_ocr() -> None:
    """The defaults benchmarks/numbers.py chose (each YAML says why)."""
    from builder.app.recipes import resolve_recipe

    chosen = {
        name: resolve_recipe(name).protect_numbers for name in ("typo", "ocr", "rtt", "names", "mixed", "profile")
    }
    assert chosen == {"typo": True, "ocr": False, "rtt": True, "names": True, "mixed": True, "profile": True}


def test_the_context_finds_the_number_tokens_the_pattern_does():
    """The context runs the pattern only over the space-free runs holding a digit: the
    same tokens as running it over the whole text, on awkward text too."""
    from builder.noise.ops.context import Context
    from builder.text.numbers import number_spans

    texts = [
        "$18.90 16% in 2024. COVID-19 2010-2014 1st G7 ３４ x²³ 12:30 1/2 €5, 3.5.",
        "no digits here",
        "",
        "9",
        "a9 9a  \n7\t8\u00a09",
        '𝟗 𝟘x (12) [3] "4" 5\'6 7’8',
    ]
    for text in [*texts, "\n\n".join(texts)]:
        assert Context(text, [(0, len(text))])._numbers.tolist() == [list(s) for s in number_spans(text)]

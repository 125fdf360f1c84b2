"""The categoriser names each edit with the category of the operation that would make it."""

from __future__ import annotations

from collections import Counter

import pytest

from builder.core.categories import CATEGORIES, RESTRUCTURING
from builder.noise.recipe import Recipe, WeightedOp, make_op
from builder.noise.registry import OPERATIONS
from builder.profile.categorize import categorize, count_words, tokens
from tests.news import NEWS
from tests.profile.corpus import TEXT, garble

CASES = [
    # (category, clean, garbled)
    ("keyboard", "The house is modern.", "The house is modetn."),
    ("shift_slip", "The rain in Spain.", "THe rain in Spain."),
    ("shift_slip", "It grew 4% in May.", "It grew $% in May."),
    ("ocr", "the modern house", "the rnodern house"),
    ("ocr", "he shall appoint", "he shaU appoint"),
    ("char_insert", "the council voted", "the counncil voted"),
    ("char_delete", "the council voted", "the councl voted"),
    ("char_transpose", "The house is modern", "The hosue is modern"),
    ("case_slip", "the Council voted", "the council voted"),
    ("space_drop", "the king was glad", "the kingwas glad"),
    ("space_drop", "glad hereof, and caused", "glad hereof,and caused"),
    ("space_insert", "the negotiations ended", "the neg otiations ended"),
    ("function_word_drop", "they saw the cat", "they saw cat"),
    ("function_word_insert", "they saw cats", "they saw the cats"),
    ("word_drop", "the big red balloon", "the big balloon"),
    ("word_insert", "the big balloon", "the big yellow balloon"),
    ("word_swap", "the quick brown fox", "the brown quick fox"),
    ("phrase_duplicate", "the talks went well today", "the talks went well the talks went well today"),
    ("inflection", "The units were moved", "The units was moved"),
    ("inflection", "The units were moved", "The unit were moved"),
    ("wrong_sense", "the units were moved", "the layers were moved"),
    ("calque", "a counteroffensive began", "a anti-offensive began"),
    ("calque", "the ceasefire held", "the fire cessation held"),
    ("word_substitute", "the floppy disks", "the floor disks"),
    ("word_substitute", "on the table", "in the table"),
    ("name_mangle", "He met Steve Witkoff there.", "He met Steve Witkov there."),
    ("name_mangle", "The town of Sudzha fell.", "The town of Suda fell."),
    ("punctuation", "He said “no” twice.", 'He said "no" twice.'),
    ("punctuation", "red, green and blue", "red green and blue"),
]


@pytest.mark.parametrize(("category", "clean", "garbled"), CASES)
def test_a_hand_made_edit_gets_its_category(category: str, clean: str, garbled: str) -> None:
    found = categorize(clean, garbled)
    assert found and {o.category for o in found} == {category}, found


def test_every_category_of_the_vocabulary_is_covered_by_a_case() -> None:
    sentence_level = {c for c, family in CATEGORIES.items() if family == "sentence"}
    assert {c for c, _, _ in CASES} == set(CATEGORIES) - sentence_level


def test_before_and_after_are_what_changed() -> None:
    (o,) = categorize("the modern house", "the rnodern house")
    assert (o.before, o.after) == ("m", "rn")
    (o,) = categorize("the floppy disks", "the floor disks")
    assert (o.before, o.after) == ("floppy", "floor")
    (o,) = categorize("they saw cats", "they saw the cats")
    assert (o.before, o.after) == ("", "the")


def test_identical_texts_have_no_edits_and_whitespace_amount_is_not_an_edit() -> None:
    assert categorize("Same text.", "Same text.") == []
    assert categorize("Two  spaces here.", "Two spaces here.") == []


def test_tokens_and_words() -> None:
    toks = tokens("U.S. troops, don't go")
    assert [t.text for t in toks] == ["U", ".", "S", ".", "troops", ",", "don't", "go"]
    assert [t.space_before for t in toks] == [False, False, False, False, True, False, True, True]
    assert count_words("U.S. troops, don't go") == 5


def test_a_rewritten_sentence_is_word_substitutions_drops_and_inserts() -> None:
    found = Counter(
        o.category
        for o in categorize(
            "The floppy disks are called 4 MB floppy disks, related to their unformatted capacity.",
            "The floor coverings are called 4 MB disks related to their unformatable capacity.",
        )
    )
    assert found["word_substitute"] >= 2 and found["punctuation"] == 1
    assert sum(found.values()) <= 6


# Operations whose edits are not all of their own category by nature: word_drop also drops
# function words, and a letter changed in a short word can leave another dictionary word.
_SHARE = {"word_drop": 0.5, "char_delete": 0.75, "char_insert": 0.8, "keyboard": 0.8, "ocr": 0.8}


@pytest.mark.parametrize("op", sorted(set(OPERATIONS) - set(RESTRUCTURING)))
def test_an_operations_edits_are_categorised_as_the_operation(op: str) -> None:
    """The contract of categories.py: what an operation makes is found under its name."""
    recipe = Recipe(op, 0.3, (WeightedOp(make_op(op), 1.0),), bigrams="none")
    found: Counter = Counter()
    made = 0
    for seed in range(4):
        garbled = garble(TEXT, recipe, seed, f"doc-{seed}")
        found.update(o.category for o in categorize(TEXT, garbled))
        made += 1 if garbled != TEXT else 0
    assert made, f"{op} made no edit in the test text"  # the text has words for every operation
    total = sum(found.values())
    assert total, f"{op}'s edits were found as none at all"
    assert found[op] / total >= _SHARE.get(op, 0.9), found


def test_every_operation_has_a_category_or_is_a_restructuring() -> None:
    assert set(OPERATIONS) - set(CATEGORIES) == set(RESTRUCTURING)
    assert not set(RESTRUCTURING) & set(CATEGORIES)


@pytest.mark.parametrize("op", RESTRUCTURING)
def test_a_restructurings_edits_are_found_as_word_and_punctuation_categories(op: str) -> None:
    """No category of its own: what it makes is found as the smaller edits it is made of."""
    recipe = Recipe(op, 1.0, (WeightedOp(make_op(op), 1.0),))
    found: Counter = Counter()
    for seed in range(4):
        garbled = garble(NEWS[-1], recipe, seed, f"doc-{seed}")
        found.update(o.category for o in categorize(NEWS[-1], garbled))
    assert found, f"{op} made no edit in the test text"
    assert {CATEGORIES[c] for c in found} <= {"word", "punct", "char", "name"}, found

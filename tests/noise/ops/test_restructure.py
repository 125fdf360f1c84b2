"""The restructuring operations: each on hand-made sentences, their edits replaying
exactly, declining where a rewrite would not read naturally, and living with the other
operations of a recipe without overlapping them."""

from __future__ import annotations

import dataclasses

import pytest

from builder.core.edits import replay
from builder.core.resources import SAMPLE_DIR
from builder.noise import load_recipe
from builder.noise.ops.context import Context
from builder.noise.ops.restructure import PLACE_VARIANTS, PronounName
from builder.noise.recipe import Recipe, WeightedOp, make_op
from builder.text.segment import Segmenter
from tests.noise.noise_samples import check_edits, simple_spans

OPS = ("possessive_of", "clause_move", "connective_swap", "place_variant", "pronoun_name")


def garbled(op: str, text: str, seed: int = 0) -> str:
    """``text`` with every place ``op`` can rewrite rewritten (level 1: every word picked)."""
    spans = simple_spans(text)
    recipe = Recipe(op, 1.0, (WeightedOp(make_op(op), 1.0),))
    edits = recipe.apply(text, spans, seed, "doc")
    assert all(e.op == op for e in edits)
    return check_edits(text, spans, edits, {op})


@pytest.mark.parametrize(
    ("clean", "expected"),
    [
        ("Russia's battlefield success comes at a cost.", "The battlefield success of Russia comes at a cost."),
        ("They saw Kyiv's troops retreat.", "They saw the troops of Kyiv retreat."),
        ("He backed the Kremlin's decision.", "He backed the decision of the Kremlin."),
        ("He met Russian President Vladimir Putin's envoy.", "He met the envoy of Russian President Vladimir Putin."),
        ("They visited the capital of Ukraine.", "They visited Ukraine's capital."),
        ("The president of Ukraine spoke.", "Ukraine's president spoke."),
        ("It’s time to see the capital of Ukraine.", "It’s time to see Ukraine’s capital."),  # curly text, curly 's
    ],
)
def test_possessive_of(clean: str, expected: str) -> None:
    assert garbled("possessive_of", clean) == expected


@pytest.mark.parametrize(
    "clean",
    [
        "It's clear that its troops left.",  # a contraction and a pronoun
        "Monday's attack killed two people.",  # a time word
        "Russia's, and Ukraine's, troops left.",  # punctuation after the possessive
        "Russia's own troops left.",
        "The war of Russia and Ukraine goes on.",  # head not in the table, a conjunction after
        "They visited the capital of New Zealand.",  # a name of two words
        "The city of Kharkiv was shelled.",
    ],
)
def test_possessive_of_declines(clean: str) -> None:
    assert garbled("possessive_of", clean) == clean


@pytest.mark.parametrize(
    ("clean", "expected"),
    [
        ("Putin visited a command post on Wednesday.", "On Wednesday, Putin visited a command post."),
        ("The council voted to close two libraries last week.", "Last week, the council voted to close two libraries."),
        ("On Thursday, the police arrested three men.", "The police arrested three men on Thursday."),
        ("In 2014, Russia annexed Crimea.", "Russia annexed Crimea in 2014."),
        (
            "Peskov said that officials were studying the statement.",
            "Officials were studying the statement, Peskov said.",
        ),
        (
            "Kremlin spokesman Dmitry Peskov said on Wednesday that officials were studying it.",
            "Officials were studying it, Kremlin spokesman Dmitry Peskov said on Wednesday.",
        ),
        ("Talks will resume in Geneva, the minister said.", "The minister said that talks will resume in Geneva."),
    ],
)
def test_clause_move(clean: str, expected: str) -> None:
    assert garbled("clause_move", clean) == expected


@pytest.mark.parametrize(
    "clean",
    [
        'Putin said he would "think about it" on Wednesday.',  # quotes
        "The measures, first imposed in 2014, target banks.",  # commas of an apposition
        "Officials visited the town that was shelled in 2014.",  # a clause the adverbial belongs to
        "Officials said to wait.",
        "The talks went on.",
    ],
)
def test_clause_move_declines(clean: str) -> None:
    assert garbled("clause_move", clean) == clean


def test_clause_move_keeps_a_name_capitalised_and_lowers_a_common_word() -> None:
    assert garbled("clause_move", "Officials met in Kyiv last week.") == "Last week, officials met in Kyiv."
    assert garbled("clause_move", "Zelenskyy met Trump last week.") == "Last week, Zelenskyy met Trump."


@pytest.mark.parametrize(
    ("clean", "expected"),
    [
        ("The success comes as the U.S. pushes for talks.", "The success comes when the U.S. pushes for talks."),
        ("It is not a meeting about how to take over Canada.", "It is not a meeting on how to take over Canada."),
        ("Rubio spoke in the meeting.", "Rubio spoke at the meeting."),
        ("A soldier waved a flag on a tower.", "A soldier waved a flag in a tower."),
        ("Despite the rain, crowds came.", "In spite of the rain, crowds came."),  # case kept
    ],
)
def test_connective_swap(clean: str, expected: str) -> None:
    assert garbled("connective_swap", clean) == expected


@pytest.mark.parametrize(
    "clean",
    [
        "He served as the president.",  # "as" a preposition: no comma, no "comes"
        "They met on the other side.",  # "on the" before a word the table does not list
        "Talk about it.",  # "about" after a word the table does not list
    ],
)
def test_connective_swap_declines(clean: str) -> None:
    assert garbled("connective_swap", clean) == clean


@pytest.mark.parametrize(
    ("clean", "expected"),
    [
        ("Kyiv's troops reached Kharkiv.", "Kiev's troops reached Kharkov."),
        ("Forces left Kiev and Odessa.", "Forces left Kyiv and Odesa."),
        ("Officials from the U.S. and the U.N. met.", "Officials from the US and the UN met."),
        ("Ukraine and the US agreed.", "Ukraine and the U.S. agreed."),  # the full stop stays single
        ("The deal was signed in the U.S.", "The deal was signed in the US."),  # the abbreviation's dot ends it
        ("The U.S.-Ukraine deal held in Burma.", "The US-Ukraine deal held in Myanmar."),
        ("Envoys from Burma came.", "Envoys from Myanmar came."),
    ],
)
def test_place_variant(clean: str, expected: str) -> None:
    assert garbled("place_variant", clean) == expected


def test_connective_swap_draws_among_the_rows_that_fit() -> None:
    seen = {garbled("connective_swap", "His attendance comes amid a trade war.", seed) for seed in range(12)}
    assert seen == {
        "His attendance comes during a trade war.",
        "His attendance comes against the backdrop of a trade war.",
    }


def test_place_variant_matches_whole_tokens_and_case() -> None:
    for clean in ("They told us so.", "The USA Today story.", "Kyivans and Parisians met.", "A Burmese python."):
        assert garbled("place_variant", clean) == clean


def test_place_variants_go_both_ways() -> None:
    assert all(PLACE_VARIANTS[PLACE_VARIANTS[p]] == p for p in PLACE_VARIANTS)
    assert PLACE_VARIANTS["Kyiv"] == "Kiev" and PLACE_VARIANTS["US"] == "U.S."


@pytest.mark.parametrize(
    ("clean", "expected"),
    [
        (
            "Kremlin spokesman Dmitry Peskov spoke on Wednesday. He added that Russia would wait.",
            "Kremlin spokesman Dmitry Peskov spoke on Wednesday. Peskov added that Russia would wait.",
        ),
        (
            "Canadian Foreign Minister Melanie Joly spoke. Reporters listened. She said no.",
            "Canadian Foreign Minister Melanie Joly spoke. Reporters listened. Joly said no.",
        ),
        (
            "Dmitry Peskov left. Later Peskov spoke. He said no.",
            "Dmitry Peskov left. Later Peskov spoke. Peskov said no.",
        ),
        ("Talks with Russia stalled. It said it would wait.", "Talks with Russia stalled. Russia said it would wait."),
        (
            "Sanctions hit the Kremlin hard. It warned of a response.",
            "Sanctions hit the Kremlin hard. The Kremlin warned of a response.",
        ),
    ],
)
def test_pronoun_name(clean: str, expected: str) -> None:
    assert garbled("pronoun_name", clean) == expected


@pytest.mark.parametrize(
    "clean",
    [
        "He said no.",  # nothing before it
        "The meeting ended early. He said no.",  # no name before it
        "Talks in the Middle East stalled. He said no.",  # a place, not a person
        "Talks with Russia stalled. It is unclear why.",  # "Russia is unclear" would not read
        "Talks with Russia stalled. They are angry.",  # "Russia are" would not agree
        "Vladimir Putin spoke. Talks went on. Prices rose. Markets fell. He left.",  # too far back
    ],
)
def test_pronoun_name_declines(clean: str) -> None:
    assert garbled("pronoun_name", clean) == clean


def test_pronoun_name_looks_back_only_within_its_document() -> None:
    first, second = "Vladimir Putin spoke. ", "He said no."
    text = first + second
    spans = [(0, len(first) - 1), (len(first), len(text))]
    op = PronounName()
    alone = Context(text, spans)
    he = alone.n - 3
    assert op.edit(alone, he, [0.5]).after == "Putin"
    batch = Context(text, spans, doc_starts=[0, len(first)], doc_keys=[1, 2])
    assert op.edit(batch, he, [0.5]) is None


def _sample() -> tuple[str, list[tuple[int, int]]]:
    text = (SAMPLE_DIR / "restored.txt").read_text(encoding="utf-8")
    return text, [(s.start, s.end) for s in Segmenter().split(text)]


def test_every_restructuring_finds_places_in_the_sample_article() -> None:
    text, spans = _sample()
    for op in OPS:
        if op == "clause_move":
            continue  # the article's simple sentences have no time adverbial or reporting clause to move
        edits = Recipe(op, 1.0, (WeightedOp(make_op(op), 1.0),)).apply(text, spans, 0, "sample")
        assert edits, op
        assert replay(text, edits) != text


def test_restructurings_with_the_rtt_operations_never_overlap() -> None:
    text, spans = _sample()
    rtt = load_recipe("rtt")
    assert set(OPS) <= set(rtt.op_names)
    ops = tuple(WeightedOp(op, 0.5 if op.name in OPS else w) for op, w in rtt.ops)  # restructure often
    recipe = dataclasses.replace(rtt, ops=ops)
    made = set()
    for seed in range(4):
        edits = recipe.apply(text, spans, seed, "sample")
        check_edits(text, spans, edits, {op.name for op, _ in ops})
        made |= {e.op for e in edits}
        # the structure operations (split, merge, drop, insert) run over them too
        assert recipe.garble(text, spans, seed, "sample")[0] != text
    assert len(made & set(OPS)) >= 3


def test_restructurings_are_deterministic() -> None:
    text, spans = _sample()
    recipe = Recipe("r", 0.8, tuple(WeightedOp(make_op(op), 1.0) for op in OPS))
    a = recipe.apply(text, spans, 5, "sample")
    assert a == recipe.apply(text, spans, 5, "sample")
    batch = recipe.apply_batch(["Unrelated text here.", text], [[(0, 20)], spans], 5, ["other", "sample"])
    assert batch[1] == a  # the same alone or in a batch
    assert a != recipe.apply(text, spans, 6, "sample")

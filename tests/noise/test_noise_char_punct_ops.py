"""What shift_slip, space_insert and punctuation do to the text they pick."""

from __future__ import annotations

import re

from builder.core.edits import Edit
from builder.noise import Recipe
from builder.noise.ops.base import Context
from builder.noise.ops.tables import SHIFT_PAIRS
from builder.noise.recipe import WeightedOp, make_op
from tests.news import NEWS
from tests.noise.noise_samples import check_edits, generated_docs, simple_spans

DOCS = generated_docs(40, seed=31) + [(t, simple_spans(t)) for t in NEWS]
KINDS = ("quotes", "apostrophes", "dashes", "abbreviations", "oxford", "quote_comma", "commas")


def recipe_of(op: str, level: float = 0.7, **params) -> Recipe:
    return Recipe(op, level, (WeightedOp(make_op(op, params), 1.0),))


def edits_of(op: str, level: float = 0.7, seeds=range(3), **params) -> list[tuple[str, list, Edit]]:
    recipe = recipe_of(op, level, **params)
    out = []
    for d, (text, spans) in enumerate(DOCS):
        for seed in seeds:
            edits = recipe.apply(text, spans, seed, f"d{d}")
            check_edits(text, spans, edits, {op})
            out += [(text, spans, e) for e in edits]
    assert out, f"{op} made no edits"
    return out


def only(kind: str) -> dict[str, float]:
    return {k: (1.0 if k == kind else 0.0) for k in KINDS}


def garble_one(op: str, text: str, seeds=range(30), **params) -> list[tuple[str, list[Edit]]]:
    recipe = recipe_of(op, 1.0, **params)
    out = []
    for seed in seeds:
        garbled, edits = recipe.garble(text, [(0, len(text))], seed, "one")
        check_edits(text, [(0, len(text))], edits, {op})
        out.append((garbled, edits))
    return out


# -- shift_slip ------------------------------------------------------------------------------------


def _is_word_char(c: str) -> bool:
    return bool(re.match(r"[\w'’]", c))


def test_shift_slip_is_a_double_capital_or_a_shifted_symbol() -> None:
    kinds = set()
    for text, spans, e in edits_of("shift_slip", level=1.0):
        assert len(e.before) == len(e.after) == 1
        if e.before.isalpha():  # "THe": the second letter of a capitalised word
            assert e.before.islower() and e.after == e.before.upper()
            assert text[e.start - 1].isupper()
            assert e.start - 1 in Context(text, spans).starts
            kinds.add("caps")
        else:
            assert SHIFT_PAIRS[e.before] == e.after
            if e.before.isdigit():  # a digit of a word ("30-day" -> "3)-day")
                continue
            before, after = text[e.start - 1 : e.start] or " ", text[e.end : e.end + 1] or " "
            inside = e.before == "'" and before.isalnum() and after.isalnum()
            beside = _is_word_char(before) or _is_word_char(after)
            assert inside or beside
            kinds.add("symbol")
    assert kinds == {"caps", "symbol"}


def test_shift_slip_symbol_parameter() -> None:
    text = "Kremlin said 30 villages (near Kursk) were taken; Reuters reported it."
    caps = {e.after for _, edits in garble_one("shift_slip", text, symbol=0.0) for e in edits}
    symbols = {e.after for _, edits in garble_one("shift_slip", text, symbol=1.0) for e in edits}
    assert "R" in caps  # "KRemlin"
    assert {"#", ")", ":", "("} & symbols  # "3" -> "#", "0" -> ")", ";" -> ":", "(" -> "9" ...
    assert not {c for c in symbols if c.isalpha()} - {c for c in caps if c.isalpha()}


# -- space_insert ----------------------------------------------------------------------------------


def test_space_insert_breaks_a_word_between_two_letters() -> None:
    for text, _, e in edits_of("space_insert"):
        assert e.before == "" and e.after == " "
        assert text[e.start - 1].isalnum() and text[e.start].isalnum()


# -- punctuation -----------------------------------------------------------------------------------


def _quote_pairs_balanced(text: str) -> bool:
    """Curly quotes open and close in turn, in the garbled text."""
    depth = 0
    for c in text:
        if c == "“":
            depth += 1
            if depth > 1:
                return False
        elif c == "”":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def test_punctuation_turns_both_quotes_of_a_pair() -> None:
    text = 'He said "we will not back down" and added: "the talks go on." She said "no."'
    for garbled, edits in garble_one("punctuation", text, **only("quotes")):
        assert len(edits) % 2 == 0
        assert _quote_pairs_balanced(garbled)
        assert garbled.count('"') % 2 == 0
        for e in edits:
            assert {e.before, e.after} in ({'"', "“"}, {'"', "”"})
    curly = "“We talked about a ceasefire,” she said. “It is over.”"
    for garbled, _ in garble_one("punctuation", curly, **only("quotes")):
        assert _quote_pairs_balanced(garbled)
        assert garbled.count('"') % 2 == 0


def test_punctuation_keeps_quotes_balanced_everywhere() -> None:
    for text in NEWS:
        spans = simple_spans(text)
        recipe = recipe_of("punctuation", 1.0)
        for seed in range(20):
            garbled, edits = recipe.garble(text, spans, seed, "q")
            check_edits(text, spans, edits, {"punctuation"})
            if _quote_pairs_balanced(text.replace('"', "")):
                assert _quote_pairs_balanced(garbled.replace('"', ""))
            assert garbled.count('"') % 2 == text.count('"') % 2


def test_punctuation_kinds() -> None:
    text = (
        'Police, prosecutors, and judges met U.S. and U.N. staff – and the E.U. said "no," he said, '
        "“yes.” Kyiv's troops, tanks and drones went back to the U.S."
    )

    def afters(kind: str) -> set[tuple[str, str]]:
        return {(e.before, e.after) for _, edits in garble_one("punctuation", text, **only(kind)) for e in edits}

    assert afters("dashes") <= {("–", "—"), ("–", "-")} and afters("dashes")
    assert afters("abbreviations") == {("U.S.", "US"), ("U.N.", "UN"), ("E.U.", "EU"), ("U.S", "US")}
    assert afters("oxford") == {(",", ""), ("", ",")}
    assert afters("quote_comma") == {(",", "")}
    assert afters("apostrophes") == {("'", "’")}
    for garbled, _ in garble_one("punctuation", text, **only("abbreviations")):
        assert garbled.endswith(".")  # the abbreviation's last dot was also the full stop


def test_punctuation_kinds_are_all_tested() -> None:
    assert set(KINDS) == set(make_op("punctuation").params)


def test_punctuation_commas_dropped_between_words_and_added_before_a_clause() -> None:
    text = 'On Monday, the army said which town it held, "we left," but 1,000 fled. Kyiv, Ukraine.'
    made = garble_one("punctuation", text, **only("commas"))
    seen = {(e.before, e.after, e.start) for _, edits in made for e in edits}
    assert {(b, a) for b, a, _ in seen} == {(",", ""), ("", ",")}
    dropped = {p for b, _, p in seen if b == ","}
    added = {p for b, _, p in seen if not b}
    # no comma dropped inside a number or before a quote (quote_comma's), none added after
    # punctuation: only between two words
    assert dropped == {text.index(", the"), text.index(", Ukraine")}
    assert added == {text.index(" which")}
    for garbled, _ in made:
        assert ",," not in garbled and "1,000" in garbled


def test_punctuation_oxford_comma_needs_a_list() -> None:
    text = "He met Putin, and the talks ended. They came and went."
    assert all(not edits for _, edits in garble_one("punctuation", text, **only("oxford")))

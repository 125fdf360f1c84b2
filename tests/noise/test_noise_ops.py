"""What each operation does to the words it picks."""

from __future__ import annotations

import re

import numpy as np
import pytest

from builder.core.edits import Edit
from builder.noise import Recipe
from builder.noise.ops.base import Context
from builder.noise.ops.names import mangle, name_variants
from builder.noise.ops.tables import KEYBOARD, OCR
from builder.noise.recipe import WeightedOp, make_op
from tests.news import NEWS
from tests.noise.noise_samples import check_edits, generated_docs, simple_spans

DOCS = generated_docs(40, seed=11) + [(t, simple_spans(t)) for t in NEWS]


def edits_of(op: str, level: float = 0.7, seeds=range(3), **params) -> list[tuple[str, list, Edit]]:
    """(text, spans, edit) for every edit ``op`` makes on the sample documents."""
    recipe = Recipe(op, level, (WeightedOp(make_op(op, params), 1.0),))
    out = []
    for d, (text, spans) in enumerate(DOCS):
        for seed in seeds:
            edits = recipe.apply(text, spans, seed, f"d{d}")
            check_edits(text, spans, edits, {op})
            out += [(text, spans, e) for e in edits]
    assert out, f"{op} made no edits"
    return out


def test_keyboard_hits_a_neighbour_in_the_same_case() -> None:
    for _, _, e in edits_of("keyboard"):
        assert len(e.before) == len(e.after) == 1
        assert e.after.lower() in KEYBOARD[e.before.lower()]
        assert e.after.isupper() == e.before.isupper()


def test_char_insert_adds_a_neighbour_of_the_char_before() -> None:
    for text, _, e in edits_of("char_insert"):
        assert e.before == "" and len(e.after) == 1
        prev = text[e.start - 1]
        assert e.after.lower() in KEYBOARD[prev.lower()]
    repeats = [(t, e) for t, _, e in edits_of("char_insert", repeat=1.0)]
    assert all(e.after == t[e.start - 1] for t, e in repeats)


def test_char_delete_and_transpose_stay_inside_a_word() -> None:
    for _, _, e in edits_of("char_delete"):
        assert len(e.before) == 1 and e.after == ""
        assert re.fullmatch(r"[\w'’]", e.before)
    for _, _, e in edits_of("char_transpose"):
        assert len(e.before) == 2 and e.after == e.before[::-1] and e.before[0] != e.before[1]


def test_case_slip_flips_one_letter() -> None:
    found = edits_of("case_slip")
    for _, _, e in found:
        assert len(e.before) == 1 and e.after == e.before.swapcase()
    firsts = sum(1 for t, _, e in found if not re.match(r"\w", t[e.start - 1 : e.start] or " "))
    assert firsts > len(found) / 3  # most often the first letter


def test_ocr_edits_come_from_the_table() -> None:
    table = {(src, dst) for src, dst, _ in OCR}
    found = edits_of("ocr")
    assert all((e.before, e.after) in table for _, _, e in found)
    kinds = {(e.before, e.after) for _, _, e in found}
    assert {("rn", "m"), ("m", "rn"), ("e", "c")} <= kinds
    assert any(len(e.before) != len(e.after) for _, _, e in found)


def test_ocr_declines_words_without_a_pattern() -> None:
    text = "aaa xyz qqq"
    recipe = Recipe("ocr", 1.0, (WeightedOp(make_op("ocr"), 1.0),))
    assert recipe.apply(text, [(0, len(text))], 0, "x") == []


def test_word_drop_removes_a_word_and_one_space() -> None:
    found = edits_of("word_drop")
    for _, _, e in found:
        assert e.after == ""
        word = e.before.strip(" ")
        assert re.fullmatch(r"\w+(?:['’]\w+)*", word)
        assert len(e.before) == len(word) + 1
    recipe = Recipe("d", 0.9, (WeightedOp(make_op("word_drop"), 1.0),))
    for seed in range(20):
        for text in NEWS:
            garbled, edits = recipe.garble(text, simple_spans(text), seed, "n")
            assert edits and "  " not in garbled
            assert not re.search(r" [,.;:]", garbled.replace(" - ", ""))


def test_word_swap_swaps_two_words_of_one_sentence() -> None:
    for _, spans, e in edits_of("word_swap"):
        m = re.fullmatch(r"(\w+(?:['’]\w+)*)(\s+)(\w+(?:['’]\w+)*)", e.before)
        assert m, e
        a, gap, b = m.groups()
        assert e.after == b + gap + a
        assert sum(1 for s, t in spans if s <= e.start and e.end <= t) == 1


def test_space_drop_joins_two_words() -> None:
    for text, _, e in edits_of("space_drop"):
        assert e.before == " " and e.after == ""
        assert re.match(r"\w", text[e.start - 1]) and re.match(r"\w", text[e.end])


def test_name_mangle_touches_only_mid_sentence_capitalised_words() -> None:
    found = edits_of("name_mangle", level=1.0)
    for text, spans, e in found:
        ctx = Context(text, spans)
        i = ctx.starts.index(e.start)
        assert ctx.ends[i] == e.end, "a name edit covers the whole word"
        assert e.before[0].isupper() and e.after[0].isupper()
        assert not ctx.first[i], "never the first word of a sentence"
        assert e.start not in {s for s, _ in spans}
        assert e.after in name_variants(e.before)


def test_name_mangle_is_consistent_within_a_document() -> None:
    text = "We met Witkoff. Then Witkoff left. Later Witkoff came back and Witkoff spoke."
    spans = simple_spans(text)
    recipe = Recipe("n", 1.0, (WeightedOp(make_op("name_mangle"), 1.0),))
    for seed in range(10):
        afters = {e.after for e in recipe.apply(text, spans, seed, "w")}
        assert len(afters) == 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Witkoff", {"Witkov", "Witkof", "Vitkoff"}),
        ("Sudzha", {"Suda", "Sudza"}),
        ("Loeb", {"Roeb"}),
        ("Joly", {"Jolie", "Jory"}),
        ("Zelenskyy", {"Zelensky"}),
        ("Philippe", {"Filippe", "Philipe", "Philipp"}),
    ],
)
def test_name_variants_cover_known_drifts(name: str, expected: set[str]) -> None:
    variants = name_variants(name)
    assert expected <= variants
    assert all(v[0].isupper() and v != name for v in variants)


def test_mangle_keeps_all_caps_and_declines_when_no_rule_applies() -> None:
    assert mangle("Bo", 0.5, 0.5) is None
    out = mangle("KURSK", 0.0, 0.0)
    assert out and out.isupper()


def test_is_name_flags() -> None:
    text = "Steve Witkoff met NATO officials and the iPhone maker in Kyiv on Wednesday."
    ctx = Context(text, [(0, len(text))])
    names = {ctx.word(i) for i in np.flatnonzero(ctx.is_name)}
    assert names == {"Steve", "Witkoff", "NATO", "iPhone", "Kyiv"}
    text = "The Kremlin said “We will respond” to President Trump."
    ctx = Context(text, [(0, len(text))])
    names = {ctx.word(i) for i in np.flatnonzero(ctx.is_name)}
    assert names == {"Kremlin", "Trump"}


def test_protect_names_keeps_every_name_intact() -> None:
    ops = [
        "keyboard",
        "char_insert",
        "char_delete",
        "char_transpose",
        "case_slip",
        "ocr",
        "word_drop",
        "word_swap",
        "space_drop",
        "name_mangle",
        "shift_slip",
        "space_insert",
        "function_word_drop",
        "function_word_insert",
        "phrase_duplicate",
        "inflection",
        "wrong_sense",
        "calque",
        "punctuation",
    ]
    recipe = Recipe("all", 1.0, tuple(WeightedOp(make_op(o), 1.0) for o in ops), protect_names=True)
    total = n_names = 0
    for d, (text, spans) in enumerate(DOCS):
        ctx = Context(text, spans)
        names = [(ctx.starts[i], ctx.ends[i]) for i in np.flatnonzero(ctx.is_name)]
        edits = recipe.apply(text, spans, d, "p")
        check_edits(text, spans, edits)
        total += len(edits)
        n_names += len(names)
        for e in edits:
            assert e.op != "name_mangle"
            for s, t in names:
                if e.start == e.end:
                    assert not s < e.start <= t, f"{e} inserts into the name {text[s:t]!r}"
                else:
                    assert e.end <= s or e.start >= t, f"{e} touches the name {text[s:t]!r}"
                    assert e.before.strip() or (e.start, e.end) not in ((t, t + 1), (s - 1, s))
    assert total > 0 and n_names > 0


def test_unknown_op_params_fail() -> None:
    with pytest.raises(ValueError, match="repaet"):
        make_op("char_insert", {"repaet": 0.5})
    with pytest.raises(ValueError, match=r"unknown noise op 'typo_magic'.*keyboard"):
        make_op("typo_magic")


def test_is_name_when_case_mapping_changes_length() -> None:
    text = "Die Straße in Köln: Herr Müller traf NATO-Chef Rutte und den iPhone-Hersteller."
    ctx = Context(text, [(0, len(text))])
    names = {ctx.word(i) for i in np.flatnonzero(ctx.is_name)}
    assert {"Straße", "Köln", "Müller", "NATO", "Rutte", "iPhone"} <= names
    assert "den" not in names and "in" not in names


def test_bad_spans_are_rejected() -> None:
    with pytest.raises(ValueError, match="span"):
        Context("short text", [(0, 5), (3, 8)])
    with pytest.raises(ValueError, match="span"):
        Context("short text", [(0, 50)])

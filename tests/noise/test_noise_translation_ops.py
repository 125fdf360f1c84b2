"""What the translation-like operations do: function words, repeated phrases, inflection,
wrong senses, calques and independent name drift."""

from __future__ import annotations

import re

import pytest
from lemminflect import getAllInflections, getAllLemmas

from builder.core.edits import Edit
from builder.noise import Recipe
from builder.noise.ops.base import Context
from builder.noise.ops.learned import DEFAULT_SUBSTITUTIONS
from builder.noise.ops.lexical import _IDIOMS, inflections
from builder.noise.ops.names import name_variants
from builder.noise.ops.shared import WordTable, recase, word_key
from builder.noise.ops.tables import (
    CALQUE_WORDS,
    DETERMINERS,
    FUNCTION_WORDS,
    IDIOMS,
    PREPOSITIONS,
    SAYING_VERBS,
    WRONG_SENSE,
)
from builder.noise.recipe import WeightedOp, make_op
from tests.news import NEWS
from tests.noise.noise_samples import check_edits, generated_docs, simple_spans

DOCS = generated_docs(40, seed=21) + [(t, simple_spans(t)) for t in NEWS]
WORD = re.compile(r"\w+(?:['’]\w+)*")


def recipe_of(op: str, level: float = 0.7, **params) -> Recipe:
    """One operation alone, without the bigram check (tests/noise/test_fluency_ops.py has it)."""
    return Recipe(op, level, (WeightedOp(make_op(op, params), 1.0),), bigrams="none")


def edits_of(op: str, level: float = 0.7, seeds=range(3), docs=DOCS, **params) -> list[tuple[str, list, Edit]]:
    """(text, spans, edit) for every edit ``op`` makes on the sample documents."""
    recipe = recipe_of(op, level, **params)
    out = []
    for d, (text, spans) in enumerate(docs):
        for seed in seeds:
            edits = recipe.apply(text, spans, seed, f"d{d}")
            check_edits(text, spans, edits, {op})
            out += [(text, spans, e) for e in edits]
    assert out, f"{op} made no edits"
    return out


def one(op: str, text: str, seeds=range(40), **params) -> list[list[Edit]]:
    """The edits of ``op`` at level 1 on a one-sentence text, for many seeds."""
    recipe = recipe_of(op, 1.0, **params)
    out = []
    for seed in seeds:
        edits = recipe.apply(text, [(0, len(text))], seed, "one")
        check_edits(text, [(0, len(text))], edits, {op})
        out.append(edits)
    return out


# -- function words ----------------------------------------------------------------------------


def test_function_word_drop_removes_a_function_word_and_one_space() -> None:
    found = edits_of("function_word_drop")
    for _, _, e in found:
        if e.after:  # sentence start: "The minister" -> "Minister"
            first, rest = e.before.split(" ", 1)
            assert first.lower() in FUNCTION_WORDS
            assert e.after == rest[0].upper() + rest[1:]
            continue
        word = e.before.strip(" ")
        assert word.lower() in FUNCTION_WORDS
        assert len(e.before) == len(word) + 1
    assert {e.before.strip().lower() for _, _, e in found if not e.after} >= {"the", "of", "in"}


def test_function_word_drop_keeps_the_sentence_readable() -> None:
    recipe = recipe_of("function_word_drop", 1.0)
    for seed in range(20):
        for text in NEWS:
            garbled, _ = recipe.garble(text, simple_spans(text), seed, "n")
            assert "  " not in garbled
    drops = one("function_word_drop", "The minister said the US would not move.")
    befores = {e.before for edits in drops for e in edits}
    assert "The minister" in befores  # the capital moves on to the next word
    assert not any("US" in b for b in befores), "all-caps US is not the pronoun us"
    name_first = one("function_word_drop", "The Kremlin said nothing.")
    assert {e.after for edits in name_first for e in edits if e.start == 0} == {""}


def test_function_word_insert_adds_an_article_after_a_preposition_or_that_after_saying() -> None:
    found = edits_of("function_word_insert", level=1.0)
    kinds = set()
    for text, spans, e in found:
        assert e.before == "" and e.after in {"the ", "a ", "an ", "that "}
        ctx = Context(text, spans)
        i = ctx.starts.index(e.start)
        assert not ctx.first[i]
        prev, nxt = ctx.word(i - 1).lower(), ctx.word(i)
        assert nxt.lower() not in FUNCTION_WORDS | DETERMINERS
        if e.after == "that ":
            assert prev in SAYING_VERBS
        else:
            assert prev in PREPOSITIONS and prev not in {"to", "near"}
        if e.after in {"a ", "an "}:
            assert nxt[0].islower() and not nxt.endswith("s")
            assert (e.after == "an ") == (nxt[0] in "aeiou")
        kinds.add(e.after)
    assert {"the ", "that "} <= kinds


def test_function_word_insert_indefinite_share() -> None:
    text = "They met in secret for talks on trade with officials from dozens of countries."
    articles = [e.after for edits in one("function_word_insert", text, indefinite=0.0) for e in edits]
    assert articles and set(articles) == {"the "}
    articles = [e.after for edits in one("function_word_insert", text, indefinite=1.0) for e in edits]
    assert {"a ", "the "} <= set(articles)  # plurals ("talks", "officials") always get "the"


# -- phrase_duplicate ------------------------------------------------------------------------------


def test_phrase_duplicate_repeats_the_words_right_before_it() -> None:
    found = edits_of("phrase_duplicate", echo=0.0, max_words=3)
    for text, _, e in found:
        assert e.before == "" and e.after.startswith(" ")
        phrase = e.after[1:]
        assert 1 <= len(phrase.split(" ")) <= 3
        original = text[e.start - len(phrase) : e.start]
        assert phrase == original or (phrase[0].islower() and phrase[1:] == original[1:])


def test_phrase_duplicate_echoes_the_speaker_at_the_end_of_the_sentence() -> None:
    text = "Kremlin spokesman Dmitry Peskov said on Wednesday that officials were studying the joint statement."
    echoes = {e.after for edits in one("phrase_duplicate", text, echo=1.0) for e in edits if e.after.startswith(",")}
    assert echoes == {", Kremlin spokesman Dmitry Peskov said"}
    for edits in one("phrase_duplicate", text, echo=1.0):
        for e in edits:
            if e.after.startswith(","):
                assert e.start == len(text) - 1  # before the full stop
    text = "The president said the talks would resume next week."
    echoes = {e.after for edits in one("phrase_duplicate", text, echo=1.0) for e in edits if e.after.startswith(",")}
    assert echoes == {", the president said"}


# -- inflection ------------------------------------------------------------------------------------


def _same_lemma(a: str, b: str) -> bool:
    lemmas_a = {(u, lemma) for u, ls in getAllLemmas(a.lower()).items() for lemma in ls}
    for upos, lemma in lemmas_a:
        forms = getAllInflections(lemma, upos=upos)
        if any(b.lower() in fs for fs in forms.values()):
            return True
    return False


def test_inflection_gives_another_form_of_the_same_lemma() -> None:
    found = edits_of("inflection", level=1.0)
    for _, _, e in found:
        assert re.fullmatch(r"[A-Za-z]+", e.before)
        assert e.after.lower() != e.before.lower()
        assert e.after.lower() in inflections(e.before)
        assert _same_lemma(e.before, e.after), e
        assert recase(e.before, e.after.lower()) == e.after
    assert len({e.before.lower() for _, _, e in found}) > 10


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("were", {"was"}),
        ("was", {"were"}),
        ("is", {"are"}),
        ("has", {"have"}),
        ("borders", {"border"}),
        ("units", {"unit"}),
        ("pushed", {"pushes"}),
        ("said", {"says"}),
    ],
)
def test_inflection_slips(word: str, expected: set[str]) -> None:
    assert expected <= set(inflections(word))


def test_inflection_leaves_function_words_names_and_unknown_words_alone() -> None:
    assert inflections("the") == inflections("of") == inflections("Zelenskyy") == ()
    assert inflections("remaining") == ()  # an -ing form: no slip a translation makes
    assert "trooped" not in inflections("troops")  # a noun, not a verb
    text = "The Kremlin will not say whether Witkoff met the officials of NATO."
    for edits in one("inflection", text):
        for e in edits:
            assert e.before not in {"Kremlin", "Witkoff", "NATO", "will", "not", "the", "of"}


# -- wrong_sense -----------------------------------------------------------------------------------


def test_wrong_sense_only_uses_table_entries_and_keeps_case() -> None:
    found = edits_of("wrong_sense", level=1.0)
    for text, spans, e in found:
        low = e.before.lower()
        assert low in WRONG_SENSE
        assert e.after.lower() in WRONG_SENSE[low]
        assert e.after == recase(e.before, e.after.lower())
        ctx = Context(text, spans)
        i = ctx.starts.index(e.start)
        assert not ctx.is_name[i]
    text = "Units of the army held the post while the court heard the press."
    afters = {(e.before, e.after) for edits in one("wrong_sense", text) for e in edits}
    assert ("Units", "Layers") in afters and ("court", "yard") in afters and ("press", "push") in afters


def test_word_substitute_default_table_confuses_function_words_and_picks_near_synonyms() -> None:
    text = "She said that the talks in Kyiv ended a week ago."
    made = [e for edits in one("word_substitute", text) for e in edits]
    pairs = {(e.before, e.after) for e in made}
    assert ("said", "stated") in pairs and ("in", "on") in pairs and ("a", "the") in pairs
    for e in made:  # only words of the table, each replaced by one of its own rows
        assert (e.before.lower(), e.after.lower()) in {(a, b) for a, b in DEFAULT_SUBSTITUTIONS}


def test_word_substitute_never_repeats_a_neighbour() -> None:
    text = "He said that the deal was a good one."  # that -> the would read "the the"
    for edits in one("word_substitute", text, seeds=range(200)):
        assert not any(e.before == "that" and e.after == "the" for e in edits)
    for text, _, e in edits_of("word_substitute", level=1.0):
        before = WORD.findall(text[: e.start])[-1:]
        after = WORD.findall(text[e.end :])[:1]
        new = e.after.lower().split()
        assert [w.lower() for w in before] != new[:1] and [w.lower() for w in after] != new[-1:]


def test_word_substitute_takes_a_row_that_maps_a_word_to_nothing() -> None:
    text = "He said it."
    for edits in one("word_substitute", text, seeds=range(3), table=[["said", ""]]):
        assert [(e.before, e.after) for e in edits] == [("said", "")]


def test_wrong_sense_skips_names() -> None:
    text = "He spoke at the Supreme Court and the Press Association."
    befores = {e.before for edits in one("wrong_sense", text) for e in edits}
    assert not befores & {"Court", "Press"}


# -- calque ----------------------------------------------------------------------------------------


def test_calque_edits_come_from_the_tables() -> None:
    idiom_renderings = {}
    for pattern, renderings in IDIOMS:
        idiom_renderings[pattern] = renderings
    made = list(edits_of("calque", level=1.0))
    assert len(made) >= 5, "the test texts must give calques to check"
    for _text, _, e in made:
        low = e.before.lower()
        if low in CALQUE_WORDS:
            assert e.after.lower() in CALQUE_WORDS[low]
        elif low.startswith("counter") and " " not in low:
            assert e.after.lower() == "anti-" + low[len("counter") :] or e.after.lower() == "anti"
        elif low in {"anti", "post", "pre"}:
            assert e.after.lower() in {"counter", "after", "before"}
        else:
            assert any(i.regex.fullmatch(e.before) for i in _IDIOMS), e


@pytest.mark.parametrize(
    ("text", "before", "afters"),
    [
        ("Kyiv held off the counteroffensives for months.", "counteroffensives", {"anti-offensives"}),
        ("The Kremlin was noncommittal on Friday.", "noncommittal", {"non-committed", "uncommitted"}),
        ("He said the counter-attack had failed.", "counter", {"anti"}),
        (
            "Rubio said the ball is in their court now.",
            "the ball is in their court",
            {"ball is in their yard", "the ball is in their yard"},
        ),
        (
            "Russia does not want to get ahead of itself on this.",
            "get ahead of itself",
            {"preempt itself", "run ahead of itself"},
        ),
        ("The meeting took place behind closed doors.", "took place", {"had place"}),
        ("In the wake of the vote, he resigned.", "In the wake of", {"In the trail of", "On the wave of"}),
    ],
)
def test_calque_renders_literally(text: str, before: str, afters: set[str]) -> None:
    seen = {e.after for edits in one("calque", text) for e in edits if e.before == before}
    assert seen and seen <= afters


def test_calque_idioms_are_well_formed() -> None:
    for idiom in _IDIOMS:
        assert idiom.keyword.isalpha() and len(idiom.keyword) >= 3
    assert len(IDIOMS) >= 60 and len(CALQUE_WORDS) >= 50


def test_calque_idiom_needs_all_its_words_free() -> None:
    """An idiom whose words another operation took is left alone (no overlap); with its
    words free, it is rendered whole."""
    text = "Rubio said the ball is in their court now."
    idiom = (text.index("the ball"), text.index(" now"))
    # keyboard takes about one word in seven: some draws leave the idiom free, others do not
    ops = (WeightedOp(make_op("keyboard"), 0.15), WeightedOp(make_op("calque"), 1.0))
    recipe = Recipe("both", 1.0, ops)
    rendered = left_alone = 0
    for seed in range(30):
        edits = recipe.apply(text, [(0, len(text))], seed, "x")
        check_edits(text, [(0, len(text))], edits)
        calques = [e for e in edits if e.op == "calque"]
        typed = [e for e in edits if e.op == "keyboard" and idiom[0] <= e.start and e.end <= idiom[1]]
        if calques:
            assert [(e.start, e.end) for e in calques] == [idiom] and not typed, edits
            assert calques[0].after in {"ball is in their yard", "the ball is in their yard"}
            rendered += 1
        elif typed:
            left_alone += 1
    assert rendered and left_alone, (rendered, left_alone)


# -- tables ----------------------------------------------------------------------------------------


def test_wrong_sense_table() -> None:
    assert len(WRONG_SENSE) >= 300
    for word, renderings in WRONG_SENSE.items():
        assert re.fullmatch(r"[a-z]+", word), word
        assert renderings and word not in renderings
        assert all(r == r.lower() and r.strip() == r for r in renderings)
    for word in ("units", "post", "court", "press", "fire"):
        assert word in WRONG_SENSE


def test_word_table_lookup_matches_a_plain_set() -> None:
    words = {"the", "counteroffensive", "counteroffensives", "counteroffensivez", "it's", "units", "a"}
    table = WordTable({"the", "counteroffensives", "it's", "units"})
    text = " ".join(sorted(words)) + " The UNITS It’s COUNTEROFFENSIVES Ünits"
    ctx = Context(text, [(0, len(text))])
    hits = {ctx.word(i) for i, h in enumerate(table.mask(ctx)) if h}
    assert hits == {"the", "counteroffensives", "it's", "units", "The", "UNITS", "It’s", "COUNTEROFFENSIVES"}
    assert word_key("Units") == word_key("units") != word_key("unit")
    with pytest.raises(ValueError, match="single words"):
        WordTable({"non-committed"})


# -- name_mangle -----------------------------------------------------------------------------------


def test_name_mangle_consistent_false_drifts_each_mention_on_its_own() -> None:
    text = " ".join(f"Talks with Witkoff and Zelenskyy were held in Sudzha on day {k}." for k in range(8))
    spans = simple_spans(text)
    independent = make_op("name_mangle", {"consistent": False})
    consistent = make_op("name_mangle", {"consistent": True})
    several = 0
    for seed in range(10):
        for op, many_allowed in ((independent, True), (consistent, False)):
            edits = Recipe("n", 1.0, (WeightedOp(op, 1.0),)).apply(text, spans, seed, "w")
            check_edits(text, spans, edits, {"name_mangle"})
            by_name: dict[str, set[str]] = {}
            for e in edits:
                assert e.after in name_variants(e.before)
                by_name.setdefault(e.before, set()).add(e.after)
            if not many_allowed:
                assert all(len(v) == 1 for v in by_name.values())
            elif any(len(v) > 1 for v in by_name.values()):
                several += 1
    assert several >= 8  # independent drift gives several spellings of one name

"""Documents not in English get only the script-neutral operations; the build counts them."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from builder.noise.document import garble_documents
from builder.noise.language import is_english
from builder.noise.recipe import Recipe, WeightedOp, load_recipe, make_op
from builder.noise.registry import OPERATIONS, operation
from builder.noise.structure import StructureRates, document_edits, garbled_text
from builder.pipeline.steps.noise import Noise
from builder.profile.to_recipe import ProfiledRecipe
from builder.text.segment import Segmenter
from tests.news import NEWS

#: Operations recorded by the sentence structure, not by a NoiseOp.
STRUCTURE_OPS = {"split_sentence", "merge_sentence", "drop_sentence", "insert_caption"}
NEUTRAL = {"keyboard", "char_insert", "char_delete", "char_transpose", "case_slip", "ocr", "shift_slip"}
NEUTRAL |= {"space_insert", "space_drop", "word_drop", "word_swap"}
GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, zwei Bibliotheken zu schließen, und die Bürger protestierten. "
    "Die Bürgermeisterin sagte, die Entscheidung sei schmerzhaft; sie sei aber notwendig gewesen. "
    "Viele Anwohner kamen in den Saal und baten den Rat, bis zum Frühjahr zu warten."
)


def _recipe(level: float = 0.6) -> Recipe:
    return load_recipe("mixed").with_level(level)


def _batch(texts: list[str], langs: list[str], ids: list[str]) -> dict[str, list]:
    seg = Segmenter()
    n = len(texts)
    return {
        "doc_id": ids,
        "clean": texts,
        "garbled": [""] * n,
        "clean_sents": [seg.split(t) for t in texts],
        "lang": langs,
        "reject": [""] * n,
        "reject_detail": [""] * n,
    }


def _ops(pieces) -> set[str]:
    return {e.op for e in document_edits(pieces)}


# -- which language ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "EN", "en-US", "en_GB", "eng", "English", "english (US)", " en "])
def test_english_in_any_spelling(lang: str) -> None:
    assert is_english(lang)


@pytest.mark.parametrize("lang", ["de", "fr-FR", "pt_BR", "deu", "German", "und", "enm", "ru"])
def test_other_languages_are_not_english(lang: str) -> None:
    assert not is_english(lang)


def test_a_document_naming_no_language_is_in_the_sources() -> None:
    assert is_english("") and is_english(None)
    assert not is_english("", default="de") and not is_english(None, default="fr")
    assert is_english("en", default="de")  # its own language wins


# -- which operations -------------------------------------------------------------------------------------------------


def test_the_script_neutral_operations_are_the_character_and_spacing_ones() -> None:
    assert {name for name, op in OPERATIONS.items() if op.script_neutral} == NEUTRAL
    assert not operation("function_word_drop").script_neutral  # a word_drop, with English words


def test_the_neutral_recipe_keeps_indices_and_each_kept_operations_rate() -> None:
    recipe = _recipe(0.3)
    neutral = recipe.script_neutral()
    assert neutral.op_names == recipe.op_names  # same indices: same salts and edit codes
    for (op, _), p, q in zip(recipe.ops, recipe.probabilities(), neutral.probabilities(), strict=True):
        assert q == pytest.approx(p) if op.script_neutral else q == 0.0
    assert neutral.structure.script_neutral and not recipe.structure.script_neutral
    assert recipe.script_neutral() is neutral  # made once
    assert recipe.with_level(0.2).script_neutral().level != neutral.level


def test_a_profiled_recipe_keeps_its_probabilities_too() -> None:
    ops = (WeightedOp(make_op("keyboard"), 0.2), WeightedOp(make_op("wrong_sense"), 0.5))
    recipe = ProfiledRecipe("p", 0.1, ops, base_level=0.1)
    assert recipe.script_neutral().probabilities() == [0.2, 0.0]


def test_a_recipe_of_english_operations_leaves_other_languages_clean() -> None:
    ops = (WeightedOp(make_op("wrong_sense"), 1.0), WeightedOp(make_op("calque"), 1.0))
    recipe = Recipe("lex", 0.9, ops, bigrams="none")
    text = NEWS[0]
    spans = [(s.start, s.end) for s in Segmenter().split(text)]
    assert recipe.script_neutral().apply(text, spans, 0, "d") == []
    assert recipe.apply(text, spans, 0, "d")  # the English document is garbled


# -- the noise step ---------------------------------------------------------------------------------------------------


def test_a_german_document_gets_only_script_neutral_edits() -> None:
    recipe = _recipe()
    step = Noise(recipe, seed=3)
    texts = [GERMAN, NEWS[0] + " " + NEWS[1]] * 3
    out = step(_batch(texts, ["de", "en"] * 3, [f"d{i}" for i in range(6)]))
    german = set().union(*(_ops(out["noise_pieces"][i]) for i in (0, 2, 4)))
    english = set().union(*(_ops(out["noise_pieces"][i]) for i in (1, 3, 5)))
    assert german and german <= NEUTRAL | STRUCTURE_OPS
    assert english - NEUTRAL - STRUCTURE_OPS  # the English documents get the English operations


def test_an_english_document_is_garbled_as_before() -> None:
    recipe = _recipe()
    texts = [NEWS[0], NEWS[2], GERMAN]
    out = Noise(recipe, seed=5)(_batch(texts, ["en", "", "de"], ["a", "b", "c"]))
    seg = Segmenter()
    for k in (0, 1):
        sents = seg.split(texts[k])
        before = garble_documents(
            recipe, [texts[k]], [[(s.start, s.end) for s in sents]], 5, ["ab"[k]], [[s.tag for s in sents]]
        )[0]
        assert out["noise_pieces"][k] == before


def test_a_document_garbles_the_same_alone_or_in_any_batch() -> None:
    recipe = _recipe()
    texts = [GERMAN, NEWS[3], GERMAN + " " + GERMAN, NEWS[1]]
    langs, ids = ["de", "en", "fr", "en"], ["g1", "e1", "g2", "e2"]
    together = Noise(recipe, seed=1)(_batch(texts, langs, ids))["noise_pieces"]
    for k in range(4):
        alone = Noise(recipe, seed=1)(_batch([texts[k]], [langs[k]], [ids[k]]))["noise_pieces"][0]
        assert alone == together[k]
        one = Noise(recipe, seed=1).process(
            {
                "doc_id": ids[k],
                "clean": texts[k],
                "garbled": "",
                "clean_sents": Segmenter().split(texts[k]),
                "lang": langs[k],
            }
        )
        assert one["noise_pieces"] == together[k]


def test_the_sources_language_applies_to_documents_naming_none() -> None:
    recipe = _recipe()
    out = Noise(recipe, seed=2, default_lang="de")(_batch([NEWS[0] + " " + NEWS[4]] * 4, [""] * 4, list("abcd")))
    assert set().union(*map(_ops, out["noise_pieces"])) <= NEUTRAL | STRUCTURE_OPS


def test_sentence_structure_adds_no_english_words_to_other_languages() -> None:
    sents = Segmenter().split(GERMAN)
    spans = [[(s.start, s.end) for s in sents]]
    for rates, wanted in (
        (StructureRates(split=1.0, insert=1.0), "split_sentence"),
        (StructureRates(merge=1.0), "merge_sentence"),
    ):
        recipe = Recipe("structure", 0.0, (), structure=rates)
        neutral = garble_documents(recipe.script_neutral(), [GERMAN], spans, 0, ["g"])[0]
        assert _ops(neutral) == {wanted}  # a split at the semicolon; no caption
        garbled = garbled_text(neutral)
        assert " and " not in garbled and "Reuters" not in garbled
        for seed in range(5):  # in English, the same rates add captions or join with "and"
            english = garble_documents(recipe, [GERMAN], spans, seed, ["g"])[0]
            if "insert_caption" in _ops(english) or " and " in garbled_text(english):
                break
        else:
            pytest.fail("English structure never adds an English word")


# -- the build --------------------------------------------------------------------------------------------------------


def test_the_build_counts_the_non_english_documents(tmp_path, cfg_factory) -> None:
    from builder.app.build import build
    from builder.app.cli import summary

    path = tmp_path / "news.jsonl"
    langs = ["de", "en", "fr-FR", "", "English", "ru"]
    with open(path, "w", encoding="utf-8") as fh:
        for i, text in enumerate(NEWS[:6]):
            record = {"id": f"n{i}", "text": text + " " + text, "date": f"2024-01-1{i}"}
            if langs[i]:
                record["lang"] = langs[i]
            fh.write(json.dumps(record) + "\n")
    cfg = cfg_factory("source=jsonl", f"source.path={path}", "noise=mixed", "split.test=0", "split.validation=0")
    result = build(cfg)
    stats = json.loads((result.path / "stats.json").read_text())
    assert stats["noise"] == {"non_english_documents": 3} == result.stats["noise"]
    assert stats["ledger_balanced"] and stats["documents"]["written"] == 6
    assert "3 non-English documents garbled with script-neutral operations only" in summary(result)

    rows = [r for f in sorted((result.path / "data").glob("*.parquet")) for r in pq.read_table(f).to_pylist()]
    for row in rows:
        ops = {e["op"] for e in row["edits"]}
        if not is_english(row["lang"]):
            assert ops <= NEUTRAL | STRUCTURE_OPS, (row["lang"], ops)

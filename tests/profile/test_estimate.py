"""Profiles estimated from pairs our own recipes made recover those recipes' rates."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from builder.core.resources import SAMPLE_DIR
from builder.noise.recipe import Recipe, WeightedOp, load_recipe, make_op
from builder.noise.structure import StructureRates
from builder.profile.categorize import count_words
from builder.profile.estimate import BUNDLED_DIR, Profile, ProfileBuilder, ProfileError, estimate, resolve_path
from builder.profile.pairs import PairMeasurer, read_text_pair, sentence_pairs
from tests.profile.corpus import SENTENCES, documents, garble, garbled_pairs

WORD_RECIPE = Recipe(
    "words",
    0.12,
    tuple(
        WeightedOp(make_op(op), w)
        for op, w in (("keyboard", 1.0), ("char_delete", 1.0), ("word_swap", 1.0), ("space_drop", 1.0))
    ),
)


def _recorded_rates(recipe: Recipe, texts: list[str], seeds: range) -> tuple[Counter, int]:
    """How often each operation fired (its own record) and the words it fired on."""
    fired: Counter = Counter()
    words = 0
    for seed in seeds:
        for k, text in enumerate(texts):
            _, edits = recipe.garble(text, [(0, len(text))], seed, f"t{k}")
            fired.update(e.op for e in edits)
            words += count_words(text)
    return fired, words


def test_estimated_rates_match_what_the_operations_recorded() -> None:
    texts = SENTENCES
    pairs = [
        (t, WORD_RECIPE.garble(t, [(0, len(t))], seed, f"t{k}")[0]) for seed in range(6) for k, t in enumerate(texts)
    ]
    found = ProfileBuilder().add_all(pairs)  # what estimate() counts, without its calibration
    rates = found.rates()
    fired, words = _recorded_rates(WORD_RECIPE, texts, range(6))
    assert found.words == words
    for op, n in fired.items():
        recorded = n / words
        assert rates[op] == pytest.approx(recorded, rel=0.3), (op, rates[op], recorded)
    # little is found that was not made (a letter lost from a short word can leave another word)
    stray = {c: r for c, r in rates.items() if c not in fired and r > 0.01}
    assert not stray, stray


def test_sentence_structure_is_counted_per_clean_sentence() -> None:
    recipe = Recipe("structure", 0.0, (), structure=StructureRates(split=0.5, merge=0.3))
    docs = documents(n=12, size=5)
    pairs = [(d, garble(d, recipe, 0, f"d{k}")) for k, d in enumerate(docs)]
    profile = estimate(pairs, "structure")
    assert profile.counts["sentences"] == 60
    assert profile.rates["merge_sentence"] > 0.05
    assert profile.rates["split_sentence"] > 0.02
    assert profile.counts["groups"]["1-2"] >= 3  # one garbled sentence for two clean ones
    word_rates = {c: r for c, r in profile.rates.items() if not c.endswith("_sentence") and c != "insert_caption"}
    assert max(word_rates.values()) < 0.02  # a merge's ", and" is not many word edits


def test_the_profile_file_is_deterministic_and_loads_back(tmp_path) -> None:
    pairs = garbled_pairs(load_recipe("typo").with_level(0.2))
    a = estimate(pairs, "typo", {"path": "x.jsonl"})
    b = estimate(pairs, "typo", {"path": "x.jsonl"})
    assert a.to_json() == b.to_json()
    path = a.save(tmp_path / "p.json")
    again = Profile.load(path)
    assert again.to_json() == a.to_json()
    data = json.loads(path.read_text())
    assert data["version"] == 1 and data["per"]["keyboard"] == "word" and data["per"]["merge_sentence"] == "sentence"
    assert set(data) >= {"rates", "counts", "tables", "capacity", "response", "calibration", "cer", "wer", "intensity"}
    assert data["cer"]["mean"] > 0 and set(data["cer"]) == {"mean", "q10", "q25", "q50", "q75", "q90"}


def test_substitution_tables_keep_pairs_with_counts() -> None:
    pairs = [("the floppy disks are old", "the floor disks are old")] * 3 + [("the floppy disk", "the floor disk")]
    profile = estimate(pairs, "t")
    rows = profile.tables["word_substitute"]
    assert rows[0][:3] == ["floppy", "floor", 4]
    assert rows[0][3] == 4  # how often "floppy" occurs on the clean side


def test_per_pair_unevenness_is_measured() -> None:
    uneven = [(t, t) for t in SENTENCES[:20]] + garbled_pairs(load_recipe("typo").with_level(0.6), 0, SENTENCES[20:])
    even = garbled_pairs(load_recipe("typo").with_level(0.15), 0, SENTENCES)
    b_uneven, b_even = ProfileBuilder(), ProfileBuilder()
    for clean, garbled in uneven:
        b_uneven.add(clean, garbled)
    for clean, garbled in even:
        b_even.add(clean, garbled)
    assert b_uneven.intensity()["dispersion"] > b_even.intensity()["dispersion"]
    assert b_even.intensity()["sentences"] == 1.0


def test_bad_profiles_and_paths_are_one_line_errors(tmp_path) -> None:
    with pytest.raises(ProfileError, match="no such file"):
        resolve_path(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 1, "rates": {"nonsense": 0.1}}')
    with pytest.raises(ProfileError, match="unknown categories nonsense"):
        Profile.load(bad)
    bad.write_text('{"rates": {}}')
    with pytest.raises(ProfileError, match="version"):
        Profile.load(bad)
    bad.write_text("not json")
    with pytest.raises(ProfileError, match="cannot read"):
        Profile.load(bad)


def test_bundled_seed_profile_resolves_by_name() -> None:
    assert resolve_path("seed") == BUNDLED_DIR / "seed.json"
    profile = Profile.load("seed")
    assert profile.rates["word_substitute"] > 0.05 and profile.counts["pairs"] > 20


def test_bundled_seed_profile_is_what_the_seed_pair_gives_today() -> None:
    """Regenerate with: python -m builder.profile --text-pair builder/resources/sample/garbled.txt
    builder/resources/sample/restored.txt --per-sentence --name seed -o builder/resources/profiles/seed.json"""
    measurer = PairMeasurer()
    builder = ProfileBuilder(measurer)
    for _, clean, garbled in read_text_pair(SAMPLE_DIR / "garbled.txt", SAMPLE_DIR / "restored.txt"):
        for c, g in sentence_pairs(clean, garbled, measurer):
            builder.add(c, g)
    bundled = Profile.load("seed")
    assert (builder.pairs, builder.words) == (bundled.counts["pairs"], bundled.counts["words"])
    # the noise tables (and so the categoriser) evolve: the bundled file need not be
    # regenerated for every new table entry, only when the rates have moved
    for category, rate in builder.rates().items():
        assert rate == pytest.approx(bundled.rates[category], abs=0.01), category

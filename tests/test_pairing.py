"""Pairing garbled documents with clean ones: the right pairs, reasons for the rest, same output every time."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest

from builder.pairing.documents import (
    BELOW_MIN_SCORE,
    EMPTY,
    LOST_TO_BETTER_MATCH,
    NO_CANDIDATE,
    PairingParams,
    assign,
    pair_documents,
    shingle_codes,
)
from tests.news import ARTICLES, garble
from tests.paths import PROJECT_DIR
from tests.processes import other_hash_seed

# Two versions of one story, the later one updated: a garbled copy of either must find its own.
STORM_EARLY = (
    "A powerful storm hit the northern coast of Portugal on Monday night, cutting power to 80,000 homes "
    "and uprooting trees in the city of Porto.\n"
    "The civil protection agency said winds reached 110 kilometres an hour at the mouth of the Douro river. "
    "Ferries to the Azores were cancelled.\n"
    "No injuries were reported, but officials asked residents to stay indoors until the wind eased on "
    "Tuesday morning."
)
STORM_LATER = (
    "A powerful storm hit the northern coast of Portugal on Monday night, cutting power to 120,000 homes "
    "and uprooting trees in the city of Porto.\n"
    "A 64-year-old driver died when a tree fell on his car in the suburb of Matosinhos, police said on "
    "Tuesday.\n"
    "The civil protection agency said winds reached 110 kilometres an hour at the mouth of the Douro river. "
    "Ferries to the Azores were cancelled.\n"
    "Schools in the district remain closed, and the energy company EDP said repair crews would need two days "
    "to restore supply to every home."
)


@pytest.fixture
def corpus(seed_pair):
    """Shuffled sides with known answers: true pairs, near-duplicates, distractors on both sides."""
    seed_garbled, seed_clean = seed_pair
    paired = {name: text for name, text in ARTICLES.items() if name not in ("museum", "wildfire", "chip")}
    paired |= {"storm-early": STORM_EARLY, "storm-later": STORM_LATER}
    garbled = {name: garble(text, name) for name, text in paired.items()}
    garbled["seed"] = seed_garbled
    clean = dict(paired) | {"seed": seed_clean}
    garbled["museum"] = garble(ARTICLES["museum"], "museum")  # no clean partner
    garbled["wildfire"] = garble(ARTICLES["wildfire"], "wildfire", level=0.3)  # no clean partner
    clean["chip"] = ARTICLES["chip"]  # no garbled partner
    g_names, c_names = sorted(garbled), sorted(clean)
    random.Random(3).shuffle(g_names)
    random.Random(4).shuffle(c_names)
    return g_names, [garbled[n] for n in g_names], c_names, [clean[n] for n in c_names]


def named(result, g_names, c_names) -> dict[str, str]:
    return {g_names[i]: c_names[j] for i, j, _ in result.pairs}


def test_pairs_are_right_and_complete(corpus):
    g_names, garbled, c_names, clean = corpus
    result = pair_documents(garbled, clean)
    got = named(result, g_names, c_names)
    expected = {n: n for n in g_names if n in c_names}
    wrong = {g: c for g, c in got.items() if expected.get(g) != c}
    assert not wrong, f"wrong pairs (precision): {wrong}"
    assert set(got) == set(expected), f"missed (recall): {set(expected) - set(got)}"
    assert len({j for _, j, _ in result.pairs}) == len(result.pairs), "one to one"


def test_real_machine_translated_pair_is_found(corpus):
    g_names, garbled, c_names, clean = corpus
    result = pair_documents(garbled, clean)
    scores = {(g_names[i], c_names[j]): s for i, j, s in result.pairs}
    assert scores.get(("seed", "seed"), 0.0) > 0.8


def test_near_duplicate_versions_of_one_story_each_get_their_own(corpus):
    g_names, garbled, c_names, clean = corpus
    every_candidate = PairingParams(relative_estimate=0.0)  # verify the sibling too, to see its score
    result = pair_documents(garbled, clean, every_candidate)
    got = named(result, g_names, c_names)
    assert got["storm-early"] == "storm-early"
    assert got["storm-later"] == "storm-later"
    by_name = {g_names[i]: {c_names[j]: s for j, s in cands} for i, cands in enumerate(result.verified)}
    for own, sibling in [("storm-early", "storm-later"), ("storm-later", "storm-early")]:
        scores = by_name[own]
        assert scores[own] > scores[sibling] + 0.2, f"{own}: {scores}"


def test_unpaired_documents_have_reasons(corpus):
    g_names, garbled, c_names, clean = corpus
    result = pair_documents(garbled, clean)
    reasons = {g_names[i]: r for i, r in result.unmatched_garbled}
    assert set(reasons) == {"museum", "wildfire"}
    assert set(reasons.values()) <= {NO_CANDIDATE, BELOW_MIN_SCORE}
    assert [c_names[j] for j in result.unmatched_clean] == ["chip"]
    assert len(result.pairs) + len(result.unmatched_garbled) == len(garbled)


def test_same_input_same_output_and_order_does_not_matter(corpus):
    g_names, garbled, c_names, clean = corpus
    first = pair_documents(garbled, clean)
    again = pair_documents(list(garbled), list(clean))
    assert first.pairs == again.pairs
    assert first.unmatched_garbled == again.unmatched_garbled
    assert first.verified == again.verified
    g_order = list(range(len(garbled)))[::-1]
    c_order = list(range(len(clean)))[::-1]
    flipped = pair_documents([garbled[i] for i in g_order], [clean[j] for j in c_order])
    assert named(flipped, [g_names[i] for i in g_order], [c_names[j] for j in c_order]) == named(
        first, g_names, c_names
    )


_SUBPROCESS = """
import json, sys
from builder.pairing.documents import pair_documents
garbled, clean = json.load(sys.stdin)
r = pair_documents(garbled, clean)
print(json.dumps([r.pairs, r.unmatched_garbled, r.unmatched_clean, r.verified]))
"""


@pytest.mark.slow
def test_same_output_in_processes_with_different_hash_seeds(corpus):
    """Nothing may depend on Python's per-process salted hash(): another process, with a
    hash seed unlike this one's, pairs the corpus the same way."""
    _, garbled, _, clean = corpus
    r = pair_documents(garbled, clean)
    here = json.loads(json.dumps([r.pairs, r.unmatched_garbled, r.unmatched_clean, r.verified]))
    env = {**os.environ, "PYTHONHASHSEED": other_hash_seed(), "PYTHONPATH": str(PROJECT_DIR)}
    done = subprocess.run(
        [sys.executable, "-c", _SUBPROCESS],
        input=json.dumps([garbled, clean]),
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_DIR,
        check=True,
    )
    assert json.loads(done.stdout) == here


@pytest.mark.parametrize(("shingle", "size"), [("char", 4), ("char", 5), ("word", 1), ("word", 2)])
def test_every_shingle_kind_pairs_the_corpus(corpus, shingle, size):
    g_names, garbled, c_names, clean = corpus
    got = named(pair_documents(garbled, clean, PairingParams(shingle=shingle, shingle_size=size)), g_names, c_names)
    assert got == {n: n for n in g_names if n in c_names}


def test_lost_to_better_match_when_two_garbled_copies_share_one_original():
    clean = [ARTICLES["rates"], ARTICLES["vaccine"]]
    light = garble(ARTICLES["rates"], "rates-light", "typo", 0.05)
    heavy = garble(ARTICLES["rates"], "rates-heavy", "mixed", 0.4)
    result = pair_documents([heavy, light, garble(ARTICLES["vaccine"], "v")], clean)
    assert (1, 0) in [(i, j) for i, j, _ in result.pairs], "the lighter copy wins"
    assert (2, 1) in [(i, j) for i, j, _ in result.pairs]
    assert result.unmatched_garbled == [(0, LOST_TO_BETTER_MATCH)]
    assert result.unmatched_clean == []


def test_reasons_empty_no_candidate_and_below_min_score():
    clean = [ARTICLES["flood"], ARTICLES["football"], ARTICLES["rates"]]
    german = (
        "Die Feuerwehr in Sachsen kämpft seit Dienstag gegen einen Waldbrand bei Görlitz. Anwohner mussten "
        "ihre Häuser verlassen, weil starker Wind die Flammen immer wieder anfachte."
    )
    garbled = ["", " ... ", german, garble(ARTICLES["flood"], "flood")]
    no_scan = pair_documents(garbled, clean, PairingParams(scan_max_clean=0))
    assert dict(no_scan.unmatched_garbled) == {0: EMPTY, 1: EMPTY, 2: NO_CANDIDATE}
    assert [(i, j) for i, j, _ in no_scan.pairs] == [(3, 0)]
    strict = pair_documents(garbled, clean, PairingParams(min_score=1.0, min_estimate=0.0))
    assert dict(strict.unmatched_garbled)[3] == BELOW_MIN_SCORE
    assert strict.pairs == []
    assert strict.unmatched_clean == [0, 1, 2]


def test_small_corpus_falls_back_to_a_scan():
    """A heavily reworded article shares too few shingles for the LSH index; the scan still finds it."""
    clean = [ARTICLES["election"], ARTICLES["chip"], ARTICLES["football"]]
    reworded = (
        "On Saturday Slovak citizens will vote for a new parliament, in elections which might change how the "
        "country treats the conflict in Ukraine next door.\n"
        "Robert Fico, previously prime minister and head of Smer, which is ahead in most surveys, pledged to "
        "stop sending weapons to Kyiv. Michal Simecka, who leads Progressive Slovakia, would keep helping.\n"
        "Experts expect no party to gain a majority, so forming a coalition may last weeks. About 66 per cent "
        "voted in 2020."
    )
    hard = PairingParams(lsh_bands=8, lsh_rows=32)  # an index that only finds near copies
    result = pair_documents([reworded], clean, hard)
    assert result.stats["scans"] == 1
    assert [(i, j) for i, j, _ in result.pairs] == [(0, 0)]
    assert pair_documents([reworded], clean, PairingParams(lsh_bands=8, lsh_rows=32, scan_max_clean=2)).pairs == []


def test_empty_sides():
    assert pair_documents([], []).pairs == []
    result = pair_documents([ARTICLES["flood"]], [])
    assert result.unmatched_garbled == [(0, NO_CANDIDATE)]
    assert pair_documents([], [ARTICLES["flood"]]).unmatched_clean == [0]


def test_assign_is_greedy_by_score_with_ties_to_lower_index():
    scored = [[(0, 0.9), (1, 0.8)], [(0, 0.95)], [(1, 0.8)], [(2, 0.2)], []]
    pairs, unmatched = assign(scored, min_score=0.5)
    assert pairs == [(0, 1, 0.8), (1, 0, 0.95)]  # garbled 0 and 2 tie on clean 1: the lower index wins
    assert unmatched == [(2, LOST_TO_BETTER_MATCH), (3, BELOW_MIN_SCORE), (4, NO_CANDIDATE)]


def test_character_shingles_survive_typos_and_are_exact():
    a = set(shingle_codes("Envoy Steve Witkoff is expected in Moscow this week.").tolist())
    b = set(shingle_codes("Envoy Steve Witkov is expectd in Moscow this week").tolist())
    assert len(a & b) / len(a | b) > 0.6
    assert shingle_codes("A").tolist() == [11 * 37**3]  # " a   " in base 37: exact, no hashing
    assert shingle_codes("Café, NAÏVE!").tolist() == shingle_codes("cafe naive").tolist()  # folded first
    words = shingle_codes("the cat the dog", "word", 1)
    assert len(words) == 3


def test_params_are_checked():
    with pytest.raises(ValueError, match="lsh_bands"):
        PairingParams(num_perm=64, lsh_bands=64, lsh_rows=2)
    with pytest.raises(ValueError, match="shingle"):
        PairingParams(shingle="sentence")
    with pytest.raises(ValueError, match="min_score"):
        PairingParams(min_score=1.5)

"""Pairing garbled documents with clean ones: the right pairs, reasons for the rest, same output every time."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from builder.noise import load_recipe
from builder.pairing import (
    BELOW_MIN_SCORE,
    EMPTY,
    LOST_TO_BETTER_MATCH,
    NO_CANDIDATE,
    PairingParams,
    assign,
    pair_documents,
    shingle_codes,
)
from builder.segment import Segmenter

ARTICLES = {
    "flood": (
        "Heavy rain flooded dozens of roads across southern Queensland on Tuesday, and emergency crews rescued "
        "more than forty drivers from cars caught in rising water.\n"
        "The Bureau of Meteorology said some towns near Toowoomba received 180 millimetres in twelve hours, "
        "the most in a single day since records began in 1931.\n"
        'Police closed the Warrego Highway west of Gatton after a bridge was damaged. "Do not drive into '
        'floodwater, it is never worth the risk," Superintendent Rachel Hennessy told reporters.\n'
        "Schools in three districts will stay shut on Wednesday while engineers inspect buildings and roads."
    ),
    "rates": (
        "The Bank of England held interest rates at 5.25% on Thursday, the third pause in a row, saying price "
        "growth was slowing but remained too high.\n"
        "Governor Andrew Bailey said the committee would watch wage settlements closely before any cut. "
        "Six members voted to hold and three wanted a quarter-point reduction.\n"
        "Sterling fell half a cent against the dollar after the decision, while the FTSE 100 closed slightly "
        "higher. Mortgage lenders said fixed-rate deals were already cheaper than a year ago."
    ),
    "election": (
        "Voters in Slovakia go to the polls on Saturday in a parliamentary election that could shift the "
        "country's stance on the war in neighbouring Ukraine.\n"
        "Former prime minister Robert Fico, whose Smer party leads most opinion polls, has promised to end "
        "military aid to Kyiv. His main rival, Michal Simecka of Progressive Slovakia, wants support to continue.\n"
        "Analysts say neither party is likely to win a majority, so coalition talks could take weeks. Turnout "
        "in the last election, in 2020, was about 66 per cent."
    ),
    "football": (
        "Manchester United came from two goals down to draw 2-2 with Tottenham at Old Trafford on Sunday.\n"
        "Son Heung-min and James Maddison put the visitors ahead before half-time, but Bruno Fernandes scored "
        "a penalty and Rasmus Hojlund headed in a late equaliser.\n"
        "Manager Erik ten Hag said his players had shown great character. The result leaves United eighth in "
        "the Premier League, eleven points behind the leaders."
    ),
    "vaccine": (
        "Health officials in Kenya have begun a campaign to vaccinate two million children against measles "
        "after outbreaks in five counties.\n"
        "The ministry said teams would visit schools, markets and churches over the next ten days. Parents "
        "were urged to bring a child's health card, although it is not required.\n"
        "The World Health Organization said vaccination rates had fallen during the pandemic, leaving many "
        "young children unprotected against the disease."
    ),
    "chip": (
        "Shares in the Dutch chip equipment maker ASML rose 6% on Wednesday after it reported record orders "
        "for the third quarter.\n"
        "Chief executive Peter Wennink said demand from memory makers had recovered faster than expected, "
        "although export restrictions to China would weigh on sales next year.\n"
        "The company, based in Veldhoven, is the only supplier of the extreme ultraviolet machines used to "
        "make the most advanced processors."
    ),
    "wildfire": (
        "Firefighters in northern Greece were battling a wildfire near the city of Alexandroupolis for a "
        "fifth day on Friday, as strong winds fanned the flames.\n"
        "Eighteen bodies were found in a forest close to the Turkish border, and officials believe they were "
        "migrants who had crossed the Evros river.\n"
        "The European Union sent planes from Italy, Croatia and Cyprus to help. Civil protection minister "
        "Vassilis Kikilias said the fire had burned more than 70,000 hectares."
    ),
    "museum": (
        "The British Museum said on Wednesday that about 2,000 items from its collection were missing, "
        "stolen or damaged, and that it had dismissed a member of staff.\n"
        "Most of the objects were small pieces of gold jewellery and gems dating from the 15th century BC to "
        "the 19th century AD, kept in a storeroom and rarely shown to the public.\n"
        "Director Hartwig Fischer announced he would step down, saying the museum had not responded as "
        "comprehensively as it should have to warnings in 2021."
    ),
}

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


def garble(text: str, doc_id: str, recipe: str = "mixed", level: float | None = None) -> str:
    r = load_recipe(recipe)
    if level is not None:
        r = r.with_level(level)
    spans = [(s.start, s.end) for s in Segmenter().split(text)]
    garbled, _ = r.garble(text, spans, seed=7, doc_id=doc_id)
    return garbled


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
from builder.pairing import pair_documents
garbled, clean = json.load(sys.stdin)
r = pair_documents(garbled, clean)
print(json.dumps([r.pairs, r.unmatched_garbled, r.unmatched_clean, r.verified]))
"""


@pytest.mark.slow
def test_same_output_in_processes_with_different_hash_seeds(corpus):
    """Nothing may depend on Python's per-process salted hash()."""
    _, garbled, _, clean = corpus
    root = Path(__file__).resolve().parent.parent
    outputs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(root)}
        done = subprocess.run(
            [sys.executable, "-c", _SUBPROCESS],
            input=json.dumps([garbled, clean]),
            capture_output=True,
            text=True,
            env=env,
            cwd=root,
            check=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


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

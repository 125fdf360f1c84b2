"""The scorer against hand-counted examples, and the peer adapters on small documents.

Every expected number below was counted by hand from the rules in ``benchmarks/align_scoring.py``
(vecalign's counting), so a change in those rules breaks a test.
"""

from __future__ import annotations

import pytest

from benchmarks.align_scoring import score, validate_alignment
from benchmarks.peers import ALIGNERS, PEERS, bertalign_peer, gale_church


def test_perfect_alignment_scores_one_and_counts_links_without_indels():
    gold = [((0,), (0,)), ((1,), ()), ((2, 3), (1,)), ((), (2,)), ((4,), (3, 4))]
    result = score([gold], [list(gold)])
    for key in ("precision_strict", "recall_strict", "f1_strict", "precision_lax", "recall_lax", "f1_lax"):
        assert result[key] == 1.0, key
    assert result["indel_precision"] == result["indel_recall"] == 1.0
    counts = result["counts"]
    assert counts["test_groups"] == 5  # precision counts the 1-0 and 0-1 groups ...
    assert counts["gold_links"] == 3  # ... recall does not
    assert counts["gold_indels"] == counts["test_indels"] == counts["indel_hits"] == 2


def test_one_wrong_merge_is_lax_but_not_strict():
    gold = [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    test = [((0,), (0,)), ((1, 2), (1, 2))]
    result = score([gold], [test])
    assert result["precision_strict"] == pytest.approx(1 / 2)
    assert result["recall_strict"] == pytest.approx(1 / 3)
    assert result["f1_strict"] == pytest.approx(0.4)
    assert result["precision_lax"] == result["recall_lax"] == result["f1_lax"] == 1.0


def test_missed_deletion_costs_strict_score_and_indel_recall():
    gold = [((0,), (0,)), ((), (1,)), ((1,), (2,))]  # clean sentence 1 was dropped
    test = [((0,), (0, 1)), ((1,), (2,))]  # the aligner swallowed it into a 1-2
    result = score([gold], [test])
    assert result["precision_strict"] == pytest.approx(1 / 2)
    assert result["recall_strict"] == pytest.approx(1 / 2)  # the 0-1 is not in recall's denominator
    assert result["f1_strict"] == pytest.approx(1 / 2)
    assert result["precision_lax"] == result["recall_lax"] == 1.0
    assert result["indel_recall"] == 0.0
    assert result["indel_precision"] == 0.0  # no predicted indels: 0/0, vecalign's default 0.0
    assert result["counts"]["gold_indels"] == 1 and result["counts"]["test_indels"] == 0


def test_lax_hit_needs_overlap_on_both_sides_so_a_predicted_indel_never_is_one():
    gold = [((0, 1), (0,)), ((2,), (1,))]
    test = [((0,), (0,)), ((1,), ()), ((2,), (1,))]
    result = score([gold], [test])
    assert result["precision_strict"] == pytest.approx(1 / 3)
    assert result["precision_lax"] == pytest.approx(2 / 3)  # (1,)-() overlaps gold on one side only
    assert result["recall_strict"] == pytest.approx(1 / 2)
    assert result["recall_lax"] == 1.0
    assert result["indel_precision"] == 0.0 and result["counts"]["test_indels"] == 1


def test_lax_overlap_must_be_with_one_and_the_same_gold_group():
    gold = [((0,), (0,)), ((1,), (1,))]
    crossed = [((0,), (1,)), ((1,), (0,))]  # each side overlaps gold, but never the same group
    result = score([gold], [crossed])
    assert result["precision_lax"] == result["recall_lax"] == 0.0
    assert result["f1_lax"] == 0.0


def test_counts_are_summed_over_documents_before_dividing():
    good = [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,))]
    bad_gold, bad_test = [((0,), (0,))], [((0,), ()), ((), (0,))]
    result = score([good, bad_gold], [good, bad_test])
    assert result["precision_strict"] == pytest.approx(4 / 6)  # a macro average would say (1 + 0) / 2
    assert result["recall_strict"] == pytest.approx(4 / 5)
    assert result["counts"]["documents"] == 2


def test_duplicate_and_doubly_empty_groups_count_once_and_not_at_all():
    gold = [((0,), (0,)), ((1,), (1,))]
    test = [((0,), (0,)), ((0,), (0,)), ((), ()), ([1], [1])]  # lists are accepted as index sequences
    result = score([gold], [test])
    assert result["counts"]["test_groups"] == 2
    assert result["precision_strict"] == result["recall_strict"] == 1.0


def test_empty_inputs_give_the_division_default_not_an_error():
    for golds, tests in (([], []), ([[]], [[]])):
        result = score(golds, tests)
        assert result["f1_strict"] == result["precision_lax"] == result["indel_recall"] == 0.0
        counts = result["counts"]
        assert counts.pop("documents") == len(golds)
        assert set(counts.values()) == {0}
    assert score([[]], [[]], value_for_div_by_0=1.0)["f1_strict"] == 1.0
    with pytest.raises(ValueError, match="gold documents"):
        score([[]], [])


def test_validate_alignment_accepts_a_complete_monotone_alignment():
    validate_alignment([((0,), (0,)), ((1, 2), ()), ((), (1,))], 3, 2)


@pytest.mark.parametrize(
    "groups",
    [
        pytest.param([((0,), (0,))], id="lost"),
        pytest.param([((0,), (0,)), ((0, 1), (1,))], id="repeated"),
        pytest.param([((1,), (0,)), ((0,), (1,))], id="reordered"),
        pytest.param([((0, 1), (0, 1)), ((), ())], id="empty-group"),
    ],
)
def test_validate_alignment_rejects_lost_repeated_and_reordered_sentences(groups):
    with pytest.raises(ValueError):
        validate_alignment(groups, 2, 2)


# ---- peers -----------------------------------------------------------------------------------

CLEAN = [
    "The council approved the new budget on Tuesday after a long debate.",
    "It includes money for two schools.",
    "Critics said the plan ignores the housing shortage in the east of the city, which has grown for years.",
    "The mayor will sign it next week.",
    "Officials expect the first payments in March.",
]


@pytest.mark.slow  # loads bertalign's model when it is installed
def test_peers_share_one_interface():
    assert set(PEERS) == {"gale_church", "bertalign"}
    assert set(ALIGNERS) == {"ours", *PEERS}
    for aligner in ALIGNERS.values():
        ok, reason = aligner.available()
        assert isinstance(ok, bool) and isinstance(reason, str)
        assert ok or reason
        if ok:
            validate_alignment(aligner.align(CLEAN[1:], CLEAN), len(CLEAN) - 1, len(CLEAN))


def test_gale_church_finds_a_merge_by_length_and_covers_every_sentence():
    # garbled: sentences 0+1 merged, clean 2 dropped, a caption inserted at the end
    garbled = [CLEAN[0] + " " + CLEAN[1], CLEAN[3], CLEAN[4], "Photo: City Hall."]
    groups = gale_church.align(garbled, CLEAN)
    validate_alignment(groups, len(garbled), len(CLEAN))
    assert groups[0] == ((0,), (0, 1))


def test_gale_church_sentences_nltk_leaves_unlinked_become_indels():
    # A 1000-character sentence against 40-character ones makes every bead at some cells cost
    # infinity; NLTK then steps back diagonally without a link, and links (0, 2), (1, 2) only.
    garbled, clean = ["g" * 40] * 3, ["c" * 40, "c" * 1000, "c" * 40]
    assert gale_church.align(garbled, clean) == [((), (0,)), ((), (1,)), ((0, 1), (2,)), ((2,), ())]


def test_gale_church_groups_from_links_covers_unlinked_sentences_in_order():
    # NLTK reports only links: a 2-2 as four links, a 1-0 or 0-1 as nothing at all
    links = [(0, 0), (1, 1), (1, 2), (3, 3), (3, 4), (4, 3), (4, 4)]
    groups = gale_church.groups_from_links(links, 6, 6)
    assert groups == [
        ((0,), (0,)),
        ((1,), (1, 2)),
        ((2,), ()),
        ((3, 4), (3, 4)),
        ((5,), ()),
        ((), (5,)),
    ]
    with pytest.raises(ValueError):
        gale_church.groups_from_links([(0, 1), (1, 0)], 2, 2)  # crossing links are not an alignment


def test_gale_church_handles_empty_sides_and_empty_sentences():
    assert gale_church.align([], ["a."]) == [((), (0,))]
    assert gale_church.align(["a.", ""], []) == [((0,), ()), ((1,), ())]
    groups = gale_church.align(["", "Some words here."], ["Some words here."])
    validate_alignment(groups, 2, 1)


@pytest.mark.slow
def test_bertalign_aligns_a_small_case_when_installed():
    ok, reason = bertalign_peer.available()
    if not ok:
        pytest.skip(reason)
    garbled = [CLEAN[0] + " " + CLEAN[1], CLEAN[3], CLEAN[4], "Photo: City Hall."]
    groups = bertalign_peer.align(garbled, CLEAN)
    validate_alignment(groups, len(garbled), len(CLEAN))
    assert {0, 1} <= set(groups[0][1]) and groups[0][0] == (0,)  # the merge is found by content
    assert groups[-1] == ((3,), ())  # and the caption is left unpaired
    assert bertalign_peer.align([], ["a."]) == [((), (0,))]
    # bertalign reads one sentence per line and drops blank lines: indices must survive both
    awkward = ["The council approved\nthe new budget on Tuesday.", "", *CLEAN[1:]]
    validate_alignment(bertalign_peer.align(awkward, CLEAN), len(awkward), len(CLEAN))

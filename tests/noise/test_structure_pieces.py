"""Pieces of a garbled document: a recipe without structure noise (``GarbledSentences``)
gives the pieces of a plan that leaves every sentence a group of its own."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.core.edits import Edit, replay
from builder.noise import load_recipe
from builder.noise.columns import EditColumns
from builder.noise.document import garble_batch, garble_documents
from builder.noise.sentences import GarbledSentences, sentences_of
from builder.noise.structure import _Group, build_pieces
from builder.text.segment import Segmenter

_WORDS = st.sampled_from(["The", "council", "voted.", "It", "said,", "“No.”", "Mr.", "Smith", "left!", "é", "a"])
_GAPS = st.sampled_from([" ", "  ", "\n", "\n\n", " \n ", ""])
_AFTER = st.sampled_from(["", "x", "ü", "🙂", "ab", "\n"])
_NAMES = ("char_delete", "char_insert", "keyboard")


@st.composite
def _edits_in(draw, text: str, lo: int, hi: int) -> list[Edit]:
    """Non-overlapping edits inside ``text[lo:hi]``, insertions at either end included."""
    edits: list[Edit] = []
    for at in sorted(draw(st.sets(st.integers(lo, hi), max_size=4))):
        if edits and at < edits[-1].end:
            continue
        width = draw(st.integers(0, min(2, hi - at)))
        after = draw(_AFTER) if width else draw(_AFTER.filter(bool))
        edits.append(Edit(draw(st.sampled_from(_NAMES)), at, at + width, text[at : at + width], after))
    return edits


@st.composite
def _documents(draw):
    """A text cut into sentences (some touching, some empty), and edits inside them."""
    parts = draw(st.lists(st.tuples(_WORDS, _GAPS), min_size=1, max_size=25))
    text = draw(_GAPS) * draw(st.booleans()) + "".join(w + g for w, g in parts)
    spans = [(s.start, s.end) for s in Segmenter().split(text)]
    if spans and draw(st.booleans()):  # an empty sentence where the first ends, as a segmenter may leave one
        spans.insert(1, (spans[0][1], spans[0][1]))
    edits: list[Edit] = []
    for lo, hi in spans:
        own = [e for e in draw(_edits_in(text, lo, hi)) if not edits or e.start >= edits[-1].end]
        if own and edits and own[0].start == edits[-1].end == own[0].end:
            own = own[1:]  # one insertion at a place two sentences share
        edits += own
    tags = [draw(st.sampled_from(["", "credit"])) for _ in spans]
    return text, spans, edits, tags


def _sentences(text, spans, edits, tags) -> GarbledSentences:
    cols = EditColumns.from_edits([edits], _NAMES)
    return sentences_of([text], [spans], [tags], [replay(text, edits)], cols)[0]


@settings(max_examples=400, deadline=None)
@given(_documents())
def test_sentences_give_the_pieces_of_a_plan_without_structure(doc):
    text, spans, edits, tags = doc
    groups = [_Group((k,), sub_spans=[span]) for k, span in enumerate(spans)]
    got = _sentences(text, spans, edits, tags)
    assert got.pieces() == build_pieces(text, spans, groups, edits, tags)
    assert got.clean() == [text[lo:hi] for lo, hi in spans]


@settings(max_examples=100, deadline=None)
@given(st.lists(_documents(), min_size=1, max_size=4))
def test_a_batch_of_documents_comes_out_as_each_alone(docs):
    texts = [d[0] for d in docs]
    edits = [d[2] for d in docs]
    cols = EditColumns.from_edits(edits, _NAMES)
    garbled = [replay(t, e) for t, e in zip(texts, edits, strict=True)]
    together = sentences_of(texts, [d[1] for d in docs], [d[3] for d in docs], garbled, cols)
    assert together == [_sentences(*d) for d in docs]


def test_a_recipe_without_structure_noise_garbles_as_one_with_an_empty_plan():
    texts = ["The council voted on Monday. It said no.\n\nMr. Smith left, and the vote was lost.", "One line.", ""]
    spans = [[(s.start, s.end) for s in Segmenter().split(t)] for t in texts]
    recipe = load_recipe("typo").with_level(0.4)
    assert not recipe.structure.active
    made = garble_batch(recipe, texts, spans, 3, ["a", "b", "c"])
    assert all(isinstance(doc, GarbledSentences) for doc in made)
    edits = recipe.apply_batch(texts, [[s for s in d if s[1] > s[0]] for d in spans], 3, ["a", "b", "c"])
    for text, doc_spans, doc_edits, doc in zip(texts, spans, edits, made, strict=True):
        groups = [_Group((k,), sub_spans=[span]) for k, span in enumerate(doc_spans)]
        tags = [""] * len(doc_spans)
        assert doc.pieces() == build_pieces(text, doc_spans, groups, doc_edits, tags)
    assert garble_documents(recipe, texts, spans, 3, ["a", "b", "c"]) == [doc.pieces() for doc in made]
    assert any(e for doc in made for e in doc.edits)


def test_an_edit_between_sentences_is_refused_not_lost():
    text = "One two. Three four."
    edit = Edit("char_insert", 8, 8, "", "x")  # after the first sentence's end, before the second's start
    cols = EditColumns.from_edits([[Edit("char_delete", 0, 1, "O", ""), edit]], _NAMES)
    with pytest.raises(ValueError, match="lies in no sentence"):
        sentences_of([text], [[(0, 7), (9, 20)]], [["", ""]], [replay(text, cols.edits()[0])], cols)


def test_overlapping_sentence_spans_are_refused():
    cols = EditColumns.empty(_NAMES, 1)
    with pytest.raises(ValueError, match="overlapping"):
        sentences_of(["One two. Three."], [[(0, 8), (4, 15)]], [["", ""]], ["One two. Three."], cols)

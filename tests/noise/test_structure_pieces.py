"""Pieces of a garbled document: the plain path is the planned path with no structure."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.core.edits import Edit
from builder.noise import load_recipe
from builder.noise.document import garble_documents
from builder.noise.structure import _Group, build_pieces, plain_pieces
from builder.text.segment import Segmenter

_WORDS = st.sampled_from(["The", "council", "voted.", "It", "said,", "“No.”", "Mr.", "Smith", "left!", "é", "a"])
_GAPS = st.sampled_from([" ", "  ", "\n", "\n\n", " \n "])


@st.composite
def _documents(draw):
    """A text cut into sentences, and edits inside the sentences."""
    parts = draw(st.lists(st.tuples(_WORDS, _GAPS), min_size=1, max_size=25))
    text = draw(_GAPS) * draw(st.booleans()) + "".join(w + g for w, g in parts)
    spans = [(s.start, s.end) for s in Segmenter().split(text)]
    edits = []
    for lo, hi in spans:
        for at in sorted(draw(st.sets(st.integers(lo, hi - 1), max_size=3))):
            if not edits or at >= edits[-1].end:
                edits.append(Edit("char_delete", at, at + 1, text[at], ""))
    tags = [draw(st.sampled_from(["", "credit"])) for _ in spans]
    return text, spans, edits, tags


@settings(max_examples=300, deadline=None)
@given(_documents())
def test_plain_pieces_are_the_pieces_of_a_plan_without_structure(doc):
    text, spans, edits, tags = doc
    groups = [_Group((k,), sub_spans=[span]) for k, span in enumerate(spans)]
    assert plain_pieces(text, spans, edits, tags) == build_pieces(text, spans, groups, edits, tags)


def test_a_recipe_without_structure_noise_garbles_as_one_with_an_empty_plan(monkeypatch):
    from builder.noise import document

    texts = ["The council voted on Monday. It said no.\n\nMr. Smith left, and the vote was lost.", "One line."]
    spans = [[(s.start, s.end) for s in Segmenter().split(t)] for t in texts]
    recipe = load_recipe("typo").with_level(0.4)
    assert not recipe.structure.active
    plain = garble_documents(recipe, texts, spans, 3, ["a", "b"])

    def planned(text, doc_spans, doc_edits, doc_tags):
        groups = [_Group((k,), sub_spans=[span]) for k, span in enumerate(doc_spans)]
        return build_pieces(text, doc_spans, groups, doc_edits, doc_tags)

    monkeypatch.setattr(document, "plain_pieces", planned)
    assert garble_documents(recipe, texts, spans, 3, ["a", "b"]) == plain
    assert any(p.edits for pieces in plain for p in pieces)

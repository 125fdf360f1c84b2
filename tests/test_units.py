from builder.core.edits import replay
from builder.noise import load_recipe
from builder.noise.document import garble_document
from builder.noise.structure import clean_text, garbled_text
from builder.pipeline.units import cut
from builder.text.segment import Segmenter

TEXT = (
    "First sentence is here, and it goes on for a while longer. Second one follows. Third is short.\n"
    "A fourth one, in a new paragraph, but it is also long enough to split. Fifth closes the story."
)


def _pieces(**structure):
    recipe = load_recipe("typo").with_level(0.3)
    from dataclasses import replace

    from builder.noise.structure import StructureRates

    recipe = replace(recipe, structure=StructureRates(**structure))
    sents = Segmenter().split(TEXT)
    return garble_document(recipe, TEXT, [(s.start, s.end) for s in sents], 7, "doc", [s.tag for s in sents])


def test_pieces_rebuild_both_texts_and_replay():
    for seed_structure in ({}, {"merge": 1.0}, {"split": 1.0}, {"drop": 0.5}, {"insert": 1.0}):
        pieces = _pieces(**seed_structure)
        assert clean_text(pieces) == TEXT
        for p in pieces:
            assert replay(p.clean, p.edits) == p.garbled


def test_units_replay_at_every_level():
    for structure in ({}, {"merge": 0.5, "split": 0.5, "drop": 0.2, "insert": 0.5}):
        pieces = _pieces(**structure)
        for level in ("sentence", "window", "document"):
            for u in cut(pieces, level, 60, False):
                assert replay(u.clean, u.edits) == u.garbled
        doc = cut(pieces, "document", 60, False)[0]
        assert doc.garbled == garbled_text(pieces).strip() or doc.garbled in garbled_text(pieces)


def test_structural_groups_are_labelled():
    assert {p.align for p in _pieces(merge=1.0) if p.is_group} >= {"1-2"}
    assert {p.align for p in _pieces(split=1.0) if p.is_group} >= {"2-1"}
    assert {p.align for p in _pieces(insert=1.0) if p.is_group} >= {"1-0"}
    assert {p.align for p in _pieces(drop=0.6) if p.is_group} >= {"0-1"}


def test_windows_respect_max_chars_and_never_start_with_a_caption():
    pieces = _pieces(insert=1.0)
    units = cut(pieces, "window", 80, False)
    assert all(u.clean != "" for u in units)
    assert "".join(u.clean for u in units).replace(" ", "").replace("\n", "") == TEXT.replace(" ", "").replace("\n", "")

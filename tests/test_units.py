from builder.edits import Edit, replay
from builder.segment import Segmenter
from builder.units import cut, synthetic_groups

TEXT = "First sentence here. Second one follows.\nA third, in a new paragraph."


def _edits():
    # an insertion at the very end of sentence 1 and an edit inside sentence 3
    return [Edit("char_insert", 20, 20, "", "!"), Edit("keyboard", 43, 48, "third", "thirf")]


def test_synthetic_groups_map_each_sentence_to_its_garbled_span():
    sents = Segmenter().split(TEXT)
    garbled, spans = synthetic_groups(TEXT, sents, _edits())
    assert garbled == replay(TEXT, _edits())
    pieces = [garbled[s.garbled[0] : s.garbled[1]] for s in spans]
    assert pieces == ["First sentence here.!", "Second one follows.", "A thirf, in a new paragraph."]


def test_units_replay_at_every_level():
    sents = Segmenter().split(TEXT)
    garbled, spans = synthetic_groups(TEXT, sents, _edits())
    for level in ("sentence", "window", "document"):
        units = cut(spans, garbled, TEXT, _edits(), level, 45, False)
        for u in units:
            assert replay(u.clean, u.edits) == u.garbled
    assert len(cut(spans, garbled, TEXT, _edits(), "window", 45, False)) == 2
    assert cut(spans, garbled, TEXT, _edits(), "document", 45, False)[0].clean == TEXT

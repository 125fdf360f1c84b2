from builder.normalize import normalize_text
from builder.segment import Segmenter


def test_seed_pair_segments_exactly_as_the_gold(seed_pair, seed_gold):
    seg = Segmenter()
    for text, side in zip(seed_pair, ("noisy", "clean"), strict=True):
        gold = [s for group in seed_gold for s in group[side]]
        assert seg.sentences(normalize_text(text)) == gold


def test_offsets_point_into_the_text():
    text = "First line here.\n\nSecond paragraph. It has two sentences."
    for s in Segmenter().split(text):
        assert text[s.start : s.end].strip() == text[s.start : s.end]
    assert [s.paragraph for s in Segmenter().split(text)] == [0, 1, 1]


def test_news_abbreviations_do_not_end_sentences():
    text = (
        "Gen. Mark Milley met Sen. Jack Reed on Jan. 5 in Washington, D.C. The U.S. pledged "
        "more aid. Mr. Smith of Acme Corp. said so."
    )
    assert Segmenter().sentences(text) == [
        "Gen. Mark Milley met Sen. Jack Reed on Jan. 5 in Washington, D.C.",
        "The U.S. pledged more aid.",
        "Mr. Smith of Acme Corp. said so.",
    ]


def test_closing_quotes_stay_with_their_sentence():
    text = 'He said “we will win.” Then he left. She said "yes." It ended.'
    assert Segmenter().sentences(text) == ["He said “we will win.”", "Then he left.", 'She said "yes."', "It ended."]


def test_a_sentence_never_crosses_a_line_break_in_line_mode():
    text = "Social Media/via Reuters\nOn Wednesday, forces advanced"
    assert Segmenter("line").sentences(text) == ["Social Media/via Reuters", "On Wednesday, forces advanced"]
    assert len(Segmenter("blank").sentences(text)) == 1


def test_boilerplate_lines_are_tagged(seed_pair):
    sents = Segmenter().split(normalize_text(seed_pair[1]))
    text = normalize_text(seed_pair[1])
    tagged = {text[s.start : s.end]: s.tag for s in sents if s.tag}
    assert tagged["Saul Loeb/via Reuters"] == "credit"
    assert tagged["Tanya Stukalova, Patrick Reevell and Will Gretsky of ABC News contributed to this report."] == (
        "contributor"
    )
    assert not any("Kremlin was noncommittal" in t for t in tagged)


def test_extra_abbreviations_from_the_config():
    text = "The Rt. Hon. member spoke. Approx. Ten people came."
    assert Segmenter(extra_abbreviations=["rt"]).sentences(text)[0] == "The Rt. Hon. member spoke."

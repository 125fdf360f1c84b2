"""Boilerplate tags: the quick tests that skip a rule's search never change a tag."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.text.boilerplate import _RULES, searched_rules_may_match, tag_line, tag_parts, tag_start


def _every_rule(line: str) -> str:
    s = line.strip()
    if not s or len(s) > 300:
        return ""
    return next((tag for tag, pattern in _RULES if pattern.search(s)), "")


LINES = [
    "Saul Loeb/via Reuters",
    "SAUL LOEB VİA REUTERS",
    "Photo VıA AFP",
    "Tanya Stukalova of ABC News contributed to this report.",
    "Additional REPORTİNG by Jane Doe",
    "Reporting by A. Smith; Editing by B. Jones",
    "Copyright 2024 The Times. All rights reserved.",
    "ALL RİGHTS RESERVED",
    "The paper. All rights reſerved",
    "He thought all night of the fight for rights.",
    "© Reuters 2024",
    "(C) 2023 Example News",
    "Read more: the budget",
    "In this file photo, the minister speaks.",
    "Photo: Getty Images",
    "Reuters",
    "The minister said the report was reserved for later.",
    "Rights groups said the copyright case would go on.",
    "He arrived via Kyiv and left via Warsaw.",
    "Photo VIA\tAFP",
    "Jane Doe vIa\u00a0Reuters",
    "x" * 59 + " via Reuters",  # "via" where the credit rule's prefix can still reach it
    "x" * 60 + " via Reuters",
    "x" * 60 + "/Reuters",
    "x" * 61 + "/Reuters",
    "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn.",
    "The report said spending by households rose.",  # "report" alone: no contributor line
    "CONTRİBUTED TO THİS REPORT: Jane Doe",
    "Jane Doe contrıbuted reporting",
    "",
    "   ",
    "x" * 301,
]


@pytest.mark.parametrize("line", LINES)
def test_tags_equal_every_rule_searched(line):
    assert tag_line(line) == _every_rule(line)


def test_tags_equal_every_rule_searched_on_mixed_lines():
    words = ["via", "VİA", "report", "ALL", "rights", "reserved", "©", "/", "Reuters", "AP", "photo:", "news", "ſ"]
    for combo in itertools.product(words, repeat=3):
        line = " ".join(combo)
        assert tag_line(line) == _every_rule(line), line


#: Pieces of every rule (each rule's first words, agencies, the searched words, letters
#: that case-fold to others), so generated lines reach every rule and every order of them.
# fmt: off
PIECES = [
    "Photo", "photographs", "Image", "Video", "Credit", "Source", ":", " by ", " credit", "In this handout photo",
    "In this undated video", "file photo:", "Pictured:", "Caption:", "Read more", "Related", "Watch",
    "Sign up", "Follow us", "Advertisement", "This story has been updated", "Copyright", "©", "(c)", "(C)",
    "all rights reserved", "ALL RİGHTS RESERVED", "Reuters", "AP", "AFP", "Getty Images", "EPA-EFE", "PA Media",
    "BBC", "(", ")", "/", " via ", " VİA ", "contributed to this report", "Additional reporting by", "Reporting by",
    "editing by", "x", " ", "ſ", "ı", ".", ",", "2024", "Jane Doe", "CONTRİBUTED", "contrıbuted", "Contributed",
    " reporting", " REPORTİNG", "report", "ng by", "buted", " this ", " to ",
]
# fmt: on


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8))
def test_tags_equal_every_rule_searched_on_generated_lines(pieces):
    line = "".join(pieces)
    assert tag_line(line) == _every_rule(line)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=10), st.integers(0, 200), st.integers(0, 200))
def test_a_part_of_a_line_without_searched_words_is_tagged_by_its_start(pieces, a, b):
    """How a sentence of a line is tagged: ``tag_start`` when the line holds none of the
    words the searching rules need, ``tag_line`` otherwise; both give every rule's tag."""
    line = "".join(pieces)
    part = line[min(a, b) : max(a, b)]
    if searched_rules_may_match(part):
        assert searched_rules_may_match(line)
    elif not searched_rules_may_match(line):
        assert tag_start(part) == _every_rule(part)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, "\t", "\u00a0", "é"]), min_size=1, max_size=12), st.data())
def test_the_parts_of_a_line_are_tagged_as_each_part_alone(pieces, data):
    """``tag_parts`` takes offsets into the text around the line, and the line's
    ``searched_rules_may_match``, as the segmenter gives them."""
    line = "".join(pieces)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(line)), max_size=6)))
    parts = list(zip([0, *cuts], [*cuts, len(line)], strict=True))
    before = data.draw(st.sampled_from(["", "Photo: AP\n", "Reporting by Ann; editing by Bo\n"]))
    text = before + line + "\nAll rights reserved"
    in_text = [(len(before) + s, len(before) + e) for s, e in parts]
    want = [_every_rule(line[s:e]) for s, e in parts]
    assert tag_parts(text, in_text, searched_rules_may_match(line)) == want
    assert tag_parts(text, in_text) == want  # searched=True: every part by every rule

"""The quick test of how a pattern's matches begin: it may let a line through that
does not match, never stop one that does."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.text.pattern_starts import Starts

PATTERNS = [
    r"^(read more|related|watch)\b",
    r"^(\(?\s*)?(Reuters|AP|AFP)(\s*(photo|/)[\w .,/\-]{0,40})?\)?$",
    r"^(photo(graph)?s?|image)\s*(:|by\b)",
    r"^(copyright|©|\(c\))|all rights reserved",
    r"(?:ab|c)d{2,3}e?",
    r"x*?y+",
    r"[^a-c]b|\d\W",
    r"[A-Fa-f0-9]{2}",
]


@pytest.mark.parametrize("source", PATTERNS)
@pytest.mark.parametrize("flags", [0, re.I])
@settings(max_examples=300, deadline=None)
@given(line=st.text(alphabet="abcdxyzeAPRrwt()©/ :1-İıſ", max_size=12))
def test_a_line_that_matches_is_never_stopped(source, flags, line):
    pattern = re.compile(source, flags)
    if pattern.match(line):
        assert Starts(pattern).may_match(line)


def test_most_lines_are_settled_by_their_start():
    starts = Starts(re.compile(r"^(read more|related|watch)\b", re.I))
    assert not starts.may_match("The minister said")
    assert not starts.may_match("Reuters")  # "reu" begins none of them
    assert starts.may_match("Read more: the budget")
    assert starts.may_match("RELATED")
    assert not starts.may_match("Wa")  # shorter than any match
    assert not starts.may_match("We")


def test_case_folding_beyond_ascii_lets_the_line_through():
    starts = Starts(re.compile(r"^(in this photo|subscribe)", re.I))
    assert starts.may_match("İn this photo")  # "İ" is matched as "i" by re.I: the test does not judge it
    assert starts.may_match("ſubscribe")
    assert re.match(r"^subscribe", "ſubscribe", re.I)


@pytest.mark.parametrize("source", [r"a*", r"(?:x|)", r".{3}", r"(?i:ab)c", r"(a)\1"])
def test_patterns_it_cannot_judge_let_every_line_through(source):
    starts = Starts(re.compile(source))
    assert starts.strings is None
    assert starts.may_match("anything at all")

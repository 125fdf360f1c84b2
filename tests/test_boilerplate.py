"""Boilerplate tags: the quick tests that skip a rule's search never change a tag."""

import itertools

import pytest

from builder.text.boilerplate import _RULES, tag_line


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

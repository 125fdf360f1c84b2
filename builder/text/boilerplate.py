"""Recognising the lines of a news page that are not the story.

Photo credits, captions, contributor lines and promotions sit between paragraphs.
They are tagged, not deleted, so a config can keep them (they are real text to
restore), drop them, or keep each as a unit of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_AGENCIES = (
    r"Reuters|AP|AFP|Getty Images|EPA(?:-EFE)?|Bloomberg|Shutterstock|Alamy|PA(?: Media| Wire)?|"
    r"Xinhua|Anadolu|SOPA Images|NurPhoto|ABC News|BBC|CNN|dpa|TASS|Sputnik|Pool|Handout|Courtesy"
)
_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "contributor",
        re.compile(
            r"\b(contributed (to )?(this )?report(ing)?|contributed reporting|"
            r"additional reporting by|reporting by .{2,80}editing by)\b",
            re.I,
        ),
    ),
    ("credit", re.compile(r"^(photo(graph)?s?|image|picture|video|credit|source)\s*(:|by\b|credit\b)", re.I)),
    ("credit", re.compile(rf"^[\w .,'’&/\-]{{0,60}}(/|\bvia\s)\s*({_AGENCIES})\b[\w .,/\-]{{0,30}}$", re.I)),
    ("credit", re.compile(rf"^(\(?\s*)?({_AGENCIES})(\s*(photo|/)[\w .,/\-]{{0,40}})?\)?$", re.I)),
    (
        "caption",
        re.compile(
            r"^(in this (handout |file |undated )?(photo|image|picture|video)|"
            r"(file )?photo:|pictured:|caption:)",
            re.I,
        ),
    ),
    (
        "promo",
        re.compile(
            r"^(read more|related|watch|listen|sign up|subscribe|follow us|click here|"
            r"advertisement|share this|this story has been updated)\b",
            re.I,
        ),
    ),
    ("copyright", re.compile(r"^(copyright|©|\(c\))|all rights reserved", re.I)),
]


#: The credit rule's slash or "via" begins within its first 61 characters, so a line
#: without one there cannot match. Case-sensitive, with every letter ``re.I`` would take
#: for each of "via" spelled out, and only when a slash or a v is there at all: the rule's
#: own case-insensitive search costs 4 µs a line.
_SLASH_OR_VIA = re.compile(r"/|[vV][iIıİ][aA]\s")


def _slash_or_via(line: str) -> bool:
    head = line[:61]
    return ("/" in head or "v" in head or "V" in head) and _SLASH_OR_VIA.search(line, 0, 70) is not None


#: For the rules that search the whole line (3-5 µs each), a test that must hold for
#: the rule to match, on the line and its lower case: most lines are settled without
#: the search. Only letters with no other case-insensitive match are tested ("report",
#: "v", "rved"; not "i" or "s", which ``re.I`` also finds as "ı", "İ" or "ſ").
_NEEDS: dict[int, Callable[[str, str], bool]] = {
    0: lambda line, low: "report" in low,
    2: lambda line, low: _slash_or_via(line),
    len(_RULES) - 1: lambda line, low: low[:1] in ("c", "©", "(") or "rved" in low,
}


def tag_line(line: str) -> str:
    """The boilerplate category of one line, or "" for story text."""
    s = line.strip()
    if not s or len(s) > 300:
        return ""
    low = s.lower()
    for k, (tag, pattern) in enumerate(_RULES):
        needs = _NEEDS.get(k)
        if (needs is None or needs(s, low)) and pattern.search(s):
            return tag
    return ""

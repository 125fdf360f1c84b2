"""Recognising the lines of a news page that are not the story.

Photo credits, captions, contributor lines and promotions sit between paragraphs.
They are tagged, not deleted, so a config can keep them (they are real text to
restore), drop them, or keep each as a unit of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from builder.text.pattern_starts import Starts

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


#: The rules that search the whole line: the contributor rule (index 0) needs "buted"
#: (of "contributed") or both "report" and "ng by" (of "reporting by"), and the copyright
#: rule's last branch needs "rved", in the lower-cased line; only letters with no other
#: case-insensitive match are tested (not "i", "s" or "k", which ``re.I`` also finds as
#: "ı", "İ", "ſ" or the Kelvin sign). The other rules are anchored at the line's start
#: and are tried together, in one match (``_AT_START``).
_CONTRIBUTOR = _RULES[0][1]
_CREDIT_SEARCHED = _RULES[2][1]  # anchored too, but its backtracking prefix is costly: it has its own quick test
_COPYRIGHT = _RULES[-1][1]
#: Every anchored rule but the searched credit one, in rule order: at one position an
#: alternation takes its first alternative that matches, so the group that matched is
#: the first of these rules to match. The copyright rule's unanchored branch is only
#: tried here at the start; ``tag_line`` searches for it last.
_ANCHORED = [k for k in range(1, len(_RULES)) if k != 2]
_AT_START = re.compile("|".join(f"(?P<r{k}>{_RULES[k][1].pattern})" for k in _ANCHORED), re.I)
_CREDIT = "credit"


#: The quick test for ``_AT_START``, made on first use (reading the pattern takes 30 ms).
_at_start_starts: Starts | None = None


def tag_line(line: str) -> str:
    """The boilerplate category of one line, or "" for story text: the tag of the
    first rule in ``_RULES`` whose pattern is found in the stripped line."""
    s = line.strip()
    if not s or len(s) > 300:
        return ""
    low = s.lower()
    if _may_be_contributor(low) and _CONTRIBUTOR.search(s):
        return _RULES[0][0]
    tag = _tag_at_start(s)
    if tag == _CREDIT:  # rules 1 and 3 give the searched credit rule's tag: its order does not matter
        return tag
    if _may_be_credit(s, low) and _CREDIT_SEARCHED.search(s):
        return _CREDIT
    if tag:
        return tag
    if "rved" in low and _COPYRIGHT.search(s):
        return _RULES[-1][0]
    return ""


def tag_parts(text: str, parts: Sequence[tuple[int, int]], searched: bool = True) -> list[str]:
    """``tag_line(text[s:e])`` for each part ``(s, e)`` of a line of ``text`` (its
    sentences), with the work shared. ``searched``: ``searched_rules_may_match`` of the
    line. When it is False, only the anchored rules are left, and a part whose first
    characters begin none of their matches is settled without a slice."""
    full = (_at_start_starts or _read_at_start()).full
    if full is None or searched:
        return [tag_line(text[s:e]) for s, e in parts]
    out = []
    for s, e in parts:
        head = text[s : s + 3]
        # an ASCII start without whitespace is the stripped part's start
        if len(head) == 3 and head.isascii() and head[0] > " " and head not in full:
            out.append("")
        else:
            out.append(tag_start(text[s:e]))
    return out


def searched_rules_may_match(line: str) -> bool:
    """Whether a rule that searches the whole line (not only its start) may match a
    part of ``line``: if not, ``tag_start`` tags its parts (a line's sentences)."""
    low = line.lower()  # a part's lower case is part of the line's (one char at a time)
    return _may_be_contributor(low) or "rved" in low or _may_be_credit(line, low)


def _may_be_contributor(low: str) -> bool:
    """Whether the lower-cased line holds what every form of the contributor rule does:
    "report", and "buted" or "ng by" ("report" alone is in one news line in seven)."""
    return "report" in low and ("buted" in low or "ng by" in low)


def tag_start(part: str) -> str:
    """``tag_line(part)`` for a part of a line for which ``searched_rules_may_match``
    is False: only the anchored rules are left to try."""
    s = part.strip()
    return _tag_at_start(s) if s and len(s) <= 300 else ""


def _may_be_credit(line: str, low: str) -> bool:
    """The searched credit rule needs a slash or "via" in any case ``re.I`` takes
    ("ı", and "İ", which lower-cases to "i" and a combining dot)."""
    return "/" in line or "via" in low or "vıa" in low or "vi\u0307a" in low


def _tag_at_start(s: str) -> str:
    """The tag of the first anchored rule (but the searched credit one) to match ``s``."""
    starts = _at_start_starts or _read_at_start()
    if not starts.may_match(s):
        return ""
    m = _AT_START.match(s)
    return _RULES[int(m.lastgroup[1:])][0] if m else ""


def _read_at_start() -> Starts:
    global _at_start_starts
    _at_start_starts = Starts(_AT_START)
    return _at_start_starts

"""How a pattern's matches can begin: a quick test that settles most lines before a
costly anchored match.

Boilerplate rules are tried on every sentence, and an alternation of a few dozen
case-insensitive words costs microseconds per line even when its first letter already
rules it out. ``ascii_starts`` reads the pattern's parse tree and lists the first few
ASCII characters any match can begin with; a line whose start is none of them is
settled without running the pattern.
"""

from __future__ import annotations

import itertools
import re

try:
    from re import _constants as _op
    from re import _parser as _sre_parse
except ImportError:  # Python 3.10
    import sre_constants as _op  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_ASCII = [chr(i) for i in range(128)]
_REPEATS = {_op.MAX_REPEAT, _op.MIN_REPEAT} | ({_op.POSSESSIVE_REPEAT} if hasattr(_op, "POSSESSIVE_REPEAT") else set())
#: Zero-width items (anchors, lookarounds): leaving them out only lets more lines through.
_ZERO_WIDTH = {_op.AT, _op.ASSERT, _op.ASSERT_NOT}
_MAX_STEPS = 20_000
#: ... and strings: a pattern that can start almost any way is not worth the test.
_MAX_STRINGS = 20_000


class _Unread(Exception):
    """A part of the pattern this reading does not follow."""


class Starts:
    """The ASCII strings of up to ``k`` characters a match can begin with; a shorter
    one means the match may end there (any line that begins with it may match)."""

    def __init__(self, pattern: re.Pattern[str], k: int = 3) -> None:
        self.k = k
        self.flags = pattern.flags
        self._steps = 0
        try:
            starts = self._starts(list(_sre_parse.parse(pattern.pattern, pattern.flags)), k)
        except (_Unread, RecursionError):
            starts = None
        if starts is not None and ("" in starts or len(starts) > _MAX_STRINGS):
            starts = None
        #: None: every line must be tried
        self.strings: frozenset[str] | None = None if starts is None else frozenset(starts)
        #: every k-character ASCII string a line may begin with, the shorter starts
        #: extended by every character (for one test per line), or None if too many
        self.full = self._extended(starts, k) if starts is not None else None

    @staticmethod
    def _extended(starts: set[str], k: int) -> frozenset[str] | None:
        full = {t for t in starts if len(t) == k}
        for t in starts:
            if len(t) < k:
                if len(full) + len(_ASCII) ** (k - len(t)) > _MAX_STRINGS:
                    return None
                full.update(t + "".join(tail) for tail in itertools.product(_ASCII, repeat=k - len(t)))
        return frozenset(full)

    def may_match(self, line: str) -> bool:
        """False only if no match of the pattern can begin at the start of ``line``."""
        head = line[: self.k]
        if len(head) == self.k and self.full is not None:
            return head in self.full or not head.isascii()
        if self.strings is None or not head.isascii():
            return True
        return any(head[:j] in self.strings for j in range(1, len(head) + 1))

    # -- reading the parse tree ----------------------------------------------------------

    def _chars(self, source: str) -> list[str]:
        """The ASCII characters a one-character pattern matches, under the pattern's flags."""
        one = re.compile(source, self.flags)
        return [c for c in _ASCII if one.fullmatch(c)]

    def _starts(self, seq: list, k: int) -> set[str]:
        self._steps += 1
        if self._steps > _MAX_STEPS:
            raise _Unread
        if k == 0 or not seq:
            return {""}
        (op, av), rest = seq[0], seq[1:]
        if op in _ZERO_WIDTH:
            return self._starts(rest, k)
        if op is _op.SUBPATTERN:
            if av[1] or av[2]:  # flags changed inside the group
                raise _Unread
            return self._starts([*av[3], *rest], k)
        if op is _op.BRANCH:
            return set().union(*(self._starts([*alt, *rest], k) for alt in av[1]))
        if op in _REPEATS:
            lo, hi, body = av
            out = self._starts(rest, k) if lo == 0 else set()
            if hi != 0:
                again = (op, (max(lo - 1, 0), hi if hi == _op.MAXREPEAT else hi - 1, body))
                out |= self._starts([*body, again, *rest], k)
            return out
        chars = self._chars(_one_char_source(op, av))
        tails = self._starts(rest, k - 1) if chars else set()
        if len(chars) * len(tails) > _MAX_STRINGS:
            raise _Unread
        return {c + t for c in chars for t in tails}


def _one_char_source(op, av) -> str:
    """The source of a one-character item of the parse tree."""
    if op is _op.LITERAL:
        return re.escape(chr(av))
    if op is _op.NOT_LITERAL:
        return "[^" + re.escape(chr(av)) + "]"
    if op is _op.ANY:
        return "."
    if op is _op.IN:
        return "[" + "".join(_class_item(o, a) for o, a in av) + "]"
    raise _Unread


_CATEGORIES = {
    _op.CATEGORY_DIGIT: r"\d",
    _op.CATEGORY_NOT_DIGIT: r"\D",
    _op.CATEGORY_SPACE: r"\s",
    _op.CATEGORY_NOT_SPACE: r"\S",
    _op.CATEGORY_WORD: r"\w",
    _op.CATEGORY_NOT_WORD: r"\W",
}


def _class_item(op, av) -> str:
    if op is _op.LITERAL:
        return re.escape(chr(av))
    if op is _op.RANGE:
        return re.escape(chr(av[0])) + "-" + re.escape(chr(av[1]))
    if op is _op.NEGATE:
        return "^"
    if op is _op.CATEGORY and av in _CATEGORIES:
        return _CATEGORIES[av]
    raise _Unread

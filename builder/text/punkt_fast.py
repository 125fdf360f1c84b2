"""Punkt's sentence boundaries, decided only where one is possible.

NLTK's ``PunktSentenceTokenizer.span_tokenize`` finds candidate ends (``.?!`` followed
by punctuation, or by whitespace and a token), and for each one builds token objects
for the words around it and runs both of Punkt's annotation passes on them. Here the
same candidates come from one compiled pattern, and the decision for each is computed
directly from the words around it, memoised per context string and per token pair:
the boundaries are Punkt's, at a fraction of its cost.

Every rule below is Punkt's (NLTK 3.10.4, which ``builder.text.punkt_reference``
runs as the reference and ``tests/text/test_segment_differential.py`` compares
against), with our ``NewsLanguageVars`` (curly quotes, guillemets and CJK closers
count as closing punctuation) and our parameters: abbreviation types and sentence
starters from ``resources/punkt_en``; collocations and orthographic context are
supported but empty, as the project trains nothing.

- Candidates: a sentence-end character followed by punctuation that cannot be in a
  word, or by whitespace and a token. The word before one runs back to the last ASCII
  whitespace (Punkt's ``string.whitespace`` search) after the previous candidate, or
  else to where the previous candidate's word began; a candidate is dropped when the
  next one's word starts before it (``!!!`` is decided once, at its last ``!``).
- Decision: the context (word, end, what follows) holds a break when a token other
  than its last is a sentence break after Punkt's two passes. A token's first-pass
  label is a sentence end char, an ellipsis, an abbreviation (its lowered form without
  the period, or the part after its last hyphen, is a known type) or a period-final
  sentence break; the second pass, for period-final tokens only, applies collocations,
  the orthographic heuristic and sentence starters after abbreviations and ellipses,
  and turns initials and numbers (``##number##``) into non-breaks when the next token
  is not a sentence start.
- Realignment: closing quotes and brackets after a break move to the sentence before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Characters that end a sentence for Punkt.
SENT_END_CHARS = (".", "?", "!")
#: Closing quotes and brackets that stay with the sentence they follow.
CLOSERS = "\"')\\]}\u2018\u2019\u201c\u201d\u00ab\u00bb\u300d\u300f\uff09\u3015\u3011\u300b\u3009\uff63"
#: Punkt's orthographic-context flags (a type seen upper/lower case at a sentence's
#: beginning, middle, or unknown position).
ORTHO_BEG_UC, ORTHO_MID_UC, ORTHO_UNK_UC = 1 << 1, 1 << 2, 1 << 3
ORTHO_BEG_LC, ORTHO_MID_LC, ORTHO_UNK_LC = 1 << 4, 1 << 5, 1 << 6
ORTHO_UC = ORTHO_BEG_UC | ORTHO_MID_UC | ORTHO_UNK_UC
ORTHO_LC = ORTHO_BEG_LC | ORTHO_MID_LC | ORTHO_UNK_LC
#: Tokens a sentence never starts with (the orthographic heuristic says "no").
_PUNCTUATION = frozenset(";:,.!?")
#: The whitespace Punkt looks back for when it takes the word before a candidate.
_ASCII_SPACE = " \t\n\r\x0b\x0c"
_OTHER_SPACE = _ASCII_SPACE[1:]
_NUMBER_TYPE = "##number##"
_CLOSER_SET = frozenset(CLOSERS)

_NON_WORD = "[" + re.escape(")\";}]*:@'({[" + CLOSERS + "!?") + "]"
_MULTI_CHAR = r"(?:-{2,}|\.{2,}|(?:\.\s){2,}\.)"
_WORD_START = r"[^(\"`{\[:;&#*@)}\]\-,]"
#: Punkt's word tokens: multi-character punctuation, a word up to whitespace or
#: punctuation (a comma only at a word's end), or any other single character.
WORD = re.compile(
    rf"{_MULTI_CHAR}"
    rf"|(?={_WORD_START})\S+?(?=\s|$|{_NON_WORD}|{_MULTI_CHAR}|,(?=$|\s|{_NON_WORD}|{_MULTI_CHAR}))"
    r"|\S"
)
#: A candidate end and what follows it (group ``after``; ``next`` when it is a token).
CANDIDATE = re.compile(rf"[.?!](?=(?P<after>{_NON_WORD}|\s+(?P<next>\S+)))")
#: The same, for text without ``?`` or ``!``: a literal first character is found faster.
PERIOD_CANDIDATE = re.compile(rf"\.(?=(?P<after>{_NON_WORD}|\s+(?P<next>\S+)))")
#: Closing punctuation right after a break, which belongs to the sentence before.
REALIGN = re.compile(rf"[{re.escape(CLOSERS)}]+?(?:\s+|(?=--)|$)", re.MULTILINE)

#: A context whose first token is a word of two or more ASCII letters and its period:
#: the word, then either whitespace and the next token or one closing character.
_WORD_DOT = re.compile(rf"([A-Za-z]{{2,}})\.(?:\s+(\S+)|({_NON_WORD}))")
_NUMERIC = re.compile(r"^-?[\.,]?\d[\d,\.-]*\.?$")
_ELLIPSIS = re.compile(r"\.\.+$")
_INITIAL = re.compile(r"[^\W\d]\.$")

#: Entries a memo holds before it is emptied: memory stays bounded (some 20 MB for
#: the three memos) on any corpus; a news corpus of 5 MB has some 25,000 contexts.
MEMO_SIZE = 50_000


class FastPunkt:
    """Punkt's ``span_tokenize`` for fixed parameters, memoised."""

    def __init__(
        self,
        abbrev_types: Iterable[str],
        sent_starters: Iterable[str],
        collocations: Iterable[tuple[str, str]] = (),
        ortho_context: dict[str, int] | None = None,
    ) -> None:
        self.abbrev_types = frozenset(abbrev_types)
        self.sent_starters = frozenset(sent_starters)
        self.collocations = frozenset(collocations)
        self.ortho_context = dict(ortho_context or {})
        #: no collocations and no orthographic context: decisions rest on types alone
        self._typed_only = not self.collocations and not any(self.ortho_context.values())
        self._contexts: dict[str, bool] = {}
        self._pairs: dict[tuple[str, str], bool] = {}
        self._inner: dict[str, bool] = {}

    def span_tokenize(
        self, text: str, start: int = 0, end: int | None = None, plain: bool | None = None
    ) -> list[tuple[int, int]]:
        """(start, end) of each sentence of ``text[start:end]``, as Punkt gives them
        for that slice, in offsets into ``text`` (the slice is never copied), with
        empty sentences left out. ``plain``: the caller knows whether the slice has no
        ASCII whitespace but the space (None: look)."""
        if end is None:
            end = len(text)
        if text.find("?", start, end) < 0 and text.find("!", start, end) < 0:
            candidates = PERIOD_CANDIDATE.finditer(text, start, end)  # a literal first character: a faster scan
        else:
            candidates = CANDIDATE.finditer(text, start, end)
        if plain is None:
            plain = is_plain(text, start, end)
        out: list[tuple[int, int]] = []
        s = start
        closers = _CLOSER_SET
        rfind = text.rfind
        prev = None
        prev_start = prev_stop = start
        for m in candidates:
            at = m.start()
            j = rfind(" ", prev_stop, at) if plain else _last_space(text, prev_stop, at)
            word = j + 1 if j > prev_stop else prev_start
            # Punkt judges a candidate only once the next one's word starts after it
            if prev is not None and prev_stop <= word and self._breaks_at(text, prev, prev_start, prev_stop):
                out.append((s, prev_stop + 1))
                s = prev.start(2)
                if s < 0:
                    s = prev_stop + 1
                if text[s] in closers:
                    s = _realign(text, s, end, out)
            prev = m
            prev_start = word
            prev_stop = at
        if prev is not None and self._breaks_at(text, prev, prev_start, prev_stop):
            out.append((s, prev_stop + 1))
            s = prev.start(2)
            if s < 0:
                s = prev_stop + 1
            if text[s] in closers:
                s = _realign(text, s, end, out)
        tail = end
        while tail > start and text[tail - 1].isspace():  # the last sentence ends before trailing space
            tail -= 1
        if s < tail:
            out.append((s, tail))
        return out

    def _breaks_at(self, text: str, m: re.Match[str], word: int, at: int) -> bool:
        """Whether the candidate ``m`` at ``at``, whose word begins at ``word``, ends a
        sentence. The usual one, an ASCII word of two or more letters and its period,
        is decided from the word's type and the next token without a memo (most such
        contexts occur once); any other, from its memoised context."""
        if self._typed_only and at - word >= 2 and text[at] == ".":
            w = text[word:at]
            if w.isascii() and w.isalpha():  # the context is "said. The", "said. “We" or "said.”"
                if w.lower() not in self.abbrev_types:
                    return True
                nxt = m.group(2)
                if nxt is None:  # a closer follows: two tokens, and a closer never starts a sentence
                    return False
                return self._inner_break(nxt) or self._pair_breaks(w + ".", WORD.match(nxt).group())
        context = text[word : m.end(1)]
        found = self._contexts.get(context)
        if found is None:
            found = self._judge(context)
        return found

    def _judge(self, context: str) -> bool:
        """Punkt's decision for one context, remembered."""
        return self._remember(self._contexts, context, self._contains_break(context))

    # -- decisions -----------------------------------------------------------------

    def _contains_break(self, context: str) -> bool:
        """Punkt's ``text_contains_sentbreak``: a token other than the last breaks."""
        simple = _WORD_DOT.fullmatch(context) if self._typed_only else None
        if simple:  # "said. The", "said. “We", "said.”": the word's token is the word and its period
            word, nxt, closer = simple.groups()
            if closer:  # two tokens; a closer never starts a sentence
                return word.lower() not in self.abbrev_types
            if self._inner_break(nxt):
                return True
            if word.lower() not in self.abbrev_types:
                return True
            return self._pair_breaks(word + ".", WORD.match(nxt).group())
        if "\n" in context:
            tokens = [t for line in context.split("\n") for t in WORD.findall(line)]
        else:
            tokens = WORD.findall(context)
        return any(self._pair_breaks(tokens[k], tokens[k + 1]) for k in range(len(tokens) - 1))

    def _pair_breaks(self, tok: str, nxt: str) -> bool:
        key = (tok, nxt)
        found = self._pairs.get(key)
        if found is None:
            found = self._remember(self._pairs, key, self._breaks(tok, nxt))
        return found

    def _inner_break(self, token: str) -> bool:
        """Whether the tokens of one whitespace-free string hold a break between them."""
        found = self._inner.get(token)
        if found is None:
            tokens = WORD.findall(token)
            found = any(self._pair_breaks(tokens[k], tokens[k + 1]) for k in range(len(tokens) - 1))
            self._remember(self._inner, token, found)
        return found

    @staticmethod
    def _remember(memo: dict, key, value: bool) -> bool:
        if len(memo) >= MEMO_SIZE:
            memo.clear()
        memo[key] = value
        return value

    def _is_abbreviation(self, tok: str) -> bool:
        """A period-final token whose type without the period (or its last hyphenated
        part) is a known abbreviation."""
        low = tok[:-1].lower()
        return low in self.abbrev_types or low.split("-")[-1] in self.abbrev_types

    def _first_pass_break(self, tok: str) -> bool:
        if tok in SENT_END_CHARS:
            return True
        if _ELLIPSIS.match(tok):
            return False
        return tok.endswith(".") and not tok.endswith("..") and not self._is_abbreviation(tok)

    def _breaks(self, tok: str, nxt: str) -> bool:
        """Whether ``tok`` ends a sentence when ``nxt`` follows it (both passes)."""
        abbr = ellipsis = sentbreak = False
        if tok in SENT_END_CHARS:
            sentbreak = True
        elif _ELLIPSIS.match(tok):
            ellipsis = True
        elif tok.endswith(".") and not tok.endswith(".."):
            abbr = self._is_abbreviation(tok)
            sentbreak = not abbr
        if not tok.endswith("."):
            return sentbreak
        typ = _without_period(_type(tok))
        next_type = _type(nxt)
        if self._first_pass_break(nxt):
            next_type = _without_period(next_type)
        initial = _INITIAL.match(tok) is not None
        if (typ, next_type) in self.collocations:
            return False
        if (abbr or ellipsis) and not initial:
            if self._ortho_heuristic(nxt, next_type) is True:
                return True
            if nxt[0].isupper() and next_type in self.sent_starters:
                return True
        if initial or typ == _NUMBER_TYPE:
            starts = self._ortho_heuristic(nxt, next_type)
            if starts is False:
                return False
            if starts is None and initial and nxt[0].isupper() and not self.ortho_context.get(next_type, 0) & ORTHO_LC:
                return False
        return sentbreak

    def _ortho_heuristic(self, tok: str, typ: str) -> bool | None:
        """Whether ``tok`` starts a sentence by the case it is seen in elsewhere, None
        when unknown (always, for a capitalised word, with no orthographic context)."""
        if tok in _PUNCTUATION:
            return False
        context = self.ortho_context.get(typ, 0)
        if tok[0].isupper() and context & ORTHO_LC and not context & ORTHO_MID_UC:
            return True
        if tok[0].islower() and (context & ORTHO_UC or not context & ORTHO_BEG_LC):
            return False
        return None


def is_plain(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` has no ASCII whitespace but the space, so the word
    before a candidate runs back to the last space (a few C scans, no pattern)."""
    return all(text.find(c, start, end) < 0 for c in _OTHER_SPACE)


def _last_space(text: str, start: int, end: int) -> int:
    """The last ASCII whitespace in ``text[start:end]``, -1 if none (Punkt's look-back)."""
    return max(text.rfind(c, start, end) for c in _ASCII_SPACE)


def _type(tok: str) -> str:
    """Punkt's case-folded type: numbers are all ``##number##``."""
    return _NUMERIC.sub(_NUMBER_TYPE, tok.lower())


def _without_period(typ: str) -> str:
    return typ[:-1] if len(typ) > 1 and typ[-1] == "." else typ


def _realign(text: str, s: int, end: int, out: list[tuple[int, int]]) -> int:
    """Punkt's realignment, as each break is found: closing punctuation that starts the
    sentence at ``s`` joins the sentence before (the last of ``out``); returns where the
    sentence now starts, past the closers and the space after them. (Punkt matches in
    the next sentence only, whose end this does not know yet: the match is the same, as
    it can reach neither a sentence's end character nor, but by whitespace, the text's
    end, where a sentence left empty is not kept.)"""
    m = REALIGN.match(text, s, end)
    if m is None:
        return s
    out[-1] = (out[-1][0], s + len(m.group().rstrip()))
    return m.end()

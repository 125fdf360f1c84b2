"""Punctuation and typography style, as translation systems and publishing tools change it.

One operation, ``punctuation``, with several kinds of change, each anchored to a word:

- quotes: a quoted span's pair turned from straight to curly or back, both quotes the
  same way ("said "no"" -> "said “no”"); anchored to the quoted span's first word;
- apostrophes: the apostrophe inside a word straight <-> curly ("Kyiv's" -> "Kyiv’s");
- dashes: em dash <-> en dash or hyphen ("LONDON —" -> "LONDON –");
- abbreviations: dotted capitals run together ("U.S." -> "US", "U.N." -> "UN"), the
  sentence's full stop kept when the abbreviation ends the sentence;
- oxford: the serial comma dropped ("A, B, and C" -> "A, B and C") or added;
- quote_comma: a comma before a quote dropped ('said, "We' -> 'said "We', 'ceasefire,”' ->
  'ceasefire”');
- commas: a comma between two words dropped ("On Monday, the army" -> "On Monday the
  army"), or one added before a word that opens a clause ("said which" -> "said, which"),
  the comma changes that most of machine translation's punctuation edits are.

The parameters are the relative weights of these kinds when a word anchors several
(0 turns a kind off). Every character changed is claimed (see ``shared``), so two edits
never meet on one quote or comma.

Not script-neutral (``NoiseOp.script_neutral``): the quote, serial comma ("and", "or")
and clause-opener rules are English conventions; German or French quotes and commas
follow others, so a document in another language does not get this operation.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, NamedTuple

import numpy as np

from builder.core.edits import Edit
from builder.core.resources import read_list
from builder.noise.ops.base import Context, pick
from builder.noise.ops.shared import (
    MultiEditOp,
    claim,
    claimed,
    span_index,
    word_at,
    word_ending_at,
    words_between,
)
from builder.noise.ops.tables import CURLY_QUOTES, DASHES, STRAIGHT_QUOTES

_QUOTES = re.compile(r'["“”]')
_OPENS_QUOTE = frozenset(" \t\n([{/—–-")
_DASH = re.compile("[" + "".join(DASHES) + "]")
_DOTTED = re.compile(r"[A-Z]\.[A-Z]\.(?:[A-Z]\.)*")
_CLOSING = re.compile(r"[\"”’')\]]*\s*")
_CONJUNCTION = re.compile(r"(,?) (?:and|or) ")
_WORD_CHAR = re.compile(r"\w")
_LIST_ITEM = re.compile(r" [\w'’-]+(?: [\w'’-]+){0,3}")
_COMMA_BEFORE_QUOTE = re.compile(r",(?=[\"“”]| [\"“])")
_APOSTROPHE = {"'": "’", "’": "'"}
_INNER_COMMA = re.compile(r"(?<=\w), (?=\w)")
#: A space before a word that opens a clause, where a comma may be added.
_CLAUSE_OPENER = re.compile(
    r"(?<=\w) (?=(?:" + "|".join(map(re.escape, read_list("noise/clause_openers.txt"))) + r")\b)"
)


class _Change(NamedTuple):
    kind: str
    edits: tuple[tuple[int, int, tuple[str, ...]], ...]  # (start, end, renderings)
    marks: tuple[int, ...]  # punctuation characters claimed
    words: tuple[int, ...]  # words taken besides the anchor


def _anchor_before(ctx: Context, pos: int, span: int) -> int:
    """The word before ``pos`` in sentence ``span``, else the word after it, else -1."""
    k = words_between(ctx, 0, pos + 1).stop - 1
    if k >= 0 and ctx.sent[k] == span and ctx.ends[k] <= pos:
        return k
    if k + 1 < ctx.n and ctx.sent[k + 1] == span:
        return k + 1
    return -1


def _changes(ctx: Context) -> dict[int, list[_Change]]:
    """Every punctuation change the document allows, by anchor word (once per document)."""
    found: dict[int, list[_Change]] | None = ctx.memo.get("punctuation:changes")
    if found is not None:
        return found
    found = {}
    text = ctx.text

    def add(anchor: int, change: _Change) -> None:
        if anchor >= 0:
            found.setdefault(anchor, []).append(change)

    opened = -1
    for m in _QUOTES.finditer(text):
        p = m.start()
        c = text[p]
        if c == "“" or (c == '"' and (p == 0 or text[p - 1] in _OPENS_QUOTE)):
            opened = p
            continue
        if opened < 0:
            continue
        o, opened = opened, -1
        straight = c == '"'
        if straight != (text[o] == '"') or "\n" in text[o:p]:
            continue
        if span_index(ctx, o, o + 1) < 0 or span_index(ctx, p, p + 1) < 0:
            continue
        new = CURLY_QUOTES if straight else STRAIGHT_QUOTES
        add(word_at(ctx, o + 1), _Change("quotes", ((o, o + 1, (new[0],)), (p, p + 1, (new[1],))), (o, p), ()))
    for m in _DASH.finditer(text):
        p = m.start()
        span = span_index(ctx, p, p + 1)
        if span >= 0:
            add(_anchor_before(ctx, p, span), _Change("dashes", ((p, p + 1, DASHES[text[p]]),), (p,), ()))
    for m in _DOTTED.finditer(text):
        s, e = m.span()
        if s > 0 and (text[s - 1].isalnum() or text[s - 1] in "._"):
            continue
        span = span_index(ctx, s, e)
        if span < 0:
            continue
        if _CLOSING.fullmatch(text, e, ctx.spans[span][1]):
            e -= 1  # the abbreviation ends the sentence: its last dot is the full stop
        words = words_between(ctx, s, e)
        marks = tuple(p for p in range(s, e) if text[p] == ".")
        letters = text[s:e].replace(".", "")
        add(words[0], _Change("abbreviations", ((s, e, (letters,)),), marks, tuple(words[1:])))
    for m in _CONJUNCTION.finditer(text):
        p, e = m.start(), m.end()
        if p == 0 or e >= len(text) or not _WORD_CHAR.match(text, p - 1) or not _WORD_CHAR.match(text, e):
            continue
        span = span_index(ctx, p, p + 1)
        if span < 0:
            continue
        q = text.rfind(",", ctx.spans[span][0], p)
        if q < 0 or not _LIST_ITEM.fullmatch(text, q + 1, p):
            continue
        insert = not m.group(1)
        edit = (p, p, (",",)) if insert else (p, p + 1, ("",))
        add(word_ending_at(ctx, p), _Change("oxford", (edit,), () if insert else (p,), ()))
    for m in _COMMA_BEFORE_QUOTE.finditer(text):
        p = m.start()
        if span_index(ctx, p, p + 1) >= 0:
            add(word_ending_at(ctx, p), _Change("quote_comma", ((p, p + 1, ("",)),), (p,), ()))
    for m in _INNER_COMMA.finditer(text):
        p = m.start()
        if span_index(ctx, p, p + 1) >= 0:
            add(word_ending_at(ctx, p), _Change("commas", ((p, p + 1, ("",)),), (p,), ()))
    for m in _CLAUSE_OPENER.finditer(text):
        p = m.start()
        if span_index(ctx, p, p + 1) >= 0:
            add(word_ending_at(ctx, p), _Change("commas", ((p, p, (",",)),), (), ()))
    ctx.memo["punctuation:changes"] = found
    return found


class Punctuation(MultiEditOp):
    """Quote, apostrophe, dash, abbreviation and comma style (see the module docstring)."""

    name = "punctuation"
    params: ClassVar[dict[str, Any]] = {
        "quotes": 1.0,
        "apostrophes": 1.0,
        "dashes": 1.0,
        "abbreviations": 1.0,
        "oxford": 1.0,
        "quote_comma": 1.0,
        "commas": 1.0,
    }
    draws = 2

    def _weight(self, kind: str) -> float:
        return float(getattr(self, kind))

    def eligible(self, ctx: Context) -> np.ndarray:
        out = np.zeros(ctx.n, dtype=bool)
        anchors = [i for i, changes in _changes(ctx).items() if any(self._weight(c.kind) > 0 for c in changes)]
        out[anchors] = True
        if self.apostrophes > 0:
            chars = ctx._chars
            marks = (chars == 39) | (chars == 0x2019)
            counts = np.zeros(chars.size + 1, dtype=np.int64)
            np.cumsum(marks, out=counts[1:])
            out |= counts[np.asarray(ctx.ends, dtype=np.int64)] > counts[np.asarray(ctx.starts, dtype=np.int64)]
        return out

    def edit(self, ctx: Context, i: int, u: list[float]) -> list[Edit] | None:
        options = [c for c in _changes(ctx).get(i, ()) if self._weight(c.kind) > 0]
        w = ctx.word(i)
        if self.apostrophes > 0:
            k = next((k for k, c in enumerate(w) if c in _APOSTROPHE), -1)
            if k >= 0:
                p = ctx.starts[i] + k
                options.append(_Change("apostrophes", ((p, p + 1, (_APOSTROPHE[w[k]],)),), (), ()))
        if not options:
            return None
        weights = np.cumsum([self._weight(c.kind) for c in options])
        change = options[min(int(np.searchsorted(weights, u[0] * weights[-1], side="right")), len(options) - 1)]
        if any(not ctx.free(j) for j in change.words) or any(p in claimed(ctx) for p in change.marks):
            return None
        claim(ctx, change.marks)
        for j in change.words:
            ctx.taken[j] = True
        text = ctx.text
        return [Edit(self.name, s, e, text[s:e], pick(after, u[1])) for s, e, after in change.edits]

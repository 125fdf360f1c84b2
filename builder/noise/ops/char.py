"""Character-level noise inside one word: typing slips and OCR confusions.

Each edit covers only the characters it changes, so the recorded ``before``/``after``
is the slip itself (an OCR edit is exactly one table entry).

All of these are vector operations: they edit every picked word of a batch in a few
array passes over the picked words' characters. Each word's choices (which letter,
which neighbouring key) are spent from the one uniform number its pick left over.
Character classes come from per-code-point tables over the Basic Multilingual Plane;
characters above it are never slipped, swapped or broken around.

All of them are script-neutral (``NoiseOp.script_neutral``): they need no English word.
The keyboard, shift and OCR tables are of Latin characters; in another script a word
with nothing in them is declined, never garbled with English.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from builder.noise.ops.arrays import (
    ASCII_LOWER,
    ASCII_UPPER,
    IN_WORD_SHIFT,
    SHIFTABLE,
    SHIFTED,
    OcrTable,
    Slots,
    alnum_table,
    chance,
    keyboard_tables,
    lookup,
    split,
    swapcase_table,
    swappable_table,
)
from builder.noise.ops.base import Context, Proposal, VectorOp


def _bounds(ctx: Context, words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return ctx.word_starts[words], ctx.word_ends[words]


def _slip(codes: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A keyboard neighbour of each character in its case (drawn by ``v``), and whether
    the character is on the keyboard at all."""
    row_of, neighbours, count = keyboard_tables()
    rows = lookup(row_of, codes).astype(np.intp)
    k, _ = split(v, count[rows])
    return neighbours.ravel()[rows * neighbours.shape[1] + k], rows > 0


class Keyboard(VectorOp):
    """Hit a neighbouring key instead of the right one (case kept)."""

    name = "keyboard"
    script_neutral = True

    def propose(self, ctx: Context, words: np.ndarray, v: np.ndarray) -> Proposal:
        s, e = _bounds(ctx, words)
        slots = Slots(s, e - s)
        row_of = keyboard_tables()[0]
        has, pos, rest = slots.kth(lookup(row_of, ctx.chars[slots.pos]) != 0, v)
        new, _ = _slip(ctx.chars[pos], rest)
        return Proposal(has, pos, pos + 1, new, 1)


class CharInsert(VectorOp):
    """Hit a neighbouring key as well as the right one: a stray letter after it.

    ``repeat`` is the chance the stray letter is the same key pressed twice.
    """

    name = "char_insert"
    script_neutral = True
    params: ClassVar[dict[str, Any]] = {"repeat": 0.0}

    def propose(self, ctx: Context, words: np.ndarray, v: np.ndarray) -> Proposal:
        s, e = _bounds(ctx, words)
        k, rest = split(v, e - s)
        pos = s + k
        c = ctx.chars[pos]
        again, rest = chance(rest, self.repeat)
        new, on = _slip(c, rest)
        new = np.where(again, c, new)
        return Proposal(again | on, pos + 1, pos + 1, new, 1)


class CharDelete(VectorOp):
    """A letter left out (never the whole word: that is ``word_drop``)."""

    name = "char_delete"
    script_neutral = True
    min_len = 2

    def propose(self, ctx: Context, words: np.ndarray, v: np.ndarray) -> Proposal:
        s, e = _bounds(ctx, words)
        k, _ = split(v, e - s)
        pos = s + k
        return Proposal(np.ones(pos.size, dtype=bool), pos, pos + 1, np.zeros((pos.size, 2), np.uint32), 0)


class CharTranspose(VectorOp):
    """Two adjacent letters typed in the wrong order."""

    name = "char_transpose"
    script_neutral = True
    min_len = 2

    def propose(self, ctx: Context, words: np.ndarray, v: np.ndarray) -> Proposal:
        s, e = _bounds(ctx, words)
        slots = Slots(s, e - s - 1)  # each slot: a letter and the next
        chars = ctx.chars
        has, pos, _ = slots.kth(chars[slots.pos] != chars[slots.pos + 1], v)
        after = np.column_stack([chars[pos + 1], chars[pos]]).astype(np.uint32)
        return Proposal(has, pos, pos + 2, after, 2)


class CaseSlip(VectorOp):
    """Shift held or missed: one letter, most often the first, in the wrong case.

    ``first_letter`` is the chance the slip hits the word's first letter. Only letters
    whose other case is one character are slipped.
    """

    name = "case_slip"
    script_neutral = True
    params: ClassVar[dict[str, Any]] = {"first_letter": 0.6}

    def propose(self, ctx: Context, words: np.ndarray, v: np.ndarray) -> Proposal:
        s, e = _bounds(ctx, words)
        swappable = swappable_table()
        chars = ctx.chars
        first, rest = chance(v, self.first_letter)
        first &= lookup(swappable, chars[s])
        slots = Slots(s, e - s)
        has, pos, _ = slots.kth(lookup(swappable, chars[slots.pos]), rest)
        pos = np.where(first, s, pos)
        return Proposal(first | has, pos, pos + 1, lookup(swapcase_table(), chars[pos]), 1)


class Ocr(VectorOp):
    """A shape confusion of OCR (rn -> m, cl -> d, 0 -> O, fi -> ligature, ...).

    One occurrence of a table pattern found in the word is replaced, chosen with the
    table's weights; a word with no pattern is declined.
    """

    name = "ocr"
    script_neutral = True
    _table: ClassVar[OcrTable | None] = None

    @classmethod
    def table(cls) -> OcrTable:
        if cls._table is None:
            cls._table = OcrTable()
        return cls._table

    def propose(self, ctx: Context, words: np.ndarray, v: np.ndarray) -> Proposal:
        t = self.table()
        chars = ctx.chars
        s, e = _bounds(ctx, words)
        slots = Slots(s, e - s)
        found = chars[slots.pos]
        weight, pair = t.weights(found)
        last = slots.first + slots.counts - 1  # a pattern must end inside its word
        weight[last] -= pair[last]
        has, slot, into, _ = slots.pick(weight, v)
        found_at = np.flatnonzero(has)  # words with no pattern are declined
        slot, into = slot[found_at], into[found_at]
        pos = slots.pos[slot]
        cls = t.cls[found[slot]].astype(np.intp)
        first_w = t.single_w[:, 0][cls]
        row = np.where(into < first_w, t.single_row[:, 0][cls], t.single_row[:, 1][cls])
        two = np.flatnonzero(into >= first_w + t.single_w[:, 1][cls])  # past the one-character rows
        if two.size:
            after = t.cls[chars[np.minimum(pos[two] + 1, chars.size - 1)]]
            row[two] = t.pair_row.ravel()[cls[two] * t.pair_row.shape[1] + after]
        ok = np.ones(found_at.size, dtype=bool)
        return Proposal(ok, pos, pos + t.src_len[row], t.dst[row], t.dst_len[row], index=found_at)


class ShiftSlip(VectorOp):
    """Shift held too long or let go too early.

    Either the first two letters of a capitalised word both come out capitalised ("THe",
    "KRemlin"), or a digit or punctuation key gives its other character: inside the word
    ("30-day" -> "3)-day", "don't" -> 'don"t') or right beside it ("said," -> "said<",
    "(Reuters" -> "9Reuters", "court." -> "court>"). ``symbol`` is the chance of the
    second kind when a word allows both. The case of a single letter ("i'm", "tHe") is
    ``case_slip``'s. Only ASCII letters are doubled capitals.
    """

    name = "shift_slip"
    script_neutral = True
    params: ClassVar[dict[str, Any]] = {"symbol": 0.5}

    def eligible(self, ctx: Context) -> np.ndarray:
        chars = ctx.chars
        n = chars.size
        s, e = ctx.word_starts, ctx.word_ends
        if not n:
            return np.zeros(ctx.n, dtype=bool)
        shiftable = lookup(SHIFTABLE, chars)
        two_caps = (e - s >= 2) & lookup(ASCII_UPPER, chars[s]) & lookup(ASCII_LOWER, chars[np.minimum(s + 1, n - 1)])
        after = (e < n) & shiftable[np.minimum(e, n - 1)]
        before = (s > 0) & shiftable[np.maximum(s - 1, 0)]
        counts = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(lookup(IN_WORD_SHIFT, chars).view(np.uint8), dtype=np.int32, out=counts[1:])
        return two_caps | after | before | (counts[e] > counts[s])

    def propose(self, ctx: Context, words: np.ndarray, v: np.ndarray) -> Proposal:
        s, e = _bounds(ctx, words)
        chars = ctx.chars
        n = chars.size
        bounds = ctx.span_bounds
        sent = np.searchsorted(bounds[:, 0], s, side="right") - 1
        lo, hi = bounds[sent, 0], bounds[sent, 1]
        after = (e < hi) & (lookup(SHIFTED, chars[np.minimum(e, n - 1)]) != 0)
        before = (s > lo) & (lookup(SHIFTED, chars[np.maximum(s - 1, 0)]) != 0)
        slots = Slots(s, e - s)
        run, first, inside = slots.totals(lookup(IN_WORD_SHIFT, chars[slots.pos]).astype(np.int32))
        symbols = inside + after + before  # in this order: inside the word, after it, before it
        two_caps = (e - s >= 2) & lookup(ASCII_UPPER, chars[s]) & lookup(ASCII_LOWER, chars[np.minimum(s + 1, n - 1)])
        hit, rest = chance(v, self.symbol)
        use_symbol = (symbols > 0) & (~two_caps | hit)
        k, _ = split(np.where(two_caps, rest, v), symbols)
        in_word = slots.pos[slots.locate(run, first + k)]
        pos = np.where(k < inside, in_word, np.where((k == inside) & after, e, s - 1))
        pos = np.where(use_symbol, pos, s + 1)
        code = chars[np.minimum(pos, n - 1)]
        new = np.where(use_symbol, lookup(SHIFTED, code), code.astype(np.uint32) - 32)
        mark = np.where(use_symbol & ((pos < s) | (pos >= e)), pos, -1)
        return Proposal(use_symbol | two_caps, pos, pos + 1, new, 1, mark=mark)


class SpaceInsert(VectorOp):
    """A word broken in two by a space ("neg otiations", "Krem lin"), between two letters
    or digits; with ``protect_names`` no name is broken."""

    name = "space_insert"
    script_neutral = True
    min_len = 3

    def propose(self, ctx: Context, words: np.ndarray, v: np.ndarray) -> Proposal:
        s, e = _bounds(ctx, words)
        slots = Slots(s, e - s - 1)  # each slot: a character and the next
        alnum = lookup(alnum_table(), ctx.chars[slots.pos])
        nxt = lookup(alnum_table(), ctx.chars[slots.pos + 1])
        has, pos, _ = slots.kth(alnum & nxt, v)
        pos += 1
        return Proposal(has, pos, pos, np.full(pos.size, 32, dtype=np.uint32), 1)

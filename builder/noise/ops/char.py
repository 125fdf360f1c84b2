"""Character-level noise inside one word: typing slips and OCR confusions.

Each edit covers only the characters it changes, so the recorded ``before``/``after``
is the slip itself (an OCR edit is exactly one table entry).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any, ClassVar

import numpy as np

from builder.edits import Edit
from builder.noise.ops.base import Context, NoiseOp, pick
from builder.noise.ops.shared import claim
from builder.noise.ops.tables import KEYBOARD, OCR, SHIFT_PAIRS


def _slip(c: str, u: float) -> str | None:
    """A keyboard neighbour of ``c`` in ``c``'s case, or None if ``c`` is not on the table."""
    near = KEYBOARD.get(c.lower())
    if not near:
        return None
    r = pick(near, u)
    return r.upper() if c.isupper() else r


class Keyboard(NoiseOp):
    """Hit a neighbouring key instead of the right one (case kept)."""

    name = "keyboard"

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        w = ctx.word(i)
        pos = [k for k, c in enumerate(w) if c.lower() in KEYBOARD]
        if not pos:
            return None
        k = pick(pos, u[0])
        r = _slip(w[k], u[1])
        s = ctx.starts[i] + k
        return Edit(self.name, s, s + 1, w[k], r) if r else None


class CharInsert(NoiseOp):
    """Hit a neighbouring key as well as the right one: a stray letter after it.

    ``repeat`` is the chance the stray letter is the same key pressed twice.
    """

    name = "char_insert"
    params: ClassVar[dict[str, Any]] = {"repeat": 0.0}
    draws = 3

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        w = ctx.word(i)
        k = pick(range(len(w)), u[0])
        c = w[k]
        r = c if u[2] < self.repeat else _slip(c, u[1])
        if not r:
            return None
        s = ctx.starts[i] + k + 1
        return Edit(self.name, s, s, "", r)


class CharDelete(NoiseOp):
    """A letter left out (never the whole word: that is ``word_drop``)."""

    name = "char_delete"
    min_len = 2

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        w = ctx.word(i)
        k = pick(range(len(w)), u[0])
        s = ctx.starts[i] + k
        return Edit(self.name, s, s + 1, w[k], "")


class CharTranspose(NoiseOp):
    """Two adjacent letters typed in the wrong order."""

    name = "char_transpose"
    min_len = 2

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        w = ctx.word(i)
        pos = [k for k in range(len(w) - 1) if w[k] != w[k + 1]]
        if not pos:
            return None
        k = pick(pos, u[0])
        s = ctx.starts[i] + k
        return Edit(self.name, s, s + 2, w[k : k + 2], w[k + 1] + w[k])


class CaseSlip(NoiseOp):
    """Shift held or missed: one letter, most often the first, in the wrong case.

    ``first_letter`` is the chance the slip hits the word's first letter.
    """

    name = "case_slip"
    params: ClassVar[dict[str, Any]] = {"first_letter": 0.6}

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        w = ctx.word(i)
        if u[0] < self.first_letter and w[0].swapcase() != w[0]:
            k = 0
        else:
            pos = [k for k, c in enumerate(w) if c.swapcase() != c]
            if not pos:
                return None
            k = pick(pos, u[1])
        s = ctx.starts[i] + k
        return Edit(self.name, s, s + 1, w[k], w[k].swapcase())


class Ocr(NoiseOp):
    """A shape confusion of OCR (rn -> m, cl -> d, 0 -> O, fi -> ligature, ...).

    One occurrence of a table pattern found in the word is replaced, chosen with the
    table's weights; a word with no pattern is declined.
    """

    name = "ocr"

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        w = ctx.word(i)
        found: list[tuple[int, int]] = []  # (table row, position in word)
        cum: list[float] = []
        total = 0.0
        for row, (src, _, weight) in enumerate(OCR):
            k = w.find(src)
            while k >= 0:
                found.append((row, k))
                total += weight
                cum.append(total)
                k = w.find(src, k + 1)
        if not found:
            return None
        row, k = found[min(bisect_right(cum, u[0] * total), len(found) - 1)]
        src, dst, _ = OCR[row]
        s = ctx.starts[i] + k
        return Edit(self.name, s, s + len(src), src, dst)


#: By character code (128: any non-ASCII character): has a shifted twin; is a digit or
#: the straight apostrophe (the characters inside a word that have one).
_SHIFTABLE = np.zeros(129, dtype=bool)
_SHIFTABLE[[ord(c) for c in SHIFT_PAIRS]] = True
_IN_WORD_SHIFT = frozenset("0123456789'")
_IN_WORD = np.zeros(129, dtype=bool)
_IN_WORD[[ord(c) for c in _IN_WORD_SHIFT]] = True
_UPPER = np.zeros(129, dtype=bool)
_UPPER[ord("A") : ord("Z") + 1] = True
_LOWER = np.zeros(129, dtype=bool)
_LOWER[ord("a") : ord("z") + 1] = True


class ShiftSlip(NoiseOp):
    """Shift held too long or let go too early.

    Either the first two letters of a capitalised word both come out capitalised ("THe",
    "KRemlin"), or a digit or punctuation key gives its other character: inside the word
    ("30-day" -> "3)-day", "don't" -> 'don"t') or right beside it ("said," -> "said<",
    "(Reuters" -> "9Reuters", "court." -> "court>"). ``symbol`` is the chance of the
    second kind when a word allows both. The case of a single letter ("i'm", "tHe") is
    ``case_slip``'s. Only ASCII letters are doubled capitals.
    """

    name = "shift_slip"
    params: ClassVar[dict[str, Any]] = {"symbol": 0.5}
    draws = 3

    def eligible(self, ctx: Context) -> np.ndarray:
        codes = np.minimum(ctx._chars, 128)
        starts = np.asarray(ctx.starts, dtype=np.int64)
        ends = np.asarray(ctx.ends, dtype=np.int64)
        second = np.minimum(starts + 1, codes.size - 1)
        two_caps = _UPPER[codes[starts]] & _LOWER[codes[second]] & (ends - starts >= 2)
        shiftable = _SHIFTABLE[codes]
        after = shiftable[np.minimum(ends, codes.size - 1)] & (ends < codes.size)
        before = shiftable[starts - 1] & (starts > 0)
        counts = np.zeros(codes.size + 1, dtype=np.int32)
        np.cumsum(_IN_WORD[codes], out=counts[1:])
        inside = counts[ends] > counts[starts]
        return two_caps | after | before | inside

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        w, s, e = ctx.word(i), ctx.starts[i], ctx.ends[i]
        symbols = [s + k for k, c in enumerate(w) if c in _IN_WORD_SHIFT]
        text = ctx.text
        lo, hi = ctx.span_of(i)
        if e < hi and text[e] in SHIFT_PAIRS:
            symbols.append(e)
        if s - 1 >= lo and text[s - 1] in SHIFT_PAIRS:
            symbols.append(s - 1)
        two_caps = len(w) > 1 and "A" <= w[0] <= "Z" and "a" <= w[1] <= "z"
        if symbols and (not two_caps or u[0] < self.symbol):
            pos = pick(symbols, u[1])
            if (pos < s or pos >= e) and not claim(ctx, [pos]):
                return None
            c = text[pos]
            return Edit(self.name, pos, pos + 1, c, SHIFT_PAIRS[c])
        if two_caps:
            return Edit(self.name, s + 1, s + 2, w[1], w[1].upper())
        return None


class SpaceInsert(NoiseOp):
    """A word broken in two by a space ("neg otiations", "Krem lin"), between two letters
    or digits; with ``protect_names`` no name is broken."""

    name = "space_insert"
    min_len = 3

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        w = ctx.word(i)
        pos = [k for k in range(1, len(w)) if w[k - 1].isalnum() and w[k].isalnum()]
        if not pos:
            return None
        k = pick(pos, u[0])
        s = ctx.starts[i] + k
        return Edit(self.name, s, s, "", " ")

"""Word-level noise: words lost, words out of order, words run together.

These operations touch the gap between words too, so they claim the words on both
sides (or the one space they remove) to keep every edit apart from the others.
"""

from __future__ import annotations

import numpy as np

from builder.edits import Edit
from builder.noise.ops.base import Context, NoiseOp


class WordDrop(NoiseOp):
    """A word left out, with one space beside it, so no double space remains.

    The space after the word is preferred ("A B C" -> "A C"); before punctuation the
    space before it goes ("A B, C" -> "A, C"). A word with no space beside it inside
    its sentence (e.g. "(B)") is declined.
    """

    name = "word_drop"

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        text, s, e = ctx.text, ctx.starts[i], ctx.ends[i]
        lo, hi = ctx.span_of(i)
        if e < hi and text[e] == " " and e not in ctx.taken_spaces:
            ctx.taken_spaces.add(e)
            return Edit(self.name, s, e + 1, text[s : e + 1], "")
        if s - 1 >= lo and text[s - 1] == " " and s - 1 not in ctx.taken_spaces:
            ctx.taken_spaces.add(s - 1)
            return Edit(self.name, s - 1, e, text[s - 1 : e], "")
        return None


class WordSwap(NoiseOp):
    """A word and the next word of the same sentence in swapped order ("A B" -> "B A").

    Only across plain whitespace, so punctuation stays where it was.
    """

    name = "word_swap"
    draws = 1

    def eligible(self, ctx: Context) -> np.ndarray:
        return ctx.has_next

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        if not ctx.free(i + 1):
            return None
        text, s, e = ctx.text, ctx.starts[i], ctx.ends[i + 1]
        a, gap, b = ctx.word(i), text[ctx.ends[i] : ctx.starts[i + 1]], ctx.word(i + 1)
        if not gap.isspace() or a == b:
            return None
        ctx.taken[i + 1] = True
        return Edit(self.name, s, e, text[s:e], b + gap + a)


class SpaceDrop(NoiseOp):
    """A word run into the next one: the single space between them deleted."""

    name = "space_drop"
    draws = 1

    def eligible(self, ctx: Context) -> np.ndarray:
        return ctx.has_next

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        e = ctx.ends[i]
        if ctx.starts[i + 1] != e + 1 or ctx.text[e] != " " or e in ctx.taken_spaces:
            return None
        if not ctx.free(i + 1):
            return None
        ctx.taken[i + 1] = True
        ctx.taken_spaces.add(e)
        return Edit(self.name, e, e + 1, " ", "")

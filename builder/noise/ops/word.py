"""Word-level noise: words lost, words out of order, words run together.

These operations touch the gap between words too, so they claim the words on both
sides (or the one space they remove) to keep every edit apart from the others.

``word_drop``, ``word_swap`` and ``space_drop`` are script-neutral: a word is a run of
word characters in any script and no list says which. The function-word operations and
``phrase_duplicate`` (its echo looks for English verbs of saying) use English lists.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import numpy as np

from builder.core.edits import Edit
from builder.noise.ops import fluent
from builder.noise.ops.base import Context, NoiseOp, Proposal, VectorOp
from builder.noise.ops.shared import WordTable
from builder.noise.ops.tables import DETERMINERS, ECHO_VERBS, FUNCTION_WORDS, PREPOSITIONS, SAYING_VERBS


class WordDrop(NoiseOp):
    """A word left out, with one space beside it, so no double space remains.

    The space after the word is preferred ("A B C" -> "A C"); before punctuation the
    space before it goes ("A B, C" -> "A, C"). A word with no space beside it inside
    its sentence (e.g. "(B)") is declined.
    """

    name = "word_drop"
    script_neutral = True

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        if not fluent.alone(ctx, i) or not fluent.fits(ctx, (fluent.before(ctx, i), fluent.after(ctx, i))):
            return None
        text, s, e = ctx.text, ctx.starts[i], ctx.ends[i]
        lo, hi = ctx.span_of(i)
        if e < hi and text[e] == " " and e not in ctx.taken_spaces:
            ctx.taken_spaces.add(e)
            fluent.dropped(ctx, i)
            return Edit(self.name, s, e + 1, text[s : e + 1], "")
        if s - 1 >= lo and text[s - 1] == " " and s - 1 not in ctx.taken_spaces:
            ctx.taken_spaces.add(s - 1)
            fluent.dropped(ctx, i)
            return Edit(self.name, s - 1, e, text[s - 1 : e], "")
        return None


class WordSwap(NoiseOp):
    """A word and the next word of the same sentence in swapped order ("A B" -> "B A").

    Only across plain whitespace, so punctuation stays where it was.
    """

    name = "word_swap"
    script_neutral = True
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
        if not fluent.alone(ctx, i, after=False) or not fluent.alone(ctx, i + 1, before=False):
            return None
        if not fluent.fits(ctx, (fluent.before(ctx, i), b.casefold(), a.casefold(), fluent.after(ctx, i + 1))):
            return None
        ctx.taken[i + 1] = True
        fluent.replaced(ctx, i, b)
        fluent.replaced(ctx, i + 1, a)
        return Edit(self.name, s, e, text[s:e], b + gap + a)


class SpaceDrop(VectorOp):
    """A word run into the next one: the single space between them deleted."""

    name = "space_drop"
    script_neutral = True

    def eligible(self, ctx: Context) -> np.ndarray:
        return ctx.has_next

    def propose(self, ctx: Context, words: np.ndarray, v: np.ndarray) -> Proposal:
        nxt = np.minimum(words + 1, ctx.n - 1)
        e = ctx.word_ends[words]
        ok = ctx.has_next[words] & (ctx.word_starts[nxt] == e + 1)
        ok &= ctx.chars[np.minimum(e, ctx.chars.size - 1)] == 32
        none = np.zeros((e.size, 2), dtype=np.uint32)
        return Proposal(ok, e, e + 1, none, 0, extra=np.where(ok, words + 1, -1), space=e)


_FUNCTION = WordTable(FUNCTION_WORDS)
_NOT_BEFORE_INSERT = WordTable(FUNCTION_WORDS | DETERMINERS | {"not", "no"})
#: After these an article may be added ("in the Kursk"); "to" is left out, as it is
#: mostly the infinitive marker ("to the return"), and "near", mostly an adjective in news
#: ("in the near future").
_ARTICLE_AFTER = WordTable(PREPOSITIONS - {"to", "near"})
_THAT_AFTER = WordTable(SAYING_VERBS)
_ECHO_VERBS = WordTable(ECHO_VERBS)
_SENTENCE_END = re.compile(r"[.!?]?")


def _shifted(mask: np.ndarray) -> np.ndarray:
    """``mask`` of the previous word, for every word (False for the first word)."""
    out = np.zeros_like(mask)
    out[1:] = mask[:-1]
    return out


class FunctionWordDrop(WordDrop):
    """A function word (article, preposition, auxiliary, pronoun, conjunction) left out,
    as machine translation does ("in the Kursk region" -> "in Kursk region").

    Removed with one space beside it, like ``word_drop``. At the start of a sentence the
    next word takes the capital ("The minister said" -> "Minister said"), or, before a
    name or a number, only "The " goes ("The Kremlin said" -> "Kremlin said").
    All-caps words are left alone ("US" is not "us").
    """

    name = "function_word_drop"
    script_neutral = False  # not word_drop's: English function words

    def eligible(self, ctx: Context) -> np.ndarray:
        caps = ctx._shape[2]
        return _FUNCTION.mask(ctx) & ~caps & (~ctx.is_name | ctx.initial)

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        if not (ctx.initial[i] and ctx.capitalised[i]):
            return super().edit(ctx, i, u)
        if not fluent.alone(ctx, i) or not fluent.fits(ctx, (fluent.before(ctx, i), fluent.after(ctx, i))):
            return None
        text, s, e = ctx.text, ctx.starts[i], ctx.ends[i]
        if not ctx.has_next[i] or ctx.starts[i + 1] != e + 1 or text[e] != " " or e in ctx.taken_spaces:
            return None
        j = i + 1
        nxt = ctx.word(j)
        if not nxt[0].islower():  # a name or a number follows: it keeps its own case
            ctx.taken_spaces.add(e)
            fluent.dropped(ctx, i)
            return Edit(self.name, s, e + 1, text[s : e + 1], "")
        if not ctx.free(j):
            return None
        ctx.taken[j] = True
        ctx.taken_spaces.add(e)
        fluent.dropped(ctx, i)
        return Edit(self.name, s, ctx.ends[j], text[s : ctx.ends[j]], nxt[0].upper() + nxt[1:])


class FunctionWordInsert(NoiseOp):
    """A function word added before a word, where translation adds one: an article after
    a preposition ("in Kursk" -> "in the Kursk", "for months" -> "for the months") or
    "that" after a verb of saying ("said on Wednesday" -> "said that on Wednesday").

    ``indefinite`` is the chance the article is "a"/"an" rather than "the" (never before
    a name or a word ending in "s", which is likely a plural).
    """

    name = "function_word_insert"
    params: ClassVar[dict[str, Any]] = {"indefinite": 0.25}
    draws = 1

    def eligible(self, ctx: Context) -> np.ndarray:
        if ctx.n < 2:
            return np.zeros(ctx.n, dtype=bool)
        after = _shifted(_ARTICLE_AFTER.mask(ctx)) | _shifted(_THAT_AFTER.mask(ctx))
        return after & ~ctx.first & ~_NOT_BEFORE_INSERT.mask(ctx)

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        s = ctx.starts[i]
        if ctx.text[ctx.ends[i - 1] : s] != " ":
            return None
        w = ctx.word(i)
        if ctx.word(i - 1).lower() in SAYING_VERBS:
            word = "that"
        elif u[0] < self.indefinite and w[0].islower() and not w.endswith("s"):
            word = "an" if w[0] in "aeiouAEIOU" else "a"
        else:
            word = "the"
        if not fluent.alone(ctx, i) or not fluent.free_gap(ctx, i - 1):
            return None
        if not fluent.fits(ctx, (fluent.current(ctx, i - 1), word, fluent.current(ctx, i))):
            return None
        fluent.added(ctx, i - 1, word)
        return Edit(self.name, s, s, "", word + " ")


class PhraseDuplicate(NoiseOp):
    """A phrase said twice, as translation systems repeat themselves.

    From the first word of a sentence opening with a speaker ("Kremlin spokesman Dmitry
    Peskov said on Wednesday that ... statement."), with chance ``echo``, the subject and
    its verb come again before the final stop ("... statement, Kremlin spokesman Dmitry
    Peskov said."). Otherwise 1 to ``max_words`` words are repeated in place ("the the",
    "in the in the"). The repeated words are taken, so the copy matches the text.
    """

    name = "phrase_duplicate"
    params: ClassVar[dict[str, Any]] = {"echo": 0.5, "max_words": 3}

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        if ctx.first[i] and u[0] < self.echo:
            made = self._echo(ctx, i)
            if made is not None:
                return made
        return self._repeat(ctx, i, u[1])

    def _plain_run(self, ctx: Context, i: int, n: int) -> int:
        """How many of the words i, i+1, ... (up to n) follow each other with one space
        between them inside one sentence and are free."""
        k = 1
        while k < n and ctx.has_next[i + k - 1] and ctx.free(i + k):
            if ctx.text[ctx.ends[i + k - 1] : ctx.starts[i + k]] != " ":
                break
            k += 1
        return k

    def _echo(self, ctx: Context, i: int) -> Edit | None:
        run = self._plain_run(ctx, i, 5)
        verbs = np.flatnonzero(_ECHO_VERBS.mask(ctx)[i + 1 : i + run]).tolist()
        if not verbs:
            return None
        k = i + 1 + verbs[0]  # the verb
        hi = ctx.span_of(i)[1]
        j = k + 1
        while j + 1 < ctx.n and ctx.sent[j + 1] == ctx.sent[i]:
            j += 1
        if j >= ctx.n or ctx.sent[j] != ctx.sent[i] or j <= k + 1:
            return None
        if not _SENTENCE_END.fullmatch(ctx.text, ctx.ends[j], hi) or not ctx.free(j):
            return None
        phrase = ctx.text[ctx.starts[i] : ctx.ends[k]]
        if ctx.word(i) in _FUNCTION:
            phrase = phrase[0].lower() + phrase[1:]
        ctx.taken[i : k + 1] = True
        ctx.taken[j] = True
        pos = ctx.ends[j]
        return Edit(self.name, pos, pos, "", ", " + phrase)

    def _repeat(self, ctx: Context, i: int, u: float) -> Edit | None:
        n = self._plain_run(ctx, i, 1 + min(int(u * self.max_words), self.max_words - 1))
        last = i + n - 1
        phrase = ctx.text[ctx.starts[i] : ctx.ends[last]]
        if ctx.initial[i] and ctx.word(i) in _FUNCTION:
            phrase = phrase[0].lower() + phrase[1:]
        ctx.taken[i : last + 1] = True
        pos = ctx.ends[last]
        return Edit(self.name, pos, pos, "", " " + phrase)

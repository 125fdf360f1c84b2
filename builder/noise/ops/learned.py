"""Table-driven word noise: replacements and insertions drawn from observed pairs.

These are the operations a noise profile needs for what real garbling does and no
rule describes: a machine translation choosing another word, or adding one. Their
tables come from the profile (``builder.profile``), estimated from real aligned
pairs; the defaults are small hand-written tables (``builder/resources/noise/``) so the
operations also work in a plain recipe.

A table row is ``[before, after]``, ``[before, after, count]`` or
``[before, after, count, seen]``: ``count`` is how often ``before`` became ``after``,
and ``seen`` how often ``before`` occurred in the clean text the table came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from builder.core.edits import Edit
from builder.core.resources import ResourceError, read_list, read_table
from builder.noise.ops import fluent
from builder.noise.ops.base import Context, NoiseOp

Row = tuple[str, str, float, float]

#: Round-trip translation picks a near-synonym: clean word -> what comes back.
NEAR_SYNONYMS: tuple[tuple[str, str], ...] = read_table("noise/near_synonyms.tsv", str, str)
#: Function words translation systems confuse: prepositions, articles and determiners.
#: These are most of the word substitutions in real MT output (a/the, of/to/in, in/on).
FUNCTION_CONFUSIONS: tuple[tuple[str, str], ...] = read_table("noise/function_word_confusions.tsv", str, str)
#: What ``word_substitute`` draws from when its recipe gives no table.
DEFAULT_SUBSTITUTIONS: tuple[tuple[str, str], ...] = NEAR_SYNONYMS + FUNCTION_CONFUSIONS
#: Words round-trip translation adds where the original had none.
DEFAULT_INSERTIONS: tuple[str, ...] = read_list("noise/word_insertions.txt")


def _rows(value: Any, op: str) -> tuple[Row, ...]:
    """A table parameter as rows of (before, after, count, seen); ``seen`` 0 when not given.
    A string names a table file: four tab-separated columns, under ``builder/resources``
    or an absolute path."""
    if isinstance(value, str):
        try:
            return tuple(read_table(value, str, str, float, float))
        except ResourceError as e:
            raise ValueError(f"noise op {op!r}: table {e}") from None
    if not isinstance(value, list | tuple):
        raise ValueError(f"noise op {op!r}: parameter table should be a list of rows, not {type(value).__name__}")
    out: list[Row] = []
    for k, row in enumerate(value):
        if isinstance(row, str):
            row = ("", row)
        ok = isinstance(row, list | tuple) and 2 <= len(row) <= 4
        ok = ok and isinstance(row[0], str) and isinstance(row[1], str)
        ok = ok and all(isinstance(x, int | float) and x >= 0 for x in row[2:])
        if not ok:
            raise ValueError(f"noise op {op!r}: table row {k} {row!r} is not [before, after, count?, seen?]")
        count = float(row[2]) if len(row) > 2 else 1.0
        seen = float(row[3]) if len(row) > 3 else 0.0
        out.append((row[0], row[1], count, seen))
    return tuple(out)


def _recase(word: str, new: str) -> str:
    """``new`` in the case pattern of the word it replaces (Said -> Stated, NATO stays
    caps, the -> this even where the table learned "This" at a sentence start)."""
    if len(word) > 1 and word.isupper():
        return new.upper()
    if word[:1].isupper():
        return new[:1].upper() + new[1:]
    if word[:1].islower() and new[:1].isupper() and new[1:] == new[1:].lower():
        return new.lower()
    return new


class _TableOp(NoiseOp):
    """An operation whose ``table`` parameter is a list of rows (frozen, so it hashes)."""

    params: ClassVar[dict[str, Any]] = {"table": ()}
    default_table: ClassVar[tuple] = ()

    def _coerce(self, key: str, value: Any, default: Any) -> Any:
        if key == "table":
            return _rows(value if value else self.default_table, self.name)
        return super()._coerce(key, value, default)


class WordSubstitute(_TableOp):
    """A word replaced by another, as a translation choosing a different word does.

    Only words in the table (compared in lower case) are eligible; the replacement is
    drawn by ``count`` and takes the word's capitalisation. When rows carry ``seen``,
    each word is picked in proportion to how often it really was replaced
    (``count / seen``), and the operation's probability is the mean over the table's
    words: so "the" is not replaced as often as a rare word just because both appear.
    """

    name = "word_substitute"
    draws = 1
    shared_draw = False  # each word's chance is scaled by its own odds
    default_table = DEFAULT_SUBSTITUTIONS

    def __init__(self, **params: Any):
        super().__init__(**params)
        choices: dict[str, tuple[list[str], list[float]]] = {}
        counts: dict[str, float] = {}
        seen: dict[str, float] = {}
        for before, after, count, n_seen in self.table:
            key = before.lower()
            if not key or after.lower() == key or count <= 0:
                continue
            afters, weights = choices.setdefault(key, ([], []))
            afters.append(after)
            weights.append(count)
            counts[key] = counts.get(key, 0.0) + count
            seen[key] = max(seen.get(key, 0.0), n_seen)
        self._choices = choices
        self._odds = self._relative_odds(counts, seen)

    @staticmethod
    def _relative_odds(counts: dict[str, float], seen: dict[str, float]) -> dict[str, float]:
        """count/seen per word (smoothed), over its mean across the words' occurrences."""
        if not counts or not all(seen.get(k, 0) > 0 for k in counts):
            return dict.fromkeys(counts, 1.0)
        rate = {k: counts[k] / (seen[k] + 1.0) for k in counts}
        total_seen = sum(seen.values())
        mean = sum(rate[k] * seen[k] for k in counts) / total_seen
        return {k: rate[k] / mean for k in counts} if mean > 0 else dict.fromkeys(counts, 1.0)

    def _keys(self, ctx: Context) -> list[str]:
        memo = ctx.memo.setdefault("lower_words", {})
        if "all" not in memo:
            memo["all"] = [ctx.word(i).lower() for i in range(ctx.n)]
        return memo["all"]

    def eligible(self, ctx: Context) -> np.ndarray:
        return np.fromiter((k in self._choices for k in self._keys(ctx)), dtype=bool, count=ctx.n)

    def select(self, ctx: Context, p: float, salt: int) -> tuple[np.ndarray, np.ndarray]:
        """Like ``NoiseOp.select``, with each word's chance scaled by its odds."""
        if p <= 0 or ctx.n == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        candidates = np.flatnonzero(self.eligible(ctx) & ctx.editable)
        keys = self._keys(ctx)
        odds = np.array([self._odds[keys[i]] for i in candidates.tolist()])
        if ctx.weights is not None:
            odds = odds * ctx.weights[candidates]
        chance = np.minimum(1.0, p * odds)
        u = ctx.uniforms(salt, 0, candidates)
        hit = u < chance
        return candidates[hit], u[hit] / chance[hit]

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        word = ctx.word(i)
        found = self._choices.get(word.lower())
        if not found:
            return None
        afters, counts = found
        if not fluent.alone(ctx, i):
            return None
        k = fluent.choose(ctx, fluent.before(ctx, i), fluent.after(ctx, i), afters, counts, u[0], word)
        if k < 0:
            return None
        new = _recase(word, afters[k])
        if new == word or self._doubles(ctx, i, new.lower()):
            return None
        fluent.replaced(ctx, i, new)
        return Edit(self.name, ctx.starts[i], ctx.ends[i], word, new)

    @staticmethod
    def _doubles(ctx: Context, i: int, new: str) -> bool:
        """Whether ``new`` would repeat a neighbour ("that the" -> "the the"): that reads as
        an echo, and is categorised as one, not as a word chosen differently."""
        words = new.split()
        if not words:  # a table row may map a word to nothing
            return False
        if i > 0 and ctx.word(i - 1).lower() == words[0]:
            return True
        return i + 1 < ctx.n and ctx.word(i + 1).lower() == words[-1]


class WordInsert(_TableOp):
    """A word added after a word, drawn from the table's ``after`` column by ``count``.

    Only inside a sentence (the word has a next word, after a plain space), so the new
    word never lands after the final full stop or at a paragraph break.
    """

    name = "word_insert"
    draws = 1
    default_table = DEFAULT_INSERTIONS

    def __init__(self, **params: Any):
        super().__init__(**params)
        words: list[str] = []
        counts: list[float] = []
        for _, after, count, _ in self.table:
            if after.strip() and count > 0:
                words.append(after.strip())
                counts.append(count)
        self._words: Sequence[str] = words
        self._counts: Sequence[float] = counts

    def eligible(self, ctx: Context) -> np.ndarray:
        if not self._words:
            return np.zeros(ctx.n, dtype=bool)
        return ctx.has_next

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        e = ctx.ends[i]
        if ctx.text[e] != " " or ctx.starts[i + 1] != e + 1:
            return None
        if not fluent.alone(ctx, i, before=False) or not fluent.free_gap(ctx, i):
            return None
        after = fluent.after(ctx, i)
        k = fluent.choose(ctx, fluent.current(ctx, i), after, self._words, self._counts, u[0], "")
        if k < 0:
            return None
        fluent.added(ctx, i, self._words[k])
        return Edit(self.name, e, e, "", " " + self._words[k])

"""Helpers for the table-driven operations: word lookups in whole-array passes, claims on
the punctuation between words, and operations that make several edits at once.

Table lookups: every word of a document gets a 64-bit key (its length and its first
``KEY_CHARS`` characters, case-folded, six bits each) in a few array operations, so
"which words are in this table" is one sorted search, not a Python loop over words.
Only words longer than ``KEY_CHARS`` that hit a key are checked again as strings.

Claims: ``Context.taken`` covers words and ``Context.taken_spaces`` the spaces some
operations delete. Operations that edit a quote, dash or comma between words also
claim that character here, so two of them never touch it, and each also takes the
word it is anchored to, so no other operation inserts text at the same point.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from typing import ClassVar

import numpy as np

from builder.core.edits import Edit
from builder.noise.ops.base import Context, NoiseOp, claimed, draw_rows

KEY_CHARS = 10
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789'"
_OTHER = 63  # any character outside the alphabet: never in a table
_LUT = np.full(128, _OTHER, dtype=np.uint64)
for _k, _c in enumerate(_ALPHABET, start=1):
    _LUT[ord(_c)] = _k
    _LUT[ord(_c.upper())] = _k
_CURLY_APOSTROPHE = 0x2019
_SHIFTS = np.arange(KEY_CHARS, dtype=np.uint64) * np.uint64(6)


def word_key(word: str) -> int:
    """The key of one word, as ``word_keys`` computes it for every word of a document."""
    key = min(len(word), 15) << 60
    for k, c in enumerate(word[:KEY_CHARS]):
        code = ord(c)
        v = int(_LUT[code]) if code < 128 else (37 if code == _CURLY_APOSTROPHE else _OTHER)
        key |= v << (6 * k)
    return key


def word_keys(ctx: Context) -> np.ndarray:
    """Per word of ``ctx``, its lookup key (computed once per document)."""
    keys = ctx.memo.get("word_keys")
    if keys is not None:
        return keys
    if ctx.n == 0:
        keys = np.zeros(0, dtype=np.uint64)
    else:
        chars = ctx._chars
        starts = np.asarray(ctx.starts, dtype=np.int64)
        lengths = ctx.lengths
        offsets = np.arange(KEY_CHARS, dtype=np.int64)
        inside = offsets[None, :] < lengths[:, None]
        idx = np.where(inside, starts[:, None] + offsets[None, :], 0)
        c = chars[idx]
        v = np.where(c < 128, _LUT[np.minimum(c, 127)], np.where(c == _CURLY_APOSTROPHE, 37, _OTHER))
        v = np.where(inside, v.astype(np.uint64), np.uint64(0))
        keys = np.bitwise_or.reduce(v << _SHIFTS[None, :], axis=1)
        keys |= np.minimum(lengths, 15).astype(np.uint64) << np.uint64(60)
    ctx.memo["word_keys"] = keys
    return keys


class _Vocabulary:
    """The union of all word tables: one sorted search per document serves every table."""

    def __init__(self) -> None:
        self.tables: list[WordTable] = []
        self.keys: np.ndarray | None = None

    def register(self, table: WordTable) -> None:
        self.tables.append(table)
        self.keys = None  # rebuilt on next use

    def _build(self) -> np.ndarray:
        keys = np.unique(np.concatenate([t.keys for t in self.tables]))
        for t in self.tables:
            t.member = np.isin(keys, t.keys)
        self.keys = keys
        return keys

    def lookup(self, ctx: Context) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(union keys, per word: found in the union, position in the union)."""
        keys = self.keys if self.keys is not None else self._build()
        cached = ctx.memo.get("vocabulary")
        if cached is not None and cached[0] is keys:
            return cached
        words = word_keys(ctx)
        pos = np.minimum(np.searchsorted(keys, words), keys.size - 1)
        found = (keys[pos] == words) if words.size else np.zeros(0, dtype=bool)
        ctx.memo["vocabulary"] = (keys, found, pos)
        return keys, found, pos


_VOCABULARY = _Vocabulary()


class WordTable:
    """A set of lower-case words, looked up for all words of a document at once."""

    def __init__(self, words: Iterable[str]):
        self.words = frozenset(w.lower() for w in words)
        bad = sorted(w for w in self.words if not w or any(c not in _ALPHABET for c in w))
        if bad:
            raise ValueError(f"word table entries must be single words of {_ALPHABET!r}: {bad[:5]}")
        self.keys = np.array(sorted({word_key(w) for w in self.words}), dtype=np.uint64)
        self.member = np.zeros(0, dtype=bool)
        _VOCABULARY.register(self)

    def __contains__(self, word: str) -> bool:
        return word.lower() in self.words

    def mask(self, ctx: Context) -> np.ndarray:
        """True for the words of ``ctx`` that are in the table (any case); once per document."""
        memo_key = f"table:{id(self)}"
        cached = ctx.memo.get(memo_key)
        if cached is not None:
            return cached
        hit = self._mask(ctx)
        ctx.memo[memo_key] = hit
        return hit

    def _mask(self, ctx: Context) -> np.ndarray:
        if ctx.n == 0 or self.keys.size == 0:
            return np.zeros(ctx.n, dtype=bool)
        _, found, pos = _VOCABULARY.lookup(ctx)
        hit = found & self.member[pos]
        long = np.flatnonzero(hit & (ctx.lengths > KEY_CHARS))
        for i in long.tolist():
            hit[i] = ctx.word(i).lower() in self.words
        return hit


def recase(source: str, target: str) -> str:
    """``target`` in the case pattern of ``source``: UNITS -> LAYERS, Units -> Layers."""
    if not target or not source:
        return target
    if len(source) > 1 and source.isupper():
        return target.upper()
    if source[0].isupper():
        return target[0].upper() + target[1:]
    return target


def claim(ctx: Context, positions: Iterable[int]) -> bool:
    """Claim the characters at ``positions`` for one edit; False (and nothing claimed)
    if any of them is claimed already."""
    positions = list(positions)
    taken = claimed(ctx)
    if any(p in taken for p in positions):
        return False
    taken.update(positions)
    return True


def span_index(ctx: Context, start: int, end: int) -> int:
    """The sentence span holding ``[start, end)`` (an insertion when equal), or -1."""
    k = ctx.memo.get("span_starts")
    if k is None:
        k = ctx.memo["span_starts"] = [s for s, _ in ctx.spans]
    j = bisect_right(k, start) - 1
    if j < 0:
        return -1
    s, e = ctx.spans[j]
    if start == end:
        return j if s <= start <= e else -1
    return j if s <= start and end <= e else -1


def word_at(ctx: Context, pos: int) -> int:
    """The index of the word starting at ``pos``, or -1."""
    starts = ctx.starts
    i = bisect_right(starts, pos) - 1
    return i if i >= 0 and starts[i] == pos else -1


def word_ending_at(ctx: Context, pos: int) -> int:
    """The index of the word ending at ``pos``, or -1."""
    i = bisect_right(ctx.starts, pos - 1) - 1
    return i if i >= 0 and ctx.ends[i] == pos else -1


def words_between(ctx: Context, start: int, end: int) -> range:
    """Indices of the words lying in ``[start, end)``."""
    return range(bisect_right(ctx.starts, start - 1), bisect_right(ctx.starts, end - 1))


class MultiEditOp(NoiseOp):
    """An operation whose change of one picked word may be several edits (a pair of
    quotes, a phrase and its echo). ``edit`` returns a list of edits or None."""

    name: ClassVar[str] = ""

    def edit(self, ctx: Context, i: int, u: list[float]) -> list[Edit] | None:  # type: ignore[override]  # pragma: no cover
        raise NotImplementedError

    def edits_for(self, ctx: Context, words: np.ndarray, v: np.ndarray, salt: int) -> list[Edit]:
        if not len(words):
            return []
        words = words[self.eligible(ctx)[words] & ctx.editable[words]]
        draws = draw_rows(ctx, salt, words, self.draws)
        taken = ctx.taken
        edits: list[Edit] = []
        for i, u in zip(words.tolist(), draws, strict=True):
            if taken[i]:
                continue
            made = self.edit(ctx, i, u)
            if made:
                taken[i] = True
                edits += made
        return edits

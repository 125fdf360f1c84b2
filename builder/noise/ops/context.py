"""The context all garbling operations share: one document, or a batch of documents
joined into one text.

Words are found once per batch, inside the sentence spans only, in a few passes over the
text's code points; case and position flags are whole-array computations too, so
operations pay per picked word, not per character of the text.

Draws are counter-based: a word's number for a purpose is one splitmix64 step, its
document's key plus (salt + counter times the golden ratio), through the finaliser. The
counter is the word's index within its document, so a document draws the same numbers
alone or in any batch, in any order and in any process.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any

import numpy as np

from builder.core.seeding import GOLDEN, MASK64, U64, fmix64, unit
from builder.noise.ops.arrays import codepoints, expand, lookup
from builder.noise.ops.tables import NOT_NAMES, OPENERS, SENTENCE_STARTERS
from builder.text.numbers import NUMBER_RE

WORD_RE = re.compile(r"\w+(?:['’]\w+)*")  # what _find_words finds, for code that needs a regex


_WORD_CHAR = np.array([chr(c).isalnum() or c == 95 for c in range(0x10000)], dtype=bool)
_SPACE = np.array([chr(c).isspace() for c in range(0x10000)], dtype=bool)
_DECIMAL = np.array([chr(c).isdecimal() for c in range(0x10000)], dtype=bool)  # what \d matches
_APOSTROPHES = (ord("'"), ord("’"))
#: Counters of one document's words are this far apart: room for 64 draws per word.
_WORD_STRIDE = (64 * GOLDEN) & MASK64


def span_array(spans: Sequence[Sequence[int]] | np.ndarray, length: int) -> np.ndarray:
    """Sentence spans as a sorted (k, 2) int64 array; ValueError if two overlap or one
    lies outside a text of ``length`` characters."""
    bounds = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    if bounds.size and np.any(bounds[1:, 0] < bounds[:-1, 0]):
        bounds = bounds[np.lexsort((bounds[:, 1], bounds[:, 0]))]
    if bounds.size:
        bad = (bounds[:, 0] > bounds[:, 1]) | (bounds[:, 1] > length) | (bounds[:, 0] < 0)
        bad[1:] |= bounds[1:, 0] < bounds[:-1, 1]
        if bad.any():
            s, e = bounds[int(np.argmax(bad))].tolist()
            raise ValueError(f"sentence span ({s}, {e}) overlaps another or lies outside the text (length {length})")
    return bounds


class Positions:
    """A set of character positions of a text, kept as one flag per character (made on
    first use), so array code can test and mark many positions at once."""

    __slots__ = ("_mask", "size")

    def __init__(self, size: int):
        self.size = size
        self._mask: np.ndarray | None = None

    @property
    def mask(self) -> np.ndarray:
        if self._mask is None:
            self._mask = np.zeros(self.size, dtype=bool)
        return self._mask

    def __contains__(self, pos: object) -> bool:
        if self._mask is None or not isinstance(pos, int | np.integer):
            return False
        return 0 <= pos < self.size and bool(self._mask[pos])

    def __bool__(self) -> bool:
        return self._mask is not None and bool(self._mask.any())

    def __len__(self) -> int:
        return 0 if self._mask is None else int(np.count_nonzero(self._mask))

    def __iter__(self):
        return iter(() if self._mask is None else np.flatnonzero(self._mask).tolist())

    def add(self, pos: int) -> None:
        self.mask[pos] = True

    def update(self, positions) -> None:
        positions = np.asarray(list(positions) if not isinstance(positions, np.ndarray) else positions, dtype=np.int64)
        if positions.size:
            self.mask[positions] = True

    def clear(self) -> None:
        self._mask = None

    def holds(self, positions: np.ndarray) -> np.ndarray:
        """Per position of ``positions`` (all inside the text): whether it is in the set."""
        if self._mask is None:
            return np.zeros(np.shape(positions), dtype=bool)
        return self._mask[positions]


class Context:
    """The words (start, end, sentence, document) of one document or of a batch of
    documents joined into one text, and what the operations have taken.

    A word is edited by at most one operation (``taken``); a space between words is
    consumed by at most one (``taken_spaces``), so edits never overlap. Random draws
    come from ``uniforms``: a counter-based hash of the document's key, the operation
    and the word's index within its document, so a document garbles the same way
    alone or in any batch, in any order, in any process.

    Everything is kept as arrays (``word_starts``, ``word_ends``, ``span_bounds``,
    ``chars``); the list views (``starts``, ``ends``, ``sent``, ``spans``) that the
    per-word operations index are made on first use.
    """

    def __init__(
        self,
        text: str,
        spans: Sequence[Sequence[int]] | np.ndarray,
        protect_names: bool = False,
        doc_starts: Sequence[int] | np.ndarray = (0,),
        doc_keys: Sequence[int] | np.ndarray = (0,),
        chars: np.ndarray | None = None,
        protect_numbers: bool = False,
    ):
        self.text = text
        self.chars = codepoints(text) if chars is None else chars
        self.span_bounds = span_array(spans, len(text))
        self.word_starts, self.word_ends = self._find_words()
        self.n = int(self.word_starts.size)
        doc_starts = np.asarray(doc_starts, dtype=np.int64)
        first = np.searchsorted(self.word_starts, doc_starts)
        per_doc = np.diff(np.append(first, self.n))
        self.doc = np.repeat(np.arange(doc_starts.size), per_doc)
        self.index_in_doc = np.arange(self.n) - np.repeat(first, per_doc)
        keys = np.asarray([int(k) & MASK64 for k in doc_keys], dtype=U64)
        #: Per word: its document's key plus its counter (index in document times 64) times
        #: the golden ratio, so a draw is this plus the operation's salt and one finaliser.
        self._base = np.repeat(keys, per_doc) + self.index_in_doc.astype(U64) * U64(_WORD_STRIDE)
        self.taken = np.zeros(self.n, dtype=bool)
        #: Spaces an edit deletes, and punctuation marks between words an edit changes.
        self.taken_spaces = Positions(len(text) + 1)
        self.claimed = Positions(len(text) + 1)
        #: Scratch space for operations (e.g. the spelling chosen for a name, per document).
        self.memo: dict[str, Any] = {}
        self.protect_names = protect_names
        self.protect_numbers = protect_numbers
        #: The word-pair table word operations keep to (``builder.noise.bigrams``); None: no
        #: check. Given as a loader (``load_bigrams``) it is read on first use, so a recipe
        #: with no word operation (``typo``, ``ocr``) never reads it.
        self._bigrams: Any = None
        self._bigrams_loader: Callable[[], Any] | None = None
        #: Per word, a factor on every operation's odds (its sentence's intensity); None: 1.
        self.weights: np.ndarray | None = None
        #: Some words are kept from every operation (``editable``): then operations that
        #: take a neighbouring word check it too.
        self.protects = protect_names or protect_numbers
        if protect_numbers:
            self._claim_number_marks()

    @property
    def bigrams(self) -> Any:
        if self._bigrams_loader is not None:
            self._bigrams, self._bigrams_loader = self._bigrams_loader(), None
        return self._bigrams

    @bigrams.setter
    def bigrams(self, table: Any) -> None:
        self._bigrams, self._bigrams_loader = table, None

    def load_bigrams(self, loader: Callable[[], Any]) -> None:
        self._bigrams, self._bigrams_loader = None, loader

    def _find_words(self) -> tuple[np.ndarray, np.ndarray]:
        """``\\w+(?:['’]\\w+)*`` inside the spans, for all of the text in a few array passes."""
        cp, bounds = self.chars, self.span_bounds
        if not bounds.size or not cp.size:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        word = lookup(_WORD_CHAR, cp)
        if cp.dtype == np.uint32:
            high = np.flatnonzero(cp > 0xFFFF)
            if high.size:
                word[high] = [chr(c).isalnum() for c in cp[high].tolist()]
        n = cp.size
        gaps = np.empty(bounds.shape[0] + 1, dtype=np.int64)  # the runs of text outside the spans
        gaps[0] = 0
        gaps[1:] = bounds[:, 1]
        gap_len = np.append(bounds[:, 0], n) - gaps
        if gap_len.sum() <= n // 2:
            inside = np.ones(n, dtype=bool)
            inside[expand(gaps, gap_len)] = False
        else:
            inside = np.zeros(n, dtype=bool)
            inside[expand(bounds[:, 0], bounds[:, 1] - bounds[:, 0])] = True
        word &= inside
        apostrophe = (cp == _APOSTROPHES[0]) | (cp == _APOSTROPHES[1]) if cp.dtype != np.uint8 else cp == 39
        apostrophe &= inside
        apostrophe[0] = apostrophe[-1] = False
        apostrophe[1:-1] &= word[:-2] & word[2:]
        first = bounds[:, 0][bounds[:, 0] < n]  # an apostrophe joins letters of one span only
        apostrophe[first] = False
        apostrophe[first[first > 0] - 1] = False
        word |= apostrophe
        edges = np.flatnonzero(np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0)) != 0)
        starts, ends = edges[0::2], edges[1::2]
        # a word never runs across the border of two adjacent spans
        junction = bounds[1:, 0][bounds[1:, 0] == bounds[:-1, 1]]
        if junction.size:
            junction = junction[(junction > 0) & (junction < n)]
            cut = np.unique(junction[word[junction - 1] & word[junction]])
            if cut.size:
                starts = np.sort(np.concatenate([starts, cut]))
                ends = np.sort(np.concatenate([ends, cut]))
        return starts, ends

    def uniforms(self, salt: int, stream: int, words: np.ndarray) -> np.ndarray:
        """One number in [0, 1) per word of ``words``, fixed by (document, salt, stream, word):
        one splitmix64 step, key plus counter times the golden ratio, then the finaliser."""
        words = np.asarray(words, dtype=np.int64)
        if words.size == 0:
            return np.zeros(0)
        offset = (int(salt) + int(stream) * GOLDEN) & MASK64
        return unit(fmix64(self._base[words] + U64(offset)))

    def all_uniforms(self, salt: int, stream: int = 0) -> np.ndarray:
        """``uniforms`` for every word."""
        if self.n == 0:
            return np.zeros(0)
        offset = (int(salt) + int(stream) * GOLDEN) & MASK64
        return unit(fmix64(self._base + U64(offset)))

    @cached_property
    def starts(self) -> list[int]:
        return self.word_starts.tolist()

    @cached_property
    def ends(self) -> list[int]:
        return self.word_ends.tolist()

    @cached_property
    def sentence(self) -> np.ndarray:
        """Per word, the index of its sentence span."""
        first = np.searchsorted(self.word_starts, self.span_bounds[:, 0])
        return np.repeat(np.arange(first.size), np.diff(np.append(first, self.n)))

    @cached_property
    def sent(self) -> list[int]:
        return self.sentence.tolist()

    @cached_property
    def spans(self) -> list[tuple[int, int]]:
        return [(s, e) for s, e in self.span_bounds.tolist()]

    @property
    def _chars(self) -> np.ndarray:
        return self.chars

    def word(self, i: int) -> str:
        return self.text[self.starts[i] : self.ends[i]]

    def span_of(self, i: int) -> tuple[int, int]:
        return self.spans[self.sent[i]]

    @cached_property
    def lengths(self) -> np.ndarray:
        return self.word_ends - self.word_starts

    @cached_property
    def has_next(self) -> np.ndarray:
        """True where the next word is in the same sentence (two-word operations)."""
        sent = self.sentence
        out = np.zeros(self.n, dtype=bool)
        out[:-1] = sent[1:] == sent[:-1]
        return out

    @cached_property
    def first(self) -> np.ndarray:
        """True for the first word of each sentence."""
        out = np.ones(self.n, dtype=bool)
        out[1:] = ~self.has_next[:-1]
        return out

    @cached_property
    def _shape(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per word: starts upper-case, has an upper-case letter after the first, all caps.

        Computed from running counts of upper- and lower-case characters, so the cost is
        a few array passes rather than a Python loop over words.
        """
        text, n = self.text, self.n
        if n == 0:
            empty = np.zeros(0, dtype=bool)
            return empty, empty, empty
        lo, up = text.lower(), text.upper()
        if len(lo) != len(text) or len(up) != len(text):  # e.g. "ß".upper() == "SS"
            words = [self.word(i) for i in range(n)]
            cap = np.array([w[0].isupper() for w in words], dtype=bool)
            inner = np.array([w[1:] != w[1:].lower() for w in words], dtype=bool)
            caps = np.array([len(w) > 1 and w.isupper() for w in words], dtype=bool)
            return cap, inner, caps
        chars = self.chars
        n_up = np.zeros(len(text) + 1, dtype=np.int32)
        n_lo = np.zeros(len(text) + 1, dtype=np.int32)
        np.cumsum(chars != codepoints(lo), dtype=np.int32, out=n_up[1:])
        np.cumsum(chars != codepoints(up), dtype=np.int32, out=n_lo[1:])
        s, e = self.word_starts, self.word_ends
        cap = n_up[s + 1] > n_up[s]
        inner = n_up[e] > n_up[s + 1]
        caps = (e - s > 1) & (n_up[e] > n_up[s]) & (n_lo[e] == n_lo[s])
        return cap, inner, caps

    @cached_property
    def capitalised(self) -> np.ndarray:
        return self._shape[0]

    @cached_property
    def initial(self) -> np.ndarray:
        """Sentence-initial in form: first in its sentence or right after an opening quote."""
        out = self.first.copy()
        s = self.word_starts
        after = s > 0
        prev = self.chars[s[after] - 1] if after.any() else np.zeros(0, np.uint32)
        out[after] |= np.isin(prev, _OPENER_CODES)
        return out

    @cached_property
    def is_name(self) -> np.ndarray:
        """Capitalised and not sentence-initial, or all-caps / camel-case; a sentence-initial
        capitalised word leading a run of names ("Vladimir Putin said") counts too."""
        cap, inner, caps = self._shape
        initial = self.initial
        out = (cap & ((caps | inner) | ~initial)) | (~cap & inner)
        for i in np.flatnonzero(cap & out).tolist():
            if self.word(i) in NOT_NAMES:
                out[i] = False
        leads = np.flatnonzero(cap & initial & ~out & self.has_next)
        for i in leads.tolist():
            if out[i + 1] and self.word(i) not in SENTENCE_STARTERS:
                out[i] = self.text[self.ends[i] : self.starts[i + 1]].isspace()
        return out

    @cached_property
    def _numbers(self) -> np.ndarray:
        """The number tokens of the text (``builder.text.numbers``) as a (k, 2) array.

        A token holds a digit and no space, so the pattern runs only over the runs of
        non-space characters that hold a digit, found in array passes: most text has few
        numbers, and scanning all of it with the pattern cost as much as garbling it."""
        cp = self.chars
        digits = np.flatnonzero(lookup(_DECIMAL, cp)) if cp.size else np.zeros(0, dtype=np.int64)
        if cp.dtype == np.uint32:
            high = np.flatnonzero(cp > 0xFFFF)
            if high.size:
                extra = high[[chr(c).isdecimal() for c in cp[high].tolist()]]
                digits = np.union1d(digits, extra)
        if not digits.size:
            return np.zeros((0, 2), dtype=np.int64)
        spaces = np.append(np.flatnonzero(lookup(_SPACE, cp)), cp.size)  # the end counts as one
        k = np.unique(np.searchsorted(spaces, digits))
        starts = np.where(k > 0, spaces[np.maximum(k - 1, 0)] + 1, 0)
        ends = spaces[k]
        # the runs joined by one space: a space stands before and after each, as in the text
        text = self.text
        joined = " ".join([text[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)])
        at = np.zeros(starts.size, dtype=np.int64)
        np.cumsum(ends[:-1] - starts[:-1] + 1, out=at[1:])
        found = np.array([m.span() for m in NUMBER_RE.finditer(joined)], dtype=np.int64).reshape(-1, 2)
        if found.size:
            run = np.searchsorted(at, found[:, 0], side="right") - 1
            found += (starts - at)[run][:, None]
        return found

    @cached_property
    def is_number(self) -> np.ndarray:
        """Per word: part of a number token ("$18.90" is the words 18 and 90, "1st" one)."""
        spans = self._numbers
        if not spans.size or not self.n:
            return np.zeros(self.n, dtype=bool)
        # the last number token starting before the word's end overlaps it if it ends after its start
        k = np.searchsorted(spans[:, 0], self.word_ends, side="left") - 1
        return (k >= 0) & (spans[np.maximum(k, 0), 1] > self.word_starts)

    def _claim_number_marks(self) -> None:
        """Claim the marks of number tokens ($ . , : / %) and the mark right beside each
        token ("-" of "COVID-19"), so no operation that edits punctuation changes a number
        or joins it to a word ("COVID_19")."""
        spans = self._numbers
        if not spans.size:
            return
        inside = expand(spans[:, 0] - 1, spans[:, 1] - spans[:, 0] + 2)
        inside = inside[(inside >= 0) & (inside < self.chars.size)]
        codes = self.chars[inside]
        marks = inside[~lookup(_WORD_CHAR, codes) & ~lookup(_SPACE, codes)]
        if marks.size:
            self.claimed.mask[marks] = True

    @cached_property
    def editable(self) -> np.ndarray:
        """Words any operation may touch: all, less names and numbers when protected."""
        out = np.ones(self.n, dtype=bool)
        if self.protect_names:
            out &= ~self.is_name
        if self.protect_numbers:
            out &= ~self.is_number
        return out

    def free(self, i: int) -> bool:
        """Word ``i`` exists, is not taken and may be edited."""
        return 0 <= i < self.n and not self.taken[i] and bool(self.editable[i])


_OPENER_CODES = np.array([ord(c) for c in OPENERS], dtype=np.uint32)

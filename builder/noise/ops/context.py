"""The per-document context all garbling operations share.

Words are found once per document, inside the sentence spans only; case and position
flags are whole-array computations, so operations pay per selected word, not per
character of the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property
from typing import Any

import numpy as np

from builder.noise.ops.tables import NOT_NAMES, OPENERS, SENTENCE_STARTERS

WORD_RE = re.compile(r"\w+(?:['’]\w+)*")


class Context:
    """One document's words (start, end, sentence) and what the operations have taken.

    A word is edited by at most one operation (``taken``); a space between words is
    consumed by at most one (``taken_spaces``), so edits never overlap.
    """

    def __init__(self, text: str, spans: Sequence[Sequence[int]], protect_names: bool = False):
        self.text = text
        self.spans: list[tuple[int, int]] = sorted((int(s), int(e)) for s, e in spans)
        prev = 0
        for s, e in self.spans:
            if not prev <= s <= e <= len(text):
                raise ValueError(
                    f"sentence span ({s}, {e}) overlaps another or lies outside the text (length {len(text)})"
                )
            prev = e
        starts: list[int] = []
        ends: list[int] = []
        sent: list[int] = []
        for k, (s, e) in enumerate(self.spans):
            for m in WORD_RE.finditer(text, s, e):
                starts.append(m.start())
                ends.append(m.end())
                sent.append(k)
        self.starts, self.ends, self.sent = starts, ends, sent
        self.n = len(starts)
        self.taken = np.zeros(self.n, dtype=bool)
        self.taken_spaces: set[int] = set()
        #: Per-document scratch space for operations (e.g. the spelling chosen for a name).
        self.memo: dict[str, Any] = {}
        self.protect_names = protect_names

    def word(self, i: int) -> str:
        return self.text[self.starts[i] : self.ends[i]]

    def span_of(self, i: int) -> tuple[int, int]:
        return self.spans[self.sent[i]]

    @cached_property
    def lengths(self) -> np.ndarray:
        return np.asarray(self.ends, dtype=np.int64) - np.asarray(self.starts, dtype=np.int64)

    @cached_property
    def has_next(self) -> np.ndarray:
        """True where the next word is in the same sentence (two-word operations)."""
        sent = np.asarray(self.sent, dtype=np.int64)
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
    def _chars(self) -> np.ndarray:
        return _codepoints(self.text)

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
        chars = self._chars
        n_up = np.zeros(len(text) + 1, dtype=np.int64)
        n_lo = np.zeros(len(text) + 1, dtype=np.int64)
        np.cumsum(chars != _codepoints(lo), out=n_up[1:])
        np.cumsum(chars != _codepoints(up), out=n_lo[1:])
        s = np.asarray(self.starts, dtype=np.int64)
        e = np.asarray(self.ends, dtype=np.int64)
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
        s = np.asarray(self.starts, dtype=np.int64)
        after = s > 0
        prev = self._chars[s[after] - 1] if after.any() else np.zeros(0, np.uint32)
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
    def editable(self) -> np.ndarray:
        """Words any operation may touch: all, or all but names when names are protected."""
        if self.protect_names:
            return ~self.is_name
        return np.ones(self.n, dtype=bool)

    def free(self, i: int) -> bool:
        """Word ``i`` exists, is not taken and may be edited."""
        return 0 <= i < self.n and not self.taken[i] and bool(self.editable[i])


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


_OPENER_CODES = np.array([ord(c) for c in OPENERS], dtype=np.uint32)

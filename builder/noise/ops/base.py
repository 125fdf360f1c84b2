"""The operation contract: words are picked by a draw, then only those are edited.

Each operation records each change as an edit named after itself; the shared
``Context`` keeps operations off each other's words, so edits never overlap.

Two kinds of operation:

- ``NoiseOp``: ``edit`` makes the edit of one word in Python. Word-level and lexical
  operations are of this kind: they pay per picked word.
- ``VectorOp``: ``propose`` makes the edits of all picked words of a batch at once, as
  arrays. The character operations are of this kind; their ``edit`` is a view of
  ``propose`` on one word, so there is one implementation of each.

A word is picked either by the recipe's one draw per word (``Recipe``: each word draws a
number that names at most one operation) or by the operation's own draw (``select``,
for recipes whose probabilities are per operation). Either way the operation gets the
picked words and, per word, ``v``: a uniform number left over from the pick, which
vector operations spend on their choices (``arrays.split``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, NamedTuple

import numpy as np

from builder.core.edits import Edit
from builder.noise.columns import OpEdits
from builder.noise.ops.context import Context, Positions

__all__ = ["Context", "NoiseOp", "Proposal", "VectorOp", "claimed", "draw_rows", "pick"]


def draw_rows(ctx: Context, salt: int, picked: np.ndarray, k: int) -> list[list[float]]:
    """``k`` numbers per picked word (streams 1..k), as rows."""
    if not len(picked):
        return []
    return np.column_stack([ctx.uniforms(salt, 1 + j, picked) for j in range(k)]).tolist()


def pick(seq: Sequence[Any], u: float) -> Any:
    """The element of ``seq`` a uniform draw ``u`` in [0, 1) points at."""
    return seq[min(int(u * len(seq)), len(seq) - 1)]


def claimed(ctx: Context) -> Positions:
    """Positions of punctuation characters between words that an edit already changes."""
    return ctx.claimed


class NoiseOp:
    """A named garbling operation. Subclasses set ``name`` and implement ``edit``.

    ``params`` lists the keyword arguments (and defaults) the config may pass; anything
    else is a ValueError, so a typo in a recipe fails when the recipe is loaded.
    """

    name: ClassVar[str] = ""
    params: ClassVar[dict[str, Any]] = {}
    #: Uniform numbers drawn per selected word and handed to ``edit``.
    draws: ClassVar[int] = 2
    min_len: ClassVar[int] = 1
    #: Picked by the recipe's one draw per word; False for an operation whose chance
    #: differs from word to word (it draws its own in ``select``).
    shared_draw: ClassVar[bool] = True
    #: True when the operation is not English-specific: it needs no English word list,
    #: table or rule, so a document in another language may get it (``Recipe.script_neutral``).
    #: False by default, so a new operation is taken for English until it says otherwise.
    script_neutral: ClassVar[bool] = False

    def __init__(self, **params: Any):
        unknown = sorted(set(params) - set(self.params))
        if unknown:
            known = ", ".join(self.params) or "none"
            raise ValueError(f"noise op {self.name!r}: unknown parameter(s) {', '.join(unknown)} (known: {known})")
        for key, default in self.params.items():
            setattr(self, key, self._coerce(key, params.get(key, default), default))

    def _coerce(self, key: str, value: Any, default: Any) -> Any:
        """A parameter in the type of its default (a wrong type fails at load time)."""
        kind = type(default)
        ok = isinstance(value, kind) or (kind is float and type(value) is int)
        if not ok:
            raise ValueError(f"noise op {self.name!r}: parameter {key}={value!r} should be {kind.__name__}")
        return kind(value)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._key() == other._key()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def _key(self) -> tuple:
        return tuple(getattr(self, k) for k in self.params)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.params)
        return f"{type(self).__name__}({args})"

    def eligible(self, ctx: Context) -> np.ndarray:
        """Words this operation could apply to (before the random draw)."""
        return ctx.lengths >= self.min_len

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:  # pragma: no cover
        """The edit for word ``i`` (marking any extra words taken), or None to decline."""
        raise NotImplementedError

    def select(self, ctx: Context, p: float, salt: int) -> tuple[np.ndarray, np.ndarray]:
        """The operation's own draw: each eligible, editable word with probability ``p``;
        the picked words and what is left of each one's draw."""
        if p <= 0 or ctx.n == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        candidates = np.flatnonzero(self.eligible(ctx) & ctx.editable)
        u = ctx.uniforms(salt, 0, candidates)
        if ctx.weights is not None:
            q = np.minimum(1.0, p * ctx.weights[candidates])
            hit = u < q
            return candidates[hit], np.minimum(u[hit] / q[hit], 1.0 - 2.0**-53)
        hit = u < p
        return candidates[hit], np.minimum(u[hit] / p, 1.0 - 2.0**-53)

    def edits_for(self, ctx: Context, words: np.ndarray, v: np.ndarray, salt: int) -> list[Edit]:
        """The edits of the picked ``words`` (sorted), in joined-text coordinates, each
        word and whatever else an edit claims marked taken. Words already taken, not
        eligible or not editable are passed over."""
        if not len(words):
            return []
        words = words[self.eligible(ctx)[words] & ctx.editable[words]]
        draws = draw_rows(ctx, salt, words, self.draws)
        taken = ctx.taken
        edits: list[Edit] = []
        for i, u in zip(words.tolist(), draws, strict=True):
            if taken[i]:
                continue
            e = self.edit(ctx, i, u)
            if e is not None:
                taken[i] = True
                edits.append(e)
        return edits

    def columns_for(self, ctx: Context, words: np.ndarray, v: np.ndarray, salt: int) -> OpEdits:
        """``edits_for`` as columns."""
        return OpEdits.from_edits(self.edits_for(ctx, words, v, salt))

    def apply(self, ctx: Context, p: float, salt: int) -> list[Edit]:
        """Select each eligible word with probability ``p`` and edit the free ones."""
        if p <= 0 or ctx.n == 0:
            return []
        words, v = self.select(ctx, p, salt)
        return self.edits_for(ctx, words, v, salt) if len(words) else []

    def capacity(self, ctx: Context, words: np.ndarray, draws: np.ndarray) -> tuple[int, int]:
        """How many of ``words`` this operation can edit, each tried alone on ``ctx`` with
        nothing taken, and how many words those edits take in all (``draws``: a row of
        ``draws`` uniform numbers per word)."""
        done = width = 0
        for i, u in zip(np.asarray(words).tolist(), np.asarray(draws).tolist(), strict=True):
            if self.edit(ctx, i, u):  # an Edit, or a non-empty list of them
                done += 1
                width += int(ctx.taken.sum()) + 1
            ctx.taken[:] = False
            ctx.taken_spaces.clear()
            ctx.claimed.clear()
        return done, width


class Proposal(NamedTuple):
    """What a vector operation would do to each of the words it was handed, each alone.

    ``after`` holds one code point per word (shape (n,)), or up to two (shape (n, 2),
    ``after_len`` of them used). An edit may also need the next word (``extra``), the space
    it deletes (``space``) or a punctuation mark beside its word (``mark``): -1 where it
    needs none, None for none at all. With ``index``, the rows are for those of the words
    only (the others are declined).
    """

    ok: np.ndarray
    start: np.ndarray
    end: np.ndarray
    after: np.ndarray
    after_len: np.ndarray | int
    extra: np.ndarray | None = None
    space: np.ndarray | None = None
    mark: np.ndarray | None = None
    index: np.ndarray | None = None


class VectorOp(NoiseOp):
    """An operation that edits all of its picked words of a batch in array passes.

    Subclasses implement ``propose``. Conflicts are settled as if the words were edited
    one by one in order: a word needing a word, space or mark that an earlier operation,
    or an earlier word of this one, has taken is declined.
    """

    draws: ClassVar[int] = 1

    def propose(self, ctx: Context, words: np.ndarray, v: np.ndarray) -> Proposal:  # pragma: no cover
        """The edit of each of ``words`` (free, editable, sorted), each drawn by its ``v``."""
        raise NotImplementedError

    def _free(self, ctx: Context, words: np.ndarray) -> np.ndarray:
        keep = ~ctx.taken[words] & (ctx.lengths[words] >= self.min_len)
        if ctx.protects:
            keep &= ctx.editable[words]
        return keep

    def _settle(self, ctx: Context, words: np.ndarray, prop: Proposal) -> np.ndarray:
        """Which proposed edits go ahead; marks what they take (the words themselves aside)."""
        if prop.extra is not None and prop.mark is not None:
            raise ValueError(f"{self.name}: an edit takes the next word or a mark, not both")
        ok = prop.ok.copy()
        if prop.space is not None:
            ok &= ~ctx.taken_spaces.holds(prop.space)
        if prop.extra is not None:
            has = prop.extra >= 0
            extra = np.where(has, prop.extra, 0)
            free = ~ctx.taken[extra]
            if ctx.protects:
                free &= ctx.editable[extra]
            ok &= ~has | free
            # an edit taking the next word also takes it from this operation: in a run of
            # picked words each taking the next, every other one goes ahead
            takes = ok & has & (extra == words + 1)
            link = np.zeros(ok.size, dtype=bool)
            link[1:] = takes[:-1] & (words[1:] == words[:-1] + 1)
            if link.any():
                index = np.arange(ok.size)
                last_break = np.maximum.accumulate(np.where(link, -1, index))
                ok &= ~(link & ((index - last_break) % 2 == 1))
        if prop.mark is not None:
            has = ok & (prop.mark >= 0)
            at = np.flatnonzero(has)
            if at.size:
                marks = prop.mark[at]
                clash = ctx.claimed.holds(marks)
                if at.size > 1:  # two words beside one mark: the first has it
                    order = np.argsort(marks, kind="stable")
                    again = np.zeros(at.size, dtype=bool)
                    again[order[1:]] = marks[order[1:]] == marks[order[:-1]]
                    clash |= again
                ok[at[clash]] = False
                ctx.claimed.mask[marks[~clash]] = True
        if prop.extra is not None:
            ctx.taken[prop.extra[ok & (prop.extra >= 0)]] = True
        if prop.space is not None:
            ctx.taken_spaces.mask[prop.space[ok]] = True
        return ok

    def columns_for(self, ctx: Context, words: np.ndarray, v: np.ndarray, salt: int) -> OpEdits:
        if not len(words):
            return OpEdits.empty()
        keep = self._free(ctx, words)
        words, v = words[keep], v[keep]
        if not words.size:
            return OpEdits.empty()
        prop = self.propose(ctx, words, v)
        if prop.index is not None:
            words = words[prop.index]
        ok = self._settle(ctx, words, prop)
        if ok.all():
            ctx.taken[words] = True
            return OpEdits.fixed(prop.start, prop.end, prop.after, prop.after_len)
        at = np.flatnonzero(ok)
        ctx.taken[words[at]] = True
        lens = prop.after_len if np.ndim(prop.after_len) == 0 else np.asarray(prop.after_len)[at]
        return OpEdits.fixed(prop.start[at], prop.end[at], prop.after[at], lens)

    def edits_for(self, ctx: Context, words: np.ndarray, v: np.ndarray, salt: int) -> list[Edit]:
        return self.columns_for(ctx, words, v, salt).edits(ctx.text, self.name)

    def edit(self, ctx: Context, i: int, u: list[float]) -> Edit | None:
        """``propose`` for one word (``u[0]`` its draw), its extra word marked taken."""
        words = np.array([i], dtype=np.int64)
        if not self._free(ctx, words)[0]:
            return None
        prop = self.propose(ctx, words, np.array([u[0]], dtype=np.float64))
        if prop.index is not None:
            words = words[prop.index]
        if not words.size or not self._settle(ctx, words, prop)[0]:
            return None
        return OpEdits.fixed(prop.start, prop.end, prop.after, prop.after_len).edits(ctx.text, self.name)[0]

    def capacity(self, ctx: Context, words: np.ndarray, draws: np.ndarray) -> tuple[int, int]:
        words = np.asarray(words, dtype=np.int64)
        if not words.size:
            return 0, 0
        keep = self._free(ctx, words)
        if not keep.any():
            return 0, 0
        prop = self.propose(ctx, words[keep], np.asarray(draws, dtype=np.float64).reshape(keep.size, -1)[keep, 0])
        ok = prop.ok.copy()
        extra = prop.extra if prop.extra is not None else np.full(ok.size, -1)
        if ctx.protects:
            ok &= (extra < 0) | ctx.editable[np.maximum(extra, 0)]
        return int(ok.sum()), int(ok.sum() + (ok & (extra >= 0)).sum())
